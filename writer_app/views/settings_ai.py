"""Settings → AI: the account's article prompt template (versioned) and image defaults. Admins only."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, current_app, flash, redirect, request, url_for

from writer_app.forms.settings_ai import AISettingsForm
from writer_app.models import Role
from writer_app.services import generation
from writer_app.views.common import (
    current_scope,
    form_errors_status,
    render,
    role_required,
    saving,
)

bp = Blueprint("settings_ai", __name__, url_prefix="/settings/ai")


@bp.route("/", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def index() -> Any:
    scope = current_scope()
    account = generation.get_account(scope)
    template, version = generation.prompt_template(account)
    form = AISettingsForm(
        data={"prompt_template": template, "in_article_images": account.setting("in_article_images")}
    )
    if form.validate_on_submit():
        with saving(form) as saved:
            new_version = generation.save_ai_settings(
                scope, form.prompt_template.data or "", form.in_article_images.data
            )
        if saved.ok:
            flash(f"AI settings saved; drafts now use prompt version {new_version}.", "success")
            return redirect(url_for(".index"))
    return render(
        "settings/ai.html",
        status=form_errors_status() if request.method == "POST" else 200,
        form=form,
        version=version,
        is_default=template.strip() == generation.DEFAULT_PROMPT.strip(),
        placeholders=generation.PROMPT_PLACEHOLDERS,
        prices=current_app.config.get("CREDIT_PRICES", {}),
    )
