"""Readability checks (English). Each returns a result, or None when the text is too short to judge."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pyphen import Pyphen  # type: ignore[import-untyped]

from . import syllable_table
from .context import Context, Sentence
from .language import has_transition, is_passive, sentence_beginning
from .model import CheckResult, Status, make_result

SECTION_MAX, SECTION_LIMIT = 300, 350  # words without a subheading: good up to, improve up to
PARAGRAPH_MAX, PARAGRAPH_LIMIT = 150, 200
LONG_SENTENCE_WORDS = 20
LONG_SENTENCES_MAX, LONG_SENTENCES_LIMIT = 25.0, 30.0  # % of sentences
PASSIVE_MAX, PASSIVE_LIMIT = 10.0, 15.0
TRANSITION_MIN, TRANSITION_FAIR, TRANSITION_MIN_WORDS = 30.0, 20.0, 200
CONSECUTIVE_MAX = 2  # more sentences than this in a row may not start with the same word
FLESCH_GOOD, FLESCH_FAIR = 60.0, 50.0
_FLESCH_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)  # numbers carry no syllables


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _band(value: float, good_max: float, fair_max: float) -> Status:
    return "good" if value <= good_max else "improve" if value <= fair_max else "problem"


def subheading_distribution(ctx: Context) -> CheckResult | None:
    key, target = "subheading_distribution", f"at most {SECTION_MAX} words per section"
    # Sections: running text between headings; the text before the first heading is a section too.
    sections: list[tuple[int, str]] = []
    words, anchor, has_heading = 0, "", False
    for block in ctx.doc.blocks:
        if block.heading_level:
            has_heading = True
            if words:
                sections.append((words, anchor or "body"))
            words, anchor = 0, ""
        else:
            words += block.word_count
            anchor = anchor or (block.anchor if block.p_index else "")
    if words:
        sections.append((words, anchor or "body"))
    if not sections:
        return None
    if not has_heading:
        total = sections[0][0]
        status: Status = "good" if total <= SECTION_MAX else "problem"
        message = (
            f"The text has {total} words and no subheadings, which is fine for a short text."
            if status == "good"
            else f"The text has {total} words and no subheadings; add subheadings "
            f"at least every {SECTION_MAX} words."
        )
        return make_result(key, status, message, total, target, "body")
    longest, where = max(sections, key=lambda s: s[0])
    status = _band(longest, SECTION_MAX, SECTION_LIMIT)
    return make_result(
        key,
        status,
        f"The longest section without a subheading has {longest} words; aim for at most {SECTION_MAX}.",
        longest,
        target,
        where if status != "good" else "body",
    )


def paragraph_length(ctx: Context) -> CheckResult | None:
    paragraphs = [p for p in ctx.doc.paragraphs if p.word_count]
    if not paragraphs:
        return None
    longest = max(paragraphs, key=lambda p: p.word_count)
    n = longest.word_count
    status = _band(n, PARAGRAPH_MAX, PARAGRAPH_LIMIT)
    return make_result(
        "paragraph_length",
        status,
        f"The longest paragraph has {n} words; aim for at most {PARAGRAPH_MAX}.",
        n,
        f"at most {PARAGRAPH_MAX} words per paragraph",
        longest.anchor if status != "good" else "body",
    )


def _first_anchor(sentences: list[Sentence]) -> str:
    return sentences[0].block.anchor if sentences else "body"


def sentence_length(ctx: Context) -> CheckResult | None:
    sentences = ctx.sentences
    if not sentences:
        return None
    long = [s for s in sentences if s.words > LONG_SENTENCE_WORDS]
    share = _pct(len(long), len(sentences))
    status = _band(share, LONG_SENTENCES_MAX, LONG_SENTENCES_LIMIT)
    return make_result(
        "sentence_length",
        status,
        f"{share:g}% of sentences have more than "
        f"{LONG_SENTENCE_WORDS} words; aim for at most {LONG_SENTENCES_MAX:g}%.",
        share,
        f"at most {LONG_SENTENCES_MAX:g}% of sentences over {LONG_SENTENCE_WORDS} words",
        _first_anchor(long) if status != "good" else "body",
    )


def passive_voice(ctx: Context) -> CheckResult | None:
    sentences = ctx.sentences
    if not sentences:
        return None
    passive = [s for s in sentences if is_passive(s.text)]
    share = _pct(len(passive), len(sentences))
    status = _band(share, PASSIVE_MAX, PASSIVE_LIMIT)
    return make_result(
        "passive_voice",
        status,
        f"{share:g}% of sentences use the passive voice; aim for at most {PASSIVE_MAX:g}%.",
        share,
        f"at most {PASSIVE_MAX:g}% of sentences",
        _first_anchor(passive) if status != "good" else "body",
    )


def transition_words(ctx: Context) -> CheckResult | None:
    sentences = ctx.sentences
    if not sentences or ctx.word_count < TRANSITION_MIN_WORDS:
        return None
    share = _pct(sum(has_transition(s.text) for s in sentences), len(sentences))
    status: Status = (
        "good" if share >= TRANSITION_MIN else "improve" if share >= TRANSITION_FAIR else "problem"
    )
    return make_result(
        "transition_words",
        status,
        f"{share:g}% of sentences contain a transition word; aim for at least {TRANSITION_MIN:g}%.",
        share,
        f"at least {TRANSITION_MIN:g}% of sentences",
        "body",
    )


def consecutive_sentences(ctx: Context) -> CheckResult | None:
    sentences = ctx.sentences
    if not sentences:
        return None
    runs: list[tuple[int, int]] = []  # (start index, length) of runs longer than allowed
    start = 0
    beginnings = [sentence_beginning(s.text) for s in sentences]
    for i in range(1, len(sentences) + 1):
        if i == len(sentences) or beginnings[i] != beginnings[start]:
            if i - start > CONSECUTIVE_MAX and beginnings[start]:
                runs.append((start, i - start))
            start = i
    target = f"at most {CONSECUTIVE_MAX} sentences in a row starting with the same word"
    if not runs:
        return make_result(
            "consecutive_sentences",
            "good",
            "No three consecutive sentences start with the same word.",
            0,
            target,
            "body",
        )
    first, length = max(runs, key=lambda r: r[1])
    word = beginnings[first]
    return make_result(
        "consecutive_sentences",
        "problem",
        f"{length} consecutive sentences start with \u201c{word}\u201d; vary how sentences begin.",
        len(runs),
        target,
        sentences[first].block.anchor,
    )


@cache
def _cmu_exceptions() -> dict[str, int]:
    """Words the CMU dictionary counts differently from Pyphen (see syllable_table)."""
    return syllable_table.load()


@cache
def _hyphenator() -> Pyphen:
    return Pyphen(lang="en_US")


def syllables(word: str) -> int:
    """Syllables the way textstat counts English: CMU dictionary vowels, else Pyphen hyphenation points + 1.

    textstat itself fetches the CMU data through NLTK's downloader at run time, which an offline server
    cannot do, so the same two sources are read directly here.
    """
    word = word.lower()
    known = _cmu_exceptions().get(word)
    return known if known is not None else syllable_table.pyphen_count(_hyphenator(), word)


def flesch_score(sentences: list[str]) -> float:
    """Flesch reading ease: 206.835 - 1.015 x words per sentence - 84.6 x syllables per word."""
    words = [w for s in sentences for w in _FLESCH_WORD.findall(s)]
    if not sentences or not words:
        return 0.0
    per_sentence = len(words) / len(sentences)
    per_word = sum(syllables(w) for w in words) / len(words)
    return round(206.835 - 1.015 * per_sentence - 84.6 * per_word, 1)


def flesch_status(score: float) -> Status:
    return "good" if score >= FLESCH_GOOD else "improve" if score >= FLESCH_FAIR else "problem"


def flesch_reading_ease(ctx: Context) -> CheckResult | None:
    sentences = ctx.sentences
    if not sentences:
        return None
    score = flesch_score([s.text for s in sentences])
    status = flesch_status(score)
    return make_result(
        "flesch_reading_ease",
        status,
        f"The text scores {score:g} on the Flesch reading ease test; aim for {FLESCH_GOOD:g} or more.",
        score,
        f"at least {FLESCH_GOOD:g}",
        "body",
    )


READABILITY_CHECKS: list[Callable[[Context], CheckResult | None]] = [
    subheading_distribution,
    paragraph_length,
    sentence_length,
    passive_voice,
    transition_words,
    consecutive_sentences,
    flesch_reading_ease,
]
