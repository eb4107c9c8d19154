"""Site names off headlines: by name, by host label, by initials."""

from __future__ import annotations

import pytest

from newscrawler.extract.titles import strip_site_name

SITE = ["Inter Services Public Relations", "ispr"]


@pytest.mark.parametrize(
    ("title", "expected"),
    [
        ("COAS visits Quetta | ISPR", "COAS visits Quetta"),
        ("ISPR - COAS visits Quetta", "COAS visits Quetta"),
        ("COAS visits Quetta | Inter Services Public Relations", "COAS visits Quetta"),
        ("COAS visits Quetta | I.S.P.R.", "COAS visits Quetta"),
        ("Inter Services Public Relations", None),
        ("COAS visits Quetta", "COAS visits Quetta"),
    ],
)
def test_a_segment_naming_the_site_comes_off(title: str, expected: str | None) -> None:
    assert strip_site_name(title, SITE) == expected


def test_initials_name_the_site() -> None:
    assert strip_site_name("Islamabad Security Press Relay", ["ispr"]) is None


def test_a_body_line_whose_words_start_with_the_sites_initials_is_no_name() -> None:
    line = "Important Steps Promised Regionally " * 3
    assert strip_site_name(line, ["ispr" * 3]) == line.strip()
