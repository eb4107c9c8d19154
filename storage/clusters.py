"""Story clusters and signatures in the archive.

Writing happens inside ``Archive.write_batch``'s transaction (the archive's one writer):
``record_clusters`` gives each new article its cluster from the facts the dedup pipeline put in
``record["dedup"]``, applies cluster merges, stores signatures and keeps the ``clusters`` rows
current. Reading is for the dedup (the index at start-up, texts of candidates, URL and text
lookups) and for readers (a story with its members, the list of stories).
"""

from __future__ import annotations

import base64
import re
from collections import defaultdict
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from itertools import islice
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Connection,
    Integer,
    String,
    bindparam,
    case,
    delete,
    func,
    insert,
    literal,
    select,
    union_all,
    update,
)

from storage.models import Article, ArticleAlias, ArticleSignature, Cluster

if TYPE_CHECKING:
    from storage.archive import Archive

#: A cluster the dedup names: an archived cluster id, or the URL of the article that started a
#: cluster not archived yet.
ClusterRef = int | str

#: Press-release numbers as ISPR prints them ("No PR-123/2025-ISPR", "PR 123 / 2025 - ISPR").
PR_NUMBER_RE = re.compile(r"PR[-\s]*(\d+)\s*/\s*(\d{4})", re.IGNORECASE)
#: Release dates are Pakistani dates.
RELEASE_ZONE = ZoneInfo("Asia/Karachi")

#: Columns of a story's member in ``story`` and ``export --siblings``.
MEMBER_COLUMNS = (
    Article.id,
    Article.url,
    Article.site,
    Article.language,
    Article.title,
    Article.published_at,
    Article.first_seen_at,
)


# -- writing ----------------------------------------------------------------------------------


def encode_signature(signature: bytes) -> str:
    """A signature as the item carries it (items stay JSON-serialisable for feed exports)."""
    return base64.b64encode(signature).decode("ascii")


@dataclass
class ClusterPlan:
    """The clusters of a batch's new articles, decided before they are inserted."""

    #: Clusters started by this batch -> the URLs of their members in it.
    started: dict[int, list[str]] = field(default_factory=dict)
    #: Archived clusters that new articles of this batch join.
    joined: set[int] = field(default_factory=set)


def assign_clusters(
    conn: Connection, records: Sequence[dict[str, Any]], existing: Collection[str]
) -> ClusterPlan:
    """Set ``cluster_id`` on each new record (its URL not in ``existing``) before the insert,
    from the facts the dedup left in ``record["dedup"]``: so no article row is written twice.

    A new story takes the next cluster id; the archive's write lock, held for the batch,
    keeps two writers from taking the same one.
    """
    plan = ClusterPlan()
    new = [record for record in records if record["url"] not in existing]
    if not new:
        return plan
    refs = _Refs(conn, [record.get("dedup") or {} for record in new])
    last = conn.execute(select(func.max(Cluster.id))).scalar() or 0
    for record in new:
        facts = record.get("dedup") or {}
        ref = facts.get("cluster_id", facts.get("cluster_seed"))
        cluster = refs.cluster(ref) if ref is not None else None
        if cluster is None:
            last += 1
            cluster = last
            plan.started[cluster] = []
        if cluster in plan.started:
            plan.started[cluster].append(record["url"])
        else:
            plan.joined.add(cluster)
        record["cluster_id"] = refs.by_url[record["url"]] = cluster
    return plan


