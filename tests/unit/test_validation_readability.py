"""Readability checks at their thresholds, and the text parsing they rest on."""

from __future__ import annotations

import pytest

from writer_app.services.validation import CheckResult, ContentInput, analyze
from writer_app.services.validation.language import has_transition, is_passive, sentence_beginning
from writer_app.services.validation.readability import flesch_score, flesch_status, syllables
from writer_app.services.validation.text import parse_html, split_sentences


def words(n: int, word: str = "lorem") -> str:
    return " ".join([word] * n)


def sentence(n: int, first: str = "Lorem", word: str = "ipsum") -> str:
    """A sentence of exactly n words."""
    return " ".join([first] + [word] * (n - 1)) + "."


def check(key: str, html: str) -> CheckResult | None:
    return analyze(ContentInput(html=html)).check(key)


def numbered(count: int, n: int = 5) -> list[str]:
    """count sentences of n words, each starting differently so no other rule interferes."""
    return [sentence(n, first=f"Word{i}") for i in range(count)]


# --- parsing -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One here. Two there.", ["One here.", "Two there."]),
        ("It costs 3.5 dollars. Cheap!", ["It costs 3.5 dollars.", "Cheap!"]),
        ("Dr. Smith met Mr. Jones. They talked.", ["Dr. Smith met Mr. Jones.", "They talked."]),
        ("Use tools, e.g. a grinder. Then brew.", ["Use tools, e.g. a grinder.", "Then brew."]),
        ("J. R. R. Tolkien wrote books. Many.", ["J. R. R. Tolkien wrote books.", "Many."]),
        ('Really? Yes! He said "Stop." Then left…', ["Really?", "Yes!", 'He said "Stop."', "Then left…"]),
        ("Wait... What happened?", ["Wait...", "What happened?"]),
        ("No end punctuation", ["No end punctuation"]),
        ("  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_parse_html_blocks_and_paragraph_anchors() -> None:
    doc = parse_html(
        "Loose text<p>First <b>para</b>.</p><h2>Head</h2><ul><li><p>In list</p></li><li>Item</li></ul>"
        '<p>Last <a href="/x">link</a><img src="i.png" alt=" A cat "></p>'
    )
    assert [(b.tag, b.text, b.anchor) for b in doc.blocks] == [
        ("", "Loose text", "body"),
        ("p", "First para.", "body:p1"),
        ("h2", "Head", "body"),
        ("p", "In list", "body:p2"),
        ("li", "Item", "body"),
        ("p", "Last link", "body:p3"),
    ]
    assert doc.links == ["/x"]
    assert [(i.src, i.alt) for i in doc.images] == [("i.png", "A cat")]
    assert [b.text for b in doc.paragraphs] == ["Loose text", "First para.", "In list", "Last link"]


# --- structure ---------------------------------------------------------------------------------


@pytest.mark.parametrize(("total", "expected"), [(300, "good"), (301, "problem")])
def test_subheading_distribution_without_subheadings(total: int, expected: str) -> None:
    result = check("subheading_distribution", f"<p>{words(total)}</p>")
    assert result is not None
    assert (result.status, result.value) == (expected, total)


@pytest.mark.parametrize(
    ("longest", "expected"), [(300, "good"), (301, "improve"), (350, "improve"), (351, "problem")]
)
def test_subheading_distribution_longest_section(longest: int, expected: str) -> None:
    html = f"<p>{words(100)}</p><h2>A</h2><p>{words(200)}</p><h3>B</h3><p>{words(longest - 50)}</p><p>{words(50)}</p>"
    result = check("subheading_distribution", html)
    assert result is not None
    assert (result.status, result.value) == (expected, longest)
    assert result.anchor == ("body" if expected == "good" else "body:p3")  # first paragraph of the section


def test_subheading_distribution_counts_the_text_before_the_first_heading() -> None:
    result = check("subheading_distribution", f"<p>{words(320)}</p><h2>A</h2><p>{words(10)}</p>")
    assert result is not None
    assert (result.status, result.value, result.anchor) == ("improve", 320, "body:p1")


@pytest.mark.parametrize(
    ("longest", "expected"), [(150, "good"), (151, "improve"), (200, "improve"), (201, "problem")]
)
def test_paragraph_length(longest: int, expected: str) -> None:
    html = f"<p>{words(20)}</p><h2>A</h2><p>{words(longest)}</p><p>{words(30)}</p>"
    result = check("paragraph_length", html)
    assert result is not None
    assert (result.status, result.value) == (expected, longest)
    assert result.anchor == ("body" if expected == "good" else "body:p2")


def test_a_body_without_text_is_flagged_as_too_short() -> None:
    # As in Yoast: the structure checks pass on nothing, and "not enough content" is red.
    analysis = analyze(ContentInput(html="<h2>Only a heading</h2>"))
    assert analysis.check("text_presence").status == "problem"  # type: ignore[union-attr]
    assert analysis.check("paragraph_length").status == "good"  # type: ignore[union-attr]
    assert analysis.readability_score == 90
    assert analyze(ContentInput(html="<p>" + " ".join(numbered(3)) + "</p>")).check("text_presence") is None


# --- sentences ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("long", "total", "expected"),
    [
        (1, 4, "good"),  # 25%
        (13, 50, "improve"),  # 26%
        (3, 10, "improve"),  # 30%
        (4, 13, "problem"),  # 30.8%
    ],
)
def test_sentence_length(long: int, total: int, expected: str) -> None:
    sentences = [sentence(21, first=f"Long{i}") for i in range(long)] + numbered(total - long, 20)
    result = check("sentence_length", "<p>" + " ".join(sentences) + "</p>")
    assert result is not None
    assert (result.status, result.value) == (expected, round(100 * long / total, 1))


