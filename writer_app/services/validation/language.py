"""English word knowledge for the checks: function words, transition words, passive voice, abbreviations."""

from __future__ import annotations

import re


def _words(text: str) -> frozenset[str]:
    """Word lists are written as prose-like blocks for readability."""
    return frozenset(text.split())


# Words that carry little meaning on their own; a keyphrase is judged and matched on its other words.
FUNCTION_WORDS = _words(
    """
    a an the this that these those my your his her its our their mine yours hers ours theirs
    i me we us you he him she it they them who whom whose which what whatever whichever whoever
    am is are was were be been being do does did doing done have has had having
    can could may might must shall should will would ought
    and or but nor so yet if then else than because although though while whereas unless until
    about above across after against along among around at before behind below beneath beside
    between beyond by down during except for from in inside into near of off on onto out outside
    over past since through throughout till to toward towards under underneath up upon via with
    within without
    all any both each either every few many more most much neither no none other others several
    some such own same too very just also only even still again ever never not
    how when where why here there now once
    one two three four five six seven eight nine ten first second third
    s t don doesn didn isn aren wasn weren won wouldn can't cannot
    get gets got getting make makes made let lets
    """
)

# Single-word transitions; a sentence that contains one reads as connected to its neighbour.
TRANSITION_WORDS = _words(
    """
    accordingly additionally admittedly afterward afterwards albeit also alternatively although
    altogether another basically because before besides but certainly chiefly clearly comparatively
    concurrently consequently conversely correspondingly despite during earlier emphatically equally
    especially eventually evidently explicitly finally firstly following formerly forthwith fourthly
    further furthermore generally hence henceforth however identically importantly indeed initially
    instead lastly later lest likewise markedly meanwhile moreover namely naturally nevertheless next
    nonetheless nor notably notwithstanding obviously occasionally otherwise overall particularly
    presently previously rather regardless secondly shortly significantly similarly simultaneously
    since so soon specifically straightaway subsequently surely surprisingly then thereafter thereby
    therefore thereupon thirdly though thus till typically ultimately undeniably undoubtedly unless
    unlike unquestionably until usually when whenever whereas while yet
    """
)

# Multi-word transitions, matched on whole words.
_PHRASES = """
    above all, after all, after that, all in all, all of a sudden, all things considered, analogous to,
    as a consequence, as a matter of fact, as a result, as an illustration, as long as, as much as,
    as shown above, as soon as, as well as, at first, at last, at least, at the same time, because of,
    but also, by all means, by and large, by comparison, by contrast, by the same token, compared to,
    due to, equally important, even if, even so, even though, ever since, except for, first of all,
    for example, for instance, for one thing, for the most part, for this reason, from time to time,
    given that, granted that, in addition, in any case, in any event, in brief, in conclusion,
    in contrast, in fact, in general, in light of, in order to, in other words, in particular,
    in short, in spite of, in summary, in that case, in the end, in the first place, in the long run,
    in the meantime, in the same way, in view of, instead of, last but not least, most importantly,
    not only, not to mention, on condition that, on the contrary, on the other hand, on the whole,
    once again, only if, provided that, rather than, so as to, so far, so that, such as,
    that is to say, to begin with, to conclude, to illustrate, to put it differently, to sum up,
    to summarize, to this end, to be sure, until now, with regard to, with this in mind
"""
TRANSITION_PHRASES = tuple(" ".join(p.split()) for p in _PHRASES.split(","))

# First words that say little alone: "The cat… The dog…" are different beginnings, so look one word further.
FIRST_WORD_EXCEPTIONS = _words(
    "a an the this that these those one two three four five six seven eight nine ten"
)

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
    tokens = lower_tokens(sentence)
    if any(t in TRANSITION_WORDS for t in tokens):
        return True
    joined = f" {' '.join(tokens)} "
    return any(f" {phrase} " in joined for phrase in TRANSITION_PHRASES)


def sentence_beginning(sentence: str) -> str:
    """First word, or first two when the first is an article, numeral or demonstrative."""
    tokens = lower_tokens(sentence)
    if not tokens:
        return ""
    if tokens[0] in FIRST_WORD_EXCEPTIONS and len(tokens) > 1:
        return f"{tokens[0]} {tokens[1]}"
    return tokens[0]