class _Refs:
    """The clusters that a batch's facts name, looked up once: archived clusters by id, and
    articles (of this batch or archived) by URL."""

    def __init__(self, conn: Connection, facts: Sequence[Mapping[str, Any]]) -> None:
        named = [
            ref
            for f in facts
            for ref in (f.get("cluster_id"), f.get("cluster_seed"), *f.get("merge", ()))
            if ref is not None
        ]
        numbers = {ref for ref in named if isinstance(ref, int)}
        urls = {ref for ref in named if isinstance(ref, str)}
        self.clusters: set[int] = set()
        self.by_url: dict[str, int | None] = {}
        if numbers:
            found = conn.execute(select(Cluster.id).where(Cluster.id.in_(numbers)))
            self.clusters.update(found.scalars())
        if urls:
            seeds = select(Article.url, Article.cluster_id).where(Article.url.in_(urls))
            self.by_url.update((url, cluster) for url, cluster in conn.execute(seeds))

    def cluster(self, ref: ClusterRef) -> int | None:
        """The cluster ``ref`` names, or None when it is not archived (a lost write)."""
        if isinstance(ref, int):
            return ref if ref in self.clusters or ref in self.by_url.values() else None
        return self.by_url.get(ref)


def record_clusters(
    conn: Connection,
    records: Sequence[Mapping[str, Any]],
    ids: Mapping[str, int],
    plan: ClusterPlan,
    dialect_insert: Callable[[Any], Any],
) -> None:
    """After the insert: merges, signatures and the ``clusters`` rows of the batch's stories."""
    merged_into, merged_away = _merge(conn, records, ids)
    _store_signatures(conn, records, ids, dialect_insert)
    settled = merged_into | merged_away
    by_url = {record["url"]: record for record in records}
    alone = [
        by_url[urls[0]] for cluster, urls in plan.started.items()
        if len(urls) == 1 and cluster not in settled
    ]  # fmt: skip
    _insert_one_article_stories(conn, alone, ids)
    touched = {c for c, urls in plan.started.items() if len(urls) > 1} | plan.joined
    refresh_clusters(conn, (touched | merged_into) - merged_away, dialect_insert)


def _merge(
    conn: Connection, records: Sequence[Mapping[str, Any]], ids: Mapping[str, int]
) -> tuple[set[int], set[int]]:
    """Merges the dedup asked for: members of another start of a story join this one."""
    wanted = [
        (record, ref) for record in records for ref in (record.get("dedup") or {}).get("merge", ())
    ]
    if not wanted:
        return set(), set()
    refs = _Refs(conn, [record.get("dedup") or {} for record, _ in wanted])
    into_of = dict(
        conn.execute(
            select(Article.id, Article.cluster_id).where(
                Article.id.in_([ids[record["url"]] for record, _ in wanted])
            )
        ).all()
    )
    merged_into: set[int] = set()
    merged_away: set[int] = set()
    for record, ref in wanted:
        old, into = refs.cluster(ref), into_of.get(ids[record["url"]])
        if old is None or into is None or old == into or old in merged_away:
            continue
        conn.execute(update(Article).where(Article.cluster_id == old).values(cluster_id=into))
        conn.execute(delete(Cluster).where(Cluster.id == old))
        merged_into.add(into)
        merged_away.add(old)
    return merged_into - merged_away, merged_away


def _store_signatures(
    conn: Connection,
    records: Sequence[Mapping[str, Any]],
    ids: Mapping[str, int],
    dialect_insert: Callable[[Any], Any],
) -> None:
    rows = {
        ids[record["url"]]: {
            "article_id": ids[record["url"]],
            "scheme": facts["scheme"],
            "signature": base64.b64decode(facts["signature"]),
        }
        for record in records
        if (facts := record.get("dedup") or {}).get("signature")
    }
    if not rows:
        return
    stmt = dialect_insert(ArticleSignature)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[ArticleSignature.article_id],
            set_={"scheme": stmt.excluded.scheme, "signature": stmt.excluded.signature},
        ),
        list(rows.values()),
    )


def _insert_one_article_stories(
    conn: Connection, records: Sequence[Mapping[str, Any]], ids: Mapping[str, int]
) -> None:
    """The ``clusters`` rows of the one-article stories of these new articles, each made in
    SQL from its article row with the release key its record gives: most new articles start
    one, and a row each through Python would double the sink's cost."""
    if not records:
        return
    conn.execute(
        _one_article_story(conn.dialect.name),
        [
            {"article": ids[r["url"]], "key": release_key(r.get("extras"), r.get("published_at"))}
            for r in records
        ],
    )


