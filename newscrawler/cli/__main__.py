"""``python -m newscrawler.cli``: the ``newscrawler`` command."""

from newscrawler.cli import main

main()
