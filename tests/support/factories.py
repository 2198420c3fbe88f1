"""Factories that build tenant data through the same services the app uses, where one exists."""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field
from typing import Any

from writer_app.models import (
    Account,
    Cluster,
    Content,
    ContentStatus,
    ContentStructure,
    ContentType,
    Role,
    Sector,
    Site,
    Task,
    TaskStatus,
    User,
    db,
)
from writer_app.services import credits
from writer_app.services.identity import accounts
from writer_app.services.scope import Scope
from writer_app.text.html import word_count

PASSWORD = "correct-horse-battery"
_seq = itertools.count(1)

# SEO fields that pass the checks every site requires by default: content with them can be published.
PUBLISHABLE = {
    "primary_keyword": "solar panels",
    "meta_title": "Solar panels for small homes: what they cost",
    "meta_description": (
        "Solar panels on a small home: what a typical system costs, how much power it makes, and how many "
        "years it takes to pay back."
    ),
}


def make_account(name: str | None = None) -> Account:
    return accounts.create_account(name or f"Account {next(_seq)}")


def make_user(account: Account, role: Role = Role.EDITOR, email: str | None = None, **kwargs: Any) -> User:
    user = accounts.create_user(email or f"user{next(_seq)}@example.com", PASSWORD, kwargs.pop("name", ""))
    accounts.add_membership(user, account, role)
    user.current_account_id = account.id
    for key, value in kwargs.items():
        setattr(user, key, value)
    db.session.flush()
    return user


def add_credits(account: Account, amount: int, note: str = "test") -> None:
    """Credits as the command line adds them (`grant-credits`): admins cannot add credits themselves."""
    credits.grant(Scope(account.id, Role.ADMIN), amount, note)


def make_site(account: Account, name: str | None = None, **kwargs: Any) -> Site:
    site = Site(account_id=account.id, name=name or f"Site {next(_seq)}", settings={}, **kwargs)
    db.session.add(site)
    db.session.flush()
    return site


def make_sector(site: Site, name: str | None = None) -> Sector:
    name = name or f"Sector {next(_seq)}"
    sector = Sector(account_id=site.account_id, site_id=site.id, name=name, slug=accounts.slugify(name))
    db.session.add(sector)
    db.session.flush()
    return sector


def make_cluster(
    sector: Sector, name: str | None = None, keywords: str = "solar panels, solar battery"
) -> Cluster:
    cluster = Cluster(
        account_id=sector.account_id,
        site_id=sector.site_id,
        sector_id=sector.id,
        name=name or f"Cluster {next(_seq)}",
        keywords=keywords,
    )
    db.session.add(cluster)
    db.session.flush()
    return cluster


def make_task(cluster: Cluster, title: str | None = None, **kwargs: Any) -> Task:
    values: dict[str, Any] = {
        "title": title or f"Task {next(_seq)}",
        "keywords": "solar panels",
        "word_count": 800,
        "content_type": ContentType.POST,
        "content_structure": ContentStructure.ARTICLE,
        "status": TaskStatus.QUEUED,
    }
    values.update(kwargs)
    task = Task(
        account_id=cluster.account_id,
        site_id=cluster.site_id,
        sector_id=cluster.sector_id,
        cluster_id=cluster.id,
        **values,
    )
    db.session.add(task)
    db.session.flush()
    return task


def make_content(cluster: Cluster, title: str | None = None, **kwargs: Any) -> Content:
    html = kwargs.pop("html", "<p>Solar panels turn light into power.</p><h2>Costs</h2><p>They pay back.</p>")
    values: dict[str, Any] = {
        "title": title or f"Content {next(_seq)}",
        "html": html,
        "word_count": word_count(html),
        "content_type": ContentType.POST,
        "content_structure": ContentStructure.ARTICLE,
        "status": ContentStatus.DRAFT,
        "primary_keyword": "solar panels",
        "secondary_keywords": [],
    }
    values.update(kwargs)
    content = Content(
        account_id=cluster.account_id,
        site_id=cluster.site_id,
        sector_id=cluster.sector_id,
        cluster_id=cluster.id,
        **values,
    )
    db.session.add(content)
    db.session.flush()
    return content


@dataclass
class Tenant:
    """One account with a site, a sector, a cluster and a user of every role."""

    account: Account
    site: Site
    sector: Sector
    cluster: Cluster
    users: dict[Role, User] = field(default_factory=dict)

    def scope(self, role: Role = Role.ADMIN) -> Scope:
        return Scope(self.account.id, role, self.users[role].id, self.site.id, self.sector.id)

    @property
    def admin(self) -> User:
        return self.users[Role.ADMIN]

    @property
    def editor(self) -> User:
        return self.users[Role.EDITOR]

    @property
    def reviewer(self) -> User:
        return self.users[Role.REVIEWER]

    @property
    def viewer(self) -> User:
        return self.users[Role.VIEWER]


def make_tenant(name: str | None = None) -> Tenant:
    account = make_account(name)
    site = make_site(account)
    sector = make_sector(site)
    cluster = make_cluster(sector)
    users = {
        role: make_user(account, role, email=f"{role.value}-{account.slug}@example.com") for role in Role
    }
    return Tenant(account, site, sector, cluster, users)
