"""SEO checks at their thresholds, scores, storage round trip and the Required gate.

Expectations follow yoastseo 3.6.0 (each case here was checked against it; tests/oracle measures the
whole corpus): Yoast's keyphrase length counts all words of a keyphrase made only of function words
and flags it in a separate check, matches words as typed (no plurals), weighs density by keyphrase
length, measures titles in pixels, treats one H1 as fine and scores the keyphrase checks without
subheadings or images.
"""

from __future__ import annotations

import json

import pytest

from writer_app.services.validation import (
    CHECKS,
    DEFAULT_LEVELS,
    Analysis,
    CheckResult,
    ContentInput,
    analyze,
    failing_required,
    resolve_levels,
)
from writer_app.services.validation.keyphrase import Keyphrase
from writer_app.services.validation.model import group_score

KEYPHRASE = "coffee grinder"


def filler(n: int) -> str:
    """n neutral words that match no keyphrase and form one sentence."""
    return " ".join(["lorem"] * n) + "." if n else ""


def run(html: str = "<p>Some text.</p>", **fields: object) -> Analysis:
    fields.setdefault("keyphrase", KEYPHRASE)
    return analyze(ContentInput(html=html, **fields))  # type: ignore[arg-type]


def check(key: str, html: str = "<p>Some text.</p>", **fields: object) -> CheckResult | None:
    return run(html, **fields).check(key)


def status(key: str, html: str = "<p>Some text.</p>", **fields: object) -> str | None:
    result = check(key, html, **fields)
    return result.status if result else None


# --- keyphrase ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("keyphrase", "expected", "value"),
    [
        ("", "problem", 0),
        ("the of and", "good", 3),  # only function words: all count (keyphrase_function_words flags it)
        ("coffee", "good", 1),
        ("best coffee grinder for the home", "good", 3),  # function words ("best" too) do not count
        ("best cheap coffee grinder home", "good", 4),
        ("one two cheap coffee grinder home kitchen style", "improve", 6),  # numerals do not count
        ("best cheap red coffee grinder home kitchen style guide", "improve", 8),
        ("cheap red coffee grinder home kitchen style guide extra", "problem", 9),
    ],
)
def test_keyphrase_length(keyphrase: str, expected: str, value: int) -> None:
    result = check("keyphrase_length", keyphrase=keyphrase)
    assert result is not None
    assert (result.status, result.value, result.anchor) == (expected, value, "primary_keyword")


def test_keyphrase_of_function_words_only_is_flagged() -> None:
    result = check("keyphrase_function_words", keyphrase="the of and")
    assert result is not None
    assert (result.status, result.score) == ("problem", 0)
    assert check("keyphrase_function_words", keyphrase="best coffee grinder") is None


@pytest.mark.parametrize(
    ("html", "expected", "anchor"),
    [
        ("<p>A good coffee grinder matters. More text.</p>", "good", "body:p1"),
        ("<p>Coffee Grinder, compared.</p>", "good", "body:p1"),  # case does not matter
        ("<p>Coffee Grinders, compared.</p>", "problem", "body:p1"),  # a plural is another word (free Yoast)
        ("<p>Coffee is nice. A grinder helps.</p>", "improve", "body:p1"),  # words split over sentences
        ("<p>Tea is nice.</p><p>A coffee grinder helps.</p>", "problem", "body:p1"),
        ('<p><img src="a.jpg" alt="x"></p><p>A coffee grinder helps.</p>', "good", "body:p2"),
        ("<h2>Coffee grinder</h2>", "problem", "body"),  # no paragraph at all
    ],
)
def test_keyphrase_in_introduction(html: str, expected: str, anchor: str) -> None:
    result = check("keyphrase_in_introduction", html)
    assert result is not None
    assert (result.status, result.anchor) == (expected, anchor)


def density_html(occurrences: int, total_words: int) -> str:
    # Each "Coffee grinder." is 2 words; the rest is filler.
    return (
        "<p>"
        + " ".join(["Coffee grinder."] * occurrences)
        + " "
        + filler(total_words - 2 * occurrences)
        + "</p>"
    )


