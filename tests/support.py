"""Helpers for tests that drive the ``newscrawler`` command like an operator or cron."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def newscrawler_command(
    *args: str, cwd: Path | None = None, timeout: float = 180
) -> subprocess.CompletedProcess[str]:
    """Run the ``newscrawler`` command in a child process, as an operator or cron would."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    env.pop("NEWSCRAWLER_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "newscrawler.cli", *args],
        cwd=cwd or REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
    )
