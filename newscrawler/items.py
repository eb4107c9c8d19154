"""The article item: what every spider yields and every pipeline reads through ItemAdapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING, Any

from itemadapter import ItemAdapter

if TYPE_CHECKING:
    from scrapy.http import Response


@dataclass
class ArticleItem:
    """One fetched article page.

    Pipelines touch it only through ``ItemAdapter``; spiders fill what the page gives and leave
    the rest at its default. ``body`` is display text with paragraphs separated by a blank line.
    """

    url: str
    site: str
    fetched_at: datetime
    http_status: int = 200
    language: str | None = None
    title: str | None = None
    body: str | None = None
    published_at: datetime | None = None
    modified_at: datetime | None = None
    authors: list[str] = field(default_factory=list)
    # Each image is {"url": str, "caption": str | None}.
    images: list[dict[str, Any]] = field(default_factory=list)
    # Other URLs that reached this article (redirect sources, pre-canonical forms).
    aliases: list[str] = field(default_factory=list)
    # Source-specific facts: press-release number, dateline, release date, wayback capture, ...
    extras: dict[str, Any] = field(default_factory=dict)
    # Passages of the text the page marks as written in another Arabic-script language than
    # Urdu (lang="ar", lang="fa"): the cleaning pipeline leaves their letters as they are.
    # Not archived.
    foreign_passages: list[str] = field(default_factory=list)
    # Facts about the text itself set by the cleaning pipeline (mojibake suspected, ...).
    text_flags: dict[str, Any] = field(default_factory=dict)
    # sha256 of the search form of title and body (newscrawler.hashing); set when left empty.
    content_hash: str | None = None
    # The search forms of title and body (newscrawler.hashing.fill_search_forms), made once by
    # the dedup pipeline for the content hash and handed on to the archive's search index.
    search_title: str | None = None
    search_body: str | None = None
    # Validators for conditional re-fetch (see fill_validators).
    etag: str | None = None
    last_modified: str | None = None
    # Story-cluster facts the dedup pipeline leaves for the archive (storage.records.DedupFacts):
    # cluster_id or cluster_seed, merge, signature and scheme.
    dedup: dict[str, Any] = field(default_factory=dict)
    # The extraction that read the fields (newscrawler.extract.extraction_version).
    extracted_with: str | None = None
    # The page as fetched (page_capture), for the archive's captures table.
    capture: dict[str, Any] | None = None
    # The stored capture the fields were read again from (newscrawler reprocess), else None.
    reprocessed_from: int | None = None


#: Item field -> the response header it keeps, for conditional re-fetches.
_VALIDATOR_HEADERS = {"etag": b"ETag", "last_modified": b"Last-Modified"}


def fill_validators(item: Any, response: Response) -> None:
    """Give an item the validators (``ETag``, ``Last-Modified``) of the response it came from,
    where it has none: the archive keeps them so that a re-fetch can ask whether the page
    changed."""
    adapter = ItemAdapter(item)
    for name, header in _VALIDATOR_HEADERS.items():
        value = response.headers.get(header)
        if value and name in adapter.field_names() and not adapter.get(name):
            adapter[name] = value.decode("latin-1")


#: Headers that describe the bytes on the wire, not the body kept (decoded, whole).
TRANSFER_HEADERS = frozenset({b"content-encoding", b"transfer-encoding", b"content-length"})


def page_capture(response: Response, fetched_at: datetime) -> dict[str, Any]:
    """The page an article is read from, as the archive keeps it (``captures``, a
    ``storage.records.CaptureRecord``): the URL that answered, status, headers and bytes."""
    return {
        "url": response.url,
        "fetched_at": fetched_at,
        "http_status": response.status,
        "headers": [
            (name.decode("latin-1"), value.decode("latin-1"))
            for name, values in response.headers.items()
            if name.lower() not in TRANSFER_HEADERS
            for value in values
        ],
        "body": response.body,
    }
