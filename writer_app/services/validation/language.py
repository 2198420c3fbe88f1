"""English word knowledge for the checks: function words, transition words, passive voice, abbreviations."""

from __future__ import annotations

import gzip
import re
from functools import cache
from pathlib import Path

from .wordlists import FIRST_WORD_EXCEPTIONS as _FIRST_WORD_EXCEPTIONS
from .wordlists import FUNCTION_WORDS as _FUNCTION_WORDS
from .wordlists import TRANSITION_PHRASES as _TRANSITION_PHRASES
from .wordlists import TRANSITION_WORDS as _TRANSITION_WORDS
from .wordlists import TWO_PART_TRANSITIONS


def _words(text: str) -> frozenset[str]:
    """Word lists are written as prose-like blocks for readability."""
    return frozenset(text.split())


# Yoast's English lists (wordlists.py): function words, transition words and phrases, sentence openings.
FUNCTION_WORDS = _FUNCTION_WORDS
TRANSITION_WORDS = _TRANSITION_WORDS
TRANSITION_PHRASES = tuple(sorted(_TRANSITION_PHRASES))
FIRST_WORD_EXCEPTIONS = _FIRST_WORD_EXCEPTIONS
PASSIVE_TABLE = Path(__file__).with_name("passive_en.tsv.gz")

# A full stop after these does not end the sentence (compared lowercase, without the dot).
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sr jr st mt ft vs cf al ca approx dept est fig figs inc ltd co corp no nos
    vol vols pp jan feb apr aug sep sept oct nov dec ed eds rev gen col lt sgt capt
    """
)

_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def lower_tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


@cache
def _passive_lists() -> dict[str, frozenset[str]]:
    """Yoast's English passive-voice lists (passive_en.tsv.gz: "list<TAB>word" lines, from yoastseo 3.6.0)."""
    lists: dict[str, set[str]] = {}
    with gzip.open(PASSIVE_TABLE, "rt", encoding="utf-8") as lines:
        for line in lines:
            name, word = line.rstrip("\n").split("\t")
            lists.setdefault(name, set()).add(word)
    return {name: frozenset(words) for name, words in lists.items()}


_CLAUSE_TOKEN = re.compile(r"[^\W_]+(?:['’-][^\W_]+)*|[,:]", re.UNICODE)
_ING_EXCLUSIONS = frozenset({"king", "cling", "ring", "being", "thing", "something", "anything"})


def is_passive(sentence: str) -> bool:
    """Yoast's English rule: a clause opened by a form of "to be"/"get" holds a past participle.

    Clauses end at the next auxiliary, stop word ("because", "which", ...), comma or colon, or verb in
    -ing. A participle (a word in -ed or an irregular one) does not count when it is really an adjective
    ("excited", "located"), follows certain words directly ("the", "my", "all", ...) or comes after a
    word that cannot stand between auxiliary and participle ("have", "seem", ...).
    """
    lists = _passive_lists()
    aux, stop = lists["auxiliaries"], lists["stopwords"]
    words = [w.lower().replace("’", "'") for w in _CLAUSE_TOKEN.findall(sentence)]
    longest_stop = max((len(w.split()) for w in stop), default=1)

    def breaks(i: int) -> bool:
        w = words[i]
        if w in aux or w in (",", ":") or w.endswith(("'ll", "'ve")):
            return True
        if len(w) > 3 and w.endswith("ing") and w not in _ING_EXCLUSIONS:
            return True
        return any(" ".join(words[i : i + n]) in stop for n in range(1, longest_stop + 1))

    for i, word in enumerate(words):
        if word not in aux:
            continue
        end = next((j for j in range(i + 1, len(words)) if breaks(j)), len(words))
        clause = words[i + 1 : end]
        for j, w in enumerate(clause):
            if not ((len(w) > 2 and w.endswith("ed")) or w in lists["irregulars"]):
                continue
            if w in lists["non_verbs_ending_ed"]:
                continue
            if w == "rid" and word in ("get", "gets", "getting", "got", "gotten"):
                continue
            if j and clause[j - 1] in lists["not_directly_before"]:
                continue
            if any(b in lists["not_between"] for b in clause[:j]):
                continue
            return True
    return False


def has_transition(sentence: str) -> bool:
    """A transition word or phrase, or both parts of a pair ("not only ... but also") in order."""
    tokens = lower_tokens(sentence)
    if any(t in TRANSITION_WORDS for t in tokens):
        return True
    joined = f" {' '.join(tokens)} "
    if any(f" {phrase} " in joined for phrase in TRANSITION_PHRASES):
        return True
    for first, second in TWO_PART_TRANSITIONS:
        at = joined.find(f" {first} ")
        if at >= 0 and f" {second} " in joined[at + len(first) + 1 :]:
            return True
    return False


def sentence_beginning(sentence: str) -> str:
    """First word, or first two when the first is an article, numeral or demonstrative."""
    tokens = lower_tokens(sentence)
    if not tokens:
        return ""
    if tokens[0] in FIRST_WORD_EXCEPTIONS and len(tokens) > 1:
        return f"{tokens[0]} {tokens[1]}"
    return tokens[0]
