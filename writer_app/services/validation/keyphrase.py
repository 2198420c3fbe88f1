"""Keyphrase matching: case-insensitive, plural- and punctuation-tolerant, all content words present."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .language import FUNCTION_WORDS

# Hyphens and slashes separate words here so "on-page" matches "on page" and slugs split naturally.
_MATCH_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


@cache
def word_forms(word: str) -> frozenset[str]:
    """The word and its plausible singulars: boxes -> box, stories -> story, caches -> cache, cat's -> cat."""
    w = word.lower().replace("’", "'")
    if w.endswith("'s"):
        w = w[:-2]
    w = w.rstrip("'")
    forms = {w}
    if len(w) > 3 and w.endswith("s") and not w.endswith(("ss", "us", "is")):
        forms.add(w[:-1])
        if w.endswith("es"):
            forms.add(w[:-2])
        if len(w) > 4 and w.endswith("ies"):
            forms.add(w[:-3] + "y")
    return frozenset(forms)


def same_word(a: str, b: str) -> bool:
    return bool(word_forms(a) & word_forms(b))


def tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _MATCH_TOKEN.findall(text or "")]


@dataclass(frozen=True)
class Keyphrase:
    """A parsed keyphrase; wrap it in double quotes to require the exact phrase."""

    raw: str
    words: tuple[str, ...]  # every word, in order
    content_words: tuple[str, ...]  # the words that are matched (all words when none is a content word)
    exact: bool

    @classmethod
    def parse(cls, raw: str | None) -> Keyphrase:
        raw = (raw or "").strip()
        exact = len(raw) > 2 and raw[0] in '"“' and raw[-1] in '"”'
        words = tuple(tokens(raw))
        content = tuple(w for w in words if w not in FUNCTION_WORDS)
        return cls(raw, words, content or words, exact)

    @property
    def is_set(self) -> bool:
        return bool(self.words)

    @property
    def only_function_words(self) -> bool:
        return self.is_set and all(w in FUNCTION_WORDS for w in self.words)

    def occurrences(self, text: str) -> int:
        """Times the keyphrase occurs in one sentence or short text: the rarest of its words sets the count."""
        toks = tokens(text)
        if not toks or not self.is_set:
            return 0
        if self.exact:
            n = len(self.words)
            return sum(
                all(same_word(toks[i + k], self.words[k]) for k in range(n)) for i in range(len(toks) - n + 1)
            )
        return min(sum(same_word(t, w) for t in toks) for w in self.content_words)

    def found_in(self, text: str) -> bool:
        return self.occurrences(text) > 0

    def fraction_of_words_in(self, text: str) -> float:
        """Share of content words present anywhere in the text (order free); used for slugs."""
        toks = tokens(text)
        if not self.content_words:
            return 0.0
        hits = sum(any(same_word(t, w) for t in toks) for w in self.content_words)
        return hits / len(self.content_words)

    def at_start_of(self, text: str) -> bool:
        """The whole keyphrase, in order, opens the text (leading function words such as "The" allowed)."""
        toks = tokens(text)
        while toks and toks[0] in FUNCTION_WORDS and not same_word(toks[0], self.words[0]):
            toks = toks[1:]
        n = len(self.words)
        return len(toks) >= n and all(same_word(toks[k], self.words[k]) for k in range(n))
