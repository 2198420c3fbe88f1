"""Settings from environment variables, with defaults that work on a fresh machine."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

from pydantic_core import from_json

SECRET_NAMES = ("SECRET_KEY", "OPENAI_API_KEY", "ENCRYPTION_KEY", "DATABASE_URL", "REDIS_URL", "SMTP_URL")

# Who may create an account: nobody (closed), invitation links only (invite), anyone (open).
SIGNUP_MODES = ("closed", "invite", "open")

# Credits charged per AI operation (account balance units).
DEFAULT_PRICES = {
    "content_generation": 10,
    "image_prompts": 1,
    "image_generation": 3,
    "outline_generation": 2,  # one outline call
    "section_generation": 2,  # per section of a draft written from an outline, and its introduction
    "content_fix": 1,  # one targeted fix call (fix rounds after generation, Fix with AI)
}


class ConfigError(RuntimeError):
    """The configuration cannot work; the message says what to set."""


def _int(name: str, default: int) -> int:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return int(raw)
    except ValueError as exc:
        raise ConfigError(f"{name} must be a whole number, got {raw!r}") from exc


def _int_list(name: str, default: list[int]) -> list[int]:
    raw = os.environ.get(name)
    if raw in (None, ""):
        return default
    try:
        return [int(part) for part in raw.split(",") if part.strip()]
    except ValueError as exc:
        raise ConfigError(f"{name} must be comma-separated whole numbers of seconds, got {raw!r}") from exc


def _signup_mode(production: bool) -> str:
    raw = os.environ.get("SIGNUP", "").strip().lower()
    if not raw:
        return "closed" if production else "open"
    if raw not in SIGNUP_MODES:
        raise ConfigError(f"SIGNUP must be one of {', '.join(SIGNUP_MODES)}, got {raw!r}")
    return raw


def _instance_secret(instance_path: Path, filename: str) -> str:
    """A random secret generated once into the instance folder (development convenience only)."""
    path = instance_path / filename
    if path.exists():
        return path.read_text().strip()
    instance_path.mkdir(parents=True, exist_ok=True)
    value = secrets.token_urlsafe(48)
    path.write_text(value)
    path.chmod(0o600)
    return value


def _check_allowed_hosts(value: str) -> None:
    from writer_app.integrations.outbound import parse_allowed_hosts

    try:
        parse_allowed_hosts(value)
    except ValueError as exc:
        raise ConfigError(
            f"WORDPRESS_ALLOW_PRIVATE_HOSTS must be comma-separated host[:port] entries: {exc}"
        ) from None


def _check_mail(config: dict[str, Any]) -> None:
    from writer_app.integrations.mail import MailConfigError, parse_smtp_url

    if not config.get("SMTP_URL"):
        return
    try:
        parse_smtp_url(config["SMTP_URL"])
    except MailConfigError as exc:
        raise ConfigError(str(exc)) from None
    if not config.get("MAIL_FROM"):
        raise ConfigError("SMTP_URL is set but MAIL_FROM is not: set the address emails are sent from.")


def load_config(instance_path: str, overrides: dict[str, Any] | None = None) -> dict[str, Any]:
    """Build the Flask config mapping from the environment; `overrides` win (tests use them)."""
    overrides = overrides or {}
    env = os.environ
    instance = Path(instance_path)
    environment = overrides.get("WRITER_ENV", env.get("WRITER_ENV", "development"))
    production = environment == "production"

    secret_key = overrides.get("SECRET_KEY") or env.get("SECRET_KEY")
    if not secret_key:
        if production:
            raise ConfigError(
                "SECRET_KEY is not set. In production (WRITER_ENV=production) Writer needs a long random "
                "SECRET_KEY environment variable to sign sessions; generate one with "
                "`python -c 'import secrets; print(secrets.token_urlsafe(48))'`."
            )
        secret_key = _instance_secret(instance, "secret_key")

    api_key = env.get("OPENAI_API_KEY", "")
    config: dict[str, Any] = {
        "WRITER_ENV": environment,
        "SECRET_KEY": secret_key,
        # Fernet key for secrets at rest (WordPress application passwords); derived from SECRET_KEY if unset.
        "ENCRYPTION_KEY": env.get("ENCRYPTION_KEY", ""),
        "SQLALCHEMY_DATABASE_URI": env.get("DATABASE_URL") or f"sqlite:///{instance / 'writer.db'}",
        "REDIS_URL": env.get("REDIS_URL", ""),
        "AI_PROVIDER": env.get("AI_PROVIDER") or ("openai" if api_key else "offline"),
        "OPENAI_API_KEY": api_key,
        "OPENAI_BASE_URL": env.get("OPENAI_BASE_URL", ""),
        "OPENAI_MODEL": env.get("OPENAI_MODEL", "gpt-4o-mini"),
        "OPENAI_IMAGE_MODEL": env.get("OPENAI_IMAGE_MODEL", "gpt-image-1"),
        "AI_TIMEOUT_SECONDS": _int("AI_TIMEOUT_SECONDS", 120),
        "AI_MAX_RETRIES": _int("AI_MAX_RETRIES", 2),
        "AI_CONCURRENCY": _int("AI_CONCURRENCY", 5),
        # Fix rounds after each generated draft (write to the checks); 0 turns them off.
        "AI_FIX_ROUNDS": _int("AI_FIX_ROUNDS", 2),
        "JOB_HEARTBEAT_SECONDS": _int("JOB_HEARTBEAT_SECONDS", 10),
        # A started job without a heartbeat for this long lost its worker: re-queued once, then failed.
        "JOB_STALE_SECONDS": _int("JOB_STALE_SECONDS", 300),
        "JOB_TIMEOUT_SECONDS": _int("JOB_TIMEOUT_SECONDS", 0),  # 0: sized from the job's work
        "JOB_RETRY_INTERVALS": _int_list("JOB_RETRY_INTERVALS", [30, 120]),
        "MEDIA_ROOT": env.get("MEDIA_ROOT") or str(instance / "media"),
        # Image uploads (media library): file size, pixels (width × height) and animation frames.
        "IMAGE_UPLOAD_MAX_BYTES": _int("IMAGE_UPLOAD_MAX_BYTES", 10 * 1024 * 1024),
        "IMAGE_UPLOAD_MAX_PIXELS": _int("IMAGE_UPLOAD_MAX_PIXELS", 40_000_000),
        "IMAGE_UPLOAD_MAX_FRAMES": _int("IMAGE_UPLOAD_MAX_FRAMES", 100),
        "CREDIT_PRICES": dict(DEFAULT_PRICES),
        "API_RATE_LIMIT": env.get("API_RATE_LIMIT", "120 per minute"),
        "LOGIN_RATE_LIMIT": env.get("LOGIN_RATE_LIMIT", "10 per minute"),
        "SIGNUP": _signup_mode(production),
        "SIGNUP_CREDITS": _int("SIGNUP_CREDITS", 0 if production else 1000),
        "INVITATION_DAYS": _int("INVITATION_DAYS", 7),
        # scrypt at OWASP's N=2^14, r=8, p=5: as strong as their N=2^15 setting with half its memory
        # (16 MiB per login, which is a web worker's peak), where werkzeug's default N=2^15, p=1 is weaker.
        "PASSWORD_HASH_METHOD": env.get("PASSWORD_HASH_METHOD", "scrypt:16384:8:5"),
        "RATELIMIT_HEADERS_ENABLED": True,
        "SESSION_COOKIE_HTTPONLY": True,
        "SESSION_COOKIE_SAMESITE": "Lax",
        "SESSION_COOKIE_SECURE": production,
        "REMEMBER_COOKIE_HTTPONLY": True,
        "REMEMBER_COOKIE_SECURE": production,
        # Server-side sessions (services/identity/sessions.py): ended this long after login, or after this long unused.
        "SESSION_LIFETIME_DAYS": _int("SESSION_LIFETIME_DAYS", 14),
        "SESSION_IDLE_DAYS": _int("SESSION_IDLE_DAYS", 7),
        "WTF_CSRF_TIME_LIMIT": None,
        "MAX_CONTENT_LENGTH": 5 * 1024 * 1024,
        "LOG_LEVEL": env.get("LOG_LEVEL", "INFO"),
        # host[:port] entries WordPress calls may reach although private/loopback (SECURITY.md).
        "WORDPRESS_ALLOW_PRIVATE_HOSTS": env.get("WORDPRESS_ALLOW_PRIVATE_HOSTS", ""),
        # Email (notifications, invitations); unset SMTP_URL: the inbox only.
        "SMTP_URL": env.get("SMTP_URL", ""),
        "MAIL_FROM": env.get("MAIL_FROM", ""),
        "MAIL_RETRY_INTERVALS": _int_list("MAIL_RETRY_INTERVALS", [60, 300, 1800]),
        # Writer's own address for links in emails sent by workers (no request to take it from).
        "PUBLIC_URL": env.get("PUBLIC_URL", "http://127.0.0.1:5000"),
    }
    config.update(overrides)
    _check_allowed_hosts(config["WORDPRESS_ALLOW_PRIVATE_HOSTS"])
    _check_mail(config)
    if "DATABASE_URL" in overrides:
        config["SQLALCHEMY_DATABASE_URI"] = overrides["DATABASE_URL"]
    on_sqlite = config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite")
    # A server connection can drop (a restart, a network blip): test it when taken from the pool. A
    # SQLite file cannot, and the test is one more statement on every request. JSON columns are read
    # by pydantic's parser (compiled): the standard one ran 16,000 instructions a value, mostly in
    # Python, and a list page reads one a row.
    config.setdefault(
        "SQLALCHEMY_ENGINE_OPTIONS", {"pool_pre_ping": not on_sqlite, "json_deserializer": from_json}
    )
    if production and on_sqlite:
        config.setdefault("PRODUCTION_WARNINGS", []).append("DATABASE_URL points to SQLite; use PostgreSQL.")
    return config


# Query parameters that carry credentials (libpq's password=, an API key in a base URL, ...).
_SECRET_PARAMS = ("pass", "pwd", "key", "token", "secret", "auth", "signature", "credential")


def mask_url(value: str) -> str:
    """`value` with the credentials in it hidden: the password (or a lone user part, often a key) of
    the user info, and query parameters named like secrets. Anything unparsable is hidden whole."""
    from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

    if "://" not in value:
        return value
    try:
        parts = urlsplit(value)
        port = parts.port
    except ValueError:
        return "set (unparsable URL, hidden)"
    query = [
        (name, "***" if any(word in name.lower() for word in _SECRET_PARAMS) else item)
        for name, item in parse_qsl(parts.query, keep_blank_values=True)
    ]
    has_user = parts.username is not None or parts.password is not None
    if not has_user and all(item != "***" for _, item in query):
        return value  # nothing to hide (and sqlite:////path keeps its slashes)
    netloc = parts.hostname or ""
    if ":" in netloc:  # an IPv6 address
        netloc = f"[{netloc}]"
    if port is not None:
        netloc += f":{port}"
    if has_user:
        user = f"{parts.username}:***" if parts.password is not None else "***"
        netloc = f"{user}@{netloc}"
    return urlunsplit((parts.scheme, netloc, parts.path, urlencode(query, safe="*"), ""))


def masked(config: dict[str, Any]) -> dict[str, Any]:
    """The effective configuration with secrets hidden, for `flask writer check-config`."""
    shown: dict[str, Any] = {}
    keys = [
        "WRITER_ENV",
        "SECRET_KEY",
        "ENCRYPTION_KEY",
        "SQLALCHEMY_DATABASE_URI",
        "REDIS_URL",
        "AI_PROVIDER",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "OPENAI_MODEL",
        "OPENAI_IMAGE_MODEL",
        "AI_TIMEOUT_SECONDS",
        "AI_MAX_RETRIES",
        "AI_CONCURRENCY",
        "AI_FIX_ROUNDS",
        "JOB_HEARTBEAT_SECONDS",
        "JOB_STALE_SECONDS",
        "JOB_TIMEOUT_SECONDS",
        "JOB_RETRY_INTERVALS",
        "MEDIA_ROOT",
        "IMAGE_UPLOAD_MAX_BYTES",
        "IMAGE_UPLOAD_MAX_PIXELS",
        "IMAGE_UPLOAD_MAX_FRAMES",
        "CREDIT_PRICES",
        "API_RATE_LIMIT",
        "LOGIN_RATE_LIMIT",
        "SESSION_LIFETIME_DAYS",
        "SESSION_IDLE_DAYS",
        "SIGNUP",
        "SIGNUP_CREDITS",
        "INVITATION_DAYS",
        "WORDPRESS_ALLOW_PRIVATE_HOSTS",
        "SMTP_URL",
        "MAIL_FROM",
        "MAIL_RETRY_INTERVALS",
        "PUBLIC_URL",
    ]
    for key in keys:
        value = config.get(key)
        if key in ("SECRET_KEY", "OPENAI_API_KEY", "ENCRYPTION_KEY"):
            value = f"set ({len(value)} chars, hidden)" if value else "not set"
        elif key in ("SQLALCHEMY_DATABASE_URI", "REDIS_URL", "OPENAI_BASE_URL", "SMTP_URL") and value:
            value = mask_url(str(value))
        shown[key] = value
    return shown