@cache
def _one_article_story(dialect: str) -> Any:
    """INSERT of the story of one article (``:article``) with its release key (``:key``)."""
    array = func.jsonb_build_array if dialect == "postgresql" else func.json_array
    languages = case((Article.language.is_(None), array()), else_=array(Article.language))
    one = literal(1, Integer)
    row = select(
        Article.cluster_id,
        Article.id,
        one,
        one,
        array(Article.site),
        languages,
        Article.published_at,
        Article.published_at,
        Article.first_seen_at,
        Article.first_seen_at,
        bindparam("key", type_=String),
    ).where(Article.id == bindparam("article"))
    columns = (
        "id", "origin_article_id", "member_count", "site_count", "sites", "languages",
        "first_published_at", "last_published_at", "first_seen_at", "updated_at", "release_key",
    )  # fmt: skip
    return insert(Cluster).from_select(columns, row)


def refresh_clusters(
    conn: Connection, cluster_ids: set[int], dialect_insert: Callable[[Any], Any]
) -> None:
    """Recount the members, sites, dates, origin and release key of these clusters."""
    if not cluster_ids:
        return
    members: dict[int, list[Any]] = defaultdict(list)
    query = select(
        Article.cluster_id,
        Article.id,
        Article.site,
        Article.language,
        Article.published_at,
        Article.first_seen_at,
        Article.extras["pr_number"].as_string().label("pr_number"),
        Article.extras["release_date"].as_string().label("release_date"),
    ).where(Article.cluster_id.in_(cluster_ids))
    for row in conn.execute(query):
        members[row.cluster_id].append(row)
    rows = [_cluster_row(cluster, rows) for cluster, rows in members.items()]
    stmt = dialect_insert(Cluster)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[Cluster.id],
            set_={column: getattr(stmt.excluded, column) for column in rows[0] if column != "id"},
        ),
        rows,
    )


def _cluster_row(cluster: int, members: list[Any]) -> dict[str, Any]:
    origin = min(members, key=_origin_order)
    published = [m.published_at for m in members if m.published_at is not None]
    return {
        "id": cluster,
        "origin_article_id": origin.id,
        "member_count": len(members),
        "site_count": len({m.site for m in members}),
        "sites": sorted({m.site for m in members}),
        "languages": sorted({m.language for m in members if m.language}),
        "first_published_at": min(published, default=None),
        "last_published_at": max(published, default=None),
        "first_seen_at": min(m.first_seen_at for m in members),
        "updated_at": max(m.first_seen_at for m in members),
        "release_key": next(
            filter(None, (release_key(m._asdict(), m.published_at) for m in members)), None
        ),
    }


def _origin_order(member: Any) -> tuple[bool, datetime, datetime, int]:
    """Earliest published first; undated members after dated ones; then first seen, then id."""
    published = member.published_at
    return (published is None, published or member.first_seen_at, member.first_seen_at, member.id)


def release_key(extras: Mapping[str, Any] | None, published_at: datetime | None) -> str | None:
    """``PR-123/2025@2025-07-26``: the press-release number and date of an ISPR release, the
    same for its English and Urdu versions; None for an article without a PR number."""
    match = PR_NUMBER_RE.search(str((extras or {}).get("pr_number") or ""))
    if match is None:
        return None
    day = (extras or {}).get("release_date")
    if not day and published_at is not None:
        day = published_at.astimezone(RELEASE_ZONE).date().isoformat()
    return f"PR-{int(match[1])}/{match[2]}@{day or 'undated'}"


# -- reading for the dedup --------------------------------------------------------------------


@dataclass(frozen=True)
class KnownArticle:
    id: int
    url: str
    content_hash: str
    site: str


