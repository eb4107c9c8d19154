"""Incremental crawling: fetch only what is new or due, keep state across runs.

* :mod:`~newscrawler.incremental.index`: what the archive holds of the crawled site, loaded once
  when the spider opens, shared by the incremental middlewares (an extension).
* :mod:`~newscrawler.incremental.unfetched`: the articles a run could not fetch, handed to the
  site's next run (an extension).
* :mod:`~newscrawler.incremental.schedule`: when an archived article is due for a re-check.
* :mod:`~newscrawler.incremental.signals`: "not modified" and "removed" events for the sink.
* :mod:`~newscrawler.incremental.jobs`: the per-site lock and resumable frontier of a run.

The middlewares that use them live in :mod:`newscrawler.spidermiddlewares.incremental` and
:mod:`newscrawler.downloadermiddlewares.conditional`.
"""
