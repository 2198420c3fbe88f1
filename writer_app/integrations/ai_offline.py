"""The offline provider: deterministic, readable drafts and Pillow placeholder images, no network.

Used when no API key is configured (development, demos, tests). The same brief always gives the same
draft, so pages and tests are stable; the UI labels the result "offline draft" from `offline=True`.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from dataclasses import asdict, dataclass
from html import escape

from writer_app.integrations.ai import (
    ArticleBrief,
    ArticleDraft,
    GeneratedImage,
    ImagePrompt,
    ImagePromptBrief,
    slugify,
)
from writer_app.integrations.ai_fixes import FixAnswer, FixRequest
from writer_app.integrations.ai_images import draw_placeholder
from writer_app.integrations.ai_offline_fixes import offline_fix
from writer_app.integrations.ai_offline_text import (
    FAQ_QUESTIONS,
    KIND,
    LISTS,
    META_TAILS,
    PLANS,
    SENTENCES,
    STEP_TITLES,
    Section,
)
from writer_app.integrations.ai_outline import (
    ArticleFrame,
    OutlineDraft,
    OutlineRequest,
    OutlineSection,
    SectionText,
)
from writer_app.text.html import sanitize_html, word_count

MODEL = "offline"
META_TITLE_MAX = 60
META_DESCRIPTION_RANGE = (120, 156)
_SENTENCES_PER_PARAGRAPH = 4


class OfflineProvider:
    name = "offline"

    def generate_article(self, brief: ArticleBrief, prompt: str) -> ArticleDraft:
        # The prompt is for language models; the offline writer works from the brief alone.
        writer = _Writer(brief)
        title = brief.title.strip() or writer.values["Kw"]
        html = sanitize_html(writer.article_html())
        return ArticleDraft(
            title=title,
            meta_title=meta_title(title),
            meta_description=meta_description(brief.primary_keyword, title),
            primary_keyword=brief.primary_keyword,
            secondary_keywords=brief.secondary_keywords[:8],
            slug=slugify(title) or slugify(brief.primary_keyword) or "draft",
            html=html,
            model=MODEL,
            tokens_used=0,
            offline=True,
        )

    def generate_image_prompts(self, brief: ImagePromptBrief) -> list[ImagePrompt]:
        kw = brief.primary_keyword.strip() or brief.title.strip().lower()
        prompts = [
            ImagePrompt(
                image_type="featured",
                prompt=f"Editorial illustration for an article titled “{brief.title}”, about {kw}; "
                "clean composition, soft natural light, no text in the image",
                alt_text=_clip(f"Illustration of {kw} for the article “{brief.title}”", 125),
                position=0,
            )
        ]
        sentences = [s.strip() for s in re.split(r"(?<=[.!?])\s+", brief.excerpt) if len(s.split()) >= 4]
        alt_forms = ("{Kw} in practice: {scene}", "Example of {kw}: {scene}", "{scene}, a key part of {kw}")
        for i in range(1, max(0, brief.in_article_count) + 1):
            source = (
                sentences[(i * len(sentences)) // (brief.in_article_count + 1)] if sentences else brief.title
            )
            scene = " ".join(source.rstrip(".!?").split()[:10])
            alt = alt_forms[(i - 1) % len(alt_forms)].format(kw=kw, Kw=_cap(kw), scene=scene)
            prompts.append(
                ImagePrompt(
                    image_type="in_article",
                    prompt=f"Photo-style illustration of: {scene.lower()}; in the context of {kw}, "
                    "realistic setting, no text in the image",
                    alt_text=_clip(_cap(alt), 125),
                    position=i,
                )
            )
        return prompts

    def generate_image(self, prompt: str, width: int, height: int) -> GeneratedImage:
        return GeneratedImage(data=draw_placeholder(prompt, width, height), model=MODEL, offline=True)

    def close(self) -> None:
        """Nothing to release; present so callers can treat every provider alike."""

    # Outline first (ai_outline_offline.py; imported late: it builds on this module's writer).
    def generate_outline(self, request: OutlineRequest) -> OutlineDraft:
        from writer_app.integrations import ai_outline_offline

        return ai_outline_offline.generate_outline(request)

    def write_section(self, brief: ArticleBrief, sections: list[OutlineSection], index: int) -> SectionText:
        from writer_app.integrations import ai_outline_offline

        return ai_outline_offline.write_section(brief, sections, index)

    def write_intro(self, brief: ArticleBrief, sections: list[OutlineSection]) -> ArticleFrame:
        from writer_app.integrations import ai_outline_offline

        return ai_outline_offline.write_intro(brief, sections)

    def fix_content(self, request: FixRequest) -> FixAnswer:
        value, blocks = offline_fix(request)
        clean = {key: sanitize_html(html) for key, html in blocks.items()}
        return FixAnswer(value=value, blocks=clean, model=MODEL, tokens_used=0, offline=True)


@dataclass
class _Slot:
    """A run of paragraphs to fill: its role picks the sentences, its weight its share of the length."""

    role: str
    weight: float
    html: str = ""


class _Writer:
    def __init__(self, brief: ArticleBrief) -> None:
        self.brief = brief
        seed = hashlib.sha256(json.dumps(asdict(brief), sort_keys=True).encode("utf-8")).digest()
        self.rng = random.Random(int.from_bytes(seed[:8], "big"))  # same brief → same draft
        structure = (brief.content_structure or "article").strip().lower().replace(" ", "_").replace("-", "_")
        self.plan: list[Section] = PLANS.get(structure, PLANS["article"])
        kw = brief.primary_keyword
        self.secondary = brief.secondary_keywords or [kw]
        self.values = {
            "kw": kw,
            "Kw": _cap(kw),
            "cluster": brief.cluster_name.strip() or kw,
            "kind": KIND.get(structure, "article"),
        }
        self._sec_index = 0
        self._decks: dict[str, list[str]] = {}

    # Filling text -----------------------------------------------------------------------------

    def fill(self, text: str) -> str:
        sec = self.secondary[self._sec_index % len(self.secondary)]
        self._sec_index += 1
        return escape(text.format(sec=sec, **self.values), quote=False)

    def sentence(self, role: str) -> str:
        """Next sentence for a role; each role's bank is shuffled once, then the general bank follows."""
        deck = self._decks.get(role)
        if not deck:
            deck = list(SENTENCES.get(role, SENTENCES["general"]))
            self.rng.shuffle(deck)
            general = list(SENTENCES["general"])
            self.rng.shuffle(general)
            deck += general
            self._decks[role] = deck
        text = deck.pop(0)
        deck.append(text)
        return self.fill(text)

    def paragraphs(self, role: str, budget: int) -> str:
        sentences: list[str] = []
        words = 0
        while not sentences or words < budget - 6:
            sentence = self.sentence(role)
            sentences.append(sentence)
            words += len(sentence.split())
        chunks = [
            sentences[i : i + _SENTENCES_PER_PARAGRAPH]
            for i in range(0, len(sentences), _SENTENCES_PER_PARAGRAPH)
        ]
        return "".join(f"<p>{' '.join(chunk)}</p>" for chunk in chunks)

    # Building the article ---------------------------------------------------------------------

    def article_html(self) -> str:
        target = self.brief.target_words
        # Pass 1: headings, lists and paragraph slots; pass 2: share the remaining words among the slots.
        parts: list[str | _Slot] = []
        for heading, role, block in self.plan:
            if heading:
                parts.append(f"<h2>{self.fill(heading)}</h2>")
            parts.append(_Slot(role, 0.6 if role in ("intro", "conclusion", "cta", "pitch") else 1.0))
            parts.extend(self.block(block, role, target))
        skeleton = "".join(p for p in parts if isinstance(p, str))
        slots = [p for p in parts if isinstance(p, _Slot)]
        remaining = max(target - word_count(skeleton), 12 * len(slots))
        total_weight = sum(s.weight for s in slots)
        for slot in slots:
            slot.html = self.paragraphs(slot.role, round(remaining * slot.weight / total_weight))
        return "".join(p if isinstance(p, str) else p.html for p in parts)

    def block(self, block: str, role: str, target: int) -> list[str | _Slot]:
        if not block:
            return []
        kind, _, name = block.partition(":")
        items = self.list_items(name, target)
        if kind in ("ul", "ol"):
            return [f"<{kind}>{''.join(f'<li>{item}</li>' for item in items)}</{kind}>"]
        out: list[str | _Slot] = []
        for n, item in enumerate(items, start=1):
            heading = f"Step {n}: {item}" if name == "steps" else item
            out.append(f"<h3>{heading}</h3>")
            out.append(_Slot(role, 0.5))
        return out

    def list_items(self, name: str, target: int) -> list[str]:
        count = 3 if target < 700 else 4 if target < 1500 else 5
        if name == "steps":
            source = STEP_TITLES
        elif name == "faq":
            source = FAQ_QUESTIONS
        elif name == "keywords":
            words = self.secondary if self.brief.secondary_keywords else []
            if words:
                return [escape(_cap(w), quote=False) for w in words[: max(count, 3)]]
            source = STEP_TITLES
        else:
            source = LISTS.get(name, LISTS["checklist"])
        return [self.fill(item) for item in source[:count]]


def meta_title(title: str) -> str:
    return _clip(title.strip(), META_TITLE_MAX, ellipsis="")


def meta_description(keyword: str, title: str) -> str:
    """120–156 characters, opening with the primary keyword so trimming never drops it."""
    low, high = META_DESCRIPTION_RANGE
    topic = title.strip().rstrip(".!?")
    text = _clip(f"{_cap(keyword)} made practical: {topic}.", high)
    for tail in (*META_TAILS, *META_TAILS):
        if len(text) >= low:
            break
        if len(text) + 1 + len(tail) <= high:
            text = f"{text} {tail}"
    while len(text) < low:  # only for unusually short inputs: pad with the shortest tail pieces
        text = f"{text} {META_TAILS[-1]}"[:high]
    return text


def _cap(text: str) -> str:
    return text[:1].upper() + text[1:]


def _clip(text: str, limit: int, ellipsis: str = "…") -> str:
    """Cut at a word boundary so the result (ellipsis included) fits in `limit` characters."""
    if len(text) <= limit:
        return text
    room = limit - len(ellipsis)
    cut = text[:room].rsplit(" ", 1)[0] if " " in text[:room] else text[:room]
    return cut.rstrip(" ,;:–-") + ellipsis
