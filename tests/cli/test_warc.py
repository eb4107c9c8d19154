"""WARC export and import, and scrapes of saved pages: no network, the crawl's pipelines."""

from __future__ import annotations

import gzip
import io
import json
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawler.exitcodes import ExitCode
from newscrawler.samples.ispr import generate_releases, release_page
from storage.archive import Archive
from tests.incremental.sites import ChangingSite
from tests.support import LOCAL, newscrawler_command

ISPR_URL = "https://www.ispr.gov.pk/press-release-detail.php?id={id}"
FETCHED = datetime(2025, 1, 20, 6, 30, tzinfo=UTC)


@pytest.fixture
def site() -> Iterator[ChangingSite]:
    with ChangingSite(12, per_page=6) as site:
        yield site


def command(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    result = newscrawler_command(*args, cwd=cwd)
    assert result.returncode == ExitCode.OK, result.stderr[-3000:]
    return result


def warcio(*args: str) -> subprocess.CompletedProcess[str]:
    """warcio's own command line."""
    code = "import sys; from warcio.cli import main; main(sys.argv[1:])"
    return subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=120
    )


def articles(db: str) -> dict[str, tuple[Any, ...]]:
    with Archive.open(db) as archive:
        return {
            a["url"]: (a["title"], a["body"], a["published_at"], a["language"], a["extras"])
            for a in archive.iter_articles()
        }


def test_an_exported_warc_passes_warcio_and_imports_into_a_fresh_archive(
    tmp_path: Path, site: ChangingSite
) -> None:
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    fresh = f"sqlite:///{tmp_path / 'fresh.sqlite3'}"
    warc = tmp_path / "archive.warc.gz"
    command("crawl", "ispr", "-a", f"base_url={site.url}", "--db", db, *LOCAL, cwd=tmp_path)
    site.stop()

    exported = command("export", "--format", "warc", "-o", str(warc), "--db", db, cwd=tmp_path)
    check = warcio("check", "-v", str(warc))
    index = [json.loads(line) for line in warcio("index", str(warc)).stdout.splitlines()]
    command("import-warc", str(warc), "--db", fresh, cwd=tmp_path)

    assert "12 pages written" in exported.stderr
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") == 25 and "fail" not in check.stdout
    kinds = [entry["warc-type"] for entry in index]
    assert kinds == ["warcinfo", *["response", "metadata"] * 12]
    with gzip.open(warc, "rb") as stream:
        assert stream.read(9) == b"WARC/1.1\r"
    original, imported = articles(db), articles(fresh)
    assert len(original) == 12 and imported == original
    with Archive.open(fresh) as archive:
        assert archive.capture_sizes()[0] == 12
        assert archive.runs(limit=1)[0]["spider"] == "import_warc"


def foreign_warc(path: Path) -> None:
    """A WARC as another crawler writes it: a request record, a gzip-encoded chunked HTML
    response, a 404 and an image."""
    release = generate_releases(1)[0]
    html = release_page(release).encode("utf-8")
    chunked = b"%x\r\n%s\r\n0\r\n\r\n" % (len(gzip.compress(html)), gzip.compress(html))
    url = ISPR_URL.format(id=7045)
    with path.open("wb") as out:
        writer = WARCWriter(out, gzip=True)
        request = StatusAndHeaders("GET /press-release-detail.php?id=7045 HTTP/1.1", [])
        writer.write_record(writer.create_warc_record(url, "request", http_headers=request))
        writer.write_record(
            _response(writer, url, "200 OK", "text/html; charset=utf-8", chunked, gzipped=True)
        )
        missing = ISPR_URL.format(id=7046)
        writer.write_record(_response(writer, missing, "404 Not Found", "text/html", b"gone"))
        image = "https://www.ispr.gov.pk/logo.png"
        writer.write_record(_response(writer, image, "200 OK", "image/png", b"\x89PNG"))


