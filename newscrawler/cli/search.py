"""``newscrawler search QUERY``: the archive's articles that hold every word of the query, best
first, with a snippet around the match."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import IO, Any

from newscrawler.cli.common import (
    CommandLineError,
    add_command,
    add_db_option,
    archive_url,
    iso_datetime,
    json_default,
)
from newscrawler.exitcodes import ExitCode
from newscrawler.text import search_form
from storage.archive import Archive

#: What a JSON line of a search result holds, in this order.
RESULT_FIELDS = (
    "score",
    "id",
    "url",
    "site",
    "language",
    "title",
    "published_at",
    "changed_at",
    "cluster_id",
    "change_seq",
    "snippet",
)


def add_search_command(commands: Any) -> None:
    """The ``search`` subcommand, on the subparsers of the ``newscrawler`` command."""
    search = add_command(
        commands,
        "search",
        "full-text search of the archive (Urdu and English, any letter forms)",
        "Articles whose title or body holds every word of QUERY, best first. "
        "The query is folded as the archive's text is (newscrawler.text.search_form): Arabic "
        "and Urdu letter forms, diacritics, zero-width characters, tatweel and case do not "
        "matter. A query matching more than 5,000 articles ranks the newest 5,000 of them.",
        reading=True,
    )
    search.add_argument("query", nargs="+", metavar="QUERY", help="words to find")
    add_db_option(search)
    search.add_argument("--site", help="only articles of this site key")
    search.add_argument("--language", help="only articles in this language (ur, en, ...)")
    search.add_argument(
        "--since", type=iso_datetime, metavar="DATE", help="only articles published since"
    )
    search.add_argument(
        "--until", type=iso_datetime, metavar="DATE", help="only articles published before"
    )
    search.add_argument(
        "--limit", type=_positive, default=20, metavar="N", help="at most N results (20)"
    )
    search.add_argument("--format", choices=("text", "jsonl"), default="text")
    search.set_defaults(handler=cmd_search)


def cmd_search(args: argparse.Namespace) -> ExitCode:
    query = search_form(" ".join(args.query))
    if not query.strip():
        raise CommandLineError(f"the query {' '.join(args.query)!r} has no words to search for")
    with Archive.open(archive_url(args), create=False) as archive:
        results = archive.search(
            query,
            site=args.site,
            language=args.language,
            since=args.since,
            until=args.until,
            limit=args.limit,
        )
    try:
        (print_jsonl if args.format == "jsonl" else print_text)(results, sys.stdout)
    except BrokenPipeError:
        sys.stderr.close()  # the reader (head, less) has gone
    return ExitCode.OK


def print_jsonl(results: Sequence[dict[str, Any]], out: IO[str]) -> None:
    for result in results:
        line = {name: result.get(name) for name in RESULT_FIELDS}
        out.write(json.dumps(line, ensure_ascii=False, default=json_default) + "\n")


def print_text(results: Sequence[dict[str, Any]], out: IO[str]) -> None:
    if not results:
        print("no articles found", file=out)
    for rank, result in enumerate(results, 1):
        published = result["published_at"]
        when = published.strftime("%Y-%m-%d") if published else "undated"
        print(
            f"{rank:>3}. {result['title'] or '(no title)'}  [{result['language'] or '-'}] "
            f"{result['site']} {when}",
            file=out,
        )
        print(f"     {result['url']}", file=out)
        print(f"     {_one_line(result['snippet'])}", file=out)


def _one_line(text: str | None) -> str:
    return " ".join((text or "").split())


def _positive(text: str) -> int:
    value = int(text)
    if value < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more, got {value}")
    return value
