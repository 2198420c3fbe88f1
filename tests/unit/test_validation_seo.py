"""SEO checks at their thresholds, scores, storage round trip and the Required gate."""

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
        ("the of and", "problem", 0),  # only function words
        ("coffee", "good", 1),
        ("best coffee grinder for the home", "good", 4),  # function words do not count
        ("best cheap coffee grinder home", "improve", 5),
        ("one two cheap coffee grinder home kitchen style", "improve", 6),  # numerals do not count
        ("best cheap red coffee grinder home kitchen style", "improve", 8),
        ("best cheap red coffee grinder home kitchen style guide", "problem", 9),
    ],
)
def test_keyphrase_length(keyphrase: str, expected: str, value: int) -> None:
    result = check("keyphrase_length", keyphrase=keyphrase)
    assert result is not None
    assert (result.status, result.value, result.anchor) == (expected, value, "primary_keyword")


@pytest.mark.parametrize(
    ("html", "expected", "anchor"),
    [
        ("<p>A good coffee grinder matters. More text.</p>", "good", "body:p1"),
        ("<p>Coffee Grinders, compared.</p>", "good", "body:p1"),  # case and plural tolerant
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


@pytest.mark.parametrize(
    ("occurrences", "total", "expected"),
    [
        (0, 400, "problem"),
        (1, 401, "improve"),  # 0.499%
        (1, 400, "good"),  # 0.5%
        (3, 200, "good"),  # 3.0%
        (3, 199, "problem"),  # 3.015%
    ],
)
def test_keyphrase_density(occurrences: int, total: int, expected: str) -> None:
    html = density_html(occurrences, total)
    result = check("keyphrase_density", html)
    assert result is not None
    assert result.status == expected
    assert result.value == round(100 * occurrences * 2 / total, 2)


def test_density_counts_repeats_within_one_sentence_and_in_headings() -> None:
    html = "<h2>Coffee grinder</h2><p>Coffee grinder or coffee grinders? " + filler(193) + "</p>"
    result = check("keyphrase_density", html)
    assert result is not None
    assert result.value == 3.0  # 3 occurrences x 2 words / 200 words


@pytest.mark.parametrize(
    ("seo_title", "title", "expected"),
    [
        ("Coffee grinder guide", "", "good"),
        ("The coffee grinders we love", "", "good"),  # leading function word, plural
        ("", "Coffee grinder guide", "good"),  # falls back to the title
        ("Best coffee grinder", "", "improve"),
        ("Grinder for coffee lovers", "", "improve"),  # all words, not as the phrase
        ("Espresso machines", "Coffee grinder", "problem"),  # the SEO title wins over the title
        ("", "", "problem"),
    ],
)
def test_keyphrase_in_seo_title(seo_title: str, title: str, expected: str) -> None:
    assert status("keyphrase_in_seo_title", seo_title=seo_title, title=title) == expected


@pytest.mark.parametrize(
    ("length", "expected"), [(0, "problem"), (29, "improve"), (30, "good"), (60, "good"), (61, "problem")]
)
def test_seo_title_length(length: int, expected: str) -> None:
    result = check("seo_title_length", seo_title="t" * length)
    assert result is not None
    assert (result.status, result.value, result.anchor) == (expected, length, "meta_title")


def test_seo_title_length_falls_back_to_title() -> None:
    result = check("seo_title_length", title="x" * 45)
    assert result is not None
    assert (result.status, result.value) == ("good", 45)
    assert result.message == "The SEO title has 45 characters; aim for 30–60 characters."


@pytest.mark.parametrize(
    ("length", "expected"),
    [(0, "problem"), (119, "improve"), (120, "good"), (156, "good"), (157, "improve")],
)
def test_meta_description_length(length: int, expected: str) -> None:
    result = check("meta_description_length", meta_description="m" * length + "  ")
    assert result is not None
    assert (result.status, result.value, result.anchor) == (expected, length, "meta_description")


@pytest.mark.parametrize(
    ("meta", "expected", "value"),
    [
        ("", "problem", 0),
        ("All about espresso.", "problem", 0),
        ("Pick a coffee grinder.", "good", 1),
        ("Pick a coffee grinder. Compare coffee grinders.", "good", 2),
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
        ("best-coffee-grinders", "", "good"),
        ("coffee-beans", "", "improve"),  # half the words
        ("espresso", "", "problem"),
        ("", "The coffee grinder guide", "good"),  # WordPress derives the slug from the title
    ],
)
def test_keyphrase_in_slug(slug: str, title: str, expected: str) -> None:
    assert status("keyphrase_in_slug", slug=slug, title=title) == expected


def subheadings_html(matching: int, total: int) -> str:
    heads = ["<h2>Coffee grinder tips</h2>"] * matching + ["<h3>Other things</h3>"] * (total - matching)
    return "".join(f"{h}<p>Text here.</p>" for h in heads)


@pytest.mark.parametrize(
    ("matching", "total", "expected"),
    [
        (2, 7, "improve"),  # 28.6%
        (3, 10, "good"),  # 30%
        (3, 4, "good"),  # 75%
        (4, 5, "improve"),  # 80%
        (1, 1, "good"),  # a single subheading that carries the keyphrase is fine
        (0, 1, "improve"),
    ],
)
def test_keyphrase_in_subheadings(matching: int, total: int, expected: str) -> None:
    assert status("keyphrase_in_subheadings", subheadings_html(matching, total)) == expected


def test_keyphrase_in_subheadings_ignores_h4_and_does_not_apply_without_h2_h3() -> None:
    assert check("keyphrase_in_subheadings", "<h4>Coffee grinder</h4><p>Text.</p>") is None


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
        ("coffee grinder", "Coffee grinders' prices.", 1),  # plural and punctuation
        ("story", "Two stories and a story.", 2),
        ("box", "Boxes, boxes.", 2),
        ("on-page SEO", "On page SEO matters.", 1),  # hyphen or space
        ('"coffee grinder"', "A grinder for coffee.", 0),  # quotes ask for the exact phrase
        ('"coffee grinder"', "A coffee grinder and coffee grinders.", 2),
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
        ("post", True, 799, "problem"),
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
    assert outer.status == ("good" if outbound else "improve")


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
    # Nothing to judge: the alt checks do not apply.
    assert analysis.check("image_alt_attributes") is None
    assert analysis.check("keyphrase_in_image_alt") is None


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
        (2, 7, "improve"),  # 28.6%
        (3, 10, "good"),  # 30%
        (6, 8, "good"),  # 75%
        (4, 5, "improve"),  # 80%
    ],
)
def test_keyphrase_in_image_alt(matching: int, total: int, expected: str) -> None:
    alts: list[str | None] = ["Coffee grinders on a shelf"] * matching + ["A cup"] * (total - matching)
    result = check("keyphrase_in_image_alt", images_html(alts))
    assert result is not None
    assert (result.status, result.value) == (expected, matching)


