"""Outline-first drafting, what both providers share: the outline's shape and limits, the prompts,
and reading a model's outline back into clean sections.

An outline is an ordered list of H2 sections (each with optional H3s, an intent note, target words,
whether the primary keyphrase goes there, which of the offered internal links and how many images go
there). A draft is written from it one call per section plus one for the introduction and meta data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from writer_app.integrations.ai import ArticleBrief, prompt_values

MAX_SECTIONS = 12
MAX_HEADING = 120
MAX_NOTE = 500
MAX_SUBHEADINGS = 6
MIN_WORDS, MAX_WORDS = 30, 3000
MAX_IMAGES = 3
MAX_LINK_TARGETS = 20
CONTINUE_PROMPT = "Continue exactly where you stopped. Do not repeat anything; answer with HTML only."


@dataclass(frozen=True)
class LinkTarget:
    """A page of the site the outline may link to (never a URL the model invents)."""

    url: str
    title: str


@dataclass(frozen=True)
class OutlineSection:
    heading: str
    note: str = ""
    words: int = 200
    keyphrase: bool = False
    subheadings: tuple[str, ...] = ()
    links: tuple[str, ...] = ()  # URLs among the offered LinkTargets
    images: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "heading": self.heading,
            "note": self.note,
            "words": self.words,
            "keyphrase": self.keyphrase,
            "subheadings": list(self.subheadings),
            "links": list(self.links),
            "images": self.images,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutlineSection:
        return cls(
            heading=str(data.get("heading") or ""),
            note=str(data.get("note") or ""),
            words=int(data.get("words") or 0),
            keyphrase=bool(data.get("keyphrase")),
            subheadings=tuple(str(s) for s in data.get("subheadings") or ()),
            links=tuple(str(s) for s in data.get("links") or ()),
            images=int(data.get("images") or 0),
        )


@dataclass(frozen=True)
class OutlineDraft:
    sections: list[OutlineSection]
    model: str
    tokens_used: int
    offline: bool


@dataclass(frozen=True)
class SectionText:
    html: str  # sanitized
    model: str
    tokens_used: int
    calls: int  # provider calls it took (continuations after a length stop included)
    offline: bool


@dataclass(frozen=True)
class ArticleFrame:
    """The introduction and the meta data of a draft written section by section."""

    title: str
    meta_title: str
    meta_description: str
    slug: str
    html: str  # the introduction, sanitized
    model: str
    tokens_used: int
    offline: bool


@dataclass(frozen=True)
class OutlineRequest:
    brief: ArticleBrief
    links: list[LinkTarget] = field(default_factory=list)
    images: int = 2  # in-article images the article should get


# --- cleaning a model's outline ---------------------------------------------------------------------

_SPACE = re.compile(r"[\x00-\x1f\x7f-\x9f\s]+")


def one_line(value: Any, limit: int) -> str:
    """One line of a model's answer: whitespace and control characters collapse to single spaces."""
    return _SPACE.sub(" ", value).strip()[:limit] if isinstance(value, str) else ""


def _int(value: Any, low: int, high: int, default: int) -> int:
    try:
        return max(low, min(high, int(value)))
    except (TypeError, ValueError):
        return default


def clean_sections(raw: Any, request: OutlineRequest) -> list[OutlineSection]:
    """Sections a model proposed, trimmed to the limits; links not offered are dropped."""
    offered = {link.url for link in request.links}
    sections: list[OutlineSection] = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not one_line(item.get("heading"), MAX_HEADING):
            continue
        subs = item.get("subheadings") if isinstance(item.get("subheadings"), list) else []
        links = item.get("links") if isinstance(item.get("links"), list) else []
        sections.append(
            OutlineSection(
                heading=one_line(item["heading"], MAX_HEADING),
                note=one_line(item.get("note"), MAX_NOTE),
                words=_int(item.get("words"), MIN_WORDS, MAX_WORDS, 200),
                keyphrase=bool(item.get("keyphrase")),
                subheadings=tuple(s for s in (one_line(x, MAX_HEADING) for x in subs) if s)[:MAX_SUBHEADINGS],
                links=tuple(dict.fromkeys(u for u in links if isinstance(u, str) and u in offered)),
                images=_int(item.get("images"), 0, MAX_IMAGES, 0),
            )
        )
    return sections[:MAX_SECTIONS]


# --- prompts (OpenAI-compatible models) ------------------------------------------------------------


