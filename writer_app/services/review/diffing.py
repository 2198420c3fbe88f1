"""Readable diffs for editors: HTML bodies compared block by block (one paragraph, heading or list item
per line), changed lines refined to a word diff. Built on difflib from the standard library."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Literal

Kind = Literal["equal", "insert", "delete", "replace", "skip"]

BLOCK_TAGS = {
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "blockquote",
    "pre",
    "figcaption",
    "caption",
    "td",
    "th",
    "dt",
    "dd",
    "div",
}
_LABELS = {"h1": "H1", "h2": "H2", "h3": "H3", "h4": "H4", "h5": "H5", "h6": "H6", "li": "•"}
_LABELS.update({"blockquote": "Quote", "pre": "Code", "figcaption": "Caption", "td": "Cell", "th": "Cell"})
_TOKEN = re.compile(r"\s+|\w+|[^\w\s]")


@dataclass
class Segment:
    kind: Literal["equal", "insert", "delete"]
    text: str


@dataclass
class DiffLine:
    """One line of a diff: a whole block inserted/deleted/unchanged, or a word diff of a changed block.
    kind "skip" stands for `skipped` unchanged lines left out between changes."""

    kind: Kind
    segments: list[Segment] = field(default_factory=list)
    skipped: int = 0


class _Blocks(HTMLParser):
    """Visible text of HTML as one line per block, prefixed with the block's kind (H2, •, Quote)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.stack: list[str] = []
        self.parts: list[str] = []

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self.parts)).strip()
        self.parts = []
        if text:
            label = next((_LABELS[t] for t in reversed(self.stack) if t in _LABELS), "")
            self.lines.append(f"{label} {text}" if label else text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
            self.stack.append(tag)
        elif tag == "img":
            self._flush()
            alt = dict(attrs).get("alt") or ""
            self.lines.append(f"[image: {alt}]" if alt else "[image without alt text]")
        elif tag == "br":
            self.parts.append(" ")
        elif tag == "hr":
            self._flush()
            self.lines.append("———")

    def handle_endtag(self, tag: str) -> None:
        if tag in BLOCK_TAGS:
            self._flush()
            if tag in self.stack:
                del self.stack[len(self.stack) - 1 - self.stack[::-1].index(tag)]

    def handle_data(self, data: str) -> None:
        self.parts.append(data)

    def close(self) -> None:
        super().close()
        self._flush()


def html_lines(html: str | None) -> list[str]:
    """The blocks of an HTML fragment as readable text lines."""
    parser = _Blocks()
    parser.feed(html or "")
    parser.close()
    return parser.lines


def word_diff(old: str, new: str) -> list[Segment]:
    """Word-level segments turning `old` into `new` (whitespace kept so the text reads naturally)."""
    a, b = _TOKEN.findall(old), _TOKEN.findall(new)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(None, a, b, autojunk=False).get_opcodes():
        if op == "equal":
            _add(segments, "equal", "".join(a[i1:i2]))
        else:
            _add(segments, "delete", "".join(a[i1:i2]))
            _add(segments, "insert", "".join(b[j1:j2]))
    return segments


def _add(segments: list[Segment], kind: Literal["equal", "insert", "delete"], text: str) -> None:
    if not text:
        return
    if segments and segments[-1].kind == kind:
        segments[-1].text += text
    else:
        segments.append(Segment(kind, text))


def line_diff(old_lines: list[str], new_lines: list[str], context: int = 2) -> list[DiffLine]:
    """Lines of `old` vs `new`; unchanged runs longer than 2×context are collapsed into a skip line."""
    out: list[DiffLine] = []
    matcher = difflib.SequenceMatcher(None, old_lines, new_lines, autojunk=False)
    for op, i1, i2, j1, j2 in matcher.get_opcodes():
        if op == "equal":
            out.extend(
                _context(
                    old_lines[i1:i2],
                    context,
                    first=i1 == j1 == 0,
                    last=(i2, j2) == (len(old_lines), len(new_lines)),
                )
            )
        elif op == "replace":
            old_chunk, new_chunk = old_lines[i1:i2], new_lines[j1:j2]
            for k in range(max(len(old_chunk), len(new_chunk))):
                if k < len(old_chunk) and k < len(new_chunk):
                    out.append(DiffLine("replace", word_diff(old_chunk[k], new_chunk[k])))
                elif k < len(old_chunk):
                    out.append(DiffLine("delete", [Segment("delete", old_chunk[k])]))
                else:
                    out.append(DiffLine("insert", [Segment("insert", new_chunk[k])]))
        elif op == "delete":
            out.extend(DiffLine("delete", [Segment("delete", line)]) for line in old_lines[i1:i2])
        else:
            out.extend(DiffLine("insert", [Segment("insert", line)]) for line in new_lines[j1:j2])
    return out


def _context(lines: list[str], context: int, *, first: bool, last: bool) -> list[DiffLine]:
    keep_head = 0 if first else context
    keep_tail = 0 if last else context
    if len(lines) <= keep_head + keep_tail + 1:
        return [DiffLine("equal", [Segment("equal", line)]) for line in lines]
    head = [DiffLine("equal", [Segment("equal", line)]) for line in lines[:keep_head]]
    tail = [DiffLine("equal", [Segment("equal", line)]) for line in lines[len(lines) - keep_tail :]]
    return [*head, DiffLine("skip", skipped=len(lines) - keep_head - keep_tail), *tail]


def html_diff(old_html: str | None, new_html: str | None, context: int = 2) -> list[DiffLine]:
    """Readable diff of two HTML bodies: block lines, changed blocks as word diffs."""
    return line_diff(html_lines(old_html), html_lines(new_html), context)
