"""Decoding pages right: the HTTP charset is honoured unless the page's bytes prove it wrong.

The common lie is a server default (``iso-8859-1``/``windows-1252``) in the Content-Type
header of a page that is really UTF-8 (Urdu then reads ``Ø§Ø±Ø¯Ùˆ``) or windows-1256, while
the page's own ``<meta charset>`` or byte-order mark tells the truth. Every response passes
through :func:`decoded_response` (the decoding downloader middleware) before a spider reads it.
"""

from __future__ import annotations

import logging
import re
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
#: Crawl-stats key counting byte sequences of UTF-8 pages that were not UTF-8 (each became U+FFFD).
REPLACED_STAT = "newscrawler/encoding/replaced"
#: Encodings servers send by default, whatever the page is: weak evidence.
_SERVER_DEFAULTS = frozenset({"cp1252", "latin-1", "iso8859-1", "iso8859-15", "ascii"})
#: Share of non-ASCII letters that must be Arabic-script before an undeclared, non-UTF-8
#: page is read as windows-1256.
_ARABIC_SHARE = 0.8
#: A page whose non-ASCII text is UTF-8 but for at most this share of broken sequences (a stray
#: byte, a last character cut off) is UTF-8 with those sequences replaced: no single-byte
#: charset would read so much of it as valid UTF-8.
_BROKEN_UTF8_SHARE = 0.01
_REPLACEMENT = "\ufffd"
_BROKEN_RUN = re.compile(f"{_REPLACEMENT}+")
_R = TypeVar("_R", bound=Response)


@dataclass(frozen=True)
class EncodingDecision:
    """The encoding to decode a page with, and why."""

    encoding: str
    #: What decided: ``bom``, ``header``, ``meta``, ``utf-8 bytes``, ``arabic bytes``, ``default``.
    source: str
    #: The encoding the header (or, with no header, the page) claimed, when it was overruled.
    overruled: str | None = None
    #: Byte sequences that were not valid in ``encoding`` and read as U+FFFD.
    replaced: int = 0

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
    * bytes that are UTF-8 but for a stray byte or a cut last character (at most
      ``_BROKEN_UTF8_SHARE`` of the non-ASCII text) are UTF-8 with those bytes replaced, when
      UTF-8 or a server default is claimed, or nothing;
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
    nearly = None if utf8 else _nearly_utf8(body, claimed, source)
    if nearly:
        return nearly
    trusted_meta = meta if meta and meta != claimed and _decodes(body, meta) else None
    if trusted_meta and (claimed in _SERVER_DEFAULTS or (claimed == "utf-8" and not utf8)):
        return EncodingDecision(trusted_meta, "meta", overruled=claimed)
    if claimed == "utf-8" and not utf8 and _looks_arabic_cp1256(body):
        return EncodingDecision("cp1256", "arabic bytes", overruled=claimed)
    return EncodingDecision(claimed, source)


def _undeclared(body: bytes) -> EncodingDecision:
    if _decodes(body, "utf-8"):
        return EncodingDecision("utf-8", "default")
    nearly = _nearly_utf8(body, None, "utf-8 bytes")
    if nearly:
        return nearly
    if _looks_arabic_cp1256(body):
        return EncodingDecision("cp1256", "arabic bytes")
    return EncodingDecision("cp1252", "default")


def _nearly_utf8(body: bytes, claimed: str | None, source: str) -> EncodingDecision | None:
    """UTF-8 with its few broken sequences replaced, where nothing, UTF-8 or a server default
    is claimed; None when the bytes are not that close to UTF-8."""
    if claimed not in (None, "utf-8", *_SERVER_DEFAULTS):
        return None
    broken = _broken_utf8(body)
    if not broken:
        return None
    if claimed in (None, "utf-8"):
        return EncodingDecision("utf-8", source, replaced=broken)
    return EncodingDecision("utf-8", "utf-8 bytes", overruled=claimed, replaced=broken)


def _broken_utf8(body: bytes) -> int:
    """How many U+FFFD reading ``body`` as UTF-8 makes, when the rest of its non-ASCII text is
    UTF-8 (broken places at most ``_BROKEN_UTF8_SHARE`` of it); else 0: the page is not UTF-8.
    A stray byte inside a character breaks it into several U+FFFD: one broken place."""
    text = body.decode("utf-8", errors="replace")
    replaced = text.count(_REPLACEMENT) - body.count(_REPLACEMENT.encode())
    places = len(_BROKEN_RUN.findall(text)) - body.count(_REPLACEMENT.encode())
    non_ascii = sum(1 for char in text if ord(char) > 127) - replaced
    return replaced if 0 < places <= non_ascii * _BROKEN_UTF8_SHARE else 0


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
    if decision.replaced:
        logger.warning(
            "Decoded %s as %s with %d invalid byte sequence(s) replaced by U+FFFD",
            response.url,
            decision.encoding,
            decision.replaced,
        )
        if stats is not None:
            stats.inc_value(REPLACED_STAT, decision.replaced)
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
