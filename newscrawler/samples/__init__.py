"""Generated local sites of the shapes the crawler meets, served by ``SampleSite``.

* :mod:`~newscrawler.samples.news`: the generated articles, and ``NewsSite`` (a
  ``SampleSite`` that finds pages whatever the percent-encoding case, and serves scripted
  answers: a page that fails twice, then works);
* :mod:`~newscrawler.samples.wordpress`: a WordPress (Astra) republisher;
* :mod:`~newscrawler.samples.portal`: a news portal with sections, a feed and traps;
* :mod:`~newscrawler.samples.official`: an official press-release site with one ``<title>``
  on every page and each headline in a heading above its text;
* :mod:`~newscrawler.samples.wayback`: a Wayback Machine (CDX index and raw captures).
"""
