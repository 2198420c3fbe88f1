"""The account's prompt template (versioned) and AI settings: what drafts are written with."""

from __future__ import annotations

from writer_app.integrations.ai import (
    ARTICLE_PROMPT_PLACEHOLDERS,
    DEFAULT_ARTICLE_PROMPT,
    validate_prompt_template,
)
from writer_app.models import Account, Role, db
from writer_app.services import audit
from writer_app.services.errors import ValidationError
from writer_app.services.scope import Scope

DEFAULT_PROMPT_VERSION = 1


# What the AI settings page shows: the placeholders a template may use and the built-in template.
PROMPT_PLACEHOLDERS = ARTICLE_PROMPT_PLACEHOLDERS
DEFAULT_PROMPT = DEFAULT_ARTICLE_PROMPT


def prompt_template(account: Account) -> tuple[str, int]:
    """The template drafts are written with, and its version (the shipped default is version 1)."""
    custom = (account.setting("prompt_template") or "").strip()
    version = int(account.setting("prompt_version") or DEFAULT_PROMPT_VERSION)
    return (custom or DEFAULT_ARTICLE_PROMPT), version


def save_prompt_template(scope: Scope, template: str) -> int:
    """Admins replace the template (blank = back to the default); every change is a new version."""
    scope.require(Role.ADMIN)
    text = (template or "").replace("\r\n", "\n").strip()
    if text:
        try:
            validate_prompt_template(text)
        except ValueError as error:
            raise ValidationError.field("prompt_template", str(error)) from None
    account = get_account(scope)
    current, version = prompt_template(account)
    if (text or DEFAULT_ARTICLE_PROMPT).strip() == current.strip():
        return version
    version += 1
    account.settings = {**(account.settings or {}), "prompt_template": text, "prompt_version": version}
    audit.record(scope, "settings.prompt_template", account, version=version, reset=not text)
    return version


def save_ai_settings(scope: Scope, template: str, in_article_images: int | None) -> int:
    """The settings page: prompt template (versioned) and in-article images per article (None = by
    length). Returns the template version now in use."""
    scope.require(Role.ADMIN)
    if in_article_images is not None and not 0 <= in_article_images <= 6:
        raise ValidationError.field("in_article_images", "Choose 0 to 6 images, or leave it blank.")
    version = save_prompt_template(scope, template)
    account = get_account(scope)
    if account.setting("in_article_images") != in_article_images:
        account.settings = {**(account.settings or {}), "in_article_images": in_article_images}
        audit.record(scope, "settings.in_article_images", account, value=in_article_images)
    return version


def get_account(scope: Scope) -> Account:
    account = db.session.get(Account, scope.account_id)
    if account is None:  # a scope always names an existing account
        raise ValidationError("This account no longer exists.")
    return account
