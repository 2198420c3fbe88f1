"""A fresh PostgreSQL (or SQLite) database with a realistic data set, built in seconds with COPY.

Two accounts. The measured one has `scale` tasks and `scale` content items (with taxonomy terms,
images, a cluster map entry), spread over 2 sites x 3 sectors x 10 clusters; the other account gets a
tenth of that, so every query has rows of another tenant to skip. Small objects (accounts, users,
sites, tokens) go through the services; the big tables are written with COPY (ids assigned here,
sequences moved past them afterwards). On SQLite (the default set-up without a server) they are inserted
in batches through SQLAlchemy Core; the FTS5 triggers of migration 0004 fill the search tables as they go.
"""

from __future__ import annotations

import random
import time
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

import psycopg
from psycopg.types.json import Json
from sqlalchemy import Table

from bench.text import SEARCH_TERM, TOPICS, article_html, keywords_for, title_for

BENCH_EMAIL = "bench@example.com"
BENCH_PASSWORD = "bench-password-123"
OTHER_EMAIL = "bench-other@example.com"
SITES_PER_ACCOUNT, SECTORS_PER_SITE, CLUSTERS_PER_SECTOR = 2, 3, 10
CATEGORIES_PER_SITE, TAGS_PER_SITE = 20, 80
TASK_STATUSES = (("queued", 40), ("in_progress", 5), ("completed", 45), ("failed", 5), ("canceled", 5))
CONTENT_STATUSES = (("draft", 50), ("review", 20), ("published", 30))
STRUCTURES = ("article", "guide", "comparison", "review", "listicle")
BIG_TABLES = (
    "writer_tasks",
    "writer_content",
    "writer_content_taxonomy_relations",
    "writer_images",
    "writer_content_cluster_map",
    "writer_revisions",
    "writer_review_events",
)


@dataclass
class Seeded:
    """What the measurements need to know about the data set."""

    database_url: str
    scale: int
    account_id: int
    user_id: int
    api_token: str
    review_content_id: int
    search_term: str = SEARCH_TERM
    counts: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def database(self) -> str:
        return "SQLite" if self.database_url.startswith("sqlite") else "PostgreSQL"


def sqlalchemy_url(base_admin_url: str, name: str) -> str:
    base = base_admin_url.rsplit("/", 1)[0]
    return base.replace("postgresql://", "postgresql+psycopg://", 1) + f"/{name}"


