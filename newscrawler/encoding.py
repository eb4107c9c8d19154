"""Decoding pages right: the HTTP charset is honoured unless the page's bytes prove it wrong.

The common lie is a server default (``iso-8859-1``/``windows-1252``) in the Content-Type
header of a page that is really UTF-8 (Urdu then reads ``Ø§Ø±Ø¯Ùˆ``) or windows-1256, while
the page's own ``<meta charset>`` or byte-order mark tells the truth. Every response passes
through :func:`decoded_response` (the decoding downloader middleware) before a spider reads it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import TypeVar

from scrapy.http import Response, TextResponse
from scrapy.statscollectors import StatsCollector
from w3lib.encoding import (
    html_body_declared_encoding,
    http_content_type_encoding,
    read_bom,
    resolve_encoding,
)

logger = logging.getLogger(__name__)

#: Crawl-stats key counting responses decoded with another encoding than Scrapy's choice.
REPAIRED_STAT = "newscrawler/encoding/repaired"
#: Encodings servers send by default, whatever the page is: weak evidence.
_SERVER_DEFAULTS = frozenset({"cp1252", "latin-1", "iso8859-1", "iso8859-15", "ascii"})
#: Share of non-ASCII letters that must be Arabic-script before an undeclared, non-UTF-8
#: page is read as windows-1256.
_ARABIC_SHARE = 0.8
_R = TypeVar("_R", bound=Response)


@dataclass(frozen=True)
class EncodingDecision:
    """The encoding to decode a page with, and why."""

    encoding: str
    #: What decided: ``bom``, ``header``, ``meta``, ``utf-8 bytes``, ``arabic bytes``, ``default``.
    source: str
    #: The encoding the header (or, with no header, the page) claimed, when it was overruled.
    overruled: str | None = None

    @property
    def repaired(self) -> bool:
        return self.overruled is not None


def choose_encoding(body: bytes, content_type: str | None) -> EncodingDecision:
    """The encoding of ``body`` served with ``content_type``: BOM, else the claimed charset
    (header, else ``<meta>``), unless the bytes contradict it:

    * bytes that are valid UTF-8 beyond ASCII are UTF-8, whatever single-byte charset is
      claimed (real windows-1252 or windows-1256 text is never valid UTF-8);
    * a server-default header charset yields to a different ``<meta>`` charset the bytes
      decode in (windows-1256 pages served as iso-8859-1);
    * a UTF-8 claim on bytes that are not UTF-8 yields to the ``<meta>`` charset, else to
      windows-1256 when the bytes read as Arabic script.
    """
    bom, _ = read_bom(body)
    if bom:
        return EncodingDecision(_resolve(bom) or "utf-8", "bom")
    header = _resolve(http_content_type_encoding(content_type or ""))
    meta = _resolve(html_body_declared_encoding(body))
    claimed, source = (header, "header") if header else (meta, "meta")
    if claimed is None:
        return _undeclared(body)
    if body.isascii():
        return EncodingDecision(claimed, source)  # every ASCII-based charset reads it alike
    utf8 = _decodes(body, "utf-8")
    if utf8 and claimed != "utf-8" and not claimed.startswith("utf-"):
        return EncodingDecision("utf-8", "utf-8 bytes", overruled=claimed)
    trusted_meta = meta if meta and meta != claimed and _decodes(body, meta) else None
    if trusted_meta and (claimed in _SERVER_DEFAULTS or (claimed == "utf-8" and not utf8)):
        return EncodingDecision(trusted_meta, "meta", overruled=claimed)
    if claimed == "utf-8" and not utf8 and _looks_arabic_cp1256(body):
        return EncodingDecision("cp1256", "arabic bytes", overruled=claimed)
    return EncodingDecision(claimed, source)


def _undeclared(body: bytes) -> EncodingDecision:
    if _decodes(body, "utf-8"):
        return EncodingDecision("utf-8", "default")
    if _looks_arabic_cp1256(body):
        return EncodingDecision("cp1256", "arabic bytes")
    return EncodingDecision("cp1252", "default")


def _resolve(name: str | None) -> str | None:
    if not name:
        return None
    resolved: str | None = resolve_encoding(name)
    return resolved


def _decodes(body: bytes, encoding: str) -> bool:
    try:
        body.decode(encoding)
    except (UnicodeDecodeError, LookupError):
        return False
    return True


def _looks_arabic_cp1256(body: bytes) -> bool:
    letters = [c for c in body.decode("cp1256", errors="replace") if ord(c) > 127 and c.isalpha()]
    arabic = sum(1 for c in letters if "\u0600" <= c <= "\u06ff")
    return bool(letters) and arabic / len(letters) >= _ARABIC_SHARE


def decoded_response(response: _R, stats: StatsCollector | None = None) -> _R:
    """``response`` decoded with the right encoding: itself when Scrapy's choice stands,
    else a copy with the encoding fixed (counted in ``stats`` and logged). Non-text
    responses come back unchanged."""
    if not isinstance(response, TextResponse):
        return response
    content_type = (response.headers.get("Content-Type") or b"").decode("latin-1")
    decision = choose_encoding(response.body, content_type)
    if _same_codec(decision.encoding, response.encoding):
        return response
    if decision.repaired:
        logger.info(
            "Encoding repaired for %s: %s said %s, decoded as %s (%s)",
            response.url,
            "the header" if content_type else "the page",
            decision.overruled,
            decision.encoding,
            decision.source,
        )
        if stats is not None:
            stats.inc_value(REPAIRED_STAT)
    repaired: _R = response.replace(encoding=decision.encoding)
    return repaired


def _same_codec(a: str, b: str) -> bool:
    return _resolve(a) == _resolve(b)
