"""What the archive is given to write: an article record and the dedup facts it carries."""

from __future__ import annotations

import base64
from datetime import datetime
from typing import Any, Required, TypedDict

#: A story the dedup facts name: an archived cluster id, or the URL of the article that started
#: a story not archived yet.
StoryRef = int | str


class DedupFacts(TypedDict, total=False):
    """The dedup's decision for one article, stored by ``Archive.write_batch`` with it."""

    #: The archived story the article joins ...
    cluster_id: int
    #: ... or the URL of the article (this one, or one of this run) that started its story.
    cluster_seed: str
    #: The archived article (id, or URL of this run) it reads most like: when the story it
    #: joins has been merged away since it was decided, it joins that article's story.
    member: StoryRef
    #: Other stories the article matched as well: they are merged into its own.
    merge: list[StoryRef]
    #: The highest archived article id the deciding index held: the writer compares the
    #: article again with those archived after it by other processes.
    index_mark: int
    #: The article's MinHash signature (``encode_signature``) and the scheme that made it.
    signature: str
    scheme: str


class PageRecord(TypedDict):
    """A page as fetched: what ``storage.captures.pack_page`` packs."""

    url: str
    fetched_at: datetime
    http_status: int
    headers: list[tuple[str, str]]
    #: The page's bytes, uncompressed.
    body: bytes


class CaptureRecord(TypedDict):
    """A page as fetched, packed for ``captures`` (``storage.captures.pack_page``)."""

    #: The URL that answered, after redirects.
    url: str
    fetched_at: datetime
    http_status: int
    #: ``(name, value)`` pairs in the order received.
    headers: list[tuple[str, str]]
    #: sha256 (hex) of the page's bytes, and how many there are.
    sha256: str
    size: int
    #: How ``body`` is compressed, and the compressed bytes.
    compression: str
    body: bytes


class ArticleRecord(TypedDict, total=False):
    """One article for ``Archive.write_batch``: an article item's fields. Stored by canonical
    URL; the columns are described in docs/schema.md."""

    url: Required[str]
    site: Required[str]
    #: When the page was fetched: first/last seen and changed times come from it.
    fetched_at: Required[datetime]
    content_hash: Required[str]
    http_status: int
    language: str | None
    title: str | None
    body: str | None
    published_at: datetime | None
    modified_at: datetime | None
    authors: list[str]
    images: list[dict[str, Any]]
    #: Other URLs of the article, kept in ``article_aliases``.
    aliases: list[str]
    extras: dict[str, Any]
    text_flags: dict[str, Any]
    etag: str | None
    last_modified: str | None
    #: The key its story shares with the other language's version of the same press release
    #: (``clusters.release_key``), or None.
    release_key: str | None
    dedup: DedupFacts
    #: Set by the archive: the story the article was given.
    cluster_id: int
    #: The search forms of the title and body (``newscrawler.text.search_form``), which the
    #: full-text index holds; an article written without them is not found by a search until
    #: a record with them is written.
    search_title: str
    search_body: str
    #: The extraction that read the fields (``articles.extracted_with``).
    extracted_with: str | None
    #: The page the fields were read from, to keep in ``captures``: packed, or as fetched (a
    #: ``PageRecord``, packed by the archive).
    capture: CaptureRecord | PageRecord | None
    #: Set when the fields were read again from the stored capture with this id (``reprocess``):
    #: the article is updated in place, with no revision and no new ``changed_at``.
    reprocessed_from: int | None


def encode_signature(signature: bytes) -> str:
    """A signature as the facts carry it (items stay JSON-serialisable for feed exports)."""
    return base64.b64encode(signature).decode("ascii")


def decode_signature(signature: str) -> bytes:
    return base64.b64decode(signature)


class DiscoveredPageRecord(TypedDict):
    """A page discovery found that is not an article (``discovered_pages``, docs/schema.md)."""

    url: str
    kind: str
    role: str
    http_status: int
    via: str | None
    depth: int
    page_number: int
    etag: str | None
    last_modified: str | None
    content_hash: str | None
    article_links: int
    checked_at: datetime
