"""``python -m benchmarks``: every benchmark in one run, figures written into docs/benchmarks.md.

``--quick`` runs smaller sizes for a smoke test; the documented figures come from a full run.
``--only`` rewrites only the sections of the benchmarks it runs, each dated with its run.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import import_module
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
DOC = REPO / "docs" / "benchmarks.md"
RESULTS = REPO / "benchmarks" / "results" / "latest.json"

#: Each benchmark: module, keyword arguments of a full run, of a quick run.
BENCHMARKS: dict[str, tuple[str, dict[str, Any], dict[str, Any]]] = {
    "crawl": ("benchmarks.crawl", {"articles": 5000, "rounds": 2}, {"articles": 500, "rounds": 1}),
    "sink": ("benchmarks.sink", {}, {"sizes": (2_000, 10_000), "sample": 1_000}),
    "captures": ("benchmarks.captures", {}, {"articles": 200}),
    "dedup": ("benchmarks.dedup", {}, {"sizes": (1_000, 5_000)}),
    "cleaning": ("benchmarks.cleaning", {}, {}),
    "extraction": ("benchmarks.extraction", {}, {}),
    "search": ("benchmarks.search", {}, {"size": 5_000}),
    "recrawl": ("benchmarks.recrawl", {}, {"sizes": (60, 500)}),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes, for a smoke test")
    parser.add_argument("--only", action="append", choices=sorted(BENCHMARKS))
    parser.add_argument("--no-doc", action="store_true", help="do not rewrite the doc")
    args = parser.parse_args()
    results: dict[str, Any] = {"machine": machine(), "quick": args.quick}
    for name in args.only or BENCHMARKS:
        module, full, quick = BENCHMARKS[name]
        print(f"== {name}", flush=True)
        runner: Callable[..., dict[str, Any]] = import_module(module).run
        results[name] = runner(**(quick if args.quick else full))
        print(json.dumps(results[name], indent=2, default=str), flush=True)
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, default=str), encoding="utf-8")
    if not args.no_doc:
        from benchmarks.report import write_report, write_sections

        if args.only:
            write_sections(results, args.only, DOC)
        else:
            write_report(results, DOC)
        print(f"figures written to {DOC.relative_to(REPO)}")


def machine() -> dict[str, Any]:
    return {
        "date": datetime.now(UTC).strftime("%Y-%m-%d"),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpu": _cpu_model(),
        "cores": os.cpu_count(),
        "memory_gb": round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30, 1),
        "commit": subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], cwd=REPO, capture_output=True, text=True
        ).stdout.strip(),
    }


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


if __name__ == "__main__":
    main()
