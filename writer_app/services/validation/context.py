"""One parse of the content, shared by all checks."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from writer_app.text.html import sanitize_html, word_count

from .keyphrase import Keyphrase
from .model import ContentInput
from .text import Block, Document, count_words, parse_html, split_sentences


@dataclass(frozen=True)
class Sentence:
    text: str
    block: Block

    @property
    def words(self) -> int:
        return count_words(self.text)


class Context:
    def __init__(self, content: ContentInput) -> None:
        self.content = content
        self.doc: Document = parse_html(content.html)
        self.keyphrase = Keyphrase.parse(content.keyphrase)
        self.word_count = word_count(sanitize_html(content.html))

    @cached_property
    def sentences(self) -> list[Sentence]:
        """Sentences of the running text; headings are labels, not sentences."""
        return [Sentence(s, b) for b in self.doc.body_blocks for s in split_sentences(b.text)]

    @cached_property
    def sentences_and_headings(self) -> list[Sentence]:
        """Every sentence, headings included, in document order: Yoast counts a heading as a sentence."""
        return [Sentence(s, b) for b in self.doc.blocks for s in split_sentences(b.text)]

    @cached_property
    def all_units(self) -> list[str]:
        """Every sentence plus every heading, for counting keyphrase occurrences in the whole text."""
        units = [h.text for h in self.doc.headings]
        return units + [s.text for s in self.sentences]

    @cached_property
    def introduction(self) -> Block | None:
        return next((b for b in self.doc.paragraphs if b.word_count), None)
