"""The captures benchmark runs end to end on a few articles and renders its section."""

from __future__ import annotations

from benchmarks import captures


def test_a_small_benchmark_run_and_its_report() -> None:
    results = captures.run(articles=40)
    [figures] = results["sets"]
    assert figures["count"] > 0
    assert 0 < figures["compression"]["zstd-3"]["ratio"] < 1
    sqlite = figures["sqlite"]
    assert sqlite["without_ms"] > 0 and sqlite["with_ms"] > 0
    assert sqlite["unchanged_added"] == 0
    assert figures["disk"]["with_bytes"] > figures["disk"]["without_bytes"]
    assert figures["bytes_alone_ms"] > 0
    section = captures.report(results)
    assert section.startswith("## Captures")
    assert "| zstd-3 (kept) |" in section
    assert "The floor: appending the stored bytes" in section
