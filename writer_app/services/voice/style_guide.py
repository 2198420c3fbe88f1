"""A site's brand voice: its style guide, versioned like the account's prompt template.

    current(site) -> StyleGuide                    what drafts are written with now (version 0: none yet)
    save_style_guide(scope, site_id, **fields) -> StyleGuide   admin; every change is a new version
    prompt_block(guide) -> str                     the text appended to every AI prompt ("" when empty)

Stored in `Site.settings["style_guide"]` (a dict with "version"); a draft records the version it was
written with (`Content.style_guide_version`), an audit event each version's change. The words to avoid
also feed Writer's own readability check "Words to avoid" (validation/writer_checks.py).
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field
from typing import Any

from writer_app.models import Role, Site, db
from writer_app.services import audit
from writer_app.services.errors import ValidationError
from writer_app.services.scope import Scope, get

SETTINGS_KEY = "style_guide"
TEXT_LIMITS = {"tone": 500, "audience": 500, "example": 3000, "language": 50}
MAX_WORDS = 100  # per list
MAX_WORD_LENGTH = 60


@dataclass(frozen=True)
class StyleGuide:
    tone: str = ""
    audience: str = ""
    prefer: list[str] = field(default_factory=list)
    avoid: list[str] = field(default_factory=list)
    example: str = ""
    language: str = ""
    version: int = 0  # 0: the site never had a style guide

    @property
    def is_empty(self) -> bool:
        return not any((self.tone, self.audience, self.prefer, self.avoid, self.example, self.language))

    def content(self) -> dict[str, Any]:
        """The fields without the version (what a change compares)."""
        data = asdict(self)
        data.pop("version")
        return data


def current(site: Site) -> StyleGuide:
    stored = (site.settings or {}).get(SETTINGS_KEY) or {}
    if not isinstance(stored, dict):
        return StyleGuide()
    names = {"tone", "audience", "example", "language"}
    values: dict[str, Any] = {k: str(stored.get(k) or "") for k in names}
    values |= {k: [str(w) for w in stored.get(k) or []] for k in ("prefer", "avoid")}
    return StyleGuide(**values, version=int(stored.get("version") or 0))


def site_style_guide(scope: Scope, site_id: Any) -> StyleGuide:
    return current(get(scope, Site, site_id))


def word_list(value: Any, name: str) -> list[str]:
    """Words or phrases, one per line or comma separated; blanks and repeats (any case) dropped."""
    raw = value if isinstance(value, list) else re.split(r"[,\n]", str(value or ""))
    seen: set[str] = set()
    words: list[str] = []
    for item in raw:
        word = " ".join(str(item).split())
        if word and word.lower() not in seen:
            if len(word) > MAX_WORD_LENGTH:
                raise ValidationError.field(
                    name, f"“{word[:30]}…” is longer than {MAX_WORD_LENGTH} characters."
                )
            seen.add(word.lower())
            words.append(word)
    if len(words) > MAX_WORDS:
        raise ValidationError.field(name, f"List at most {MAX_WORDS} words or phrases (got {len(words)}).")
    return words


def _text(value: Any, name: str) -> str:
    text = str(value or "").replace("\r\n", "\n").strip()
    if len(text) > TEXT_LIMITS[name]:
        raise ValidationError.field(name, f"Use at most {TEXT_LIMITS[name]} characters.")
    return text


def save_style_guide(
    scope: Scope,
    site_id: Any,
    *,
    tone: Any = "",
    audience: Any = "",
    prefer: Any = "",
    avoid: Any = "",
    example: Any = "",
    language: Any = "",
) -> StyleGuide:
    """Admins replace the site's style guide (all blank = none); a change is a new version."""
    scope.require(Role.ADMIN)
    site = get(scope, Site, site_id)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for name, value, clean in (
        ("tone", tone, _text),
        ("audience", audience, _text),
        ("prefer", prefer, word_list),
        ("avoid", avoid, word_list),
        ("example", example, _text),
        ("language", language, _text),
    ):
        try:
            values[name] = clean(value, name)
        except ValidationError as error:
            errors |= error.fields
    if errors:
        raise ValidationError("Please correct the highlighted fields.", errors)
    before = current(site)
    if before.content() == values:
        return before
    guide = StyleGuide(**values, version=before.version + 1)
    site.settings = {**(site.settings or {}), SETTINGS_KEY: {**values, "version": guide.version}}
    audit.record(scope, "site.style_guide", site, version=guide.version, cleared=guide.is_empty)
    db.session.flush()
    return guide


def prompt_block(guide: StyleGuide) -> str:
    """The style guide as the plain-text block appended to AI prompts ("" when the site has none)."""
    if guide.is_empty:
        return ""
    lines = ["Brand voice (the site's style guide; follow it):"]
    if guide.language:
        lines.append(f"- Write in {guide.language}.")
    if guide.tone:
        lines.append(f"- Tone: {guide.tone}")
    if guide.audience:
        lines.append(f"- Audience: {guide.audience}")
    if guide.prefer:
        lines.append(f"- Words to prefer: {', '.join(guide.prefer)}")
    if guide.avoid:
        lines.append(f"- Never use these words: {', '.join(guide.avoid)}")
    if guide.example:
        lines.append(f"- An example paragraph in this voice:\n{guide.example}")
    return "\n".join(lines)
