"""The benchmarks doc: a full run writes its header and every benchmark's section anew and
keeps the sections no benchmark writes."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from benchmarks import report

MACHINE = {"date": "2026-12-05", "commit": "abc1234", "cpu": "x86_64", "cores": 2,
           "memory_gb": 24, "python": "3.11.7", "platform": "Linux"}  # fmt: skip


def test_a_full_report_keeps_sections_no_benchmark_writes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def render(figures: dict[str, Any]) -> str:
        return f"## Text cleaning\n\n{figures['rate']} texts a second"

    monkeypatch.setattr(report, "RENDERERS", {"cleaning": render})
    doc = tmp_path / "benchmarks.md"
    doc.write_text(
        "# Benchmarks\n\nold header\n\n## Text cleaning\n\nstale\n\n"
        "## Costs before and after\n\nkept\n\n## Reproducing\n\nold\n",
        encoding="utf-8",
    )

    report.write_report({"machine": MACHINE, "quick": False, "cleaning": {"rate": 42}}, doc)

    text = doc.read_text(encoding="utf-8")
    assert "at commit `abc1234`" in text and "old header" not in text
    assert "42 texts a second" in text and "stale" not in text
    assert "## Costs before and after\n\nkept" in text
    assert text.count("## Reproducing") == 1 and text.rstrip().endswith(report.REPRODUCE.rstrip())