@dataclass(frozen=True)
class Lookup:
    """What the archive knows of one crawled article, in one round trip."""

    #: The archived articles at each of the article's URL forms (canonical URL or alias).
    by_url: dict[str, KnownArticle]
    #: Archived articles with the same content hash, on any site.
    same_text: list[KnownArticle]

    def known(self, forms: Sequence[str]) -> KnownArticle | None:
        """The article at the first of ``forms`` the archive knows."""
        return next((self.by_url[form] for form in forms if form in self.by_url), None)

    def same_text_url(self, site: str) -> str | None:
        """The URL of an article of ``site`` with the same text, the earliest archived."""
        mine = [article for article in self.same_text if article.site == site]
        return min(mine, key=lambda article: article.id).url if mine else None


_ARTICLE = (Article.id, Article.url, Article.content_hash, Article.site)
#: The lookup, built once: it runs for every crawled article. Same-text rows are found by the
#: content hash alone (its index); their sites are checked in Python, as a planner without
#: statistics would rather scan the site index.
_LOOKUP = union_all(
    select(Article.url.label("form"), *_ARTICLE).where(
        Article.url.in_(bindparam("forms", expanding=True))
    ),
    select(ArticleAlias.url.label("form"), *_ARTICLE)
    .join(Article, Article.id == ArticleAlias.article_id)
    .where(ArticleAlias.url.in_(bindparam("forms", expanding=True))),
    select(literal(None, String).label("form"), *_ARTICLE).where(
        Article.content_hash == bindparam("hash")
    ),
)


def lookup(archive: Archive, forms: Sequence[str], content_hash: str) -> Lookup:
    """The archived articles at these URL forms (canonical or alias) and with this text."""
    by_url: dict[str, KnownArticle] = {}
    same_text: list[KnownArticle] = []
    with archive.engine.connect() as conn:
        for row in conn.execute(_LOOKUP, {"forms": list(forms), "hash": content_hash}):
            article = KnownArticle(row.id, row.url, row.content_hash, row.site)
            if row.form is None:
                same_text.append(article)
            else:
                by_url.setdefault(row.form, article)
    return Lookup(by_url, same_text)


def iter_signatures(
    archive: Archive, scheme: str, *, after: int = 0, chunk: int = 10_000
) -> Iterator[Any]:
    """``(article_id, url, cluster_id, signature)`` of the articles signed with ``scheme``
    whose id is above ``after``, in id order."""
    query = (
        select(
            ArticleSignature.article_id, Article.url, Article.cluster_id, ArticleSignature.signature
        )
        .join(Article, Article.id == ArticleSignature.article_id)
        .where(ArticleSignature.scheme == scheme, ArticleSignature.article_id > after)
        .order_by(ArticleSignature.article_id)
    )
    with archive.engine.connect() as conn:
        yield from conn.execution_options(yield_per=chunk).execute(query)


def count_other_schemes(archive: Archive, scheme: str) -> int:
    query = select(func.count()).where(ArticleSignature.scheme != scheme)
    with archive.engine.connect() as conn:
        return int(conn.execute(query).scalar_one())


_TEXTS_BY_ID = select(Article.id, Article.title, Article.body).where(
    Article.id.in_(bindparam("refs", expanding=True))
)
_TEXTS_BY_URL = select(Article.url, Article.title, Article.body).where(
    Article.url.in_(bindparam("refs", expanding=True))
)


def texts(archive: Archive, refs: Sequence[int | str]) -> dict[int | str, tuple[str, str]]:
    """``(title, body)`` of archived articles by id or by URL."""
    numbers = [ref for ref in refs if isinstance(ref, int)]
    urls = [ref for ref in refs if isinstance(ref, str)]
    found: dict[int | str, tuple[str, str]] = {}
    with archive.engine.connect() as conn:
        for query, wanted in ((_TEXTS_BY_ID, numbers), (_TEXTS_BY_URL, urls)):
            if wanted:
                rows = conn.execute(query, {"refs": wanted})
                found.update((ref, (title or "", body or "")) for ref, title, body in rows)
    return found


# -- reading for readers ----------------------------------------------------------------------