@pytest.mark.parametrize(("h1s", "expected"), [(0, "good"), (1, "problem"), (2, "problem")])
def test_single_h1(h1s: int, expected: str) -> None:
    result = check("single_h1", "<h1>Big</h1>" * h1s + "<h2>Sub</h2><p>Text.</p>")
    assert result is not None
    assert (result.status, result.value) == (expected, h1s)


def test_html_is_sanitized_before_analysis() -> None:
    analysis = run("<p>Two words.</p><script>one two three four five</script>")
    assert analysis.word_count == 2


# --- scores, storage, levels, gate -------------------------------------------------------------


def result(key: str, status: str) -> CheckResult:
    spec = CHECKS[key]
    return CheckResult(key, spec.group, spec.label, status, "m", None, "t", "body")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("statuses", "score"),
    [
        ([], 0),
        (["good"], 100),
        (["good", "improve"], 75),
        (["good", "improve", "problem"], 50),
        (["problem", "problem", "improve"], 17),
    ],
)
def test_group_score(statuses: list[str], score: int) -> None:
    keys = ["text_length", "images", "single_h1"]
    checks = [result(k, s) for k, s in zip(keys, statuses, strict=False)]
    checks.append(result("passive_voice", "problem"))  # other group: no effect on the SEO score
    assert group_score(checks, "seo") == score


def test_scores_follow_the_checks_and_off_checks_are_left_out() -> None:
    html = "<p>A coffee grinder is handy.</p>"
    full = run(html)
    assert full.seo_score == group_score(full.checks, "seo")
    assert full.readability_score == group_score(full.checks, "readability")
    failing_seo = [c.key for c in full.by_group("seo") if c.status != "good"]
    trimmed = analyze(ContentInput(html=html, keyphrase=KEYPHRASE), dict.fromkeys(failing_seo, "off"))
    assert all(trimmed.check(k) is None for k in failing_seo)
    assert trimmed.seo_score == 100
    assert full.seo_score < 100


def test_to_dict_round_trip_through_json() -> None:
    analysis = run(
        '<h2>Coffee grinder</h2><p>A coffee grinder. <a href="https://x.org">x</a></p><img src="a" alt="b">',
        meta_description="Coffee grinder reviews.",
        seo_title="Coffee grinder reviews for home baristas",
    )
    data = json.loads(json.dumps(analysis.to_dict()))
    assert data["format"] == 1
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
