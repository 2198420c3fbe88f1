"""The offline provider and the prompt template: deterministic, sanitized, sized as asked."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from writer_app.integrations.ai import (
    ARTICLE_PROMPT_PLACEHOLDERS,
    DEFAULT_ARTICLE_PROMPT,
    ArticleBrief,
    ImagePromptBrief,
    get_provider,
    render_article_prompt,
    slugify,
    validate_prompt_template,
)
from writer_app.integrations.ai_offline import OfflineProvider
from writer_app.integrations.ai_offline_text import PLANS
from writer_app.text.html import html_to_text, sanitize_html, word_count


def brief(**changes: object) -> ArticleBrief:
    values: dict[str, object] = {
        "title": "How to Plan a Content Calendar for Small Teams",
        "description": "Practical planning advice.",
        "keywords": ["content calendar", "editorial planning"],
        "content_structure": "article",
        "word_count": 1200,
        "cluster_name": "Content operations",
        "cluster_keywords": ["publishing schedule"],
    }
    values.update(changes)
    return ArticleBrief(**values)  # type: ignore[arg-type]


@pytest.fixture
def provider() -> OfflineProvider:
    selected = get_provider({"AI_PROVIDER": "offline"})
    assert isinstance(selected, OfflineProvider)
    return selected


def test_same_brief_same_draft_and_different_briefs_differ(provider: OfflineProvider) -> None:
    first = provider.generate_article(brief(), "prompt")
    assert provider.generate_article(brief(), "another prompt") == first
    assert OfflineProvider().generate_article(brief(), "prompt") == first
    assert provider.generate_article(brief(title="Editorial Calendars Explained"), "p").html != first.html


def test_draft_fields(provider: OfflineProvider) -> None:
    draft = provider.generate_article(brief(), "prompt")
    assert draft.offline is True and draft.model == "offline" and draft.tokens_used == 0
    assert draft.title == "How to Plan a Content Calendar for Small Teams"
    assert draft.slug == "how-to-plan-a-content-calendar-for-small-teams"
    assert draft.primary_keyword == "content calendar"
    assert draft.secondary_keywords == ["editorial planning", "publishing schedule"]
    assert len(draft.meta_title) <= 60
    assert 120 <= len(draft.meta_description) <= 156
    assert "content calendar" in draft.meta_description.lower()


@pytest.mark.parametrize("structure", sorted(PLANS))
def test_every_structure_gives_a_sanitized_structured_article(
    provider: OfflineProvider, structure: str
) -> None:
    draft = provider.generate_article(brief(content_structure=structure), "prompt")
    assert draft.html == sanitize_html(draft.html)
    assert draft.html.count("<h2>") >= 2
    assert re.search(r"<(ul|ol)>(<li>.+?</li>){3,}</\1>", draft.html) or "<h3>" in draft.html
    assert "content calendar" in html_to_text(draft.html)
    assert "{" not in draft.html  # every placeholder was filled


def test_guides_have_steps_and_landing_pages_have_a_faq(provider: OfflineProvider) -> None:
    guide = provider.generate_article(brief(content_structure="guide"), "p").html
    landing = provider.generate_article(brief(content_structure="landing_page"), "p").html
    assert "<h3>Step 1: " in guide and "<ol>" in guide
    assert "Frequently asked questions" in landing and "<h3>Is content calendar worth it" in landing


@pytest.mark.parametrize(("target", "tolerance"), [(300, 0.25), (600, 0.1), (1200, 0.1), (2500, 0.1)])
def test_length_is_near_the_target(provider: OfflineProvider, target: int, tolerance: float) -> None:
    for structure in ("article", "guide", "landing_page", "faq"):
        words = word_count(
            provider.generate_article(brief(word_count=target, content_structure=structure), "p").html
        )
        assert abs(words - target) <= target * tolerance, (structure, target, words)


def test_unset_word_count_uses_the_default(provider: OfflineProvider) -> None:
    words = word_count(provider.generate_article(brief(word_count=None), "p").html)
    assert 900 <= words <= 1100


def test_user_text_is_escaped_not_injected(provider: OfflineProvider) -> None:
    draft = provider.generate_article(
        brief(title="<script>alert(1)</script> Tips", keywords=['<img src=x onerror="alert(1)">']), "p"
    )
    assert "<script" not in draft.html and "<img" not in draft.html
    assert not re.search(r"<[^>]*onerror", draft.html)  # no tag carries it; it is only visible text
    assert "&lt;img src=x onerror=" in draft.html
    assert draft.slug == "script-alert-1-script-tips"


def test_meta_description_bounds_for_short_and_long_inputs(provider: OfflineProvider) -> None:
    short = provider.generate_article(brief(title="SEO", keywords=["seo"]), "p")
    long_title = "An Extremely Long Title " * 8
    long = provider.generate_article(brief(title=long_title, keywords=["long tail keywords"]), "p")
    for draft, keyword in ((short, "seo"), (long, "long tail keywords")):
        assert 120 <= len(draft.meta_description) <= 156
        assert keyword in draft.meta_description.lower()
        assert len(draft.meta_title) <= 60
    assert len(long.slug) <= 80 and not long.slug.endswith("-")


def test_keywordless_brief_falls_back_to_the_title(provider: OfflineProvider) -> None:
    draft = provider.generate_article(ArticleBrief(title="Remote Onboarding"), "p")
    assert draft.primary_keyword == "remote onboarding"
    assert draft.secondary_keywords == []
    assert "remote onboarding" in html_to_text(draft.html).lower()


def test_image_prompts_use_the_primary_keyword(provider: OfflineProvider) -> None:
    text = html_to_text(provider.generate_article(brief(), "p").html)
    prompts = provider.generate_image_prompts(
        ImagePromptBrief(
            title="Plan a Content Calendar",
            primary_keyword="content calendar",
            excerpt=text,
            in_article_count=3,
        )
    )
    assert [(p.image_type, p.position) for p in prompts] == [
        ("featured", 0),
        ("in_article", 1),
        ("in_article", 2),
        ("in_article", 3),
    ]
    assert all("content calendar" in p.alt_text.lower() and len(p.alt_text) <= 125 for p in prompts)
    assert len({p.prompt for p in prompts}) == 4  # each image gets its own scene
    assert prompts == provider.generate_image_prompts(
        ImagePromptBrief(
            title="Plan a Content Calendar",
            primary_keyword="content calendar",
            excerpt=text,
            in_article_count=3,
        )
    )


@pytest.mark.parametrize(("width", "height"), [(1200, 630), (600, 900), (64, 64)])
def test_offline_image_is_a_png_of_the_requested_size(
    provider: OfflineProvider, width: int, height: int
) -> None:
    image = provider.generate_image("A desk with a paper content calendar and coffee", width, height)
    with Image.open(io.BytesIO(image.data)) as png:
        assert png.format == "PNG" and png.size == (width, height)
        assert len(png.getcolors(maxcolors=1_000_000) or []) > 10  # drawn, not a flat fill
    assert image.offline is True and image.model == "offline"
    assert provider.generate_image("A desk with a paper content calendar and coffee", width, height) == image


def test_offline_image_rejects_silly_sizes(provider: OfflineProvider) -> None:
    with pytest.raises(ValueError, match="Image sides"):
        provider.generate_image("x", 0, 100)


def test_default_prompt_renders_every_field() -> None:
    text = render_article_prompt(
        DEFAULT_ARTICLE_PROMPT, brief(idea_title="Calendar template", content_structure="how_to")
    )
    assert "Title: How to Plan a Content Calendar for Small Teams" in text
    assert "Primary keyword: content calendar" in text
    assert "Secondary keywords: editorial planning, publishing schedule" in text
    assert "Target length: about 1200 words" in text
    assert "how to" in text and "Calendar template" in text
    assert "{" not in text


def test_every_placeholder_is_accepted_and_braces_can_be_escaped() -> None:
    template = " ".join("{" + name + "}" for name in ARTICLE_PROMPT_PLACEHOLDERS) + " {{literal}}"
    assert render_article_prompt(template, brief()).endswith("{literal}")


@pytest.mark.parametrize(
    ("template", "message"),
    [
        ("Write about {topic}", r"Unknown placeholder \{topic\}"),
        ("Write about {}", r"Unknown placeholder \{\}"),
        ("Write about {title.upper}", r"Unknown placeholder \{title.upper\}"),
        ("Write about {title", "unmatched brace"),
        ("Write about }", "unmatched brace"),
        ("Write {title:%}", "formats"),
    ],
)
def test_bad_templates_give_a_clear_value_error(template: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        render_article_prompt(template, brief())


@pytest.mark.parametrize(
    "template", ["{title:>200000000}", "{title:{word_count}}", "{title!r}", "{title!s:^9}"]
)
def test_format_specs_and_conversions_are_refused_before_anything_is_built(template: str) -> None:
    for check in (validate_prompt_template, lambda t: render_article_prompt(t, brief())):
        with pytest.raises(ValueError, match=r"written plainly, like \{title\}"):
            check("Write about " + template)


def test_values_with_braces_stay_text() -> None:
    assert render_article_prompt("T: {title}", brief(title="{word_count:>99}")) == "T: {word_count:>99}"


def test_validate_prompt_template_accepts_the_default() -> None:
    validate_prompt_template(DEFAULT_ARTICLE_PROMPT)


def test_slugify() -> None:
    assert slugify("Crème brûlée: 10 Tips & Tricks!") == "creme-brulee-10-tips-tricks"
    assert slugify("word " * 40, max_length=20) == "word-word-word-word"