def article_with_siblings(archive: Archive, url: str) -> dict[str, Any] | None:
    """The article at ``url`` (or an alias), its ``cluster`` row, its ``siblings`` (the other
    members of its story, earliest published first) and the ``versions`` of its release in
    the other language (``clusters`` rows with the same release key)."""
    article = archive.get_article(url)
    if article is None:
        return None
    cluster_id: int | None = article.get("cluster_id")
    if cluster_id is None:
        return {**article, "cluster": None, "siblings": [], "versions": []}
    members = siblings(archive, [cluster_id]).get(cluster_id, [])
    article["cluster"] = stories_by_id(archive, [cluster_id]).get(cluster_id)
    article["siblings"] = [member for member in members if member["id"] != article["id"]]
    article["versions"] = release_versions(archive, cluster_id)
    return article


def siblings(
    archive: Archive, cluster_ids: Sequence[int | None]
) -> dict[int, list[dict[str, Any]]]:
    """The members of each cluster, earliest published first."""
    wanted = {c for c in cluster_ids if c is not None}
    found: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not wanted:
        return found
    query = (
        select(Article.cluster_id, *MEMBER_COLUMNS)
        .where(Article.cluster_id.in_(wanted))
        .order_by(
            Article.published_at.is_(None), Article.published_at, Article.first_seen_at, Article.id
        )
    )
    with archive.engine.connect() as conn:
        for row in conn.execute(query).mappings():
            member = dict(row)
            found[member.pop("cluster_id")].append(member)
    return found


def stories_by_id(archive: Archive, cluster_ids: Sequence[int]) -> dict[int, dict[str, Any]]:
    query = select(Cluster.__table__).where(Cluster.id.in_(cluster_ids))
    with archive.engine.connect() as conn:
        return {row["id"]: dict(row) for row in conn.execute(query).mappings()}


def iter_stories(
    archive: Archive,
    *,
    since: datetime | None = None,
    min_members: int = 1,
    chunk_size: int = 500,
) -> Iterator[dict[str, Any]]:
    """Stories (``clusters`` rows, with ``origin_url`` and ``origin_title``) newest first;
    ``since`` keeps those published or given a new copy since then, ``min_members`` those
    carried by that many articles at least."""
    query = (
        select(
            Cluster.__table__, Article.url.label("origin_url"), Article.title.label("origin_title")
        )
        .join(Article, Article.id == Cluster.origin_article_id, isouter=True)
        .order_by(
            func.coalesce(Cluster.first_published_at, Cluster.first_seen_at).desc(),
            Cluster.id.desc(),
        )
    )
    if since is not None:
        query = query.where(
            (func.coalesce(Cluster.last_published_at, Cluster.first_seen_at) >= since)
            | (Cluster.updated_at >= since)
        )
    if min_members > 1:
        query = query.where(Cluster.member_count >= min_members)
    with archive.engine.connect() as conn:
        result = conn.execution_options(yield_per=chunk_size).execute(query).mappings()
        for row in result:
            yield dict(row)


def with_siblings(
    archive: Archive, articles: Iterable[dict[str, Any]], *, chunk_size: int = 500
) -> Iterator[dict[str, Any]]:
    """``articles`` (rows of ``iter_articles``), each with its ``siblings``: the other members
    of its story, earliest published first."""
    rows = iter(articles)
    while chunk := list(islice(rows, chunk_size)):
        members = siblings(archive, [article.get("cluster_id") for article in chunk])
        for article in chunk:
            story = members.get(article.get("cluster_id") or 0, [])
            yield {**article, "siblings": [m for m in story if m["id"] != article["id"]]}


def release_versions(archive: Archive, cluster_id: int) -> list[dict[str, Any]]:
    """The other stories of the same press release (its English or Urdu version)."""
    key = select(Cluster.release_key).where(Cluster.id == cluster_id).scalar_subquery()
    query = select(Cluster.__table__).where(Cluster.release_key == key, Cluster.id != cluster_id)
    with archive.engine.connect() as conn:
        return [dict(row) for row in conn.execute(query.order_by(Cluster.id)).mappings()]
