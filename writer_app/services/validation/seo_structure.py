"""SEO checks of the text's structure: links, images, H1 headings and length (see seo.py).

Deliberate difference from Yoast: links to `www.` of the site's own domain count as internal.
"""

from __future__ import annotations

from math import ceil, floor
from urllib.parse import urlsplit

from .context import Context
from .keyphrase import tokens
from .model import CheckResult, Status, make_result, status_of
from .wordlists import FUNCTION_WORDS

SHARE_MIN, SHARE_MAX = 0.3, 0.75  # of image alts (5 images or more) holding the keyphrase
# Yoast's product and taxonomy assessors: (good from, ok from) words, 3 points down to 100 words.
OTHER_TEXT_LENGTH = {"product": (200, 150), "taxonomy": (250, 200)}


def _kp_missing(key: str, points: int, anchor: str) -> CheckResult:
    return make_result(
        key, status_of(points), "No keyphrase is set, so this cannot be checked.", None, "", anchor, points
    )


def _host(domain: str) -> str:
    domain = domain.strip().lower()
    host = urlsplit(domain if "//" in domain else f"//{domain}").hostname or ""
    return host.removeprefix("www.")


def _link_kind(href: str, site: str) -> str:
    """ "internal", "external" or "other" (fragments, mailto: and other non-web links)."""
    if href.startswith("#"):
        return "other"
    parts = urlsplit(href)
    if parts.scheme and parts.scheme not in ("http", "https"):
        return "other"
    if not parts.scheme and not href.startswith("//"):
        return "internal"
    host = (parts.hostname or "").removeprefix("www.")  # Writer: www. of the site is the site
    return "internal" if site and (host == site or host.endswith(f".{site}")) else "external"


def _links(ctx: Context, kind: str) -> tuple[int, int]:
    site = _host(ctx.content.site_domain)
    mine = [a for a in ctx.doc.anchors if _link_kind(a.href, site) == kind]
    return len(mine), sum(a.nofollow for a in mine)


def internal_links(ctx: Context) -> CheckResult:
    total, nofollow = _links(ctx, "internal")
    points = 3 if not total else 7 if nofollow == total else 9 if not nofollow else 8
    message = {
        3: "The text has no internal links; link to a related page of the site.",
        7: "Every internal link is nofollow; let search engines follow some.",
        8: f"The text has {total} internal links, {nofollow} of them nofollow.",
        9: f"The text has {total} internal link{'s' * (total != 1)}.",
    }[points]
    return make_result(
        "internal_links",
        status_of(points),
        message,
        total,
        "at least 1 (www. of the site counts)",
        "body",
        points,
    )


def outbound_links(ctx: Context) -> CheckResult:
    total, nofollow = _links(ctx, "external")
    points = 3 if not total else 7 if nofollow == total else 9 if not nofollow else 8
    message = {
        3: "The text has no outbound links; link to a useful external source.",
        7: "Every outbound link is nofollow; let search engines follow some.",
        8: f"The text has {total} outbound links, {nofollow} of them nofollow.",
        9: f"The text has {total} outbound link{'s' * (total != 1)}.",
    }[points]
    return make_result(
        "outbound_links", status_of(points), message, total, "at least 1 followed", "body", points
    )


def competing_links(ctx: Context) -> CheckResult:
    """Links whose text is the keyphrase compete with this page for it (links to the page itself aside)."""
    kp = ctx.keyphrase
    hits = 0
    if kp.is_set:
        allowed = set(kp.words)
        for anchor in ctx.doc.anchors:
            words = tokens(anchor.text)
            content = [w for w in words if w not in FUNCTION_WORDS] or words
            if content and kp.fraction_of_words_in(anchor.text) == 1 and all(w in allowed for w in content):
                hits += 1
    points = 8 if not hits else 2
    message = (
        "No link uses the keyphrase as its text."
        if not hits
        else f"{hits} link{'s' * (hits != 1)} use the keyphrase as text, competing with this page for it."
    )
    return make_result(
        "competing_links",
        status_of(points),
        message,
        hits,
        "no link with the keyphrase as text",
        "body",
        points,
    )


def images(ctx: Context) -> CheckResult:
    n = len(ctx.doc.images)
    points = 9 if n else 3
    message = f"The text has {n} image{'s' * (n != 1)}." if n else "The text has no images; add at least one."
    return make_result("images", status_of(points), message, n, "at least 1", "body", points)


def keyphrase_in_image_alt(ctx: Context) -> CheckResult:
    key = "keyphrase_in_image_alt"
    imgs = ctx.doc.images
    kp = ctx.keyphrase
    if not imgs or not kp.is_set:
        message = (
            "No keyphrase is set." if not kp.is_set else "The text has no images to carry the keyphrase."
        )
        return make_result(key, "problem", message, 0, "", "body", 3)
    # An alt text reflects the keyphrase when it holds at least half of its content words.
    with_kp = sum(bool(i.alt) and kp.fraction_of_words_in(i.alt) >= 0.5 for i in imgs)
    with_other = sum(bool(i.alt) for i in imgs) - with_kp
    n = len(imgs)
    weak = 3 if ctx.content.cornerstone else 6
    least, most = ceil(n * SHARE_MIN), floor(n * SHARE_MAX)
    if n < 5:
        target = "at least one alt text with the keyphrase"
    else:
        target = f"{least}–{most} of {n} alt texts with the keyphrase"
    if with_other and not with_kp:
        points = weak
    elif n > 4 and 0 < with_kp < least:
        points = 6
    elif (n < 5 and with_kp) or (n == 5 and 2 <= with_kp <= 4) or (n > 4 and least <= with_kp <= most):
        points = 9
    elif n > 4 and with_kp > most:
        points = 6
    else:
        points = weak  # no alt text at all
    return make_result(
        key,
        status_of(points),
        f"{with_kp} of {n} image alt texts reflect the keyphrase; aim for {target}.",
        with_kp,
        target,
        "body",
        points,
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
    points = 8 if n <= 1 else 1
    message = (
        "The text has at most one H1 heading."
        if n <= 1
        else f"The body has {n} H1 headings; keep one (the title) and use H2 for the rest."
    )
    return make_result("single_h1", status_of(points), message, n, "at most one H1", "body", points)


def text_length(ctx: Context) -> CheckResult:
    n = ctx.word_count
    other = OTHER_TEXT_LENGTH.get(ctx.content.content_type)
    if other and not ctx.content.cornerstone:
        good, fair = other
        points = 9 if n >= good else 6 if n >= fair else 3 if n >= 100 else -20
        kind = f"a {ctx.content.content_type}"
    elif ctx.content.cornerstone:
        good, fair = 900, 400
        points = 9 if n >= good else 6 if n >= fair else -20
        kind = "cornerstone content"
    else:
        good, fair = 300, 250
        points = 9 if n >= good else 6 if n >= fair else 3 if n >= 200 else -10 if n >= 100 else -20
        kind = "a post or page"
    return make_result(
        "text_length",
        status_of(points),
        f"The text has {n} words; aim for at least {good} for {kind}.",
        n,
        f"at least {good} words",
        "body",
        points,
    )
