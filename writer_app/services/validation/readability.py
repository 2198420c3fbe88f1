"""Readability checks (English). Each returns a result, or None when the text is too short to judge."""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache

from pyphen import Pyphen  # type: ignore[import-untyped]

from . import syllable_table
from .context import Context, Sentence
from .language import has_transition, is_passive, sentence_beginning
from .model import CheckResult, Status, make_result, status_of

# Words per section without a subheading (good up to, then ok up to), and where subheadings start
# being needed; cornerstone content is held to 250/300.
SECTIONS = {False: (300, 350), True: (250, 300)}
PARAGRAPH_MAX, PARAGRAPH_LIMIT = 150, 200
LONG_SENTENCE_WORDS = 20
LONG_SENTENCES = {False: (25.0, 30.0), True: (20.0, 25.0)}  # % of sentences: good up to, ok up to
PASSIVE_MAX, PASSIVE_LIMIT = 10.0, 15.0
TRANSITION_MIN, TRANSITION_FAIR, TRANSITION_MIN_WORDS = 30.0, 20.0, 200
CONSECUTIVE_MAX = 2  # more sentences than this in a row may not start with the same word
TEXT_PRESENCE_CHARS = 50
FLESCH_GOOD, FLESCH_FAIR = 60.0, 50.0
_FLESCH_WORD = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*", re.UNICODE)  # numbers carry no syllables


def _pct(part: int, whole: int) -> float:
    return round(100 * part / whole, 1) if whole else 0.0


def _points(value: float, good_max: float, fair_max: float) -> int:
    return 9 if value <= good_max else 6 if value <= fair_max else 3


def subheading_distribution(ctx: Context) -> CheckResult:
    key = "subheading_distribution"
    good_max, fair_max = SECTIONS[ctx.content.cornerstone]
    target = f"at most {good_max} words per section"
    # Sections: running text between headings; the text before the first heading is a section too.
    sections: list[tuple[int, str, bool]] = []  # words, anchor, before the first heading
    words, anchor, has_heading = 0, "", False
    for block in ctx.doc.blocks:
        if block.heading_level:
            if words:
                sections.append((words, anchor or "body", not has_heading))
            has_heading = True
            words, anchor = 0, ""
        else:
            words += block.word_count
            anchor = anchor or (block.anchor if block.p_index else "")
    if words:
        sections.append((words, anchor or "body", not has_heading))
    total = ctx.word_count
    if total <= good_max:
        return make_result(
            key,
            "good",
            f"The text has {total} words, short enough for any subheadings.",
            total,
            target,
            "body",
            9,
        )
    if not has_heading:
        return make_result(
            key,
            "problem",
            f"The text has {total} words and no subheadings; add one at least every {good_max} words.",
            total,
            target,
            "body",
            2,
        )
    too_long = sum(s[0] > good_max for s in sections)
    first = next((s for s in sections if s[2]), None)
    if first and first[0] > good_max and too_long < 2:
        longest, where = first[0], first[1]
    else:
        longest, where, _ = max(sections, key=lambda s: s[0])
    points = _points(longest, good_max, fair_max)
    return make_result(
        key,
        status_of(points),
        f"The longest section without a subheading has {longest} words; aim for at most {good_max}.",
        longest,
        target,
        where if points < 9 else "body",
        points,
    )


def paragraph_length(ctx: Context) -> CheckResult:
    paragraphs = [p for p in ctx.doc.paragraphs if p.word_count]
    longest = max(paragraphs, key=lambda p: p.word_count) if paragraphs else None
    n = longest.word_count if longest else 0
    points = _points(n, PARAGRAPH_MAX, PARAGRAPH_LIMIT)
    status = status_of(points)
    return make_result(
        "paragraph_length",
        status,
        f"The longest paragraph has {n} words; aim for at most {PARAGRAPH_MAX}.",
        n,
        f"at most {PARAGRAPH_MAX} words per paragraph",
        longest.anchor if longest and status != "good" else "body",
        points,
    )


def _first_anchor(sentences: list[Sentence]) -> str:
    return sentences[0].block.anchor if sentences else "body"


def sentence_length(ctx: Context) -> CheckResult:
    sentences = ctx.sentences_and_headings
    good_max, fair_max = LONG_SENTENCES[ctx.content.cornerstone]
    long = [s for s in sentences if s.words > LONG_SENTENCE_WORDS]
    share = _pct(len(long), len(sentences))
    points = _points(share, good_max, fair_max)
    return make_result(
        "sentence_length",
        status_of(points),
        f"{share:g}% of sentences have more than {LONG_SENTENCE_WORDS} words; aim for at most {good_max:g}%.",
        share,
        f"at most {good_max:g}% of sentences over {LONG_SENTENCE_WORDS} words",
        _first_anchor(long) if points < 9 else "body",
        points,
    )


def passive_voice(ctx: Context) -> CheckResult:
    sentences = ctx.sentences_and_headings
    passive = [s for s in sentences if is_passive(s.text)]
    share = _pct(len(passive), len(sentences))
    points = _points(share, PASSIVE_MAX, PASSIVE_LIMIT)
    status = status_of(points)
    return make_result(
        "passive_voice",
        status,
        f"{share:g}% of sentences use the passive voice; aim for at most {PASSIVE_MAX:g}%.",
        share,
        f"at most {PASSIVE_MAX:g}% of sentences",
        _first_anchor(passive) if status != "good" else "body",
        points,
    )


def transition_words(ctx: Context) -> CheckResult:
    sentences = ctx.sentences_and_headings
    share = _pct(sum(has_transition(s.text) for s in sentences), len(sentences))
    target = f"at least {TRANSITION_MIN:g}% of sentences"
    if ctx.word_count < TRANSITION_MIN_WORDS:
        return make_result(
            "transition_words",
            "good",
            f"{share:g}% of sentences contain a transition word; texts under "
            f"{TRANSITION_MIN_WORDS} words need not have any.",
            share,
            target,
            "body",
            9,
        )
    points = 9 if share >= TRANSITION_MIN else 6 if share >= TRANSITION_FAIR else 3
    return make_result(
        "transition_words",
        status_of(points),
        f"{share:g}% of sentences contain a transition word; aim for {target}.",
        share,
        target,
        "body",
        points,
    )


def consecutive_sentences(ctx: Context) -> CheckResult:
    # List items are left out: a list's items may well start alike.
    sentences = [s for s in ctx.sentences_and_headings if s.block.tag != "li"]
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
            9,
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
        3,
    )


def text_presence(ctx: Context) -> CheckResult | None:
    """Shown only when there is next to no text: under 50 characters."""
    chars = len(" ".join(b.text for b in ctx.doc.blocks).strip())
    if chars >= TEXT_PRESENCE_CHARS:
        return None
    return make_result(
        "text_presence",
        "problem",
        "The text is far too short to analyse; write at least a few sentences.",
        chars,
        f"at least {TEXT_PRESENCE_CHARS} characters",
        "body",
        3,
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
    text_presence,
    consecutive_sentences,
    flesch_reading_ease,
]
