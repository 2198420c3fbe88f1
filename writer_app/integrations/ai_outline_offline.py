"""Outline-first drafting without a model (OfflineProvider's methods): the same brief always gives
the same outline, and the same outline the same sections, so `make run` shows the whole loop."""

from __future__ import annotations

from html import escape

from writer_app.integrations.ai import ArticleBrief, slugify
from writer_app.integrations.ai_offline import MODEL, _Writer, meta_description, meta_title
from writer_app.integrations.ai_outline import (
    MAX_IMAGES,
    ArticleFrame,
    OutlineDraft,
    OutlineRequest,
    OutlineSection,
    SectionText,
)
from writer_app.text.html import sanitize_html

_NOTES = {
    "basics": "Define {kw} in plain words and say who it is for.",
    "benefits": "Show what {kw} changes for the reader, with one concrete example.",
    "steps": "Walk through the steps in order; each H3 is one step.",
    "tips": "Give practical tips the reader can apply today.",
    "mistakes": "Name the common mistakes and how to avoid each.",
    "conclusion": "Sum up and tell the reader what to do next.",
}


def generate_outline(request: OutlineRequest) -> OutlineDraft:
    brief = request.brief
    writer = _Writer(brief)
    plan = [(heading, role, block) for heading, role, block in writer.plan if heading]
    per_section = max(60, round(brief.target_words * 0.9 / max(1, len(plan))))
    links = [link.url for link in request.links]
    images_left = max(0, request.images)
    sections: list[OutlineSection] = []
    for n, (heading, role, block) in enumerate(plan):
        subheadings: tuple[str, ...] = ()
        if block.startswith("h3:"):
            subheadings = tuple(writer.list_items(block[3:], brief.target_words))
        images = min(MAX_IMAGES, 1) if images_left and 0 < n < len(plan) - 1 else 0
        images_left -= images
        sections.append(
            OutlineSection(
                heading=writer.fill(heading),
                note=_NOTES.get(role, "Cover this part of {kw} clearly.").format(kw=brief.primary_keyword),
                words=per_section,
                keyphrase=n in (0, len(plan) - 1),
                subheadings=subheadings,
                links=(links[n % len(links)],) if links and n < len(links) else (),
                images=images,
            )
        )
    return OutlineDraft(sections=sections, model=MODEL, tokens_used=0, offline=True)


def write_intro(brief: ArticleBrief, sections: list[OutlineSection]) -> ArticleFrame:
    writer = _Writer(brief)
    title = brief.title.strip() or writer.values["Kw"]
    return ArticleFrame(
        title=title,
        meta_title=meta_title(title),
        meta_description=meta_description(brief.primary_keyword, title),
        slug=slugify(title) or slugify(brief.primary_keyword) or "draft",
        html=sanitize_html(writer.paragraphs("intro", max(40, brief.target_words // 10))),
        model=MODEL,
        tokens_used=0,
        offline=True,
    )


def write_section(brief: ArticleBrief, sections: list[OutlineSection], index: int) -> SectionText:
    section = sections[index]
    writer = _Writer(brief)
    for _ in range(index * 3):  # each section starts at its own place in the sentence decks
        writer.sentence("general")
    parts = [f"<h2>{escape(section.heading, quote=False)}</h2>"]
    subs = list(section.subheadings)
    share = section.words // (len(subs) + 1)
    parts.append(writer.paragraphs("general", share))
    for sub in subs:
        parts.append(f"<h3>{escape(sub, quote=False)}</h3>")
        parts.append(writer.paragraphs("steps", share))
    for url in section.links:
        parts.append(f'<p>Read more: <a href="{escape(url)}">{escape(url, quote=False)}</a></p>')
    return SectionText(html=sanitize_html("".join(parts)), model=MODEL, tokens_used=0, calls=1, offline=True)