# A two-word keyphrase weighs its density by 0.7 + 2/3: 3% weighted is 2.195% of the words.
@pytest.mark.parametrize(
    ("occurrences", "total", "expected", "score"),
    [
        (0, 400, "problem", 4),
        (1, 400, "problem", 4),  # once is always too few
        (2, 400, "good", 9),  # 0.68% weighted
        (2, 540, "good", 9),  # 0.51% weighted
        (2, 600, "problem", 4),  # 0.46% weighted
        (2, 1000, "problem", 4),  # 0.27% weighted: at least 4 recommended
        (9, 420, "good", 9),  # 2.93% weighted
        (9, 400, "problem", -10),  # 3.08% weighted: over the maximum
        (12, 400, "problem", -50),  # 4.1% weighted: way over
        (1, 60, "good", 9),  # under 100 words: a count, once or twice
        (3, 60, "problem", -10),
        (4, 60, "problem", -50),
        (2, 40, "problem", -10),  # up to 50 words: once
    ],
)
def test_keyphrase_density(occurrences: int, total: int, expected: str, score: int) -> None:
    html = density_html(occurrences, total)
    result = check("keyphrase_density", html)
    assert result is not None
    assert (result.status, result.score) == (expected, score)


def test_density_counts_repeats_within_one_sentence_and_in_headings() -> None:
    html = "<h2>Coffee grinder</h2><p>Coffee grinder or coffee grinder? " + filler(193) + "</p>"
    result = check("keyphrase_density", html)
    assert result is not None
    assert result.value == round(3 / 200 * 100 * (0.7 + 2 / 3), 2)  # 3 occurrences in 200 words


@pytest.mark.parametrize(
    ("seo_title", "title", "expected"),
    [
        ("Coffee grinder guide", "", "good"),
        ("The coffee grinder we love", "", "good"),  # leading function word
        ("The coffee grinders we love", "", "problem"),  # a plural is another word (free Yoast)
        ("", "Coffee grinder guide", "good"),  # falls back to the title
        ("Best coffee grinder", "", "good"),  # "best" is a function word
        ("Reviews: coffee grinder", "", "improve"),
        ("Grinder for coffee lovers", "", "improve"),  # all words, not as the phrase
        ("Espresso machines", "Coffee grinder", "problem"),  # the SEO title wins over the title
        ("", "", "problem"),
    ],
)
def test_keyphrase_in_seo_title(seo_title: str, title: str, expected: str) -> None:
    assert status("keyphrase_in_seo_title", seo_title=seo_title, title=title) == expected


# Widths at Arial/Liberation Sans 20 px: "e" is 11.12 px, "W" 18.87 px, "i" 4.44 px.
@pytest.mark.parametrize(
    ("title", "expected", "width"),
    [
        ("", "problem", 0),
        ("e" * 5, "good", 56),  # short titles are fine for posts and pages
        ("e" * 53, "good", 590),
        ("e" * 54, "problem", 601),
        ("i" * 135, "good", 600),  # 135 narrow characters fit
        ("W" * 32, "problem", 604),  # 32 wide capitals do not
    ],
)
def test_seo_title_width(title: str, expected: str, width: int) -> None:
    result = check("seo_title_length", seo_title=title)
    assert result is not None
    assert (result.status, result.value, result.anchor) == (expected, width, "meta_title")


def test_seo_title_width_falls_back_to_title() -> None:
    result = check("seo_title_length", title="x" * 45)
    assert result is not None
    assert (result.status, result.value) == ("good", 450)
    assert result.message == "The SEO title is 450 px wide, within 600 px."


@pytest.mark.parametrize(
    ("length", "expected"),
    [(0, "problem"), (119, "improve"), (120, "improve"), (121, "good"), (156, "good"), (157, "improve")],
)
def test_meta_description_length(length: int, expected: str) -> None:
    result = check("meta_description_length", meta_description="m" * length + "  ")
    assert result is not None
    assert (result.status, result.value, result.anchor) == (expected, length, "meta_description")


def test_meta_description_outside_the_range_is_red_for_cornerstone_content() -> None:
    assert status("meta_description_length", meta_description="m" * 100, cornerstone=True) == "problem"


@pytest.mark.parametrize(
    ("meta", "expected", "value"),
    [
        ("", "problem", 0),
        ("All about espresso.", "problem", 0),
        ("Pick a coffee grinder.", "good", 1),
        ("Pick a coffee grinder. Compare coffee grinder prices.", "good", 2),
        ("Coffee grinder, coffee grinder. Coffee grinder!", "problem", 3),
    ],
)
def test_keyphrase_in_meta_description(meta: str, expected: str, value: int) -> None:
    result = check("keyphrase_in_meta_description", meta_description=meta)
    assert result is not None
    assert (result.status, result.value) == (expected, value)


