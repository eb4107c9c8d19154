"""Writing story clusters and signatures, inside ``Archive.write_batch``'s transaction (the
archive's one writer): ``assign_clusters`` gives each new article its cluster from the facts the
dedup put in ``record["dedup"]``; ``record_clusters`` applies cluster merges, stores signatures
and keeps the ``clusters`` rows current. Readers are on ``Archive`` and ``Archive.stories``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache
from typing import Any, NamedTuple

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
    update,
)

from storage.models import Article, ArticleSignature, Cluster
from storage.records import ArticleRecord, DedupFacts, StoryRef, decode_signature


@dataclass
class ClusterPlan:
    """The clusters of a batch's new articles, decided before they are inserted."""

    #: Clusters started by this batch -> the URLs of their members in it.
    started: dict[int, list[str]] = field(default_factory=dict)
    #: Archived clusters that new articles of this batch join.
    joined: set[int] = field(default_factory=set)


def assign_clusters(
    conn: Connection, records: Sequence[ArticleRecord], existing: Collection[str]
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
    refs = _Refs(conn, [_facts(record) for record in new])
    last = conn.execute(select(func.max(Cluster.id))).scalar() or 0
    for record in new:
        facts = _facts(record)
        ref = facts.get("cluster_id", facts.get("cluster_seed"))
        cluster = refs.cluster(ref) if ref is not None else None
        if cluster is None and "member" in facts:
            cluster = refs.member(facts["member"])
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
    articles (of this batch or archived) by URL, and the stories of the members they name."""

    def __init__(self, conn: Connection, facts: Sequence[DedupFacts]) -> None:
        named = [
            ref
            for f in facts
            for ref in (f.get("cluster_id"), f.get("cluster_seed"), *f.get("merge", ()))
            if ref is not None
        ]
        members = [f["member"] for f in facts if "member" in f]
        numbers = {ref for ref in named if isinstance(ref, int)}
        urls = {ref for ref in (*named, *members) if isinstance(ref, str)}
        member_ids = {ref for ref in members if isinstance(ref, int)}
        self.clusters: set[int] = set()
        self.by_url: dict[str, int | None] = {}
        self.by_id: dict[int, int | None] = {}
        if numbers:
            found = conn.execute(select(Cluster.id).where(Cluster.id.in_(numbers)))
            self.clusters.update(found.scalars())
        if member_ids:
            stories = select(Article.id, Article.cluster_id).where(Article.id.in_(member_ids))
            self.by_id.update((article, cluster) for article, cluster in conn.execute(stories))
        if urls:
            seeds = select(Article.url, Article.cluster_id).where(Article.url.in_(urls))
            self.by_url.update((url, cluster) for url, cluster in conn.execute(seeds))

    def cluster(self, ref: StoryRef) -> int | None:
        """The cluster ``ref`` names, or None when it is not archived (a lost write)."""
        if isinstance(ref, int):
            return ref if ref in self.clusters or ref in self.by_url.values() else None
        return self.by_url.get(ref)

    def member(self, ref: StoryRef) -> int | None:
        """The story the article ``ref`` (an id, or a URL) is in now."""
        return self.by_id.get(ref) if isinstance(ref, int) else self.by_url.get(ref)


#: Articles read per query by ``signed_since``: below every backend's limit of parameters.
SIGNED_CHUNK = 5000


class SignedArticle(NamedTuple):
    """An archived article as the dedup compares it: its story, signature and text."""

    id: int
    cluster_id: int | None
    signature: bytes
    title: str
    body: str


def signed_since(
    conn: Connection, scheme: str, after: int, *, exclude: Collection[int] = ()
) -> list[SignedArticle]:
    """The articles above id ``after`` signed with ``scheme``, but those in ``exclude``: what
    was archived since a dedup index was loaded, read inside the writer's transaction."""
    signed = select(ArticleSignature.article_id).where(
        ArticleSignature.scheme == scheme, ArticleSignature.article_id > after
    )
    wanted = [article for article in conn.execute(signed).scalars() if article not in exclude]
    found = []
    for start in range(0, len(wanted), SIGNED_CHUNK):
        rows = conn.execute(
            select(Article.id, Article.cluster_id, ArticleSignature.signature, Article.title,
                   Article.body)
            .join(ArticleSignature, ArticleSignature.article_id == Article.id)
            .where(Article.id.in_(wanted[start : start + SIGNED_CHUNK]))
            .order_by(Article.id)
        )  # fmt: skip
        found += [
            SignedArticle(row.id, row.cluster_id, row.signature, row.title or "", row.body or "")
            for row in rows
        ]
    return found


def record_clusters(
    conn: Connection,
    records: Sequence[ArticleRecord],
    ids: Mapping[str, int],
    plan: ClusterPlan,
    dialect_insert: Callable[[Any], Any],
) -> None:
    """After the insert: merges, signatures and the ``clusters`` rows of the batch's stories."""
    merged_into, merged_away, inherited = _merge(conn, records, ids)
    _store_signatures(conn, records, ids, dialect_insert)
    settled = merged_into | merged_away
    by_url = {record["url"]: record for record in records}
    alone = [
        by_url[urls[0]] for cluster, urls in plan.started.items()
        if len(urls) == 1 and cluster not in settled
    ]  # fmt: skip
    _insert_one_article_stories(conn, alone, ids)
    touched = {c for c, urls in plan.started.items() if len(urls) > 1} | plan.joined
    keys = {ids[r["url"]]: key for r in records if (key := r.get("release_key"))}
    refreshed = (touched | merged_into) - merged_away
    refresh_clusters(conn, refreshed, dialect_insert, keys=keys, inherited=inherited)


def _merge(
    conn: Connection, records: Sequence[ArticleRecord], ids: Mapping[str, int]
) -> tuple[set[int], set[int], dict[int, str]]:
    """Merges the dedup asked for: members of another start of a story join this one. Also
    returns the release keys the merged-away stories had, by the story they joined."""
    wanted = [(record, ref) for record in records for ref in _facts(record).get("merge", ())]
    if not wanted:
        return set(), set(), {}
    refs = _Refs(conn, [_facts(record) for record, _ in wanted])
    into_of = dict(
        conn.execute(
            select(Article.id, Article.cluster_id).where(
                Article.id.in_([ids[record["url"]] for record, _ in wanted])
            )
        ).all()
    )
    merged_into: set[int] = set()
    merged_away: set[int] = set()
    inherited: dict[int, str] = {}
    for record, ref in wanted:
        old, into = refs.cluster(ref), into_of.get(ids[record["url"]])
        if old is None or into is None or old == into or old in merged_away:
            continue
        conn.execute(update(Article).where(Article.cluster_id == old).values(cluster_id=into))
        key = conn.execute(select(Cluster.release_key).where(Cluster.id == old)).scalar()
        if key := key or inherited.get(old):
            inherited.setdefault(into, key)
        conn.execute(delete(Cluster).where(Cluster.id == old))
        merged_into.add(into)
        merged_away.add(old)
    return merged_into - merged_away, merged_away, inherited


def _store_signatures(
    conn: Connection,
    records: Sequence[ArticleRecord],
    ids: Mapping[str, int],
    dialect_insert: Callable[[Any], Any],
) -> None:
    rows = {
        ids[record["url"]]: {
            "article_id": ids[record["url"]],
            "scheme": facts["scheme"],
            "signature": decode_signature(facts["signature"]),
        }
        for record in records
        if "signature" in (facts := _facts(record)) and facts["signature"]
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
    conn: Connection, records: Sequence[ArticleRecord], ids: Mapping[str, int]
) -> None:
    """The ``clusters`` rows of the one-article stories of these new articles, each made in
    SQL from its article row with the release key its record gives: most new articles start
    one, and a row each through Python would double the sink's cost."""
    if not records:
        return
    conn.execute(
        _one_article_story(conn.dialect.name),
        [{"article": ids[r["url"]], "key": r.get("release_key")} for r in records],
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
    conn: Connection,
    cluster_ids: set[int],
    dialect_insert: Callable[[Any], Any],
    *,
    keys: Mapping[int, str],
    inherited: Mapping[int, str],
) -> None:
    """Recount the members, sites, dates and origin of these clusters. A story keeps its
    release key; one without takes a key it inherited in a merge, else the first of its
    members' in ``keys`` (the batch's articles' keys, by article id)."""
    if not cluster_ids:
        return
    members: dict[int, list[Any]] = defaultdict(list)
    query = (
        select(
            Article.cluster_id,
            Article.id,
            Article.site,
            Article.language,
            Article.published_at,
            Article.first_seen_at,
            Cluster.release_key,
        )
        .outerjoin(Cluster, Cluster.id == Article.cluster_id)
        .where(Article.cluster_id.in_(cluster_ids))
    )
    for row in conn.execute(query):
        members[row.cluster_id].append(row)
    rows = [
        _cluster_row(cluster, found, found[0].release_key or inherited.get(cluster), keys)
        for cluster, found in members.items()
    ]
    stmt = dialect_insert(Cluster)
    conn.execute(
        stmt.on_conflict_do_update(
            index_elements=[Cluster.id],
            set_={column: getattr(stmt.excluded, column) for column in rows[0] if column != "id"},
        ),
        rows,
    )


def _cluster_row(
    cluster: int, members: list[Any], key: str | None, keys: Mapping[int, str]
) -> dict[str, Any]:
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
        "release_key": key or next(filter(None, (keys.get(m.id) for m in members)), None),
    }


