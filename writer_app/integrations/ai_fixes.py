"""Targeted fixes: what a fix request and its answer look like, and the prompt text for the models.

A fix is one call for one failing check. Field fixes (SEO title, meta description, slug) send the
field's current value; body fixes send only the affected blocks (paragraphs, headings, lists), each
with an id, and get back replacement HTML for those ids. Services decide which blocks are affected;
the providers (ai_openai, ai_offline_fixes) only rewrite what they were given.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

FixTarget = Literal["meta_title", "meta_description", "slug", "body"]


@dataclass(frozen=True)
class FixBlock:
    id: str  # "b3": the block's position in the body, as the service numbered it
    html: str


@dataclass(frozen=True)
class FixRequest:
    check: str  # the check's key, e.g. "meta_description_length"
    goal: str  # what the result must achieve, in one sentence
    target: FixTarget
    keyphrase: str
    title: str
    current: str = ""  # the field's current value (field fixes)
    blocks: tuple[FixBlock, ...] = ()  # body fixes: the affected blocks only
    sentences: tuple[str, ...] = ()  # sentences to rewrite (passive voice, transition words)
    links: tuple[tuple[str, str], ...] = ()  # (url, title): the only link targets allowed
    limit: int = 0  # a number the goal names (words per paragraph, per section)
    summary: str = ""  # the article's opening, for fields that summarise it

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=1)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FixRequest:
        return cls(
            **{
                **data,
                "blocks": tuple(FixBlock(**b) for b in data.get("blocks") or ()),
                "sentences": tuple(data.get("sentences") or ()),
                "links": tuple(tuple(link) for link in data.get("links") or ()),
            }
        )


@dataclass(frozen=True)
class FixAnswer:
    value: str  # the new field value (field fixes); "" for body fixes
    blocks: dict[str, str] = field(default_factory=dict)  # block id → replacement HTML (body fixes)
    model: str = ""
    tokens_used: int = 0
    offline: bool = False


FIX_SCHEMA: dict[str, Any] = {
    "name": "content_fix",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["value", "blocks"],
        "properties": {
            "value": {"type": "string"},
            "blocks": {
                "type": "array",
                "items": {
                    "type": "object",
                    "additionalProperties": False,
                    "required": ["id", "html"],
                    "properties": {"id": {"type": "string"}, "html": {"type": "string"}},
                },
            },
        },
    },
}

FIX_SYSTEM = """\
You are an SEO editor making one small, targeted fix to an article. You get a JSON request: the check \
that fails ("check"), what the result must achieve ("goal"), the primary keyphrase, the article title \
and either the current value of one field ("target" meta_title, meta_description or slug) or some \
blocks of the article body ("target" body), each with an id. Answer with one JSON object: \
{"value": ..., "blocks": [{"id": ..., "html": ...}]}.
- Field fixes: put the new field text in "value" and leave "blocks" empty. A slug is lowercase words \
joined by hyphens.
- Body fixes: "value" is "", and "blocks" holds replacement HTML for the ids you change (a block may \
become several elements, e.g. a paragraph split in two or a new <h2> before it). Change only what the \
goal needs; keep the meaning, the facts, the language and the other links.
- Use only <h2>, <h3>, <p>, <ul>, <ol>, <li>, <strong>, <em>, <a>, <img>, <blockquote>.
- Links: link only to the URLs in "links" (pages of the site, or the outside sources the site \
allows); never any other address. Any other link is removed.
- "sentences" lists the sentences the goal is about; rewrite those (active voice; add a transition \
word such as "for example", "however", "therefore", "also") and leave the others alone."""


def render_fix_prompt(request: FixRequest) -> str:
    """The user message of a fix call: the goal in words, then the request as JSON."""
    return f"Fix the check “{request.check}”: {request.goal}\n\nRequest:\n{request.to_json()}\n"


def request_from_prompt(prompt: str) -> FixRequest | None:
    """The request inside a fix prompt (the offline provider and test servers read it back)."""
    _, marker, rest = prompt.partition("\nRequest:\n")
    if not marker:
        return None
    try:
        return FixRequest.from_dict(json.loads(rest))
    except (ValueError, TypeError):
        return None