@pytest.mark.parametrize(
    ("slug", "title", "expected"),
    [
        ("coffee-grinder", "", "good"),
        ("best-coffee-grinder", "", "good"),
        ("best-coffee-grinders", "", "improve"),  # a plural is another word
        ("coffee-beans", "", "improve"),  # half the words
        ("espresso", "", "improve"),  # never red while there is a slug
        ("", "The coffee grinder guide", "problem"),  # no slug (content_input derives one from the title)
    ],
)
def test_keyphrase_in_slug(slug: str, title: str, expected: str) -> None:
    assert status("keyphrase_in_slug", slug=slug, title=title) == expected


@pytest.mark.parametrize(
    ("slug", "cornerstone", "expected"),
    [
        ("cheap-coffee-grinder", False, "good"),
        ("cheap-coffee", False, "good"),  # 3+ content words: more than half is enough
        ("coffee", False, "improve"),
        ("coffee", True, "problem"),  # cornerstone content: red
    ],
)
def test_keyphrase_in_slug_long_keyphrase(slug: str, cornerstone: bool, expected: str) -> None:
    assert (
        status("keyphrase_in_slug", slug=slug, keyphrase="cheap coffee grinder", cornerstone=cornerstone)
        == expected
    )


def subheadings_html(matching: int, total: int) -> str:
    heads = ["<h2>Coffee grinder tips</h2>"] * matching + ["<h3>Other things</h3>"] * (total - matching)
    return "".join(f"{h}<p>Text here.</p>" for h in heads)


@pytest.mark.parametrize(
    ("matching", "total", "expected"),
    [
        (2, 7, "problem"),  # 28.6%
        (3, 10, "good"),  # 30%
        (3, 4, "good"),  # 75%
        (4, 5, "problem"),  # 80%
        (1, 1, "good"),  # a single subheading that carries the keyphrase is fine
        (0, 1, "problem"),
    ],
)
def test_keyphrase_in_subheadings(matching: int, total: int, expected: str) -> None:
    assert status("keyphrase_in_subheadings", subheadings_html(matching, total)) == expected


@pytest.mark.parametrize(
    ("words", "cornerstone", "expected"),
    [(299, False, "good"), (300, False, "problem"), (250, True, "problem")],
)
def test_keyphrase_in_subheadings_ignores_h4_and_judges_text_without_h2_h3(
    words: int, cornerstone: bool, expected: str
) -> None:
    html = f"<h4>Coffee grinder</h4><p>{filler(words - 2)}</p>"
    assert status("keyphrase_in_subheadings", html, cornerstone=cornerstone) == expected


def test_keyphrase_checks_without_keyphrase_are_problems_without_value() -> None:
    analysis = run("<h2>A</h2><p>Text.</p>", keyphrase="")
    for key in (
        "keyphrase_in_introduction",
        "keyphrase_density",
        "keyphrase_in_seo_title",
        "keyphrase_in_slug",
    ):
        result = analysis.check(key)
        assert result is not None
        assert (result.status, result.value) == ("problem", None)
        assert "No keyphrase" in result.message


@pytest.mark.parametrize(
    ("keyphrase", "text", "count"),
    [
        ("coffee grinder", "A grinder for coffee.", 1),  # order free
        ("coffee grinder", "Coffee grinder's prices.", 1),  # possessive and punctuation
        ("coffee grinder", "Coffee grinders' prices.", 0),  # a plural is another word (free Yoast)
        ("story", "Two stories and a story.", 1),
        ("box", "Box, BOX and boxes.", 2),  # case does not matter
        ("on-page SEO", "On page SEO matters.", 1),  # hyphen or space
        ('"coffee grinder"', "A grinder for coffee.", 0),  # quotes ask for the exact phrase
        ('"coffee grinder"', "A coffee grinder and coffee grinder.", 2),
        ("business", "Busines is not business.", 1),  # no stripping of a double s
    ],
)
def test_keyphrase_matching(keyphrase: str, text: str, count: int) -> None:
    assert Keyphrase.parse(keyphrase).occurrences(text) == count


# --- length, links, images, headings -----------------------------------------------------------


@pytest.mark.parametrize(
    ("content_type", "cornerstone", "words", "expected"),
    [
        ("post", False, 249, "problem"),
        ("post", False, 250, "improve"),
        ("post", False, 299, "improve"),
        ("post", False, 300, "good"),
        ("page", False, 300, "good"),
        ("product", False, 149, "problem"),
        ("product", False, 199, "improve"),
        ("product", False, 200, "good"),
        ("taxonomy", False, 249, "improve"),
        ("taxonomy", False, 250, "good"),
        ("post", True, 399, "problem"),
        ("post", True, 400, "improve"),
        ("post", True, 899, "improve"),
        ("page", True, 900, "good"),
    ],
)
def test_text_length(content_type: str, cornerstone: bool, words: int, expected: str) -> None:
    result = check(
        "text_length", f"<p>{filler(words)}</p>", content_type=content_type, cornerstone=cornerstone
    )
    assert result is not None
    assert (result.status, result.value) == (expected, words)


