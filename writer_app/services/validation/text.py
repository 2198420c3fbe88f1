"""HTML structure and sentences: what the checks measure, parsed once per analysis."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser

from writer_app.text.html import sanitize_html

from .language import ABBREVIATIONS

# Counts words exactly as writer_app.text.html.word_count does, so totals agree everywhere.
WORD = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*", re.UNICODE)

_HEADINGS = {"h1": 1, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}
# Elements whose text forms one unit; the innermost open one owns the text.
_TEXT_BLOCKS = {"p", "li", "blockquote", "td", "th", "dt", "dd", "figcaption", "caption", "pre", *_HEADINGS}
# Elements that only separate units.
_BOUNDARIES = _TEXT_BLOCKS | {
    "ul",
    "ol",
    "dl",
    "table",
    "thead",
    "tbody",
    "tfoot",
    "tr",
    "figure",
    "div",
    "hr",
}


@dataclass(frozen=True)
class Block:
    tag: str  # innermost text element, or "" for text outside any
    text: str
    p_index: int | None  # 1-based position among <p> elements, for "body:pN" anchors

    @property
    def heading_level(self) -> int | None:
        return _HEADINGS.get(self.tag)

    @property
    def is_paragraph(self) -> bool:
        return self.tag in ("p", "")

    @property
    def anchor(self) -> str:
        return f"body:p{self.p_index}" if self.p_index else "body"

    @property
    def word_count(self) -> int:
        return len(WORD.findall(self.text))


@dataclass(frozen=True)
class Image:
    src: str
    alt: str  # "" when missing or blank


@dataclass
class Link:
    href: str
    text: str
    nofollow: bool


@dataclass
class Document:
    blocks: list[Block] = field(default_factory=list)
    images: list[Image] = field(default_factory=list)
    anchors: list[Link] = field(default_factory=list)

    @property
    def links(self) -> list[str]:
        return [a.href for a in self.anchors]

    @property
    def headings(self) -> list[Block]:
        return [b for b in self.blocks if b.heading_level]

    @property
    def paragraphs(self) -> list[Block]:
        return [b for b in self.blocks if b.is_paragraph]

    @property
    def body_blocks(self) -> list[Block]:
        """Running text: everything but headings."""
        return [b for b in self.blocks if not b.heading_level]


class _Parser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.doc = Document()
        self._open: list[str] = []
        self._buffer: list[str] = []
        self._p_count = 0
        self._p_stack: list[int] = []
        self._link: Link | None = None  # the <a> being read, to collect its text

    def _flush(self) -> None:
        text = re.sub(r"\s+", " ", "".join(self._buffer)).strip()
        self._buffer = []
        if not text:
            return
        tag = next((t for t in reversed(self._open) if t in _TEXT_BLOCKS), "")
        p_index = self._p_stack[-1] if self._p_stack and tag == "p" else None
        self.doc.blocks.append(Block(tag, text, p_index))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: (v or "") for k, v in attrs}
        if tag == "img":
            self.doc.images.append(Image(values.get("src", ""), values.get("alt", "").strip()))
            return
        if tag == "br":
            self._buffer.append(" ")
            return
        if tag == "a" and values.get("href"):
            rel = values.get("rel", "").lower().split()
            self._link = Link(values["href"].strip(), "", "nofollow" in rel)
            self.doc.anchors.append(self._link)
        if tag in _BOUNDARIES:
            self._flush()
            if tag == "p":
                self._p_count += 1
                self._p_stack.append(self._p_count)
            if tag in _TEXT_BLOCKS:
                self._open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        if tag not in _BOUNDARIES:
            return
        self._flush()
        if tag in _TEXT_BLOCKS and tag in self._open:
            # Pop up to the matching element; sanitized HTML is well formed, so this is the top one.
            while self._open:
                closed = self._open.pop()
                if closed == "p" and self._p_stack:
                    self._p_stack.pop()
                if closed == tag:
                    break

    def handle_data(self, data: str) -> None:
        self._buffer.append(data)
        if self._link is not None:
            self._link.text += data

    def close(self) -> None:
        super().close()
        self._flush()


def parse_html(html: str | None) -> Document:
    """Blocks of text, images and links of an HTML body, after the same sanitizing as storage."""
    parser = _Parser()
    parser.feed(sanitize_html(html))
    parser.close()
    return parser.doc


# A candidate end: terminal punctuation, closing quotes/brackets, whitespace, then what follows.
_END = re.compile(r"([.!?…]+)([\"'”’)\]]*)\s+(?=(\S))")
_LAST_TOKEN = re.compile(r"([^\W_]+)$", re.UNICODE)


def split_sentences(text: str) -> list[str]:
    """Split running text into sentences without breaking at decimals, initials or common abbreviations."""
    text = re.sub(r"\s+", " ", unescape(text)).strip()
    if not text:
        return []
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        punctuation, following = match.group(1), match.group(3)
        if following.islower():
            continue  # "e.g. the", "approx. five": a new sentence starts with a capital, digit or quote
        if punctuation == ".":
            last = _LAST_TOKEN.search(text, start, match.start(1))
            word = last.group(1) if last else ""
            if word.lower() in ABBREVIATIONS or (len(word) == 1 and word.isalpha()):
                continue
        sentences.append(text[start : match.end(2)].strip())
        start = match.end()
    tail = text[start:].strip()
    if tail:
        sentences.append(tail)
    return [s for s in sentences if WORD.search(s)]


def count_words(text: str) -> int:
    return len(WORD.findall(text))
