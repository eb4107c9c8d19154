"""The benchmark's news site, served from its own process: ``python -m benchmarks.site N``.

A WordPress-shaped Urdu and English site of N articles with listing pages, category and tag
archives, a feed and a sitemap index; it prints its base URL and serves until terminated.
"""

from __future__ import annotations

import signal
import sys

from newscrawler.samples.news import generate_stories
from newscrawler.samples.wordpress import wordpress_site


def main() -> None:
    articles = int(sys.argv[1]) if len(sys.argv) > 1 else 5000
    site = wordpress_site(generate_stories(articles)).start()
    print(site.url, flush=True)
    signal.sigwait({signal.SIGTERM, signal.SIGINT})
    site.stop()


if __name__ == "__main__":
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM, signal.SIGINT})
    main()
