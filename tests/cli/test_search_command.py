"""``newscrawler search``: ranked matches with snippets, in any spelling of the same Urdu; and
commands that read the archive never make one."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newscrawler.exitcodes import ExitCode
from storage.archive import Archive
from tests.storage.test_search import ARTICLES, article
from tests.support import newscrawler_command

#: Nothing listens on port 1 of this machine.
UNREACHABLE = "postgresql+psycopg://postgres@127.0.0.1:1/test"
READERS = (("export",), ("runs",), ("clusters",), ("search", "army"))


@pytest.fixture
def archived(archive_url: str) -> str:
    with Archive.open(archive_url) as archive:
        archive.write_batch([article(*fields) for fields in ARTICLES])
    return archive_url


def lines(result: object) -> list[dict[str, object]]:
    assert getattr(result, "returncode", None) == ExitCode.OK, getattr(result, "stderr", "")
    return [json.loads(line) for line in getattr(result, "stdout", "").splitlines()]


def test_search_prints_ranked_json_lines(archived: str) -> None:
    result = newscrawler_command("search", "army", "chief", "--db", archived, "--format", "jsonl")
    found = lines(result)
    assert [line["url"] for line in found] == [
        "https://ispr.example/en/quetta",
        "https://dawn.example/en/floods",
    ]
    assert found[0]["score"] > found[1]["score"]  # type: ignore[operator]
    assert "[army]" in str(found[0]["snippet"]) and found[0]["published_at"].endswith("+00:00")


def test_arabic_letter_forms_find_what_urdu_letters_find(archived: str) -> None:
    urdu = newscrawler_command("search", "کوئٹہ", "--db", archived, "--format", "jsonl")
    arabic = newscrawler_command("search", "كوئٹه", "--db", archived, "--format", "jsonl")
    assert [line["url"] for line in lines(arabic)] == [line["url"] for line in lines(urdu)]
    assert len(lines(urdu)) == 1


def test_search_filters_and_text_output(archived: str) -> None:
    result = newscrawler_command(
        "search", "army", "--db", archived, "--site", "dawn", "--language", "en",
        "--since", "2025-07-01", "--until", "2025-08-01", "--limit", "5",
    )  # fmt: skip
    assert result.returncode == ExitCode.OK, result.stderr
    assert "Relief work in flood-hit districts" in result.stdout
    assert "https://dawn.example/en/floods" in result.stdout
    assert "Quetta" not in result.stdout
    nothing = newscrawler_command("search", "zeppelin", "--db", archived)
    assert nothing.returncode == ExitCode.OK and "no articles found" in nothing.stdout


def test_a_query_of_no_words_is_a_usage_error(sqlite_url: str) -> None:
    Archive.open(sqlite_url).close()
    result = newscrawler_command("search", "\u200c ـ", "--db", sqlite_url)
    assert result.returncode == ExitCode.CONFIG
    assert "no words" in result.stderr and "Traceback" not in result.stderr


@pytest.mark.parametrize("command", READERS, ids=lambda command: command[0])
def test_reading_commands_make_no_archive(tmp_path: Path, command: tuple[str, ...]) -> None:
    missing = tmp_path / "missing.sqlite3"
    result = newscrawler_command(*command, "--db", f"sqlite:///{missing}")
    assert result.returncode == ExitCode.CONFIG
    assert result.stderr.strip() == f"newscrawler: no archive at {missing}"
    assert not missing.exists()


@pytest.mark.parametrize("command", READERS, ids=lambda command: command[0])
def test_an_unreachable_server_is_one_line(command: tuple[str, ...]) -> None:
    result = newscrawler_command(*command, "--db", UNREACHABLE)
    assert result.returncode == ExitCode.CONFIG
    [line] = result.stderr.strip().splitlines()
    assert line.startswith("newscrawler: cannot open the archive at postgresql+psycopg://")
