"""Sites and their sectors (admins manage; everyone in the account reads)."""

from __future__ import annotations

from functools import cache
from typing import Any, NamedTuple

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from writer_app.models import Role, Sector, Site, db
from writer_app.services import audit, plain_reads
from writer_app.services.errors import ValidationError
from writer_app.services.identity.accounts import slugify
from writer_app.services.scope import SCOPE_ACCOUNT, Scope, get, scope_params, scoped, scoped_once


@cache
def _sites_with_sectors() -> Any:
    return scoped_once(Site).options(joinedload(Site.sectors)).order_by(Site.name)


def list_sites(scope: Scope) -> list[Site]:
    """The account's sites with their sectors as objects, in one query (forms and settings that read
    more than `site_menu` holds)."""
    return list(db.session.scalars(_sites_with_sectors(), scope_params(scope)).unique())


class MenuSector(NamedTuple):
    id: int
    name: str


class MenuSite(NamedTuple):
    id: int
    name: str
    sectors: list[MenuSector]


def site_menu(scope: Scope) -> list[MenuSite]:
    """The account's sites and their sectors by name, ids and names only: what the layout's switcher
    and the lists' filters show on every page. A plain read: Site and Sector objects with all their
    columns cost the review page 6% of its instructions (bench/README.md, round 8)."""
    menu: list[MenuSite] = []
    for site_id, site_name, sector_id, sector_name in plain_reads.rows(_site_menu(), scope_params(scope)):
        if not menu or menu[-1].id != site_id:
            menu.append(MenuSite(site_id, site_name, []))
        if sector_id is not None:
            menu[-1].sectors.append(MenuSector(sector_id, sector_name))
    return menu


@cache
def _site_menu() -> Any:
    return (
        select(Site.id, Site.name, Sector.id, Sector.name)
        .outerjoin(Sector, Sector.site_id == Site.id)
        .where(Site.account_id == SCOPE_ACCOUNT)
        .order_by(Site.name, Site.id, Sector.name, Sector.id)
    )


def get_site(scope: Scope, site_id: int) -> Site:
    return get(scope, Site, site_id)


def create_site(scope: Scope, name: str, domain: str = "") -> Site:
    scope.require(Role.ADMIN)
    name = name.strip()
    if not name:
        raise ValidationError.field("name", "Name the site.")
    if db.session.scalar(scoped(scope, Site).where(Site.name == name)) is not None:
        raise ValidationError.field("name", "A site with this name exists already.")
    site = Site(account_id=scope.account_id, name=name, domain=domain.strip(), settings={})
    db.session.add(site)
    db.session.flush()
    audit.record(scope, "site.create", site, name=name)
    return site


def update_site(scope: Scope, site_id: int, name: str, domain: str) -> Site:
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    name = name.strip()
    clash = db.session.scalar(scoped(scope, Site).where(Site.name == name, Site.id != site.id))
    if not name or clash is not None:
        raise ValidationError.field("name", "Name the site uniquely in this account.")
    site.name, site.domain = name, domain.strip()
    audit.record(scope, "site.update", site, name=name, domain=site.domain)
    return site


def create_sector(scope: Scope, site_id: int, name: str, description: str = "") -> Sector:
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    name = name.strip()
    if not name:
        raise ValidationError.field("name", "Name the sector.")
    slug = slugify(name)
    exists = db.session.scalar(select(Sector.id).where(Sector.site_id == site.id, Sector.slug == slug))
    if exists is not None:
        raise ValidationError.field("name", f"Site “{site.name}” already has a sector “{name}”.")
    sector = Sector(
        account_id=scope.account_id, site_id=site.id, name=name, slug=slug, description=description
    )
    db.session.add(sector)
    db.session.flush()
    audit.record(scope, "sector.create", sector, name=name, site=site.name)
    return sector
