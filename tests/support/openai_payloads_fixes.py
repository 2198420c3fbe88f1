"""The scripted model's fixes and failing drafts, for the fake OpenAI server.

fix_payload(prompt, kind)       a correct fix for a fix prompt (the offline provider's rules)
failing_article(keyword, fails) article fields that fail exactly the given fixable checks
"""

from __future__ import annotations

import re
from typing import Any

from writer_app.integrations.ai_fixes import request_from_prompt
from writer_app.integrations.ai_offline_fixes import offline_fix


def fix_payload(prompt: str, kind: str) -> dict[str, Any]:
    """The answer to a fix prompt: a correct fix ("ok" and the other answer kinds), or with kind
    "missing_fields" an answer without the new value."""
    request = request_from_prompt(prompt)
    if request is None:
        return {"value": "", "blocks": []}
    value, blocks = offline_fix(request)
    payload: dict[str, Any] = {"value": value, "blocks": [{"id": k, "html": v} for k, v in blocks.items()]}
    if kind == "missing_fields":
        payload["value"] = ""
    return payload


_SENTENCES = (
    "For example, {kw} helps a small team plan meals for the whole week.",
    "However, a clear list keeps the shopping short and the kitchen calm.",
    "Start with three dishes you already cook well.",
    "Then add one new recipe each week, so the routine stays fresh.",
    "Because of this, you waste less food and spend less money.",
    "Keep notes on what worked and what did not.",
)


def _paragraph(kw: str, n: int, sentences: int = 4) -> str:
    picked = [_SENTENCES[(n + i) % len(_SENTENCES)].format(kw=kw) for i in range(sentences)]
    return "<p>" + " ".join(picked) + "</p>"


def failing_article(keyword: str, fails: set[str], site: str = "example.com") -> dict[str, Any]:
    """Fields of a draft (for `Behaviour(fields=...)`) that pass the checks the fixers cover,
    except those in `fails`: meta_description_length, keyphrase_in_slug, keyphrase_in_introduction,
    paragraph_length, keyphrase_in_seo_title, internal_links, outbound_links."""
    kw = keyword
    intro = (
        f"<p>This guide explains {kw} step by step. Also, it shows what to plan first.</p>"
        if "keyphrase_in_introduction" not in fails
        else "<p>This guide explains the basics step by step. Also, it shows what to plan first.</p>"
    )
    body = [intro]
    for n in range(1, 5):
        body.append(f"<h2>{'Planning ' + kw if n % 2 else 'Shopping and cooking'} part {n}</h2>")
        body.append(_paragraph(kw if n in (2, 4) else "planning", n))
        body.append(_paragraph("a plan", n + 2))
    if "paragraph_length" in fails:
        body[3] = "<p>" + " ".join(_paragraph("a plan", i, 6)[3:-4] for i in range(3)) + "</p>"
    body.append(f'<p><img src="https://{site}/table.png" alt="{kw.capitalize()} on a kitchen table"></p>')
    if "internal_links" not in fails:
        body.append(f'<p>Read our <a href="https://{site}/pantry/">pantry checklist</a> next.</p>')
    if "outbound_links" not in fails:
        body.append('<p>See the <a href="https://www.usda.gov/">USDA</a> for food safety.</p>')
    title = f"{kw.capitalize()}: a practical weekly guide"
    meta = (
        f"{kw.capitalize()} made simple: plan a week of meals, shop once and cook with less stress, "
        "with steps, examples and the mistakes to avoid."
    )
    return {
        "title": title,
        "meta_title": title if "keyphrase_in_seo_title" not in fails else "A practical weekly guide",
        "meta_description": meta
        if "meta_description_length" not in fails
        else f"{kw.capitalize()} in short.",
        "primary_keyword": kw,
        "slug": re.sub(r"[^a-z0-9]+", "-", kw.lower())
        if "keyphrase_in_slug" not in fails
        else "weekly-guide",
        "html": "".join(body),
    }


def linkable_site(tenant: Any) -> None:
    """The tenant's site at example.com with the links `failing_article` writes allowed: the pantry
    checklist is a published page of the site (in its link inventory) and usda.gov an allowed outbound
    domain, so the link filter keeps them."""
    from tests.support.factories import make_content
    from writer_app.models import ContentStatus, db

    tenant.site.domain = "example.com"
    tenant.site.settings = {**(tenant.site.settings or {}), "allowed_outbound": ["usda.gov"]}
    make_content(
        tenant.cluster,
        "Pantry checklist",
        status=ContentStatus.PUBLISHED,
        external_url="https://example.com/pantry/",
    )
    db.session.flush()


def failing_content(tenant: Any, fails: set[str], keyword: str = "meal prep") -> Any:
    """Saved content (on a site at example.com) whose fields are `failing_article`'s: for tests of
    fixing content that already exists."""
    from tests.support.factories import make_content
    from writer_app.models import db

    linkable_site(tenant)
    fields = failing_article(keyword, fails)
    content = make_content(
        tenant.cluster,
        fields["title"],
        html=fields["html"],
        meta_title=fields["meta_title"],
        meta_description=fields["meta_description"],
        primary_keyword=fields["primary_keyword"],
        slug=fields["slug"],
    )
    db.session.commit()
    return content