@pytest.mark.parametrize(
    ("text", "passive"),
    [
        ("The cake was eaten.", True),
        ("The house is being built.", True),
        ("The report was not yet finished.", True),
        ("He was quickly informed.", True),
        ("It gets painted every year.", True),
        ("Mistakes were made.", True),
        ("She is happy.", False),
        ("They were reading.", False),
        ("The bed was red.", False),
        ("We need speed.", False),
        ("He walked home.", False),
    ],
)
def test_is_passive(text: str, passive: bool) -> None:
    assert is_passive(text) is passive


@pytest.mark.parametrize(
    ("passive", "total", "expected"),
    [
        (1, 10, "good"),  # 10%
        (1, 9, "improve"),  # 11.1%
        (3, 20, "improve"),  # 15%
        (2, 13, "problem"),  # 15.4%
    ],
)
def test_passive_voice(passive: int, total: int, expected: str) -> None:
    sentences = [f"Cake{i} was eaten." for i in range(passive)] + numbered(total - passive)
    result = check("passive_voice", "<p>" + " ".join(sentences) + "</p>")
    assert result is not None
    assert (result.status, result.value) == (expected, round(100 * passive / total, 1))


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("However, it works.", True),
        ("For example, this one.", True),
        ("On the other hand we wait.", True),
        ("It works, therefore we ship.", True),
        ("Cats sleep all day.", False),
        ("Whoever comes is welcome.", False),  # whole words only
        ("Infact is not a word.", False),
    ],
)
def test_has_transition(text: str, found: bool) -> None:
    assert has_transition(text) is found


@pytest.mark.parametrize(
    ("with_transition", "total", "expected"),
    [
        (3, 10, "good"),  # 30%
        (2, 7, "improve"),  # 28.6%
        (2, 10, "improve"),  # 20%
        (1, 6, "problem"),  # 16.7%
    ],
)
def test_transition_words(with_transition: int, total: int, expected: str) -> None:
    size = 200 // total + 1  # at least 200 words so the check applies
    sentences = [sentence(size, first=f"Also{i}", word="therefore") for i in range(with_transition)]
    sentences += numbered(total - with_transition, size)
    result = check("transition_words", "<p>" + " ".join(sentences) + "</p>")
    assert result is not None
    assert (result.status, result.value) == (expected, round(100 * with_transition / total, 1))


def test_transition_words_are_not_needed_under_200_words() -> None:
    assert check("transition_words", "<p>" + " ".join(numbered(1, 199)) + "</p>").status == "good"  # type: ignore[union-attr]
    assert check("transition_words", "<p>" + " ".join(numbered(1, 200)) + "</p>").status == "problem"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("text", "beginning"),
    [("Cats sleep.", "cats"), ("The cat sleeps.", "the cat"), ("“Quoted” start.", "quoted"), ("", "")],
)
def test_sentence_beginning(text: str, beginning: str) -> None:
    assert sentence_beginning(text) == beginning


@pytest.mark.parametrize(
    ("html", "expected", "anchor"),
    [
        ("<p>Cats nap. Cats eat. Dogs bark. Cats run.</p>", "good", "body"),  # at most 2 in a row
        ("<p>Intro here.</p><p>Cats nap. Cats eat. Cats run.</p>", "problem", "body:p2"),
        ("<p>The cat naps. The dog eats. The bird sings.</p>", "good", "body"),  # articles look further
        ("<p>The cat naps. The cat eats. The cat sings.</p>", "problem", "body:p1"),
        ("<p>Cats nap.</p><p>Cats eat.</p><p>Cats run.</p>", "problem", "body:p1"),  # across paragraphs
    ],
)
def test_consecutive_sentences(html: str, expected: str, anchor: str) -> None:
    result = check("consecutive_sentences", html)
    assert result is not None
    assert (result.status, result.anchor) == (expected, anchor)


# --- Flesch ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("score", "expected"),
    [(49.9, "problem"), (50.0, "improve"), (59.9, "improve"), (60.0, "good"), (100.0, "good")],
)
def test_flesch_status(score: float, expected: str) -> None:
    assert flesch_status(score) == expected


@pytest.mark.parametrize(("word", "count"), [("cat", 1), ("coffee", 2), ("beautiful", 3)])
def test_syllables(word: str, count: int) -> None:
    assert syllables(word) == count


def test_flesch_score_formula() -> None:
    # 6 one-syllable words in one sentence: 206.835 - 1.015 * 6 - 84.6 * 1
    assert flesch_score(["The cat sat on the mat."]) == 116.1
    assert flesch_score([]) == 0.0


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("The cat sat on the mat. The dog ran to the park. We all had fun in the sun.", "good"),
        (
            "Institutional interoperability considerations necessitate comprehensive organizational "
            "documentation. Characteristically, international standardization methodologies "
            "complicate implementation.",
            "problem",
        ),
    ],
)
def test_flesch_reading_ease_check(text: str, expected: str) -> None:
    result = check("flesch_reading_ease", f"<p>{text}</p>")
    assert result is not None
    assert result.status == expected
    assert result.value == flesch_score(split_sentences(text))
