"""The body as numbered top-level blocks (a paragraph, a heading, a whole list, a figure), so a fix
can send the model a few blocks and put its answer back in place of exactly those."""

from __future__ import annotations

import re
from dataclasses import dataclass

from writer_app.text.html import html_to_text

_TAG = re.compile(r"<(/?)([a-zA-Z][a-zA-Z0-9]*)\b[^>]*?(/?)>")
_VOID = {"img", "br", "hr", "wbr", "source", "input", "meta", "link"}
HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}


@dataclass(frozen=True)
class BodyBlock:
    id: str  # "b0", "b1"... in document order
    tag: str  # the top-level element ("p", "h2", "ul"), "" for loose text
    html: str

    @property
    def text(self) -> str:
        return html_to_text(self.html)

    @property
    def words(self) -> int:
        return len(self.text.split())

    @property
    def heading_level(self) -> int:
        return int(self.tag[1]) if self.tag in HEADINGS else 0


def split_blocks(html: str) -> list[BodyBlock]:
    """Top-level elements of an HTML fragment, whitespace between them dropped."""
    pieces: list[tuple[str, str]] = []
    depth, start, top = 0, 0, ""
    pos = 0
    for match in _TAG.finditer(html):
        closing, name, selfclosing = match.group(1), match.group(2).lower(), match.group(3)
        if depth == 0 and match.start() > pos and html[pos : match.start()].strip():
            pieces.append(("", html[pos : match.start()].strip()))
        if closing:
            if depth > 0:
                depth -= 1
                if depth == 0:
                    pieces.append((top, html[start : match.end()]))
                    pos = match.end()
            continue
        if name in _VOID or selfclosing:
            if depth == 0:
                pieces.append((name, match.group(0)))
                pos = match.end()
            continue
        if depth == 0:
            start, top = match.start(), name
        depth += 1
    if depth:  # unclosed element: the rest is one block
        pieces.append((top, html[start:]))
    elif html[pos:].strip():
        pieces.append(("", html[pos:].strip()))
    return [BodyBlock(f"b{n}", tag, text) for n, (tag, text) in enumerate(pieces)]


def join_blocks(blocks: list[BodyBlock], replacements: dict[str, str]) -> str:
    """The body with the blocks named in `replacements` replaced (an empty replacement removes one)."""
    return "".join(replacements.get(b.id, b.html) for b in blocks)
