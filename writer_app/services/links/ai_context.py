"""What every AI writing step gets from the site, and what it must give back: the hooks generation
(and the outline/section and fix steps) call.

    brief_with_site(scope, site, brief, subject) -> ArticleBrief   style guide + internal link candidates
    image_brief_with_site(site, brief) -> ImagePromptBrief          style guide for image prompts
    clean_ai_html(scope, site, html, allowed=None) -> (html, removed)   drop invented links
    record_provenance(content, removed, site)                       style guide version + removed links
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from writer_app.integrations.ai import ArticleBrief, ImagePromptBrief
from writer_app.models import Content, Site
from writer_app.services.links import store_on_content
from writer_app.services.links.inventory import LinkTarget, Subject, ranked_targets
from writer_app.services.links.policy import AllowedLinks, allowed_outbound, filter_links
from writer_app.services.scope import Scope
from writer_app.services.voice import style_guide

PROMPT_CANDIDATES = 8  # internal link candidates named in a prompt


def links_block(targets: list[LinkTarget], outbound: list[str]) -> str:
    """The prompt text listing the only URLs the article may link to."""
    lines = [
        "Links: link only to the URLs below, never to any other address. Any other link is removed.",
    ]
    if targets:
        lines.append(
            "Internal links (this site's pages; link 2 to 4 where they fit, with natural anchor text):"
        )
        lines += [
            f"- {t.url} — {t.title}" + (f" (keyphrase: {t.keyphrase})" if t.keyphrase else "")
            for t in targets
        ]
    else:
        lines.append("Internal links: none available yet; write no internal links.")
    if outbound:
        lines.append("Outbound links allowed (these domains or addresses only): " + ", ".join(outbound))
    else:
        lines.append("Outbound links: none allowed.")
    return "\n".join(lines)


def brief_with_site(scope: Scope, site: Site, brief: ArticleBrief, subject: Subject) -> ArticleBrief:
    """The brief plus the site's style guide and its best internal link candidates for `subject`."""
    targets = ranked_targets(scope, site.id, subject, PROMPT_CANDIDATES)
    return replace(
        brief,
        style_guide=style_guide.prompt_block(style_guide.current(site)),
        link_candidates=links_block(targets, allowed_outbound(site)),
    )


def image_brief_with_site(site: Site, brief: ImagePromptBrief) -> ImagePromptBrief:
    return replace(brief, style_guide=style_guide.prompt_block(style_guide.current(site)))


def clean_ai_html(
    scope: Scope, site: Site, html: str, allowed: AllowedLinks | None = None
) -> tuple[str, list[dict[str, str]]]:
    """AI output with every link outside the inventory and the allowed outbound URLs unwrapped."""
    return filter_links(scope, site, html, allowed)


def record_provenance(content: Content, removed: list[dict[str, str]], site: Site) -> None:
    """Keep with the draft the style guide version it was written with and the links removed."""
    values: dict[str, Any] = {"style_guide_version": style_guide.current(site).version or None}
    if removed:
        values["link_report"] = {**(content.link_report or {}), "removed": removed}
    store_on_content(content, **values)
