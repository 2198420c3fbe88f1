"""Fixtures shared by the whole suite: the app on a fresh database, clients, tenants, logins.

TEST_DATABASE=sqlite (default) or postgres picks the database; the schema is built by the real
migrations, so every run also proves they apply.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, settings
from sqlalchemy import text

from tests.support import factories
from tests.support.redis_server import reset_redis_state
from tests.support.services import flush_redis, missing_service, postgres_database, redis_database
from writer_app import create_app, init_migrations
from writer_app.extensions import limiter
from writer_app.models import Account, User, db

ARTIFACTS = Path(__file__).parent / "artifacts"

# The properties are about answers, not time: with both suites side by side on 2 cores an example
# (or Hypothesis drawing its first text) can take seconds, so no deadline and no "too slow" check.
settings.register_profile("writer", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("writer")


@pytest.fixture(scope="session")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    kind = os.environ.get("TEST_DATABASE", "sqlite")
    if kind == "postgres":
        with postgres_database() as url:
            yield url
    else:
        yield f"sqlite:///{tmp_path_factory.mktemp('db') / 'writer.db'}"


@pytest.fixture(scope="session")
def redis_server_db() -> Iterator[str | None]:
    with redis_database() as url:
        yield url


@pytest.fixture(scope="session")
def app(database_url: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    from flask_migrate import upgrade

    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "test-secret-key-that-is-long-enough-for-tests",
            "DATABASE_URL": database_url,
            "REDIS_URL": "",
            "WTF_CSRF_ENABLED": False,
            "MEDIA_ROOT": str(tmp_path_factory.mktemp("media")),
            "AI_PROVIDER": "offline",
            # Fix rounds after generation make their own calls and charges: off unless a test turns
            # them on (tests/integration/test_ai_fixes.py), so other tests count drafts alone.
            "AI_FIX_ROUNDS": 0,
            "RATELIMIT_STORAGE_URI": "memory://",
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
            # The local WordPress of scripts/wordpress-dev.sh only; tests with fake servers add theirs.
            "WORDPRESS_ALLOW_PRIVATE_HOSTS": "127.0.0.1:8089",
        }
    )
    init_migrations(app)
    with app.app_context():
        upgrade()
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture(autouse=True)
def _app_context(app: Flask) -> Iterator[None]:
    """Each test runs in an app context and leaves an empty database behind."""
    with app.app_context():
        limiter.reset()
        reset_redis_state()
        yield
        db.session.rollback()
        db.session.remove()
        try:
            _assert_ledger_explains_balances()
        finally:
            _empty_database()


def _assert_ledger_explains_balances() -> None:
    """Every balance change writes a ledger row: after every test, each account's ledger sums to its
    balance (one aggregate query over a table the test just filled)."""
    from writer_app.services.credits import ledger_mismatches

    mismatches = ledger_mismatches()
    db.session.remove()
    assert not mismatches, f"ledger sum differs from the balance (account, balance, sum): {mismatches}"


def _empty_database() -> None:
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]  # children first
    with db.engine.begin() as conn:
        if conn.dialect.name != "postgresql":
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
            return
        # TRUNCATE of every table costs a third of a second a test (new files per table); a test fills
        # a few tables, so those are emptied with DELETE and every id sequence starts again at 1.
        filled = conn.execute(
            text("SELECT " + ", ".join(f"EXISTS (SELECT 1 FROM {t})" for t in tables))
        ).one()
        for table, has_rows in zip(tables, filled, strict=True):
            if has_rows:
                conn.execute(text(f"DELETE FROM {table}"))
        conn.execute(
            text(
                "SELECT setval(c.oid::regclass, 1, false) FROM pg_class c"
                " JOIN pg_namespace n ON n.oid = c.relnamespace"
                " WHERE c.relkind = 'S' AND n.nspname = current_schema()"
            )
        )


@pytest.fixture
def redis_url(app: Flask, redis_server_db: str | None) -> Iterator[str]:
    """Point the app at our own Redis database for this test (jobs go through RQ)."""
    if redis_server_db is None:
        missing_service("Redis is not reachable on 127.0.0.1:6379")
    flush_redis(redis_server_db)
    app.config["REDIS_URL"] = redis_server_db
    try:
        yield redis_server_db
    finally:
        app.config["REDIS_URL"] = ""
        flush_redis(redis_server_db)


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def tenant() -> factories.Tenant:
    t = factories.make_tenant("Acme Content")
    db.session.commit()
    return t


@pytest.fixture
def other_tenant() -> factories.Tenant:
    t = factories.make_tenant("Other Co")
    db.session.commit()
    return t


@pytest.fixture
def login(client: FlaskClient) -> Callable[..., FlaskClient]:
    """login(user, account=None): log the test client in through the real login form."""

    def _login(user: User, account: Account | None = None) -> FlaskClient:
        response = client.post("/login", data={"email": user.email, "password": factories.PASSWORD})
        assert response.status_code == 303, response.get_data(as_text=True)
        if account is not None:
            with client.session_transaction() as session:
                session["account_id"] = account.id
        return client

    return _login


@pytest.fixture
def csrf_enabled(app: Flask) -> Iterator[None]:
    app.config["WTF_CSRF_ENABLED"] = True
    try:
        yield
    finally:
        app.config["WTF_CSRF_ENABLED"] = False


from tests.support.browser import *  # noqa: E402, F403 - browser fixtures (live_server, page, ...)
from tests.support.openai_server import *  # noqa: E402, F403 - openai_server, openai_config
from tests.support.redis_server import *  # noqa: E402, F403 - redis_server, redis_server_factory
from tests.support.smtp_server import *  # noqa: E402, F403 - smtp_server, mail_config, smtp_down
from tests.support.wordpress import *  # noqa: E402, F403 - wordpress_server, wordpress_credentials, wp_client, wp_created
