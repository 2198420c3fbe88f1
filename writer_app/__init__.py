"""Writer: plan, AI-draft, review and publish SEO content to WordPress."""

from __future__ import annotations

from typing import Any

from flask import Flask

from writer_app.config import load_config


def create_app(overrides: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__, instance_relative_config=True)
    app.config.update(load_config(app.instance_path, overrides))

    from writer_app.extensions import csrf, db, limiter, login_manager

    db.init_app(app)  # Flask-Migrate only when a migration runs: init_migrations, cli.MigrationsGroup
    csrf.init_app(app)
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["REDIS_URL"] or "memory://")
    # Redis down: limits are counted in this process's memory (one warning, then a retry with
    # backoff) instead of every limited request failing; a request never waits long for Redis.
    app.config.setdefault("RATELIMIT_IN_MEMORY_FALLBACK_ENABLED", True)
    app.config.setdefault("RATELIMIT_SWALLOW_ERRORS", True)
    app.config.setdefault("RATELIMIT_STORAGE_OPTIONS", {"socket_connect_timeout": 1, "socket_timeout": 1})
    limiter.init_app(app)
    login_manager.init_app(app)

    from writer_app.services import data_version

    data_version.init_app(app)

    from writer_app import cli, request_inputs, web
    from writer_app.api import register_api
    from writer_app.views import register_blueprints

    web.init_app(app)
    request_inputs.init_app(app)  # before the blueprints: their `<int:…>` rules use its converter
    register_blueprints(app)
    register_api(app)
    cli.init_app(app)
    return app


def init_migrations(app: Flask) -> None:
    """Set up Flask-Migrate on `app` (once) so `flask_migrate.upgrade()` and `flask db …` work."""
    from flask_migrate import Migrate

    from writer_app.extensions import db

    if "migrate" not in app.extensions:
        Migrate(app, db, directory=str(_migrations_dir()), render_as_batch=True, compare_type=True)


def _migrations_dir():  # the repository's migrations/ folder, next to the package
    from pathlib import Path

    return Path(__file__).resolve().parent.parent / "migrations"
