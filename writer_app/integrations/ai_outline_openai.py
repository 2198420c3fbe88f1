"""Outline-first drafting against an OpenAI-compatible server (used by OpenAIProvider's methods).

Sections are asked for as plain HTML, not JSON, so a section the model stopped at its length limit
(finish_reason "length") can be continued where it stopped instead of being thrown away.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from writer_app.integrations.ai import AIInvalidOutputError, AITruncatedError, ArticleBrief, slugify
from writer_app.integrations.ai_outline import (
    CONTINUE_PROMPT,
    INTRO_SCHEMA,
    INTRO_SYSTEM,
    OUTLINE_SCHEMA,
    OUTLINE_SYSTEM,
    SECTION_SYSTEM,
    ArticleFrame,
    OutlineDraft,
    OutlineRequest,
    OutlineSection,
    SectionText,
    clean_sections,
    intro_prompt,
    one_line,
    outline_prompt,
    section_prompt,
)
from writer_app.text.html import html_to_text, sanitize_html

if TYPE_CHECKING:
    from writer_app.integrations.ai_openai import OpenAIProvider

MAX_CONTINUATIONS = 2


def generate_outline(provider: OpenAIProvider, request: OutlineRequest) -> OutlineDraft:
    messages = [
        {"role": "system", "content": OUTLINE_SYSTEM},
        {"role": "user", "content": outline_prompt(request)},
    ]
    data, tokens = provider._chat_json(messages, OUTLINE_SCHEMA, what="outline")
    sections = clean_sections(data.get("sections"), request)
    if not sections:
        raise AIInvalidOutputError("The AI answer had no usable outline sections, so it was not used.")
    return OutlineDraft(sections=sections, model=provider.model, tokens_used=tokens, offline=False)


def write_intro(
    provider: OpenAIProvider, brief: ArticleBrief, sections: list[OutlineSection]
) -> ArticleFrame:
    messages = [
        {"role": "system", "content": INTRO_SYSTEM},
        {"role": "user", "content": intro_prompt(brief, sections)},
    ]
    data, tokens = provider._chat_json(messages, INTRO_SCHEMA, what="introduction")
    title = _text(data.get("title")) or brief.title
    html = sanitize_html(str(data.get("html") or ""))
    return ArticleFrame(
        title=title,
        meta_title=_text(data.get("meta_title")) or title,
        meta_description=_text(data.get("meta_description")),
        slug=slugify(_text(data.get("slug")) or title),
        html=html,
        model=provider.model,
        tokens_used=tokens,
        offline=False,
    )


def write_section(
    provider: OpenAIProvider, brief: ArticleBrief, sections: list[OutlineSection], index: int
) -> SectionText:
    """One section as HTML; a length stop is continued (up to MAX_CONTINUATIONS more calls)."""
    messages: list[dict[str, str]] = [
        {"role": "system", "content": SECTION_SYSTEM},
        {"role": "user", "content": section_prompt(brief, sections, index)},
    ]
    parts: list[str] = []
    tokens = calls = 0
    while True:
        content, finish, used = _chat_text(provider, messages)
        calls += 1
        tokens += used
        parts.append(content)
        if finish != "length":
            break
        if calls > MAX_CONTINUATIONS:
            raise AITruncatedError(
                f"Section {index + 1} (“{sections[index].heading}”) still stopped at the model's length "
                f"limit after {MAX_CONTINUATIONS} continuations; shorten its target words."
            )
        messages = [
            *messages,
            {"role": "assistant", "content": content},
            {"role": "user", "content": CONTINUE_PROMPT},
        ]
    html = sanitize_html(_unfence("".join(parts)))
    if not html_to_text(html):
        raise AIInvalidOutputError(f"The AI wrote no readable text for section {index + 1}.")
    return SectionText(html=html, model=provider.model, tokens_used=tokens, calls=calls, offline=False)


def _chat_text(provider: OpenAIProvider, messages: list[dict[str, str]]) -> tuple[str, str, int]:
    response: Any = provider._call(
        lambda: provider.client.chat.completions.create(model=provider.model, messages=messages)  # type: ignore[arg-type]
    )
    if not response.choices:
        raise AIInvalidOutputError("The AI server answered without any section text.")
    choice = response.choices[0]
    if choice.finish_reason == "content_filter":
        raise AIInvalidOutputError("The AI provider's content filter blocked a section.")
    tokens = response.usage.total_tokens if response.usage else 0
    return choice.message.content or "", choice.finish_reason or "stop", tokens


def _unfence(text: str) -> str:
    """Some models wrap HTML in a ```html fence although asked not to."""
    stripped = text.strip()
    if stripped.startswith("```"):
        stripped = stripped.split("\n", 1)[1] if "\n" in stripped else ""
        stripped = stripped.rsplit("```", 1)[0]
    return stripped


def _text(value: Any) -> str:
    return one_line(value, 1000)  # one line, control characters (PostgreSQL refuses NUL) removed
