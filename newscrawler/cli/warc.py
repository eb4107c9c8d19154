"""WARC files: ``export --format warc`` writes the archive's stored pages as WARC/1.1
``response`` records (each followed by a ``metadata`` record naming its article), and
``import-warc`` reads another crawler's WARC files into the archive (the ``import_warc``
spider)."""

from __future__ import annotations

import argparse
import io
from collections.abc import Iterable, Mapping
from datetime import UTC, datetime
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawler.cli.common import add_command
from newscrawler.items import TRANSFER_HEADERS
from newscrawler.marks import WARC_SITE_FIELD

WARC_VERSION = "WARC/1.1"
#: The ``metadata`` fields written after each response besides the site (read back by
#: ``import-warc``).
ARTICLE_FIELD = "newscrawler-article-url"
EXTRACTED_WITH_FIELD = "newscrawler-extracted-with"


def write_warc(pages: Iterable[Mapping[str, Any]], out: IO[bytes], *, filename: str) -> int:
    """Write ``pages`` (rows of ``Archive.iter_captures``) to ``out`` as a gzipped WARC/1.1
    file; how many pages."""
    writer = WARCWriter(out, gzip=True, warc_version=WARC_VERSION)
    info = {"software": "newscrawler", "format": "WARC File Format 1.1"}
    writer.write_record(writer.create_warcinfo_record(filename, info))
    count = 0
    for page in pages:
        response = _response_record(writer, page)
        writer.write_record(response)
        writer.write_record(_metadata_record(writer, page, response))
        count += 1
    return count


def _response_record(writer: WARCWriter, page: Mapping[str, Any]) -> Any:
    body: bytes = page["body"]
    headers = [
        (name, value)
        for name, value in page["headers"]
        if name.lower().encode("latin-1") not in TRANSFER_HEADERS
    ]
    headers.append(("Content-Length", str(len(body))))
    status = int(page["http_status"])
    http = StatusAndHeaders(f"{status} {_reason(status)}", headers, protocol="HTTP/1.1")
    return writer.create_warc_record(
        page["url"],
        "response",
        payload=io.BytesIO(body),
        length=len(body),
        http_headers=http,
        warc_headers_dict={"WARC-Date": _warc_date(page["fetched_at"])},
    )


def _metadata_record(writer: WARCWriter, page: Mapping[str, Any], response: Any) -> Any:
    fields = {
        WARC_SITE_FIELD: page["site"],
        ARTICLE_FIELD: page["article_url"],
        EXTRACTED_WITH_FIELD: page["extracted_with"] or "",
    }
    text = "".join(f"{name}: {value}\r\n" for name, value in fields.items())
    return writer.create_warc_record(
        page["url"],
        "metadata",
        payload=io.BytesIO(text.encode("utf-8")),
        warc_content_type="application/warc-fields",
        warc_headers_dict={
            "WARC-Date": _warc_date(page["fetched_at"]),
            "WARC-Concurrent-To": response.rec_headers.get_header("WARC-Record-ID"),
        },
    )


def _reason(status: int) -> str:
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _warc_date(moment: datetime) -> str:
    """WARC/1.1 dates: UTC, down to the microsecond."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def add_import_warc_parser(commands: Any) -> argparse.ArgumentParser:
    parser = add_command(
        commands,
        "import-warc",
        "archive the article pages of WARC files (no network)",
        "Each response record with status 200 and an HTML page goes through "
        "extraction and the item pipelines, as fetched at its WARC-Date, and is kept in the "
        "archive's captures. Other records are counted and passed over.",
    )
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE")
    parser.add_argument(
        "--profile",
        help="read every page with this profile (a name or a PATH.toml); default: the site "
        "a newscrawler export names, else the profile of the page's host, else auto mode",
    )
    return parser


def import_arguments(args: argparse.Namespace) -> dict[str, Any]:
    """The ``import_warc`` spider's arguments; each file must exist."""
    missing = [str(path) for path in args.files if not path.is_file()]
    if missing:
        raise FileNotFoundError(f"no such WARC file: {', '.join(missing)}")
    return {"files": [str(path) for path in args.files], "profile": args.profile}
