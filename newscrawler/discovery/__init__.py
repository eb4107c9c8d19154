"""Discovery: how a crawl finds a site's articles, and what it refuses to fetch.

* :mod:`~newscrawler.discovery.sitemaps`, :mod:`~newscrawler.discovery.feeds`: sitemap
  indexes and url sets (``lastmod``, gzip), RSS and Atom feeds, feed autodiscovery;
* :mod:`~newscrawler.discovery.links`: links to follow and "next page" links;
* :mod:`~newscrawler.discovery.hosts`, :mod:`~newscrawler.discovery.traps`,
  :mod:`~newscrawler.discovery.frontier`: own hosts only, trap protection, canonical URLs,
  each URL once;
* :mod:`~newscrawler.discovery.idrange`, :mod:`~newscrawler.discovery.wayback`: numbered pages
  and Wayback Machine captures;
* :mod:`~newscrawler.marks`: ``request.meta["newscrawler"]`` (kind and lastmod);
* politeness and safety components: :mod:`~newscrawler.extensions.crawldelay` (robots.txt
  Crawl-delay), :mod:`~newscrawler.downloadermiddlewares.backoff` (retry backoff),
  :mod:`~newscrawler.downloadermiddlewares.blocking` (challenge pages).
"""
