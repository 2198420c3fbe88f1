"""One fixer per failing check that has one: it picks what the model gets (a field, or the few blocks
the check is about) and says what the result must achieve. Checks that share a field (the two SEO
title checks, the two meta description checks, the two alt text checks) make one call together.

    requests = plan(draft, failing_keys, link_targets)     # [(checks, FixRequest)], one call each
    changes = changes_for(draft, checks, request, answer)  # what that answer would change
    draft = apply_changes(draft, changes)
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from math import ceil
from typing import NamedTuple

from writer_app.integrations.ai_fixes import FixAnswer, FixBlock, FixRequest
from writer_app.services.ai_fixes.blocks import BodyBlock, join_blocks, split_blocks
from writer_app.services.identity.accounts import slugify
from writer_app.services.validation import ContentInput
from writer_app.services.validation.keyphrase import Keyphrase
from writer_app.services.validation.language import has_transition, is_passive
from writer_app.services.validation.readability import PARAGRAPH_MAX, SECTIONS
from writer_app.services.validation.seo import META_MAX, META_MIN, TITLE_MAX_PX
from writer_app.services.validation.text import split_sentences

MAX_BLOCKS = 12  # a fix never sends more of the body than this


class Link(NamedTuple):
    """A page a fix may link to: one of the site's inventory, or an allowed outbound source."""

    url: str
    title: str
    outbound: bool = False


# Checks that share one call, in the order their fixer is named.
GROUPS: tuple[tuple[str, ...], ...] = (
    ("seo_title_length", "keyphrase_in_seo_title"),
    ("meta_description_length", "keyphrase_in_meta_description"),
    ("keyphrase_in_slug",),
    ("keyphrase_in_introduction",),
    ("keyphrase_in_subheadings",),
    ("subheading_distribution",),
    ("paragraph_length",),
    ("passive_voice",),
    ("transition_words",),
    ("image_alt_attributes", "keyphrase_in_image_alt"),
    ("internal_links",),
    ("outbound_links",),
)
FIXABLE = frozenset(key for group in GROUPS for key in group)
FIELD_CHECKS = frozenset(GROUPS[0] + GROUPS[1] + GROUPS[2])


@dataclass(frozen=True)
class Change:
    """One change a fix makes: a field's new value, or one body block's replacement HTML."""

    id: str
    checks: tuple[str, ...]
    field: str  # "meta_title", "meta_description", "slug" or "html"
    block: str  # the block id for body changes, "" for fields
    old: str
    new: str

    def to_dict(self) -> dict[str, object]:
        return {**dataclasses.asdict(self), "checks": list(self.checks)}

    @classmethod
    def from_dict(cls, data: dict[str, object]) -> Change:
        return cls(**{**data, "checks": tuple(data.get("checks") or ())})  # type: ignore[arg-type]


def _goal(key: str, draft: ContentInput) -> str:
    section_max = SECTIONS[draft.cornerstone][0]
    return {
        "seo_title_length": f"an SEO title under {TITLE_MAX_PX} px wide (about 55 characters)",
        "keyphrase_in_seo_title": "an SEO title that starts with the keyphrase",
        "meta_description_length": f"a meta description of {META_MIN + 1}–{META_MAX} characters",
        "keyphrase_in_meta_description": "a meta description holding the keyphrase once or twice",
        "keyphrase_in_slug": "a slug holding every keyphrase word",
        "keyphrase_in_introduction": "the first paragraph holds the keyphrase within one sentence",
        "keyphrase_in_subheadings": "these subheadings reflect the keyphrase (without stuffing it)",
        "subheading_distribution": f"H2 subheadings at least every {section_max} words of this section",
        "paragraph_length": f"no paragraph over {PARAGRAPH_MAX} words (split them)",
        "passive_voice": "the listed sentences in the active voice",
        "transition_words": "the listed sentences start with or contain a transition word",
        "image_alt_attributes": "every image has a short, descriptive alt text",
        "keyphrase_in_image_alt": "the image alt text reflects the keyphrase",
        "internal_links": "one natural link to one of the listed pages of this site",
        "outbound_links": "one natural link to one of the listed outside sources",
    }[key]


