"""Incremental crawling: fetch only what is new or due, keep state across runs.

* :mod:`~newscrawler.incremental.schedule`: when an archived article is due for a re-check.
* :mod:`~newscrawler.incremental.signals`: "not modified" and "removed" events for the sink.
* :mod:`~newscrawler.incremental.since`: the ``--since`` date bound.
* :mod:`~newscrawler.incremental.jobs`: the per-site lock and resumable frontier of a run.
* :mod:`~newscrawler.incremental.queues`: the frontier's disk queue.
* :mod:`~newscrawler.incremental.discovered`: when auto mode asks again for a page that is not
  an article (a missing path, a navigation page, a listing).

The per-crawler state they work on is kept by three extensions: the archive index
(:mod:`newscrawler.extensions.archiveindex`), the list of unfetched articles
(:mod:`newscrawler.extensions.unfetched`) and the discovery memory
(:mod:`newscrawler.extensions.discoverymemory`). The middlewares that use them live in
:mod:`newscrawler.spidermiddlewares.incremental` and
:mod:`newscrawler.downloadermiddlewares.conditional`.
"""