def brief_lines(brief: ArticleBrief) -> str:
    """The piece's brief, then the site's style guide (links come from the outline, so the brief's link
    candidates are not repeated here)."""
    values = prompt_values(brief)
    voice = f"\n\n{brief.style_guide.strip()}" if brief.style_guide.strip() else ""
    return (
        f"Title: {values['title']}\nBrief: {values['description']}\n"
        f"Primary keyword: {values['primary_keyword']}\nSecondary keywords: {values['secondary_keywords']}\n"
        f"Content type: {values['content_structure']} ({values['content_type']})\n"
        f"Target length: about {values['word_count']} words{voice}"
    )


def outline_prompt(request: OutlineRequest) -> str:
    links = "\n".join(f"- {link.url} ({link.title})" for link in request.links) or "(none)"
    return (
        f"Plan the outline of this piece.\n\n{brief_lines(request.brief)}\n"
        f"In-article images: {request.images}\n\nInternal links you may place (use these URLs only):\n{links}"
    )


def section_prompt(brief: ArticleBrief, sections: list[OutlineSection], index: int) -> str:
    section = sections[index]
    plan = "\n".join(f"{n}. {s.heading}" for n, s in enumerate(sections, start=1))
    subs = "; ".join(section.subheadings) or "(none)"
    links = ", ".join(section.links) or "(none)"
    return (
        f"Write section {index + 1} of {len(sections)} of this piece.\n\n{brief_lines(brief)}\n\n"
        f"The whole outline:\n{plan}\n\nSection heading (H2): {section.heading}\nSubheadings (H3): {subs}\n"
        f"Intent: {section.note or '(none)'}\nSection length: about {section.words} words\n"
        f"Use the primary keyword here: {'yes' if section.keyphrase else 'no, unless it is natural'}\n"
        f"Link to these URLs (and no others): {links}"
    )


def intro_prompt(brief: ArticleBrief, sections: list[OutlineSection]) -> str:
    plan = "\n".join(f"{n}. {s.heading}" for n, s in enumerate(sections, start=1))
    return (
        f"Write the introduction and the meta data of this piece.\n\n{brief_lines(brief)}\n\nOutline:\n{plan}"
    )


OUTLINE_SYSTEM = """\
You are an SEO editor planning an article. Answer with one JSON object {"sections": [...]}: 3 to 8 H2 \
sections in reading order (the last one a conclusion). Each section: heading (the H2 text), note (one \
sentence: what the section must achieve), words (target words), keyphrase (true where the primary \
keyword belongs: the first section and at least one more heading), subheadings (H3 texts, may be \
empty), links (internal link URLs chosen only from the list given, may be empty) and images (0 to 3 \
in-article images for the section)."""

SECTION_SYSTEM = """\
You are an experienced SEO writer writing one section of a longer article. Answer with the section \
as clean HTML only (no JSON, no markdown): start with <h2>heading</h2>, use <h3> for the given \
subheadings, <p>, <ul>, <ol>, <li>, <strong>, <em>, <a>, <blockquote>. No <h1>, no introduction to \
the whole article, no conclusion unless this section is one."""

INTRO_SYSTEM = """\
You are an experienced SEO writer. Answer with one JSON object with these keys: title (the headline), \
meta_title (at most 60 characters), meta_description (121 to 156 characters, containing the primary \
keyword), slug (lowercase words joined by hyphens) and html (the introduction only: one or two <p> \
paragraphs using the primary keyword in the first sentence; no headings)."""

_SECTION_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["heading", "note", "words", "keyphrase", "subheadings", "links", "images"],
    "properties": {
        "heading": {"type": "string"},
        "note": {"type": "string"},
        "words": {"type": "integer"},
        "keyphrase": {"type": "boolean"},
        "subheadings": {"type": "array", "items": {"type": "string"}},
        "links": {"type": "array", "items": {"type": "string"}},
        "images": {"type": "integer"},
    },
}
OUTLINE_SCHEMA: dict[str, Any] = {
    "name": "article_outline",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["sections"],
        "properties": {"sections": {"type": "array", "items": _SECTION_ITEM}},
    },
}
INTRO_SCHEMA: dict[str, Any] = {
    "name": "article_intro",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["title", "meta_title", "meta_description", "slug", "html"],
        "properties": {
            k: {"type": "string"} for k in ("title", "meta_title", "meta_description", "slug", "html")
        },
    },
}