def _response(
    writer: WARCWriter, url: str, status: str, content_type: str, body: bytes, gzipped: bool = False
) -> Any:
    headers = [("Content-Type", content_type)]
    if gzipped:
        headers += [("Content-Encoding", "gzip"), ("Transfer-Encoding", "chunked")]
    return writer.create_warc_record(
        url,
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"),
        warc_headers_dict={"WARC-Date": "2025-01-20T06:30:00Z"},
    )


def test_import_warc_reads_another_crawlers_pages(tmp_path: Path) -> None:
    warc = tmp_path / "wget.warc.gz"
    foreign_warc(warc)
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    command("import-warc", str(warc), "--db", db, cwd=tmp_path)

    with Archive.open(db) as archive:
        [article] = archive.iter_articles()
        [page] = archive.iter_captures()
        run = archive.runs(limit=1)[0]
    release = generate_releases(1)[0]
    assert article["url"] == ISPR_URL.format(id=7045) and article["site"] == "ispr"
    assert article["first_seen_at"] == FETCHED
    assert article["extras"]["release_id"] == 7045
    assert release.paragraphs[0] in article["body"]
    assert page["body"] == release_page(release).encode("utf-8")
    assert not any(name.lower() == "content-encoding" for name, _ in page["headers"])
    stats = run["stats"]
    assert stats["newscrawler/warc/skipped/request"] == 1
    assert stats["newscrawler/warc/skipped/status_404"] == 1
    assert stats["newscrawler/warc/skipped/not_html"] == 1


def test_a_file_that_is_not_a_warc_fails_the_import_and_says_so(tmp_path: Path) -> None:
    bad = tmp_path / "notes.warc.gz"
    bad.write_bytes(b"this is not a WARC file\n")
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"

    result = newscrawler_command("import-warc", str(bad), "--db", db, cwd=tmp_path)
    missing = newscrawler_command("import-warc", str(tmp_path / "none.warc"), cwd=tmp_path)

    assert result.returncode == ExitCode.FAILED
    assert f"Cannot read the WARC file {bad}" in result.stderr
    assert missing.returncode == ExitCode.CONFIG and "no such WARC file" in missing.stderr


def test_scrape_reads_a_saved_page_under_its_url(tmp_path: Path) -> None:
    release = generate_releases(1)[0]
    saved = tmp_path / "page.html"
    saved.write_text(release_page(release), encoding="utf-8")
    db = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    url = ISPR_URL.format(id=7045)

    command("scrape", saved.as_uri(), "--url", url, "--db", db, cwd=tmp_path)
    without_url = newscrawler_command("scrape", saved.as_uri(), "--db", db, cwd=tmp_path)

    with Archive.open(db) as archive:
        [article] = archive.iter_articles()
        [page] = archive.iter_captures()
    assert article["url"] == url and article["site"] == "ispr"
    assert article["title"] and release.paragraphs[0] in article["body"]
    assert page["url"] == url and page["body"] == saved.read_bytes()
    assert without_url.returncode == ExitCode.CONFIG and "--url" in without_url.stderr


def test_an_archive_copied_without_its_pages_folder_says_which_file_is_missing(
    tmp_path: Path,
) -> None:
    db = tmp_path / "archive.sqlite3"
    record = {"url": "https://ispr.example/a/1", "site": "ispr", "title": "T", "body": "B",
              "fetched_at": datetime(2026, 12, 1, tzinfo=UTC), "content_hash": "h",
              "capture": {"url": "https://ispr.example/a/1", "http_status": 200, "headers": [],
                          "fetched_at": datetime(2026, 12, 1, tzinfo=UTC),
                          "body": b"<html><p>B</p></html>"}}  # fmt: skip
    with Archive.open(f"sqlite:///{db}") as archive:
        archive.write_batch([record])  # type: ignore[list-item]
    (tmp_path / "archive.sqlite3.pages" / "pages-000001.zst").unlink()

    out = tmp_path / "out.warc.gz"
    result = newscrawler_command(
        "export", "--format", "warc", "-o", str(out), "--db", f"sqlite:///{db}"
    )

    assert result.returncode == ExitCode.CONFIG
    assert "archive.sqlite3.pages/pages-000001.zst is missing" in result.stderr
    assert "Traceback" not in result.stderr
