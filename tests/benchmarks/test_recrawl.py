"""The re-crawl benchmark runs end to end on a small site and renders its section."""

from __future__ import annotations

from benchmarks import recrawl
from benchmarks.report import _recrawl


def test_a_small_recrawl_benchmark_and_its_report() -> None:
    results = recrawl.run(sizes=(40,))
    rows = {row["mode"]: row for row in results["rows"]}

    assert set(rows) == {"profile", "auto"}
    for row in rows.values():
        assert row["archived"] == 40
        assert row["first_requests"] > 40
        assert 0 < row["recrawl_requests"] <= 0.25 * row["first_requests"]
    section = _recrawl(results)
    assert section.startswith("## Re-crawls")
    assert "| auto | 40 | 40 |" in section
