"""SEO checks, each reproducing one assessment of yoastseo 3.6.0 for posts, pages and cornerstone content.

Each returns a result with Yoast's points (`score`) and traffic light, or None when it does not apply.
Deliberate differences from Yoast (README, "Checks"): links to `www.` of the site's own domain count
as internal. Writer-only check: image alt text (every image has one), not part of the score.
"""

from __future__ import annotations

from collections.abc import Callable
from math import ceil, floor

from .context import Context
from .keyphrase import tokens
from .model import CheckResult, make_result, status_of
from .seo_structure import (
    competing_links,
    image_alt_attributes,
    images,
    internal_links,
    keyphrase_in_image_alt,
    outbound_links,
    single_h1,
    text_length,
)
from .text import split_sentences
from .title_width import title_width
from .wordlists import FUNCTION_WORDS

TITLE_SHORT_PX, TITLE_MAX_PX = 400, 600
META_MIN, META_MAX = 120, 156  # good: more than 120 and at most 156 characters
DENSITY_MIN, DENSITY_MAX, DENSITY_WAY_OVER = 0.5, 3.0, 4.0
SHARE_MIN, SHARE_MAX = 0.3, 0.75  # of H2/H3 subheadings (and of 5+ image alts) holding the keyphrase
KEYPHRASE_MAX_WORDS, KEYPHRASE_LIMIT_WORDS = 4, 8
SUBHEADINGS_NEEDED_FROM = {False: 300, True: 250}  # words; cornerstone content needs them earlier


def _kp_missing(key: str, points: int, anchor: str = "primary_keyword") -> CheckResult:
    return make_result(
        key, status_of(points), "No keyphrase is set, so this cannot be checked.", None, "", anchor, points
    )


def keyphrase_length(ctx: Context) -> CheckResult:
    kp, key, target = ctx.keyphrase, "keyphrase_length", "1–4 content words"
    if not kp.is_set:
        return make_result(
            key,
            "problem",
            "No keyphrase is set; set one to analyse the text.",
            0,
            target,
            "primary_keyword",
            -999,
        )
    n = kp.length
    points = 9 if n <= KEYPHRASE_MAX_WORDS else 6 if n <= KEYPHRASE_LIMIT_WORDS else 3
    return make_result(
        key,
        status_of(points),
        f"The keyphrase has {n} content word{'s' * (n != 1)}; aim for 1–4.",
        n,
        target,
        "primary_keyword",
        points,
    )


def keyphrase_function_words(ctx: Context) -> CheckResult | None:
    kp = ctx.keyphrase
    if not kp.only_function_words:
        return None
    return make_result(
        "keyphrase_function_words",
        "problem",
        f"The keyphrase \u201c{kp.raw}\u201d has only function words; add words that carry the topic.",
        len(kp.words),
        "at least one content word",
        "primary_keyword",
        0,
    )


