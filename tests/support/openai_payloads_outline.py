"""Canned answers of the fake OpenAI server for outline-first drafting: the outline (JSON), the
introduction with meta data (JSON) and sections (plain HTML, continued after a length stop).

`answer(messages, schema, kind)` returns the assistant content for these requests, None for others.
A "truncated" section stops half-way with finish_reason "length"; the continuation request (the
partial answer, then "Continue ...") gets exactly the rest, so a continued section reads whole.
"""

from __future__ import annotations

import json
import re
from typing import Any

SECTION_MARK = "Write section "
CONTINUE_MARK = "Continue exactly where you stopped"


def _line(prompt: str, label: str) -> str:
    match = re.search(rf"^{label}:\s*(.+)$", prompt, re.MULTILINE | re.IGNORECASE)
    return match.group(1).strip() if match else ""


def _user(messages: list[dict[str, Any]]) -> str:
    return next((str(m.get("content") or "") for m in messages if m.get("role") == "user"), "")


def outline_payload(prompt: str) -> dict[str, Any]:
    keyword = _line(prompt, "Primary keyword") or "the topic"
    links = re.findall(r"^- (https?://\S+)", prompt, re.MULTILINE)
    headings = [f"What {keyword} is", f"How to choose {keyword}", f"Mistakes with {keyword}", "Conclusion"]
    return {
        "sections": [
            {
                "heading": heading,
                "note": f"Section {n} intent for {keyword}.",
                "words": 120,
                "keyphrase": n in (1, 4),
                "subheadings": ["First step", "Second step"] if n == 2 else [],
                "links": [*links[:1], "https://invented.example/not-offered"] if n == 1 else [],
                "images": 1 if n == 2 else 0,
            }
            for n, heading in enumerate(headings, start=1)
        ]
    }


def intro_payload(prompt: str) -> dict[str, Any]:
    title = _line(prompt, "Title") or "Untitled"
    keyword = _line(prompt, "Primary keyword") or title.lower()
    return {
        "title": title,
        "meta_title": title[:60],
        "meta_description": f"Learn {keyword}: a practical article written section by section, with steps, "
        "examples and the mistakes to avoid."[:156],
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "html": f"<p>INTRO: {keyword} in a few words, before the sections.</p>",
    }


def section_html(prompt: str) -> str:
    number = (re.findall(r"Write section (\d+)", prompt) or ["0"])[0]
    heading = _line(prompt, r"Section heading \(H2\)") or f"Section {number}"
    subs = [s for s in _line(prompt, r"Subheadings \(H3\)").split("; ") if s and s != "(none)"]
    body = (
        f"<p>SECTION {number} body about {heading.lower()}, with enough words to read as a real section.</p>"
    )
    return f"<h2>{heading}</h2>{body}" + "".join(f"<h3>{s}</h3><p>SECTION {number} on {s}.</p>" for s in subs)


def answer(messages: list[dict[str, Any]], schema: str | None, kind: str) -> tuple[str, str] | None:
    """(content, finish_reason) for an outline, introduction or section request; None otherwise."""
    prompt = _user(messages)
    if schema == "article_outline":
        return json.dumps(outline_payload(prompt)), "stop"
    if schema == "article_intro":
        return json.dumps(intro_payload(prompt)), "stop"
    if schema is not None or not prompt.startswith(SECTION_MARK):
        return None
    full = section_html(prompt)
    if messages and str(messages[-1].get("content") or "").startswith(CONTINUE_MARK):
        written = "".join(str(m.get("content") or "") for m in messages if m.get("role") == "assistant")
        rest = full[len(written) :] if full.startswith(written) else full
        if kind == "truncated":
            return rest[: max(1, len(rest) // 2)], "length"
        return rest, "stop"
    if kind == "truncated":
        return full[: len(full) // 2], "length"
    return full, "stop"
