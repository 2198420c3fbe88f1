"""SEO checks. Each returns a result, or None when it does not apply to this content."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import urlsplit

from .context import Context
from .model import CheckResult, Status, make_result
from .text import split_sentences

TITLE_MIN, TITLE_MAX = 30, 60
META_MIN, META_MAX = 120, 156
DENSITY_MIN, DENSITY_MAX = 0.5, 3.0
SHARE_MIN, SHARE_MAX = 30.0, 75.0  # % of subheadings / image alts that should carry the keyphrase
KEYPHRASE_MAX_WORDS, KEYPHRASE_LIMIT_WORDS = 4, 8
# (good from, needs improvement from) in words
TEXT_LENGTH = {"post": (300, 250), "page": (300, 250), "product": (200, 150), "taxonomy": (250, 200)}
CORNERSTONE_LENGTH = (900, 800)
MANY_IMAGES = 5


def _no_keyphrase(key: str, anchor: str = "primary_keyword") -> CheckResult:
    return make_result(key, "problem", "No keyphrase is set, so this cannot be checked.", None, "", anchor)


def keyphrase_length(ctx: Context) -> CheckResult:
    kp, key, target = ctx.keyphrase, "keyphrase_length", "1–4 content words"
    if not kp.is_set:
        return make_result(
            key, "problem", "No keyphrase is set; set one to analyse the text.", 0, target, "primary_keyword"
        )
    if kp.only_function_words:
        return make_result(
            key,
            "problem",
            f"The keyphrase \u201c{kp.raw}\u201d has only function words; add words that carry the topic.",
            0,
            target,
            "primary_keyword",
        )
    n = len(kp.content_words)
    status: Status = (
        "good" if n <= KEYPHRASE_MAX_WORDS else "improve" if n <= KEYPHRASE_LIMIT_WORDS else "problem"
    )
    return make_result(
        key,
        status,
        f"The keyphrase has {n} content word{'s' * (n != 1)}; aim for 1–4.",
        n,
        target,
        "primary_keyword",
    )


def keyphrase_in_introduction(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_introduction", "keyphrase in one sentence of the first paragraph"
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    intro = ctx.introduction
    if intro is None:
        return make_result(key, "problem", "The text has no first paragraph yet.", 0, target, "body")
    if any(ctx.keyphrase.found_in(s.text) for s in ctx.sentences if s.block is intro):
        return make_result(
            key, "good", "The keyphrase appears in the first paragraph.", 1, target, intro.anchor
        )
    if ctx.keyphrase.found_in(intro.text):
        return make_result(
            key,
            "improve",
            "The keyphrase words are in the first paragraph, but not within one sentence.",
            0,
            target,
            intro.anchor,
        )
    return make_result(
        key, "problem", "The keyphrase does not appear in the first paragraph.", 0, target, intro.anchor
    )


def keyphrase_density(ctx: Context) -> CheckResult:
    key, target = "keyphrase_density", f"{DENSITY_MIN}%–{DENSITY_MAX:g}%"
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    found = sum(ctx.keyphrase.occurrences(u) for u in ctx.all_units)
    density = 100 * found * len(ctx.keyphrase.words) / ctx.word_count if ctx.word_count else 0.0
    times = f"{found} time{'s' * (found != 1)}"  # status uses the exact density, the message a rounded one
    if found == 0:
        status: Status = "problem"
    elif density < DENSITY_MIN:
        status = "improve"
    elif density <= DENSITY_MAX:
        status = "good"
    else:
        status = "problem"  # over-optimised text reads as keyword stuffing
    return make_result(
        key,
        status,
        f"The keyphrase was found {times}, a density of {round(density, 2):g}%; aim for {target}.",
        round(density, 2),
        target,
        "body",
    )


def keyphrase_in_seo_title(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_seo_title", "keyphrase at the start of the SEO title"
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    title = ctx.content.effective_seo_title
    if title and ctx.keyphrase.at_start_of(title):
        return make_result(key, "good", "The SEO title starts with the keyphrase.", 1, target, "meta_title")
    if title and ctx.keyphrase.found_in(title):
        return make_result(
            key,
            "improve",
            "The SEO title contains the keyphrase, but not at the start.",
            0,
            target,
            "meta_title",
        )
    return make_result(
        key, "problem", "The SEO title does not contain the keyphrase.", 0, target, "meta_title"
    )


def seo_title_length(ctx: Context) -> CheckResult:
    key, target = "seo_title_length", f"{TITLE_MIN}–{TITLE_MAX} characters"
    n = len(ctx.content.effective_seo_title)
    if n == 0:
        return make_result(key, "problem", "There is no SEO title or title.", 0, target, "meta_title")
    status: Status = "improve" if n < TITLE_MIN else "good" if n <= TITLE_MAX else "problem"
    return make_result(
        key, status, f"The SEO title has {n} characters; aim for {target}.", n, target, "meta_title"
    )


def meta_description_length(ctx: Context) -> CheckResult:
    key, target = "meta_description_length", f"{META_MIN}–{META_MAX} characters"
    n = len((ctx.content.meta_description or "").strip())
    if n == 0:
        return make_result(
            key,
            "problem",
            "There is no meta description; search engines will pick text from the page.",
            0,
            target,
            "meta_description",
        )
    status: Status = "good" if META_MIN <= n <= META_MAX else "improve"
    return make_result(
        key,
        status,
        f"The meta description has {n} characters; aim for {target}.",
        n,
        target,
        "meta_description",
    )


def keyphrase_in_meta_description(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_meta_description", "once or twice"
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    meta = (ctx.content.meta_description or "").strip()
    if not meta:
        return make_result(
            key,
            "problem",
            "There is no meta description to hold the keyphrase.",
            0,
            target,
            "meta_description",
        )
    found = sum(ctx.keyphrase.occurrences(s) for s in split_sentences(meta))
    status: Status = "good" if 1 <= found <= 2 else "problem"
    return make_result(
        key,
        status,
        f"The meta description contains the keyphrase {found} time{'s' * (found != 1)}; aim for {target}.",
        found,
        target,
        "meta_description",
    )


def keyphrase_in_slug(ctx: Context) -> CheckResult:
    key, target = "keyphrase_in_slug", "all keyphrase words in the slug"
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    # WordPress derives an empty slug from the title, so judge what it will produce.
    slug = (ctx.content.slug or "").strip() or ctx.content.title
    share = ctx.keyphrase.fraction_of_words_in(slug.replace("-", " ").replace("_", " "))
    status: Status = "good" if share == 1 else "improve" if share >= 0.5 else "problem"
    message = {
        "good": "The slug contains the keyphrase.",
        "improve": "The slug contains some of the keyphrase words, not all.",
        "problem": "The slug does not contain the keyphrase.",
    }[status]
    return make_result(key, status, message, round(100 * share), target, "slug")


def keyphrase_in_subheadings(ctx: Context) -> CheckResult | None:
    key, target = "keyphrase_in_subheadings", f"{SHARE_MIN:g}%–{SHARE_MAX:g}% of H2/H3 subheadings"
    subheadings = [h for h in ctx.doc.headings if h.heading_level in (2, 3)]
    if not subheadings:
        return None  # nothing to judge; subheading_distribution covers long texts without any
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    hits = sum(ctx.keyphrase.found_in(h.text) for h in subheadings)
    share = round(100 * hits / len(subheadings), 1)
    if len(subheadings) == 1:
        status: Status = "good" if hits else "improve"
    else:
        status = "good" if SHARE_MIN <= share <= SHARE_MAX else "improve"
    return make_result(
        key,
        status,
        f"{hits} of {len(subheadings)} H2/H3 subheadings ({share:g}%) reflect "
        f"the keyphrase; aim for {SHARE_MIN:g}%–{SHARE_MAX:g}%.",
        share,
        target,
        "body",
    )


def text_length(ctx: Context) -> CheckResult:
    content = ctx.content
    good, fair = (
        CORNERSTONE_LENGTH if content.cornerstone else TEXT_LENGTH.get(content.content_type, (300, 250))
    )
    n = ctx.word_count
    status: Status = "good" if n >= good else "improve" if n >= fair else "problem"
    kind = "cornerstone content" if content.cornerstone else f"a {content.content_type}"
    return make_result(
        "text_length",
        status,
        f"The text has {n} words; aim for at least {good} for {kind}.",
        n,
        f"at least {good} words",
        "body",
    )


def _host(domain: str) -> str:
    domain = domain.strip().lower()
    host = urlsplit(domain if "//" in domain else f"//{domain}").hostname or ""
    return host.removeprefix("www.")


def _classify_links(ctx: Context) -> tuple[int, int]:
    site = _host(ctx.content.site_domain)
    internal = outbound = 0
    for href in ctx.doc.links:
        if href.startswith("#"):
            continue
        parts = urlsplit(href)
        if parts.scheme in ("mailto", "tel"):
            continue
        if not parts.scheme and not href.startswith("//"):
            internal += 1  # relative link
            continue
        host = (parts.hostname or "").removeprefix("www.")
        if site and (host == site or host.endswith(f".{site}")):
            internal += 1
        else:
            outbound += 1
    return internal, outbound


def _at_least_one(key: str, n: int, noun: str, missing: Status, advice: str) -> CheckResult:
    found = f"The text has {n} {noun}{'s' * (n != 1)}"
    message = f"{found}." if n else f"{found}; {advice}"
    return make_result(key, "good" if n else missing, message, n, "at least 1", "body")


def internal_links(ctx: Context) -> CheckResult:
    n = _classify_links(ctx)[0]
    return _at_least_one(
        "internal_links", n, "internal link", "problem", "link to a related page of the site."
    )


def outbound_links(ctx: Context) -> CheckResult:
    n = _classify_links(ctx)[1]
    return _at_least_one("outbound_links", n, "outbound link", "improve", "link to a useful external source.")


def images(ctx: Context) -> CheckResult:
    n = len(ctx.doc.images)
    return _at_least_one("images", n, "image", "problem", "add at least one to illustrate it.")


def keyphrase_in_image_alt(ctx: Context) -> CheckResult | None:
    key = "keyphrase_in_image_alt"
    imgs = ctx.doc.images
    if not imgs:
        return None
    if not ctx.keyphrase.is_set:
        return _no_keyphrase(key)
    hits = sum(ctx.keyphrase.found_in(i.alt) for i in imgs)
    if len(imgs) < MANY_IMAGES:
        status: Status = "good" if hits else "improve"
        target = "at least one alt text"
    else:
        share = 100 * hits / len(imgs)
        status = "good" if SHARE_MIN <= share <= SHARE_MAX else "improve"
        target = f"{SHARE_MIN:g}%–{SHARE_MAX:g}% of alt texts"
    return make_result(
        key,
        status,
        f"{hits} of {len(imgs)} image alt texts contain the keyphrase; aim for {target}.",
        hits,
        target,
        "body",
    )


def image_alt_attributes(ctx: Context) -> CheckResult | None:
    imgs = ctx.doc.images
    if not imgs:
        return None
    missing = sum(not i.alt for i in imgs)
    status: Status = "good" if not missing else "problem"
    message = (
        "Every image has alt text." if not missing else f"{missing} of {len(imgs)} images have no alt text."
    )
    return make_result("image_alt_attributes", status, message, missing, "every image has alt text", "body")


def single_h1(ctx: Context) -> CheckResult:
    n = sum(h.heading_level == 1 for h in ctx.doc.headings)
    status: Status = "good" if n == 0 else "problem"
    message = (
        "The body has no H1; the title is the page's only H1."
        if n == 0
        else f"The body has {n} H1 heading{'s' * (n != 1)}; the title is already the H1, use H2 instead."
    )
    return make_result("single_h1", status, message, n, "no H1 in the body", "body")


SEO_CHECKS: list[Callable[[Context], CheckResult | None]] = [
    keyphrase_length,
    keyphrase_in_introduction,
    keyphrase_density,
    keyphrase_in_seo_title,
    seo_title_length,
    meta_description_length,
    keyphrase_in_meta_description,
    keyphrase_in_slug,
    keyphrase_in_subheadings,
    text_length,
    internal_links,
    outbound_links,
    images,
    keyphrase_in_image_alt,
    image_alt_attributes,
    single_h1,
]
