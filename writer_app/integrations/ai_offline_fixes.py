"""Deterministic fixes for the offline provider: plain text rules, so `make run` shows the whole
write-to-checks loop without a key (and tests know exactly what a fix does).

They work on what the request carries only: the field's value, or the blocks and sentences the
service picked. Checks without a rule here answer with nothing changed.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from html import escape

from writer_app.integrations.ai import slugify
from writer_app.integrations.ai_fixes import FixRequest

TITLE_CHARS = 52  # about 500 px in search results: well inside the 600 px limit
META_LOW, META_HIGH = 125, 150
ALT_CHARS = 120
TRANSITIONS = ("Also, ", "For example, ", "In addition, ", "As a result, ", "However, ", "Therefore, ")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"])")
_IMG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_ALT = re.compile(r'\salt\s*=\s*"[^"]*"', re.IGNORECASE)

Rule = Callable[[FixRequest], tuple[str, dict[str, str]]]


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clip(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0] if " " in text[:limit] else text[:limit]
    return cut.rstrip(" ,;:–-")


def _seo_title(request: FixRequest) -> tuple[str, dict[str, str]]:
    kw = request.keyphrase.strip()
    title = (request.current or request.title).strip()
    rest = re.sub(re.escape(kw), "", title, flags=re.IGNORECASE).strip(" :–-,") if kw else title
    text = f"{_cap(kw)}: {rest}" if kw and rest else _cap(kw) or title
    return _clip(text, TITLE_CHARS), {}


def _meta_description(request: FixRequest) -> tuple[str, dict[str, str]]:
    kw = request.keyphrase.strip() or request.title.strip()
    topic = request.title.strip().rstrip(".!?")
    text = _clip(f"{_cap(kw)}: {topic}.", 90)
    for tail in (
        "A practical guide with clear steps and examples.",
        "Learn what works, what to avoid and how to start today.",
        "Tips you can use now.",
    ):
        if len(text) + 1 + len(tail) <= META_HIGH:
            text = f"{text} {tail}"
    while len(text) < META_LOW:
        text = f"{text} Read on."
    return text, {}


def _slug(request: FixRequest) -> tuple[str, dict[str, str]]:
    return slugify(request.keyphrase) or slugify(request.title) or "article", {}


def _introduction(request: FixRequest) -> tuple[str, dict[str, str]]:
    kw = request.keyphrase.strip()
    lead = f"This guide is about {escape(kw, quote=False)}. "
    return "", {b.id: re.sub(r"^(\s*<p[^>]*>)", r"\g<1>" + lead, b.html, count=1) for b in request.blocks}


def _subheadings(request: FixRequest) -> tuple[str, dict[str, str]]:
    kw = escape(request.keyphrase.strip(), quote=False)
    return "", {
        b.id: re.sub(r"(</h[23]>)\s*$", f": {kw}\\1", b.html.strip(), count=1) for b in request.blocks
    }


def _split_paragraphs(request: FixRequest) -> tuple[str, dict[str, str]]:
    limit = request.limit or 150
    out: dict[str, str] = {}
    for block in request.blocks:
        inner = re.sub(r"^\s*<p[^>]*>|</p>\s*$", "", block.html)
        sentences = _SENTENCE_END.split(inner.strip())
        parts: list[list[str]] = [[]]
        for sentence in sentences:
            words = sum(len(s.split()) for s in parts[-1])
            if parts[-1] and words + len(sentence.split()) > min(limit, 90):
                parts.append([])
            parts[-1].append(sentence)
        out[block.id] = "".join(f"<p>{' '.join(p)}</p>" for p in parts if p)
    return "", out


def _add_subheadings(request: FixRequest) -> tuple[str, dict[str, str]]:
    """A new H2 before every block that would make the section too long (a paragraph too long on
    its own is split first)."""
    limit = request.limit or 300
    split = _split_paragraphs(FixRequest(**{**request.__dict__, "limit": limit}))[1]
    out: dict[str, str] = {}
    words = 0
    for n, block in enumerate(request.blocks):
        pieces = re.findall(r"<p>.*?</p>", split.get(block.id, block.html), re.DOTALL) or [block.html]
        html = ""
        for piece in pieces:
            size = len(re.sub(r"<[^>]+>", " ", piece).split())
            if words and words + size > limit * 0.8:
                html += f"<h2>{'More to know' if n % 2 else 'Key points'}</h2>"
                words = 0
            html += piece
            words += size
        out[block.id] = html
    return "", out


def _drop_sentences(request: FixRequest) -> tuple[str, dict[str, str]]:
    """Passive sentences are left out where the block keeps other text (rewriting voice needs a model)."""
    out: dict[str, str] = {}
    for block in request.blocks:
        html = block.html
        for sentence in request.sentences:
            if sentence in html:
                shorter = re.sub(r"\s{2,}", " ", html.replace(sentence, "")).replace("<p> ", "<p>")
                if re.sub(r"<[^>]+>", "", shorter).strip():
                    html = shorter
        out[block.id] = html
    return "", out


def _transitions(request: FixRequest) -> tuple[str, dict[str, str]]:
    out: dict[str, str] = {}
    n = 0
    for block in request.blocks:
        html = block.html
        for sentence in request.sentences:
            if sentence in html and sentence[:1].isupper():
                lowered = sentence if sentence.startswith("I ") else sentence[:1].lower() + sentence[1:]
                html = html.replace(sentence, TRANSITIONS[n % len(TRANSITIONS)] + lowered, 1)
                n += 1
        out[block.id] = html
    return "", out


def _alt_texts(request: FixRequest) -> tuple[str, dict[str, str]]:
    alt = escape(_clip(f"{_cap(request.keyphrase.strip())}: {request.title.strip()}", ALT_CHARS))

    def with_alt(match: re.Match[str]) -> str:
        tag = _ALT.sub("", match.group(0))
        return tag[:4] + f' alt="{alt}"' + tag[4:]

    return "", {b.id: _IMG.sub(with_alt, b.html) for b in request.blocks}


def _link(request: FixRequest) -> tuple[str, dict[str, str]]:
    if not request.links:
        return "", {}  # nothing allowed to link to: never invent an address
    url, title = request.links[0]
    text = f' Read more in <a href="{escape(url)}">{escape(title, quote=False)}</a>.'
    blocks = request.blocks[:1]
    return "", {b.id: re.sub(r"(</p>)\s*$", text + r"\1", b.html.strip(), count=1) for b in blocks}


RULES: dict[str, Rule] = {
    "seo_title_length": _seo_title,
    "keyphrase_in_seo_title": _seo_title,
    "meta_description_length": _meta_description,
    "keyphrase_in_meta_description": _meta_description,
    "keyphrase_in_slug": _slug,
    "keyphrase_in_introduction": _introduction,
    "keyphrase_in_subheadings": _subheadings,
    "paragraph_length": _split_paragraphs,
    "subheading_distribution": _add_subheadings,
    "passive_voice": _drop_sentences,
    "transition_words": _transitions,
    "image_alt_attributes": _alt_texts,
    "keyphrase_in_image_alt": _alt_texts,
    "internal_links": _link,
    "outbound_links": _link,
}


def offline_fix(request: FixRequest) -> tuple[str, dict[str, str]]:
    """(new field value, {block id: html}) for the request; unchanged when no rule applies."""
    rule = RULES.get(request.check)
    if rule is None:
        return request.current, {}
    return rule(request)
