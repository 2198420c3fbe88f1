"""English word knowledge for the checks: function words, transition words, passive voice, abbreviations."""

from __future__ import annotations

import re

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

# A full stop after these does not end the sentence (compared lowercase, without the dot).
ABBREVIATIONS = _words(
    """
    mr mrs ms dr prof sr jr st mt ft vs cf al ca approx dept est fig figs inc ltd co corp no nos
    vol vols pp jan feb apr aug sep sept oct nov dec ed eds rev gen col lt sgt capt
    """
)

_BE_GET = _words("am is are was were be been being get gets got gotten getting isn't aren't wasn't weren't")
# Words that may stand between the auxiliary and the participle: "was not yet seen", "is being built".
_BETWEEN = _words(
    """
    not never also already always just still often being been be then now all both usually rarely
    sometimes frequently generally really very so too quite fully further yet even again
    """
)
IRREGULAR_PARTICIPLES = _words(
    """
    arisen awoken beaten become begun bent bet bid bitten bled blown broken bred brought built
    burnt bought caught chosen clung come cost crept cut dealt dug done drawn dreamt driven drunk
    eaten fallen fed felt fought found fled flung flown forbidden forecast forgotten forgiven
    frozen given gone ground grown hung heard hidden hit held hurt kept knelt known laid led
    leant leapt learnt left lent let lain lit lost made meant met paid proven put quit read rid
    ridden rung risen run said seen sought sold sent set sewn shaken shed shone shot shown shrunk
    shut sung sunk sat slain slept slid slung smelt sown spoken sped spent spilt spun split spoilt
    spread sprung stood stolen stuck stung stunk stridden struck strung sworn swept swollen swum
    swung taken taught torn told thought thrown thrust trodden understood undertaken undone upset
    woken worn woven wed wept won wound withdrawn written overseen overtaken overthrown rebuilt
    redone rewritten mistaken misunderstood outdone
    """
)
# "-ed" words that are not participles.
_ED_NOT_PARTICIPLE = _words(
    """
    bed bred fed fled led red shed sled wed need needs seed speed feed breed deed heed greed weed
    indeed hundred naked sacred wicked rugged ragged wretched beloved crooked kindred shred
    embed exceed proceed succeed
    """
)
_TOKEN = re.compile(r"[^\W_]+(?:['’][^\W_]+)*", re.UNICODE)


def lower_tokens(text: str) -> list[str]:
    return [t.lower().replace("’", "'") for t in _TOKEN.findall(text)]


def _is_participle(word: str) -> bool:
    if word in IRREGULAR_PARTICIPLES:
        return True
    return len(word) >= 4 and word.endswith("ed") and word not in _ED_NOT_PARTICIPLE


def is_passive(sentence: str) -> bool:
    """Heuristic: a form of "to be"/"get", up to two adverbs, then a past participle."""
    tokens = lower_tokens(sentence)
    for i, token in enumerate(tokens):
        if token not in _BE_GET:
            continue
        j, skipped = i + 1, 0
        while j < len(tokens) and skipped < 2 and (tokens[j] in _BETWEEN or tokens[j].endswith("ly")):
            j, skipped = j + 1, skipped + 1
        if j < len(tokens) and _is_participle(tokens[j]):
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
