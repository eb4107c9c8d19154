"""The dedup benchmark runs end to end on a small archive and renders its section."""

from __future__ import annotations

from benchmarks import dedup


def test_a_small_benchmark_run_and_its_report() -> None:
    results = dedup.run(sizes=(300,), sample=20, with_datasketch=False, with_sweep=False)
    [figures] = results["sizes"]
    assert figures["articles"] == 300
    assert 0 < figures["cpu_ms_per_article"] < 1000
    assert figures["index_arrays_mb"] > 0
    assert figures["candidates_per_article"] > 0
    section = dedup.report(results)
    assert section.startswith("## Deduplication")
    assert "| dedup per article, mean (ms) |" in section
    assert "Threshold sweep" not in section
