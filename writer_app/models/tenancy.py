"""Accounts, users, memberships, sites, sectors and API tokens."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask_login import UserMixin
from sqlalchemy import ForeignKey, LargeBinary, String, Text, UniqueConstraint, false, true
from sqlalchemy.orm import Mapped, mapped_column, relationship

from writer_app.models.base import TimestampMixin, choice, db
from writer_app.models.enums import Role


class Account(TimestampMixin, db.Model):
    __tablename__ = "accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200), unique=True)
    credits: Mapped[int] = mapped_column(default=0, server_default="0")
    # Account-wide preferences: allow_self_approval, prompt_template, in_article_images, ...
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    sites: Mapped[list[Site]] = relationship(back_populates="account", order_by="Site.name")

    def setting(self, key: str, default: Any = None) -> Any:
        return (self.settings or {}).get(key, default)

    def __repr__(self) -> str:
        return f"<Account {self.slug}>"


class User(UserMixin, TimestampMixin, db.Model):
    __tablename__ = "users"

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Operators run the installation: they mint credits for any account. Tenants never can.
    is_operator: Mapped[bool] = mapped_column(default=False, server_default=false())
    # The account the user worked in last; restored at login.
    current_account_id: Mapped[int | None] = mapped_column(ForeignKey("accounts.id", ondelete="SET NULL"))

    memberships: Mapped[list[Membership]] = relationship(back_populates="user", cascade="all, delete-orphan")

    @property
    def is_active(self) -> bool:  # Flask-Login refuses inactive users
        return self.active

    @property
    def display_name(self) -> str:
        return self.name or self.email

    def __repr__(self) -> str:
        return f"<User {self.email}>"


class Membership(TimestampMixin, db.Model):
    """A user's role in one account, and their working context (site/sector) there."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    role: Mapped[Role] = mapped_column(choice(Role), default=Role.VIEWER)
    active_site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="SET NULL"))
    active_sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id", ondelete="SET NULL"))

    user: Mapped[User] = relationship(back_populates="memberships")
    account: Mapped[Account] = relationship()


class Site(TimestampMixin, db.Model):
    __tablename__ = "sites"
    __table_args__ = (UniqueConstraint("account_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    domain: Mapped[str] = mapped_column(String(255), default="")
    wp_url: Mapped[str] = mapped_column(String(500), default="")
    wp_username: Mapped[str] = mapped_column(String(200), default="")
    # Fernet token; see services/secrets.py. Never rendered back to anyone.
    wp_app_password_encrypted: Mapped[bytes | None] = mapped_column(LargeBinary)
    is_active: Mapped[bool] = mapped_column(default=True, server_default=true())
    # Per-site preferences: validation check levels, SEO plugin meta keys, WordPress timezone, ...
    settings: Mapped[dict[str, Any]] = mapped_column(default=dict)

    account: Mapped[Account] = relationship(back_populates="sites")
    sectors: Mapped[list[Sector]] = relationship(back_populates="site", order_by="Sector.name")

    @property
    def wp_connected(self) -> bool:
        return bool(self.wp_url and self.wp_username and self.wp_app_password_encrypted)

    def setting(self, key: str, default: Any = None) -> Any:
        return (self.settings or {}).get(key, default)


class Sector(TimestampMixin, db.Model):
    __tablename__ = "sectors"
    __table_args__ = (UniqueConstraint("site_id", "slug"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    slug: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")

    site: Mapped[Site] = relationship(back_populates="sectors")


class ApiToken(TimestampMixin, db.Model):
    """A bearer token for the JSON API; only its SHA-256 is stored."""

    __tablename__ = "api_tokens"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    prefix: Mapped[str] = mapped_column(String(12))
    last_used_at: Mapped[datetime | None] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()
    account: Mapped[Account] = relationship()


class Invitation(TimestampMixin, db.Model):
    """An admin's invitation to join an account; only the SHA-256 of the single-use link's token is kept."""

    __tablename__ = "invitations"

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"), index=True)
    email: Mapped[str] = mapped_column(String(254))
    role: Mapped[Role] = mapped_column(choice(Role), default=Role.VIEWER)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    invited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    expires_at: Mapped[datetime] = mapped_column()
    accepted_at: Mapped[datetime | None] = mapped_column()
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoked_at: Mapped[datetime | None] = mapped_column()

    account: Mapped[Account] = relationship()
    invited_by: Mapped[User | None] = relationship(foreign_keys=[invited_by_id])


class UserSession(TimestampMixin, db.Model):
    """One login (a browser's session cookie); the cookie carries a token whose SHA-256 is kept here.

    A session is valid while this row is neither revoked nor expired: logout revokes its own row, a
    password change, "log out everywhere", deactivation and removal revoke the user's rows."""

    __tablename__ = "user_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    ip_address: Mapped[str] = mapped_column(String(45), default="")
    last_seen_at: Mapped[datetime | None] = mapped_column()
    expires_at: Mapped[datetime] = mapped_column()
    revoked_at: Mapped[datetime | None] = mapped_column()

    user: Mapped[User] = relationship()
