"""Per-site check levels (Off / Recommended / Required) and the site's SEO plugin.

Stored in Site.settings:
    "check_levels": {check_key: "off" | "recommended" | "required"}  -- only choices that differ from
                    DEFAULT_LEVELS, so a site that never changed a check follows future defaults
    "seo_plugin":   "yoast" | "rankmath" | "none"                      -- which meta keys WordPress gets
Everyone in the account reads them; admins change them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from writer_app.models import Role, Site, db
from writer_app.services import audit
from writer_app.services.errors import ValidationError
from writer_app.services.scope import Scope, get
from writer_app.services.validation import CHECKS, DEFAULT_LEVELS, CheckSpec, Level, resolve_levels
from writer_app.services.validation.model import LEVELS

LEVELS_KEY = "check_levels"
PLUGIN_KEY = "seo_plugin"
SEO_PLUGINS: dict[str, str] = {
    "yoast": "Yoast SEO",
    "rankmath": "Rank Math",
    "none": "No SEO plugin",
}
DEFAULT_SEO_PLUGIN = "yoast"
LEVEL_LABELS: dict[str, str] = {"off": "Off", "recommended": "Recommended", "required": "Required"}


@dataclass(frozen=True)
class CheckLevel:
    """One row of the levels form: the check, the site's level and the default."""

    spec: CheckSpec
    level: Level
    default: Level

    @property
    def changed(self) -> bool:
        return self.level != self.default


@dataclass(frozen=True)
class SiteChecks:
    site: Site
    levels: dict[str, Level]  # every check, defaults filled in
    seo_plugin: str

    def rows(self, group: str) -> list[CheckLevel]:
        return [
            CheckLevel(spec, self.levels[key], DEFAULT_LEVELS[key])
            for key, spec in CHECKS.items()
            if spec.group == group
        ]

    @property
    def required(self) -> list[str]:
        return [key for key, level in self.levels.items() if level == "required"]


def site_levels(site: Site) -> dict[str, Level]:
    """The site's level for every check (stored choices over the defaults; bad stored values ignored)."""
    stored = site.setting(LEVELS_KEY) or {}
    return resolve_levels(stored if isinstance(stored, Mapping) else {})


def seo_plugin(site: Site) -> str:
    value = site.setting(PLUGIN_KEY, DEFAULT_SEO_PLUGIN)
    return value if value in SEO_PLUGINS else DEFAULT_SEO_PLUGIN


def get_site_checks(scope: Scope, site_id: Any) -> SiteChecks:
    """Levels and SEO plugin of one site of the account (NotFound for other accounts' sites)."""
    site = get(scope, Site, site_id)
    return SiteChecks(site, site_levels(site), seo_plugin(site))


def update_site_checks(
    scope: Scope,
    site_id: Any,
    levels: Mapping[str, str] | None = None,
    plugin: str | None = None,
) -> SiteChecks:
    """Change levels (any subset of checks) and/or the SEO plugin (admin). Unknown checks or levels are
    field errors named after the check; nothing is stored unless everything is valid."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    errors: dict[str, list[str]] = {}
    current = site_levels(site)
    for key, level in (levels or {}).items():
        if key not in CHECKS:
            errors.setdefault(key, []).append(f"There is no check “{key}”.")
        elif level not in LEVELS:
            errors.setdefault(key, []).append(f"Choose one of {', '.join(LEVELS)} (got “{level}”).")
        else:
            current[key] = level  # type: ignore[assignment]
    if plugin is not None and plugin not in SEO_PLUGINS:
        errors.setdefault(PLUGIN_KEY, []).append(f"Choose one of {', '.join(SEO_PLUGINS)}.")
    if errors:
        raise ValidationError("Please correct the highlighted checks.", errors)
    before = site_levels(site), seo_plugin(site)
    overrides = {key: level for key, level in current.items() if level != DEFAULT_LEVELS[key]}
    new_plugin = plugin if plugin is not None else before[1]
    # Reassign (not mutate) so SQLAlchemy sees the JSON column change.
    site.settings = {**(site.settings or {}), LEVELS_KEY: overrides, PLUGIN_KEY: new_plugin}
    changed = {k: f"{before[0][k]} → {v}" for k, v in current.items() if before[0][k] != v}
    if changed or new_plugin != before[1]:
        audit.record(scope, "site.checks", site, levels=changed, seo_plugin=new_plugin)
    db.session.flush()
    return SiteChecks(site, site_levels(site), new_plugin)
