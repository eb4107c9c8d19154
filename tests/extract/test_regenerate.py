"""The script that rewrites the stored pages' JSON from the current extractor."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from tests.extract.regenerate import regenerate
from tests.extract.support import CASES, PAGES, page_name


def copy_pages(folder: Path, names: list[str]) -> list[Path]:
    """Copies of the stored pages ``names`` under ``folder``, profile folders included."""
    copies = []
    for name in names:
        copy = folder / f"{name}.json"
        copy.parent.mkdir(exist_ok=True)
        for suffix in (".json", ".html"):
            shutil.copyfile(PAGES / f"{name}{suffix}", copy.with_suffix(suffix))
        copies.append(copy)
    return copies


def test_pages_that_read_as_expected_are_left_as_they_are(tmp_path: Path) -> None:
    copies = copy_pages(tmp_path, [page_name(case) for case in CASES])

    assert regenerate(copies) == []
    assert [copy.read_bytes() for copy in copies] == [case.read_bytes() for case in CASES]


@pytest.mark.parametrize("name", ["generic/en_news", "poslanews/ur_republished", "ispr/challenge"])
def test_a_page_whose_fields_changed_is_rewritten_in_the_stored_layout(
    tmp_path: Path, name: str
) -> None:
    (copy,) = copy_pages(tmp_path, [name])
    stored = copy.read_text("utf-8")
    copy.write_text(json.dumps({**json.loads(stored), "expected": {}}), "utf-8")

    assert regenerate([copy]) == [copy]
    assert copy.read_text("utf-8") == stored