def keyphrase_in_introduction(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_introduction", "keyphrase in one sentence of the first paragraph"
    if not ctx.keyphrase.is_set or not ctx.word_count:
        return (
            _kp_missing(key, 3)
            if not ctx.keyphrase.is_set
            else make_result(key, "problem", "The text has no first paragraph yet.", 0, target, "body", 3)
        )
    intro = ctx.introduction
    if intro is None:
        return make_result(key, "problem", "The text has no first paragraph yet.", 0, target, "body", 3)
    if any(ctx.keyphrase.found_in(s) for s in split_sentences(intro.text)):
        return make_result(
            key, "good", "The keyphrase appears in the first paragraph.", 1, target, intro.anchor, 9
        )
    if ctx.keyphrase.fraction_of_words_in(intro.text) == 1:
        return make_result(
            key,
            "improve",
            "The keyphrase words are in the first paragraph, but not within one sentence.",
            0,
            target,
            intro.anchor,
            6,
        )
    return make_result(
        key, "problem", "The keyphrase does not appear in the first paragraph.", 0, target, intro.anchor, 3
    )


def _recommended_count(kp_length: int, density: float, words: int, upper: bool) -> int:
    """Yoast's recommended keyphrase count for a density: never below 2."""
    count = density * words / (100 * (0.7 + kp_length / 3))
    if count < 2:
        return 2
    return floor(count) if upper else ceil(count)


def keyphrase_density(ctx: Context) -> CheckResult:
    key = "keyphrase_density"
    kp = ctx.keyphrase
    if not kp.is_set:
        return _kp_missing(key, -50, "body")
    if not ctx.word_count:
        return make_result(key, "problem", "There is no text to hold the keyphrase.", 0, "", "body", -50)
    found = sum(kp.occurrences(u) for u in ctx.all_units)
    words = ctx.word_count
    times = f"{found} time{'s' * (found != 1)}"
    if words < 100:
        # Short texts are judged by count: once is right, under 51 words twice is too many.
        most = 2 if words > 50 else 1
        target = f"1–{most} times in a text this short"
        points = 4 if found == 0 else 9 if found <= most else -10 if found == most + 1 else -50
        density = round(100 * found / words, 2)
    else:
        # Longer keyphrases are harder to repeat, so the density is weighted by their length.
        weighted = found / words * 100 * (0.7 + kp.length / 3)  # Yoast's order of operations
        density = round(weighted, 2)
        least = _recommended_count(kp.length, DENSITY_MIN, words, upper=False)
        most = _recommended_count(kp.length, DENSITY_MAX, words, upper=True)
        target = f"{least}–{most} times"
        if found == 0 or weighted < DENSITY_MIN or found == 1:
            points = 4
        elif weighted <= DENSITY_MAX or (found == 2 and least <= 2):
            points = 9
        elif weighted <= DENSITY_WAY_OVER:
            points = -10
        else:
            points = -50
    advice = {9: "", 4: " Use it more often.", -10: " Don't overoptimize.", -50: " Don't overoptimize."}[
        points
    ]
    return make_result(
        key,
        status_of(points),
        f"The keyphrase was found {times}; aim for {target}.{advice}",
        density,
        target,
        "body",
        points,
    )


def keyphrase_in_seo_title(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_seo_title", "keyphrase at the start of the SEO title"
    kp = ctx.keyphrase
    title = ctx.content.effective_seo_title
    if not kp.is_set:
        return _kp_missing(key, 2, "meta_title")
    if not title:
        return make_result(key, "problem", "There is no SEO title.", 0, target, "meta_title", 2)
    toks = tokens(title)
    words = list(kp.words)
    n = len(words)
    positions = [i for i in range(len(toks) - n + 1) if toks[i : i + n] == words]
    # Function words before the keyphrase ("The best tokyo food") do not move it from the start.
    opening = next((i for i, t in enumerate(toks) if t not in FUNCTION_WORDS or t == words[0]), len(toks))
    if positions and positions[0] <= opening:
        return make_result(
            key, "good", "The SEO title starts with the keyphrase.", 1, target, "meta_title", 9
        )
    if positions or (not kp.exact and kp.fraction_of_words_in(title) == 1):
        return make_result(
            key,
            "improve",
            "The SEO title contains the keyphrase, but not at the start.",
            0,
            target,
            "meta_title",
            6,
        )
    return make_result(
        key, "problem", "The SEO title does not contain the keyphrase.", 0, target, "meta_title", 2
    )


def seo_title_length(ctx: Context) -> CheckResult:
    key, target = "seo_title_length", f"at most {TITLE_MAX_PX} px"
    title = ctx.content.effective_seo_title
    px = title_width(title)
    if not title:
        return make_result(key, "problem", "There is no SEO title or title.", 0, target, "meta_title", 1)
    if px > TITLE_MAX_PX:
        message, points = f"The SEO title is {px} px wide; search results cut it after {TITLE_MAX_PX} px.", 3
    elif px <= TITLE_SHORT_PX:
        message, points = f"The SEO title is {px} px wide; a short title is fine, up to {TITLE_MAX_PX} px.", 9
    else:
        message, points = f"The SEO title is {px} px wide, within {TITLE_MAX_PX} px.", 9
    return make_result(key, status_of(points), message, px, target, "meta_title", points)


def meta_description_length(ctx: Context) -> CheckResult:
    key, target = "meta_description_length", f"{META_MIN + 1}–{META_MAX} characters"
    n = len((ctx.content.meta_description or "").strip())
    off = 3 if ctx.content.cornerstone else 6  # cornerstone content is held to the range more strictly
    if n == 0:
        message, points = "There is no meta description; search engines will pick text from the page.", 1
    elif n <= META_MIN:
        message, points = f"The meta description has {n} characters; it is too short, aim for {target}.", off
    elif n > META_MAX:
        message, points = f"The meta description has {n} characters; it is too long, aim for {target}.", off
    else:
        message, points = f"The meta description has {n} characters, within {target}.", 9
    return make_result(key, status_of(points), message, n, target, "meta_description", points)


def keyphrase_in_meta_description(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_meta_description", "once or twice"
    if not ctx.keyphrase.is_set:
        return _kp_missing(key, 3, "meta_description")
    meta = (ctx.content.meta_description or "").strip()
    if not meta:
        return make_result(
            key,
            "problem",
            "There is no meta description to hold the keyphrase.",
            0,
            target,
            "meta_description",
            3,
        )
    found = sum(ctx.keyphrase.occurrences(s) for s in split_sentences(meta))
    points = 9 if 1 <= found <= 2 else 3
    return make_result(
        key,
        status_of(points),
        f"The meta description contains the keyphrase {found} time{'s' * (found != 1)}; aim for {target}.",
        found,
        target,
        "meta_description",
        points,
    )


def keyphrase_in_slug(ctx: Context) -> CheckResult:
    key = "keyphrase_in_slug"
    kp = ctx.keyphrase
    target = "every keyphrase word" if kp.length < 3 else "more than half of the keyphrase words"
    slug = (ctx.content.slug or "").strip()
    if not kp.is_set:
        return _kp_missing(key, 3, "slug")
    if not slug:
        return make_result(key, "problem", "There is no slug.", 0, target, "slug", 3)
    share = kp.fraction_of_words_in(slug.replace("-", " ").replace("_", " "))
    enough = share == 1 if kp.length < 3 else share > 0.5
    points = 9 if enough else (3 if ctx.content.cornerstone else 6)
    message = (
        "The slug contains the keyphrase."
        if enough
        else f"The slug holds {round(100 * share)}% of the keyphrase words; aim for {target}."
    )
    return make_result(key, status_of(points), message, round(100 * share), target, "slug", points)


def keyphrase_in_subheadings(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_subheadings", "30%–75% of H2/H3 subheadings"
    if not ctx.keyphrase.is_set:
        return _kp_missing(key, 1, "body")
    if not ctx.word_count:
        return make_result(key, "problem", "There is no text to hold subheadings.", 0, target, "body", 1)
    subheadings = [h for h in ctx.doc.headings if h.heading_level in (2, 3)]
    if not subheadings:
        needed = SUBHEADINGS_NEEDED_FROM[ctx.content.cornerstone]
        if ctx.word_count >= needed:
            message, points = f"The text has {ctx.word_count} words and no H2/H3 subheadings; add some.", 2
        else:
            message, points = "The text is short enough to do without subheadings.", 9
        return make_result(key, status_of(points), message, 0, target, "body", points)
    count = len(subheadings)
    # A subheading reflects the topic when more than half of the keyphrase's content words are in it.
    hits = sum(ctx.keyphrase.fraction_of_words_in(h.text) > 0.5 for h in subheadings)
    least, most = ceil(count * SHARE_MIN), floor(count * SHARE_MAX)
    if count == 1 and hits == 1:
        points = 9
    elif (hits and hits < least) or (count > 1 and hits > most):
        points = 3
    else:
        points = 9 if least <= hits <= most else 3
    return make_result(
        key,
        status_of(points),
        f"{hits} of {count} H2/H3 subheadings reflect the keyphrase; aim for {target}.",
        round(100 * hits / count, 1),
        target,
        "body",
        points,
    )


SEO_CHECKS: list[Callable[[Context], CheckResult | None]] = [
    keyphrase_length,
    keyphrase_function_words,
    keyphrase_in_introduction,
    keyphrase_density,
    keyphrase_in_seo_title,
    seo_title_length,
    meta_description_length,
    keyphrase_in_meta_description,
    keyphrase_in_slug,
    keyphrase_in_subheadings,
    competing_links,
    text_length,
    internal_links,
    outbound_links,
    images,
    keyphrase_in_image_alt,
    image_alt_attributes,
    single_h1,
]