def links_html(*hrefs: str) -> str:
    return "<p>" + " ".join(f'<a href="{h}">link</a>' for h in hrefs) + "</p>"


@pytest.mark.parametrize(
    ("hrefs", "internal", "outbound"),
    [
        ((), 0, 0),
        (("/guides/x", "../y"), 2, 0),  # relative links are internal
        (("https://example.com/a", "https://www.example.com/b", "http://blog.example.com/c"), 3, 0),
        (("https://other.org/x", "//cdn.other.org/y"), 0, 2),
        (("https://notexample.com/",), 0, 1),  # a suffix of the name is not the site
        (("#top", "mailto:a@example.com"), 0, 0),  # neither internal nor outbound
    ],
)
def test_links(hrefs: tuple[str, ...], internal: int, outbound: int) -> None:
    analysis = run(links_html(*hrefs), site_domain="https://www.Example.com/")
    inner, outer = analysis.check("internal_links"), analysis.check("outbound_links")
    assert inner is not None and outer is not None
    assert (inner.value, outer.value) == (internal, outbound)
    assert inner.status == ("good" if internal else "problem")
    assert outer.status == ("good" if outbound else "problem")


def test_absolute_links_are_outbound_without_a_site_domain() -> None:
    analysis = run(links_html("https://example.com/a"))
    assert analysis.check("outbound_links").value == 1  # type: ignore[union-attr]


def images_html(alts: list[str | None]) -> str:
    tags = [
        f'<img src="i{n}.jpg" alt="{a}">' if a is not None else f'<img src="i{n}.jpg">'
        for n, a in enumerate(alts)
    ]
    return "<p>Text.</p>" + "".join(tags)


def test_no_images() -> None:
    analysis = run(images_html([]))
    assert analysis.check("images").status == "problem"  # type: ignore[union-attr]
    # Yoast scores the keyphrase-in-alt check without images too; Writer's own alt check does not apply.
    assert analysis.check("image_alt_attributes") is None
    assert analysis.check("keyphrase_in_image_alt").status == "problem"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("alts", "expected", "missing"),
    [
        (["a cat"], "good", 0),
        ([None], "problem", 1),
        (["", "a cat"], "problem", 1),  # empty alt counts as missing
        (["  ", None, "x"], "problem", 2),
    ],
)
def test_image_alt_attributes(alts: list[str | None], expected: str, missing: int) -> None:
    analysis = run(images_html(alts))
    assert analysis.check("images").status == "good"  # type: ignore[union-attr]
    result = analysis.check("image_alt_attributes")
    assert result is not None
    assert (result.status, result.value) == (expected, missing)


@pytest.mark.parametrize(
    ("matching", "total", "expected"),
    [
        (0, 4, "improve"),
        (1, 4, "good"),  # fewer than 5 images: one alt with the keyphrase is enough
        (1, 5, "improve"),  # 20%
        (4, 5, "good"),  # exactly 5 images: 2 to 4 alts are right
        (2, 7, "improve"),  # 28.6%
        (3, 10, "good"),  # 30%
        (6, 8, "good"),  # 75%
        (5, 6, "improve"),  # 83%
    ],
)
def test_keyphrase_in_image_alt(matching: int, total: int, expected: str) -> None:
    alts: list[str | None] = ["Coffee grinders on a shelf"] * matching + ["A cup"] * (total - matching)
    result = check("keyphrase_in_image_alt", images_html(alts))
    assert result is not None
    assert (result.status, result.value) == (expected, matching)


@pytest.mark.parametrize(("h1s", "expected"), [(0, "good"), (1, "good"), (2, "problem")])
def test_single_h1(h1s: int, expected: str) -> None:
    result = check("single_h1", "<h1>Big</h1>" * h1s + "<h2>Sub</h2><p>Text.</p>")
    assert result is not None
    assert (result.status, result.value) == (expected, h1s)


def test_html_is_sanitized_before_analysis() -> None:
    analysis = run("<p>Two words.</p><script>one two three four five</script>")
    assert analysis.word_count == 2


# --- scores, storage, levels, gate -------------------------------------------------------------


