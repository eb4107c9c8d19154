"""What ``newscrawler crawl SITE`` accepts, and ``newscrawler sites``."""

from __future__ import annotations

from pathlib import Path

from newscrawler.exitcodes import ExitCode
from tests.support import newscrawler_command


def test_sites_lists_builtin_and_user_profiles(tmp_path: Path) -> None:
    (tmp_path / "profiles").mkdir()
    (tmp_path / "profiles" / "daily.toml").write_text(
        'extends = "wordpress"\nname = "daily"\nsite = "daily"\nhosts = ["daily.example"]\n',
        encoding="utf-8",
    )
    result = newscrawler_command("sites", cwd=tmp_path)
    assert result.returncode == ExitCode.OK, result.stderr
    rows = {line.split()[0]: line for line in result.stdout.splitlines()[1:] if line.strip()}
    assert "www.ispr.gov.pk" in rows["ispr"]
    assert "(template)" in rows["wordpress"]
    assert "daily.example" in rows["daily"]


def test_crawl_refuses_templates_unknown_sites_and_misplaced_options(tmp_path: Path) -> None:
    template = newscrawler_command("crawl", "wordpress", cwd=tmp_path)
    unknown = newscrawler_command("crawl", "no-such-site", cwd=tmp_path)
    bad_ids = newscrawler_command("crawl", "ispr", "--ids", "9-1", cwd=tmp_path)
    wayback_elsewhere = newscrawler_command("crawl", "poslanews", "--wayback", cwd=tmp_path)
    auto_ids = newscrawler_command("crawl", "https://example.org/", "--ids", "1-", cwd=tmp_path)

    assert template.returncode == ExitCode.CONFIG and "template" in template.stderr
    assert unknown.returncode == ExitCode.CONFIG and "no such profile" in unknown.stderr
    assert bad_ids.returncode == ExitCode.CONFIG and "ends before" in bad_ids.stderr
    assert wayback_elsewhere.returncode == ExitCode.CONFIG and "ispr" in wayback_elsewhere.stderr
    assert auto_ids.returncode == ExitCode.CONFIG
