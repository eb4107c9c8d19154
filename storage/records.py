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


def encode_signature(signature: bytes) -> str:
    """A signature as the facts carry it (items stay JSON-serialisable for feed exports)."""
    return base64.b64encode(signature).decode("ascii")


def decode_signature(signature: str) -> bytes:
    return base64.b64decode(signature)