@contextmanager
def fresh_database(admin_url: str, keep: bool = False) -> Iterator[str]:
    """CREATE a uniquely named database, yield its SQLAlchemy URL, DROP it afterwards unless `keep`."""
    name = f"writer_bench_{uuid.uuid4().hex[:10]}"
    with psycopg.connect(admin_url, autocommit=True, connect_timeout=5) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield sqlalchemy_url(admin_url, name)
    finally:
        if not keep:
            with psycopg.connect(admin_url, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def fresh_sqlite(keep: bool = False) -> Iterator[str]:
    """A new SQLite database file under the temp directory; removed afterwards unless `keep`."""
    import os
    import tempfile

    path = os.path.join(tempfile.gettempdir(), f"writer_bench_{uuid.uuid4().hex[:10]}.db")
    try:
        yield f"sqlite:///{path}"
    finally:
        if not keep:
            for suffix in ("", "-wal", "-shm"):
                if os.path.exists(path + suffix):
                    os.remove(path + suffix)


def _pick(rng: random.Random, weighted: tuple[tuple[str, int], ...]) -> str:
    values, weights = zip(*weighted, strict=True)
    return rng.choices(values, weights)[0]


def _defaults(table: Table) -> dict[str, Any]:
    """Python-side column defaults (scalars and callables such as utcnow, dict, list)."""
    values: dict[str, Any] = {}
    for column in table.columns:
        default = column.default
        if default is None or column.primary_key:
            continue
        if default.is_scalar:
            values[column.name] = default.arg
        elif default.is_callable:
            values[column.name] = default.arg(None)
    return values


def _cell(value: Any) -> Any:
    if isinstance(value, dict | list):
        return Json(value)
    if hasattr(value, "value") and isinstance(value.value, str):  # enums are stored by value
        return value.value
    return value


def copy_rows(conn: psycopg.Connection, table: Table, rows: Iterable[dict[str, Any]]) -> int:
    """COPY rows into `table`; missing columns get the model's Python-side defaults."""
    defaults = _defaults(table)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = [c.name for c in table.columns if c.name in first or c.name in defaults]
    count = 0
    with conn.cursor() as cur, cur.copy(f"COPY {table.name} ({', '.join(columns)}) FROM STDIN") as copy:
        for row in _chain_one(first, iterator):
            copy.write_row([_cell(row[c] if c in row else defaults[c]) for c in columns])
            count += 1
    return count


def insert_rows(conn: Any, table: Table, rows: Iterable[dict[str, Any]], batch: int = 2000) -> int:
    """The SQLite twin of copy_rows: batched executemany through SQLAlchemy Core (same defaults)."""
    defaults = _defaults(table)
    iterator = iter(rows)
    first = next(iterator, None)
    if first is None:
        return 0
    columns = [c.name for c in table.columns if c.name in first or c.name in defaults]
    count, chunk = 0, []
    for row in _chain_one(first, iterator):
        chunk.append({c: row[c] if c in row else defaults[c] for c in columns})
        if len(chunk) >= batch:
            conn.execute(table.insert(), chunk)
            count, chunk = count + len(chunk), []
    if chunk:
        conn.execute(table.insert(), chunk)
        count += len(chunk)
    return count


def _chain_one(first: dict[str, Any], rest: Iterator[dict[str, Any]]) -> Iterator[dict[str, Any]]:
    yield first
    yield from rest


def _reset_sequences(conn: psycopg.Connection, tables: Iterable[Table]) -> None:
    for table in tables:
        conn.execute(
            f"SELECT setval(pg_get_serial_sequence('{table.name}', 'id'), "
            f"COALESCE((SELECT max(id) FROM {table.name}), 1))"
        )


def _drop_indexes(conn: psycopg.Connection, tables: list[str]) -> list[str]:
    """Drop the secondary indexes of `tables`; returns their definitions to recreate after loading."""
    rows = conn.execute(
        "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.schemaname = 'public' "
        "AND i.tablename = ANY(%s) AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
        (tables,),
    ).fetchall()
    for name, _definition in rows:
        conn.execute(f'DROP INDEX "{name}"')
    return [definition for _name, definition in rows]


def _tenancy(name: str, email: str) -> dict[str, Any]:
    """Account, admin user, sites, sectors, clusters and terms through the services (few rows)."""
    from writer_app.models import Cluster, ContentTaxonomy, Role, Sector, Site, TaxonomyType, db
    from writer_app.services import credits
    from writer_app.services.identity import accounts
    from writer_app.services.scope import Scope

    user = accounts.create_user(email, BENCH_PASSWORD, name=f"{name} admin")
    account = accounts.create_account(name)
    accounts.add_membership(user, account, Role.ADMIN)
    user.current_account_id = account.id
    # Generation runs must never stop on credits; added as the command line does, on the ledger.
    credits.grant(Scope(account.id, Role.ADMIN), 1_000_000, "bench")
    sites, sectors, clusters, terms = [], [], [], []
    for s in range(SITES_PER_ACCOUNT):
        site = Site(account_id=account.id, name=f"{name} site {s + 1}", domain=f"site{s + 1}.example")
        db.session.add(site)
        db.session.flush()
        sites.append(site)
        for k in range(SECTORS_PER_SITE):
            sector = Sector(
                account_id=account.id, site_id=site.id, name=f"Sector {k + 1}", slug=f"sector-{k + 1}"
            )
            db.session.add(sector)
            db.session.flush()
            sectors.append(sector)
            for c in range(CLUSTERS_PER_SECTOR):
                cluster = Cluster(
                    account_id=account.id,
                    site_id=site.id,
                    sector_id=sector.id,
                    name=f"Cluster {k + 1}.{c + 1}",
                    keywords=f"topic {c}, theme {k}",
                )
                db.session.add(cluster)
                clusters.append(cluster)
        for kind, count in ((TaxonomyType.CATEGORY, CATEGORIES_PER_SITE), (TaxonomyType.TAG, TAGS_PER_SITE)):
            for t in range(count):
                term = ContentTaxonomy(
                    account_id=account.id,
                    site_id=site.id,
                    sector_id=None,
                    name=f"{kind.value.title()} {t + 1}",
                    slug=f"{kind.value}-{t + 1}",
                    taxonomy_type=kind,
                )
                db.session.add(term)
                terms.append(term)
    db.session.flush()
    return {"account": account, "user": user, "sectors": sectors, "clusters": clusters, "terms": terms}


def _task_rows(tenant: dict[str, Any], first_id: int, n: int, rng: random.Random, now: datetime):
    clusters = tenant["clusters"]
    account_id = tenant["account"].id
    for i in range(n):
        cluster = clusters[i % len(clusters)]
        created = now - timedelta(seconds=rng.randrange(365 * 86400))
        topic = rng.choice(TOPICS)
        yield {
            "id": first_id + i,
            "account_id": account_id,
            "site_id": cluster.site_id,
            "sector_id": cluster.sector_id,
            "cluster_id": cluster.id,
            "title": title_for(rng, topic),
            "description": "Brief for the writer: audience, angle and sources to cite.",
            "content_type": "post",
            "content_structure": rng.choice(STRUCTURES),
            "keywords": keywords_for(rng, topic),
            "word_count": rng.choice((800, 1000, 1500, 2000)),
            "status": _pick(rng, TASK_STATUSES),
            "created_at": created,
            "updated_at": created,
        }


def _content_rows(tenant: dict[str, Any], ids: dict[str, int], n: int, rng: random.Random, now: datetime):
    clusters = tenant["clusters"]
    account_id, user_id = tenant["account"].id, tenant["user"].id
    for i in range(n):
        cluster = clusters[i % len(clusters)]
        created = now - timedelta(seconds=rng.randrange(365 * 86400))
        html, words = article_html(rng)
        topic = rng.choice(TOPICS)
        title = title_for(rng, topic)
        status = _pick(rng, CONTENT_STATUSES)
        yield {
            "id": ids["content"] + i,
            "account_id": account_id,
            "site_id": cluster.site_id,
            "sector_id": cluster.sector_id,
            "cluster_id": cluster.id,
            "task_id": ids["task"] + i,
            "title": title,
            "html": html,
            "word_count": words,
            "meta_title": title[:60],
            "meta_description": "A practical guide with examples, costs and the mistakes to avoid.",
            "primary_keyword": keywords_for(rng, topic).split(",")[0],
            "secondary_keywords": ["second keyword", "third keyword"],
            "slug": f"post-{ids['content'] + i}",
            "content_type": "post",
            "content_structure": rng.choice(STRUCTURES),
            "status": status,
            "published_at": created if status == "published" else None,
            "ai_model": "gpt-4o-mini",
            "prompt_version": 1,
            "last_edited_by_id": user_id,
            "created_at": created,
            "updated_at": min(now, created + timedelta(hours=rng.randrange(48))),  # never in the future
        }


def _content_children(tenant: dict[str, Any], ids: dict[str, int], n: int, rng: random.Random):
    """Term relations (1 category + 2 tags), images (featured + in-article for half) per content."""
    terms_by_site: dict[int, tuple[list[Any], list[Any]]] = {}
    for term in tenant["terms"]:
        cats, tags = terms_by_site.setdefault(term.site_id, ([], []))
        (cats if term.taxonomy_type == "category" else tags).append(term)
    clusters = tenant["clusters"]
    relations, images, maps = [], [], []
    for i in range(n):
        content_id = ids["content"] + i
        cluster = clusters[i % len(clusters)]
        cats, tags = terms_by_site[cluster.site_id]
        for term in [rng.choice(cats), *rng.sample(tags, 2)]:
            relations.append({"content_id": content_id, "taxonomy_id": term.id})
        tenancy = {
            "account_id": cluster.account_id,
            "site_id": cluster.site_id,
            "sector_id": cluster.sector_id,
        }
        kinds = [("featured", 0)] + ([("in_article", 1), ("in_article", 2)] if i % 2 == 0 else [])
        for kind, position in kinds:
            images.append(
                {
                    **tenancy,
                    "content_id": content_id,
                    "image_type": kind,
                    "image_path": f"bench/{content_id}-{position}.png",
                    "prompt": "A bright, editorial photo illustrating the section",
                    "alt_text": "Illustration",
                    "status": "generated",
                    "position": position,
                    "width": 1024,
                    "height": 768,
                }
            )
        maps.append(
            {**tenancy, "content_id": content_id, "task_id": ids["task"] + i, "cluster_id": cluster.id}
        )
    return relations, images, maps


def _fill_account(
    conn: Any, tenant: dict[str, Any], n: int, ids: dict[str, int], seed: int, write: Any = copy_rows
) -> None:
    from writer_app.models import Content, ContentClusterMap, ContentTaxonomyRelation, Image, Task

    rng = random.Random(seed)
    now = datetime.now(UTC)
    write(conn, Task.__table__, _task_rows(tenant, ids["task"], n, rng, now))
    write(conn, Content.__table__, _content_rows(tenant, ids, n, rng, now))
    relations, images, maps = _content_children(tenant, ids, n, rng)
    write(conn, ContentTaxonomyRelation.__table__, relations)
    write(conn, Image.__table__, images)
    write(conn, ContentClusterMap.__table__, maps)
    ids["task"] += n
    ids["content"] += n


def _review_history(conn: Any, seeded: Seeded, rng: random.Random, write: Any = copy_rows) -> None:
    """The measured review page's item gets 5 revisions and a few review decisions, like real work."""
    from writer_app.models import ReviewEvent, Revision

    now = datetime.now(UTC)
    revisions = []
    for number in range(1, 6):
        html, _ = article_html(rng)
        revisions.append(
            {
                "account_id": seeded.account_id,
                "content_id": seeded.review_content_id,
                "user_id": seeded.user_id,
                "number": number,
                "note": "AI draft" if number == 1 else "Edited",
                "title": f"Revision {number}",
                "html": html,
                "created_at": now - timedelta(hours=10 - number),
            }
        )
    write(conn, Revision.__table__, revisions)
    events = [
        {
            "account_id": seeded.account_id,
            "content_id": seeded.review_content_id,
            "user_id": seeded.user_id,
            "decision": decision,
            "comment": comment,
            "created_at": now - timedelta(hours=5 - k),
        }
        for k, (decision, comment) in enumerate(
            [("submitted", ""), ("changes_requested", "Tighten the intro."), ("submitted", "Done.")]
        )
    ]
    write(conn, ReviewEvent.__table__, events)
    from writer_app.models import Content

    if write is copy_rows:  # a psycopg connection
        conn.execute("UPDATE writer_content SET status = 'review' WHERE id = %s", (seeded.review_content_id,))
    else:
        table = Content.__table__
        conn.execute(table.update().where(table.c.id == seeded.review_content_id).values(status="review"))


def seed(app: Any, scale: int, *, seed_value: int = 8) -> Seeded:
    """Migrate the app's empty database (PostgreSQL or SQLite) and fill it; returns what the bench needs."""
    from flask_migrate import upgrade

    from writer_app import init_migrations
    from writer_app.models import (
        Content,
        ContentClusterMap,
        ContentTaxonomyRelation,
        Image,
        ReviewEvent,
        Revision,
        Task,
        db,
    )
    from writer_app.services.identity import tokens

    started = time.perf_counter()
    with app.app_context():
        init_migrations(app)
        upgrade()
        measured = _tenancy("Bench Measured", BENCH_EMAIL)
        other = _tenancy("Bench Other", OTHER_EMAIL)
        _, raw_token = tokens.create_token(measured["user"], measured["account"].id, "bench")
        db.session.commit()
        if db.engine.dialect.name == "sqlite":
            seeded = _seed_sqlite(scale, raw_token, measured, other, seed_value)
            seeded.seconds = time.perf_counter() - started
            return seeded
        raw = db.engine.raw_connection()
        big = [Task, Content, ContentTaxonomyRelation, Image, ContentClusterMap]
        try:
            conn = raw.driver_connection
            indexes = _drop_indexes(conn, [m.__tablename__ for m in big])
            # Rows are consistent by construction: skip the per-row foreign key triggers while loading.
            conn.execute("SET session_replication_role = replica")
            seeded = _fill_all(conn, copy_rows, scale, raw_token, measured, other, seed_value)
            conn.execute("SET session_replication_role = DEFAULT")
            for definition in indexes:  # one sort per index instead of an insert per row
                conn.execute(definition)
            tables = [Task, Content, ContentTaxonomyRelation, Image, ContentClusterMap, Revision, ReviewEvent]
            _reset_sequences(conn, [m.__table__ for m in tables])
            raw.commit()
            for table in BIG_TABLES:
                seeded.counts[table] = conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            raw.commit()
        finally:
            raw.close()
        _vacuum(db)
    seeded.seconds = time.perf_counter() - started
    return seeded


def _vacuum(db: Any) -> None:
    """VACUUM ANALYZE once no transaction of ours is open: a transaction begun before the rows were
    committed (the session reading the tenancy objects) kept VACUUM from marking any page all-visible,
    so every count read the table's rows instead of answering from an index (2.2 instead of 0.3 ms)."""
    db.session.close()
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.exec_driver_sql("VACUUM ANALYZE")


def _fill_all(
    conn: Any,
    write: Any,
    scale: int,
    raw_token: str,
    measured: dict[str, Any],
    other: dict[str, Any],
    seed_value: int,
) -> Seeded:
    """Both accounts' big tables and the review history, through `write` (copy_rows or insert_rows)."""
    from writer_app.models import db

    ids = {"task": 1, "content": 1}
    # The other tenant's rows come first and last, so the measured ones sit in the middle.
    _fill_account(conn, other, max(1, scale // 20), ids, seed_value + 1, write)
    first_measured_content = ids["content"]
    _fill_account(conn, measured, scale, ids, seed_value, write)
    _fill_account(conn, other, max(1, scale // 20), ids, seed_value + 2, write)
    seeded = Seeded(
        database_url=str(db.engine.url.render_as_string(hide_password=False)),
        scale=scale,
        account_id=measured["account"].id,
        user_id=measured["user"].id,
        api_token=raw_token,
        review_content_id=first_measured_content + scale // 2,
    )
    _review_history(conn, seeded, random.Random(seed_value), write)
    return seeded


def _seed_sqlite(
    scale: int, raw_token: str, measured: dict[str, Any], other: dict[str, Any], seed_value: int
) -> Seeded:
    """seed()'s big tables on SQLite, in one transaction (inside the caller's app context)."""
    from sqlalchemy import text

    from writer_app.models import db

    # The session's own connection: the tenancy objects it reads while generating rows (expired by the
    # commit) must not wait for the write lock this transaction holds.
    seeded = _fill_all(db.session.connection(), insert_rows, scale, raw_token, measured, other, seed_value)
    db.session.commit()
    with db.engine.begin() as conn:
        conn.execute(text("ANALYZE"))
        for table in BIG_TABLES:
            seeded.counts[table] = conn.scalar(text(f"SELECT count(*) FROM {table}"))
    return seeded