def result(key: str, points: int) -> CheckResult:
    spec = CHECKS[key]
    status = "good" if points > 7 else "improve" if points > 4 else "problem"
    return CheckResult(key, spec.group, spec.label, status, "m", None, "t", "body", points)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("points", "score"),
    [
        ([], 0),
        ([9], 100),
        ([9, 6], 83),  # (9 + 6) / (2 x 9)
        ([9, 6, 3], 67),
        ([3, 3, -20], 0),  # never below 0
        ([9, 9, -10], 30),
    ],
)
def test_seo_score_is_yoast_points_over_nine_each(points: list[int], score: int) -> None:
    keys = ["text_length", "images", "single_h1"]
    checks = [result(k, p) for k, p in zip(keys, points, strict=False)]
    checks.append(result("passive_voice", 3))  # other group: no effect on the SEO score
    checks.append(result("image_alt_attributes", 3))  # Writer's own check: no effect either
    assert group_score(checks, "seo") == score


@pytest.mark.parametrize(
    ("points", "score"),
    [
        ([9], 30),  # a single result: far too little text
        ([9, 9, 9, 9], 90),
        ([9, 9, 9, 3], 90),  # 3 penalty points (red)
        ([9, 6, 6, 9], 90),  # 4 (orange: 2 each)
        ([9, 3, 6], 60),  # 5
        ([3, 6, 9, 9], 60),  # 5
        ([3, 3, 6, 9], 30),  # 8
    ],
)
def test_readability_score_from_penalty_points(points: list[int], score: int) -> None:
    keys = ["subheading_distribution", "paragraph_length", "sentence_length", "passive_voice"]
    checks = [result(k, p) for k, p in zip(keys, points, strict=False)]
    checks.append(result("flesch_reading_ease", 3))  # Writer's own check: no effect
    assert group_score(checks, "readability") == score


def test_scores_follow_the_checks_and_off_checks_are_left_out() -> None:
    html = "<p>A coffee grinder is handy.</p>"
    full = run(html)
    assert full.seo_score == group_score(full.checks, "seo")
    assert full.readability_score == group_score(full.checks, "readability")
    failing_seo = [c.key for c in full.by_group("seo") if c.status != "good"]
    trimmed = analyze(ContentInput(html=html, keyphrase=KEYPHRASE), dict.fromkeys(failing_seo, "off"))
    assert all(trimmed.check(k) is None for k in failing_seo)
    assert trimmed.seo_score > full.seo_score


def test_to_dict_round_trip_through_json() -> None:
    analysis = run(
        '<h2>Coffee grinder</h2><p>A coffee grinder. <a href="https://x.org">x</a></p><img src="a" alt="b">',
        meta_description="Coffee grinder reviews.",
        seo_title="Coffee grinder reviews for home baristas",
    )
    data = json.loads(json.dumps(analysis.to_dict()))
    assert data["format"] == 2
    assert Analysis.from_dict(data) == analysis
    assert {c["key"] for c in data["checks"]} <= set(CHECKS)
    data["checks"][0]["added_later"] = "ignored"
    assert Analysis.from_dict(data) == analysis


def test_registry_and_default_levels() -> None:
    assert set(DEFAULT_LEVELS) == set(CHECKS)
    required = {k for k, level in DEFAULT_LEVELS.items() if level == "required"}
    assert required == {
        "keyphrase_length",
        "seo_title_length",
        "meta_description_length",
        "image_alt_attributes",
    }
    assert {spec.group for spec in CHECKS.values()} == {"seo", "readability"}


def test_resolve_levels_ignores_unknown_keys_and_levels() -> None:
    levels = resolve_levels({"images": "required", "nope": "required", "single_h1": "mandatory"})
    assert levels["images"] == "required"
    assert "nope" not in levels
    assert levels["single_h1"] == "recommended"


def test_failing_required_blocks_improve_and_problem_but_not_recommended() -> None:
    analysis = run(
        "<p>A coffee grinder.</p>",
        seo_title="Coffee grinder reviews for home baristas",  # good
        meta_description="Too short.",  # improve, Required by default
    )
    assert [c.key for c in failing_required(analysis)] == ["meta_description_length"]
    # The text is far too short (problem) but only Recommended: it does not block until required.
    assert analysis.check("text_length").status == "problem"  # type: ignore[union-attr]
    blocking = failing_required(
        analysis, {"text_length": "required", "meta_description_length": "recommended"}
    )
    assert [c.key for c in blocking] == ["text_length"]


def test_failing_required_is_empty_when_required_checks_pass_or_do_not_apply() -> None:
    analysis = run(
        "<p>A coffee grinder.</p>",  # no images: image_alt_attributes does not apply
        seo_title="Coffee grinder reviews for home baristas",
        meta_description="m" * 130,
    )
    assert failing_required(analysis) == []