def _blocks(chosen: Sequence[BodyBlock]) -> tuple[FixBlock, ...]:
    return tuple(FixBlock(b.id, b.html) for b in chosen[:MAX_BLOCKS])


def _spread(items: list[BodyBlock], count: int) -> list[BodyBlock]:
    """`count` items spread evenly over the list, in order."""
    if count >= len(items):
        return items
    return [items[(i * len(items)) // count] for i in range(count)]


def _text_blocks(blocks: list[BodyBlock]) -> list[BodyBlock]:
    return [b for b in blocks if b.tag in ("p", "ul", "ol", "blockquote") and b.words]


def _paragraphs(blocks: list[BodyBlock]) -> list[BodyBlock]:
    return [b for b in blocks if b.tag == "p" and b.words]


@dataclass(frozen=True)
class Pick:
    """What a body fix is about: the blocks to send, and the sentences, links or limit it needs."""

    blocks: list[BodyBlock]
    sentences: tuple[str, ...] = ()
    links: tuple[Link, ...] = ()
    limit: int = 0
    check: str = ""  # when another fixer does the work (no subheadings at all: add some)


def _introduction(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    return Pick(_paragraphs(blocks)[:1])


def _subheadings(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    headings = [b for b in blocks if b.heading_level in (2, 3)]
    if not headings:
        pick = _sections(draft, blocks, links)
        return Pick(pick.blocks, limit=pick.limit, check="subheading_distribution") if pick else None
    kp = Keyphrase.parse(draft.keyphrase)
    missing = [h for h in headings if kp.fraction_of_words_in(h.text) <= 0.5]
    want = max(1, round(len(headings) / 2)) - (len(headings) - len(missing))
    # Too many subheadings holding it: taking words out is the editor's call.
    return Pick(_spread(missing, want)) if want > 0 else None


def _sections(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    limit = SECTIONS[draft.cornerstone][0]
    sections: list[list[BodyBlock]] = [[]]
    for block in blocks:
        if block.heading_level:
            sections.append([])
        else:
            sections[-1].append(block)
    long = [b for s in sections if sum(x.words for x in s) > limit for b in s if b.tag == "p"]
    return Pick(long, limit=limit)


def _long_paragraphs(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    return Pick([b for b in _paragraphs(blocks) if b.words > PARAGRAPH_MAX], limit=PARAGRAPH_MAX)


def _with_sentences(found: list[tuple[BodyBlock, str]]) -> Pick:
    chosen = list(dict.fromkeys(b for b, _ in found))[:MAX_BLOCKS]
    return Pick(chosen, sentences=tuple(s for b, s in found if b in chosen))


def _passive(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    found = [(b, s) for b in _text_blocks(blocks) for s in split_sentences(b.text) if is_passive(s)]
    return _with_sentences(found)


def _transitions(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    units = [(b, s) for b in blocks for s in split_sentences(b.text)]
    # A little over the 30% the check wants, so one round is enough.
    need = ceil(0.35 * len(units)) - sum(has_transition(s) for _, s in units)
    plain = [(b, s) for b, s in units if b.tag in ("p", "ul", "ol") and not has_transition(s)]
    count = min(need, len(plain))
    if count <= 0:
        return None
    return _with_sentences([plain[(i * len(plain)) // count] for i in range(count)])


def _images(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    return Pick([b for b in blocks if "<img" in b.html.lower()])


def _link_pick(blocks: list[BodyBlock], links: Sequence[Link], outbound: bool, third: int) -> Pick | None:
    chosen = tuple((link[0], link[1]) for link in map(tuple, links) if Link(*link).outbound == outbound)[:5]
    if not chosen:
        return None  # nothing allowed to link to: never invent a page or a source
    middle = _paragraphs(blocks)[1:] or _paragraphs(blocks)
    at = (third * len(middle)) // 3  # internal at a third, outbound at two thirds: both fit in one round
    return Pick(middle[at : at + 1], links=chosen)


def _internal_link(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    return _link_pick(blocks, links, outbound=False, third=1)


def _outbound_link(draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]) -> Pick | None:
    return _link_pick(blocks, links, outbound=True, third=2)


PICKERS: dict[str, Callable[[ContentInput, list[BodyBlock], Sequence[Link]], Pick | None]] = {
    "keyphrase_in_introduction": _introduction,
    "keyphrase_in_subheadings": _subheadings,
    "subheading_distribution": _sections,
    "paragraph_length": _long_paragraphs,
    "passive_voice": _passive,
    "transition_words": _transitions,
    "image_alt_attributes": _images,
    "keyphrase_in_image_alt": _images,
    "internal_links": _internal_link,
    "outbound_links": _outbound_link,
}


def _body_request(
    key: str, draft: ContentInput, blocks: list[BodyBlock], links: Sequence[Link]
) -> FixRequest | None:
    pick = PICKERS[key](draft, blocks, links)
    if pick is None or not pick.blocks:
        return None
    check = pick.check or key
    return FixRequest(
        check=check,
        goal=_goal(check, draft),
        target="body",
        keyphrase=draft.keyphrase,
        title=draft.title,
        blocks=_blocks(pick.blocks),
        sentences=pick.sentences,
        links=pick.links,
        limit=pick.limit,
    )


def _field_request(key: str, draft: ContentInput, goal: str) -> FixRequest:
    if key == "keyphrase_in_slug":
        field, current = "slug", draft.slug
    elif "meta_description" in key:
        field, current = "meta_description", draft.meta_description
    else:
        field, current = "meta_title", draft.effective_seo_title
    summary = " ".join(b.text for b in split_blocks(draft.html)[:3])[:600]
    return FixRequest(
        check=key,
        goal=goal,
        target=field,  # type: ignore[arg-type]
        keyphrase=draft.keyphrase,
        title=draft.title,
        current=current,
        summary=summary,
    )


def plan(
    draft: ContentInput, failing: Sequence[str], links: Sequence[Link] = ()
) -> list[tuple[tuple[str, ...], FixRequest]]:
    """One request per group of failing checks that has a fixer (and something to work on)."""
    wanted = set(failing)
    blocks = split_blocks(draft.html)
    out: list[tuple[tuple[str, ...], FixRequest]] = []
    for group in GROUPS:
        keys = tuple(k for k in group if k in wanted)
        if not keys:
            continue
        if keys[0] in FIELD_CHECKS:
            request: FixRequest | None = _field_request(
                keys[0], draft, "; ".join(_goal(k, draft) for k in keys)
            )
        else:
            request = _body_request(
                keys[-1] if "keyphrase_in_image_alt" in keys else keys[0], draft, blocks, links
            )
        if request is not None:
            out.append((keys, request))
    return out


def changes_for(
    draft: ContentInput, checks: tuple[str, ...], request: FixRequest, answer: FixAnswer
) -> list[Change]:
    """The changes an answer makes (ids are given by the round); an unchanged value is no change."""
    if request.target != "body":
        value = answer.value.strip()
        if request.target == "slug":
            value = slugify(value, 255) if value else ""
        old = {"meta_title": draft.seo_title, "meta_description": draft.meta_description, "slug": draft.slug}[
            request.target
        ]
        if not value or value == old:
            return []
        return [Change("", checks, request.target, "", old, value[:2000])]
    sent = {b.id: b.html for b in request.blocks}
    out = []
    for block_id, html in answer.blocks.items():
        if block_id in sent and html.strip() != sent[block_id].strip():
            out.append(Change("", checks, "html", block_id, sent[block_id], html))
    return out


def apply_changes(draft: ContentInput, changes: Sequence[Change]) -> ContentInput:
    """The draft with the changes made. Body changes name blocks of the draft's current body."""
    fields: dict[str, str] = {}
    replacements: dict[str, str] = {}
    for change in changes:
        if change.field == "html":
            replacements.setdefault(change.block, change.new)  # two fixes of one block: the first wins
        else:
            fields["seo_title" if change.field == "meta_title" else change.field] = change.new
    if replacements:
        fields["html"] = fixed_body(draft.html, replacements)
    return dataclasses.replace(draft, **fields)


def fixed_body(html: str, replacements: dict[str, str]) -> str:
    """The body with some blocks replaced by their fixes (saved through after_generation.save_fixed)."""
    return join_blocks(split_blocks(html), replacements)
