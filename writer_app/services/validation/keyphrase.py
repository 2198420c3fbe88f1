"""Keyphrase matching as Yoast SEO's free analysis does it for English.

Per-word matching: a text holds the keyphrase when every content word of it (function words such as
"how", "to", "a" left out) occurs in the same sentence, in any order. Words match as typed, ignoring
case (no plurals or other forms: those are Yoast Premium's). A keyphrase in double quotes must occur
exactly, words in order. `same_word` keeps the looser plural-tolerant comparison that duplicate
keyphrase warnings use.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from .wordlists import FUNCTION_WORDS

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
    """Plural-tolerant comparison, for telling whether two keyphrases are the same (duplicates)."""
    return bool(word_forms(a) & word_forms(b))


def tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _MATCH_TOKEN.findall(text or "")]


def _possessive_base(token: str) -> str:
    return token[:-2] if token.endswith("'s") else token


def _matches(token: str, word: str) -> bool:
    # "tokyo's" holds "tokyo": the apostrophe is a word boundary for Yoast's matching.
    return token == word or _possessive_base(token) == word


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
        content = tuple(dict.fromkeys(w for w in words if w not in FUNCTION_WORDS))
        if exact:
            content = words
        return cls(raw, words, content or tuple(dict.fromkeys(words)), exact)

    @property
    def is_set(self) -> bool:
        return bool(self.words)

    @property
    def only_function_words(self) -> bool:
        return self.is_set and not self.exact and all(w in FUNCTION_WORDS for w in self.words)

    @property
    def length(self) -> int:
        """Words Yoast counts for keyphrase length and density: content words, or all when quoted."""
        return 1 if self.exact else len(self.content_words)

    def occurrences(self, text: str) -> int:
        """Times the keyphrase occurs in one sentence: the rarest of its words sets the count."""
        toks = tokens(text)
        if not toks or not self.is_set:
            return 0
        if self.exact:
            n = len(self.words)
            return sum(toks[i : i + n] == list(self.words) for i in range(len(toks) - n + 1))
        return min(sum(_matches(t, w) for t in toks) for w in self.content_words)

    def found_in(self, text: str) -> bool:
        return self.occurrences(text) > 0

    def fraction_of_words_in(self, text: str) -> float:
        """Share of content words present anywhere in the text (order free)."""
        if not self.content_words:
            return 0.0
        if self.exact:
            return 1.0 if self.found_in(text) else 0.0
        toks = tokens(text)
        hits = sum(any(_matches(t, w) for t in toks) for w in self.content_words)
        return hits / len(self.content_words)