def _origin_order(member: Any) -> tuple[bool, datetime, datetime, int]:
    """Earliest published first; undated members after dated ones; then first seen, then id."""
    published = member.published_at
    return (published is None, published or member.first_seen_at, member.first_seen_at, member.id)


def _facts(record: ArticleRecord) -> DedupFacts:
    return record.get("dedup") or DedupFacts()


@dataclass
class Reclustered:
    """An archived article's story as a rebuild of the clusters decided it."""

    id: int
    url: str
    #: The archived story it joins, or the URL of the article of this batch (itself, for a
    #: story of its own) that starts its story.
    story: StoryRef
    #: A story of its own keeps this id (its old story, which no earlier article kept).
    keep: int | None = None
    #: Other stories it matched as well: they are merged into its own.
    merge: list[StoryRef] = field(default_factory=list)
    signature: bytes | None = None
    release_key: str | None = None


def reassign_clusters(
    conn: Connection,
    articles: Sequence[Reclustered],
    scheme: str,
    dialect_insert: Callable[[Any], Any],
) -> dict[str, int]:
    """Give archived articles the stories a rebuild decided, store their signatures, merge
    what it asked, and keep the ``clusters`` rows current (a story left with no member goes).
    Returns each article's story by URL."""
    if not articles:
        return {}
    ids = [article.id for article in articles]
    before = select(Article.cluster_id).where(Article.id.in_(ids))
    touched = {story for story in conn.execute(before).scalars() if story is not None}
    last = conn.execute(select(func.max(Cluster.id))).scalar() or 0
    given: dict[str, int] = {}
    for article in articles:
        if article.story == article.url:
            if article.keep is None:
                last += 1
            given[article.url] = last if article.keep is None else article.keep
        elif isinstance(article.story, int):
            given[article.url] = article.story
        else:
            given[article.url] = given[article.story]
    conn.execute(
        update(Article).where(Article.id == bindparam("article")).values(cluster_id=bindparam("c")),
        [{"article": a.id, "c": given[a.url]} for a in articles],
    )
    for article in articles:
        for ref in article.merge:
            old = ref if isinstance(ref, int) else given[ref]
            into = given[article.url]
            if old != into:
                conn.execute(
                    update(Article).where(Article.cluster_id == old).values(cluster_id=into)
                )
                for url, story in given.items():
                    if story == old:
                        given[url] = into
                touched.add(old)
    signed = [
        {"article_id": a.id, "scheme": scheme, "signature": a.signature}
        for a in articles
        if a.signature is not None
    ]
    if signed:
        stmt = dialect_insert(ArticleSignature)
        conn.execute(
            stmt.on_conflict_do_update(
                index_elements=[ArticleSignature.article_id],
                set_={"scheme": stmt.excluded.scheme, "signature": stmt.excluded.signature},
            ),
            signed,
        )
    stories = touched | set(given.values())
    members = select(Article.cluster_id).where(Article.cluster_id.in_(stories)).distinct()
    alive = {story for story in conn.execute(members).scalars() if story is not None}
    if stories - alive:
        conn.execute(delete(Cluster).where(Cluster.id.in_(stories - alive)))
    keys = {a.id: a.release_key for a in articles if a.release_key}
    refresh_clusters(conn, alive, dialect_insert, keys=keys, inherited={})
    return given
