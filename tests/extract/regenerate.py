"""Rewrite the expected fields of the stored pages from what the extractor gives now.

``python -m tests.extract.regenerate [NAME...]``: every stored page, or those named
``<profile>/<name>`` or ``<name>``; prints the files that changed. A page is read exactly as
tests/extract/test_pages.py reads it, so a regenerated page passes that test: review the
diff before committing it.
"""

from __future__ import annotations

import argparse
import json
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from tests.extract.support import CASES, expected_of, page_name, read_stored_page

#: Values written one entry a line; any other list or object is written on one line.
_SPREAD_KEYS = frozenset({"expected", "images", "aliases", "extras"})


def regenerate(cases: Iterable[Path]) -> list[Path]:
    """Give each case's JSON the fields its page gives now; the cases whose fields changed.

    A case whose fields are unchanged keeps its file as it is, layout included."""
    changed = []
    for case in cases:
        page = read_stored_page(case)
        expected = expected_of(page.result)
        if expected != page.spec["expected"]:
            case.write_text(case_json({**page.spec, "expected": expected}), "utf-8")
            changed.append(case)
    return changed


def case_json(spec: dict[str, Any]) -> str:
    """A case's JSON in the layout of the stored pages: one field a line, two spaces deep."""
    return _json(spec, spread=True, indent="") + "\n"


def _json(value: Any, *, spread: bool, indent: str) -> str:
    if not spread or not isinstance(value, dict | list) or not value:
        return json.dumps(value, ensure_ascii=False)
    inner = indent + "  "
    if isinstance(value, list):
        lines = [inner + _json(entry, spread=False, indent=inner) for entry in value]
        return "[\n" + ",\n".join(lines) + f"\n{indent}]"
    lines = [
        f"{inner}{json.dumps(key)}: {_json(entry, spread=_spreads(key, entry), indent=inner)}"
        for key, entry in value.items()
    ]
    return "{\n" + ",\n".join(lines) + f"\n{indent}}}"


def _spreads(key: str, value: Any) -> bool:
    no_article = key == "expected" and "reason" in value
    return key in _SPREAD_KEYS and not no_article


def selected_cases(names: Sequence[str]) -> list[Path]:
    """The stored pages named ``<profile>/<name>`` or ``<name>``; all of them for no names."""
    if not names:
        return CASES
    unknown = set(names) - {page_name(case) for case in CASES} - {case.stem for case in CASES}
    if unknown:
        raise SystemExit(f"no stored page named {', '.join(sorted(unknown))}")
    return [case for case in CASES if page_name(case) in names or case.stem in names]


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m tests.extract.regenerate", description=__doc__.splitlines()[0]
    )
    parser.add_argument("names", nargs="*", metavar="NAME", help="<profile>/<name> or <name>")
    cases = selected_cases(parser.parse_args(argv).names)
    changed = regenerate(cases)
    for case in changed:
        print(f"rewrote {page_name(case)}.json")
    print(f"{len(changed)} of {len(cases)} stored pages changed")


if __name__ == "__main__":
    main()
