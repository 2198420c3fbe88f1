"""Configuration from the environment."""

import pytest

from writer_app import create_app
from writer_app.config import ConfigError, load_config, masked


def test_defaults_work_on_a_fresh_machine(tmp_path, monkeypatch):
    for name in ("DATABASE_URL", "REDIS_URL", "OPENAI_API_KEY", "SECRET_KEY", "WRITER_ENV", "AI_PROVIDER"):
        monkeypatch.delenv(name, raising=False)
    config = load_config(str(tmp_path))
    assert config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{tmp_path / 'writer.db'}"
    assert config["REDIS_URL"] == "" and config["AI_PROVIDER"] == "offline"
    assert config["SECRET_KEY"] == load_config(str(tmp_path))["SECRET_KEY"]  # generated once, then reused


def test_an_api_key_selects_the_openai_provider(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test")
    monkeypatch.delenv("AI_PROVIDER", raising=False)
    assert load_config(str(tmp_path))["AI_PROVIDER"] == "openai"


def test_production_refuses_to_start_without_a_secret_key(tmp_path, monkeypatch):
    monkeypatch.setenv("WRITER_ENV", "production")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(ConfigError, match="SECRET_KEY is not set"):
        create_app()


def test_bad_numbers_are_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("AI_TIMEOUT_SECONDS", "soon")
    with pytest.raises(ConfigError, match="AI_TIMEOUT_SECONDS must be a whole number"):
        load_config(str(tmp_path))


def test_masked_hides_passwords_in_urls(tmp_path, monkeypatch):
    monkeypatch.setenv("DATABASE_URL", "postgresql+psycopg://writer:s3cret@db/writer")
    monkeypatch.setenv("OPENAI_API_KEY", "sk-very-secret")
    shown = masked(load_config(str(tmp_path)))
    assert "s3cret" not in str(shown) and "sk-very-secret" not in str(shown)
    assert shown["SQLALCHEMY_DATABASE_URI"] == "postgresql+psycopg://writer:***@db/writer"


def test_sign_up_defaults_follow_the_environment(tmp_path, monkeypatch):
    for name in ("SIGNUP", "SIGNUP_CREDITS", "INVITATION_DAYS"):
        monkeypatch.delenv(name, raising=False)
    development = load_config(str(tmp_path), {"WRITER_ENV": "development"})
    assert (development["SIGNUP"], development["SIGNUP_CREDITS"], development["INVITATION_DAYS"]) == (
        "open",
        1000,
        7,
    )
    production = load_config(str(tmp_path), {"WRITER_ENV": "production", "SECRET_KEY": "x" * 48})
    assert (production["SIGNUP"], production["SIGNUP_CREDITS"]) == ("closed", 0)
    monkeypatch.setenv("SIGNUP", "Invite")
    assert (
        load_config(str(tmp_path), {"WRITER_ENV": "production", "SECRET_KEY": "x" * 48})["SIGNUP"] == "invite"
    )


def test_an_unknown_sign_up_mode_is_explained(tmp_path, monkeypatch):
    monkeypatch.setenv("SIGNUP", "everyone")
    with pytest.raises(ConfigError, match="SIGNUP must be one of closed, invite, open"):
        load_config(str(tmp_path))


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("postgresql+psycopg://writer@db/writer?password=s3cret&sslmode=require",
         "postgresql+psycopg://***@db/writer?password=***&sslmode=require"),
        ("postgresql+psycopg://writer:s3cret@db:notaport/writer", "set (unparsable URL, hidden)"),
        ("sqlite:////srv/writer/writer.db", "sqlite:////srv/writer/writer.db"),
    ],
)  # fmt: skip
def test_masked_hides_database_passwords_wherever_they_are(tmp_path, monkeypatch, url, shown):
    monkeypatch.setenv("DATABASE_URL", url)
    assert masked(load_config(str(tmp_path)))["SQLALCHEMY_DATABASE_URI"] == shown


def test_masked_hides_credentials_in_the_openai_base_url(tmp_path, monkeypatch):
    monkeypatch.setenv("OPENAI_BASE_URL", "https://proxy:s3cret@llm.example/v1?api_key=sk-secret&team=a")
    shown = masked(load_config(str(tmp_path)))
    assert shown["OPENAI_BASE_URL"] == "https://proxy:***@llm.example/v1?api_key=***&team=a"
    monkeypatch.setenv("OPENAI_BASE_URL", "https://sk-secret@llm.example/v1")
    assert masked(load_config(str(tmp_path)))["OPENAI_BASE_URL"] == "https://***@llm.example/v1"
    monkeypatch.setenv("OPENAI_BASE_URL", "http://127.0.0.1:8000/v1")
    assert masked(load_config(str(tmp_path)))["OPENAI_BASE_URL"] == "http://127.0.0.1:8000/v1"


def test_server_connections_are_tested_before_use_and_sqlite_files_are_not(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    assert load_config(str(tmp_path))["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is False
    server = load_config(str(tmp_path), {"DATABASE_URL": "postgresql+psycopg://db/writer"})
    assert server["SQLALCHEMY_ENGINE_OPTIONS"]["pool_pre_ping"] is True


def test_json_columns_read_back_what_was_written(tenant):
    from writer_app.models import Site, db

    written = {"nested": [1, 2.5, -0.0, None, True, {"k": []}], "ü": "ß ✓ \u2028", "big": 2**70, "": ""}
    site = db.session.get(Site, tenant.site.id)
    site.settings = written
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(Site, tenant.site.id).settings == written


def test_sqlite_connections_keep_a_large_page_cache(tmp_path, monkeypatch):
    from writer_app.models import db
    from writer_app.models.connections import SQLITE_CACHE_KIB

    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app({"DATABASE_URL": f"sqlite:///{tmp_path / 'cache.db'}", "SECRET_KEY": "x" * 32})
    with app.app_context():
        assert db.session.execute(db.text("PRAGMA cache_size")).scalar() == -SQLITE_CACHE_KIB
        db.engine.dispose()
