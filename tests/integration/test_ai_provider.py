"""The openai provider over real HTTP, with the real SDK, against the local fake OpenAI server."""

from __future__ import annotations

import io
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from PIL import Image

from tests.support.openai_server import (  # noqa: F401 (fixtures; the conftest may star-import them too)
    Behaviour,
    FakeOpenAIServer,
    openai_config_fixture,
    openai_server_fixture,
)
from writer_app.integrations.ai import (
    DEFAULT_ARTICLE_PROMPT,
    AIConfigError,
    AIError,
    AIInvalidOutputError,
    AIProvider,
    AITransientError,
    AITruncatedError,
    ArticleBrief,
    ImagePromptBrief,
    get_provider,
    render_article_prompt,
)
from writer_app.integrations.ai_offline import OfflineProvider
from writer_app.integrations.ai_openai import OpenAIProvider
from writer_app.text.html import html_to_text

BRIEF = ArticleBrief(
    title="How to Plan a Content Calendar",
    description="A practical guide for small editorial teams.",
    keywords=["content calendar", "editorial planning"],
    content_structure="guide",
    word_count=600,
    cluster_name="Content operations",
    cluster_keywords=["publishing schedule"],
)
PROMPT = render_article_prompt(DEFAULT_ARTICLE_PROMPT, BRIEF)


@pytest.fixture
def provider(openai_config: dict[str, Any]) -> AIProvider:
    return get_provider(openai_config)


def chat_requests(server: FakeOpenAIServer) -> list[Any]:
    return [r for r in server.requests if r.path == "/v1/chat/completions"]


def test_article_success_sends_a_strict_json_schema_and_reads_the_draft(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    draft = provider.generate_article(BRIEF, PROMPT)

    assert draft.title == "How to Plan a Content Calendar"
    assert draft.primary_keyword == "content calendar"
    assert draft.secondary_keywords == ["editorial planning", "publishing schedule"]
    assert draft.slug == "how-to-plan-a-content-calendar"
    assert "<h2>" in draft.html and "content calendar" in html_to_text(draft.html)
    assert draft.model == "fake-gpt" and draft.offline is False
    assert draft.tokens_used > 0
    (request,) = chat_requests(openai_server)
    body = request.body
    assert body["model"] == "fake-gpt"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["messages"][-1] == {"role": "user", "content": PROMPT}
    assert request.headers["authorization"] == "Bearer test-key"


@pytest.mark.parametrize("kind", ["fenced", "prose"])
def test_json_inside_a_fence_or_after_prose_is_still_read(
    provider: AIProvider, openai_server: FakeOpenAIServer, kind: str
) -> None:
    openai_server.push(kind)
    draft = provider.generate_article(BRIEF, PROMPT)
    assert draft.title == "How to Plan a Content Calendar"
    assert "content calendar" in html_to_text(draft.html)


def test_hostile_html_is_stripped(provider: AIProvider, openai_server: FakeOpenAIServer) -> None:
    openai_server.push("hostile")
    html = provider.generate_article(BRIEF, PROMPT).html.lower()
    for bad in ("<script", "alert('xss')", "onerror", "javascript:", "<iframe", "<style", "onclick"):
        assert bad not in html
    assert "visible text stays." in html and "<strong>text</strong>" in html


def test_a_500_then_success_is_retried_by_the_sdk(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    openai_server.push("error_500")
    draft = provider.generate_article(BRIEF, PROMPT)
    assert draft.title
    assert [r.behaviour for r in chat_requests(openai_server)] == ["error_500", "ok"]


def test_persistent_500_becomes_a_readable_transient_error(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    openai_server.push("error_500", "error_500", "error_500", "ok")
    with pytest.raises(AITransientError) as caught:
        provider.generate_article(BRIEF, PROMPT)
    assert str(caught.value) == "The AI server kept answering 500 after 3 attempts."
    assert caught.value.retryable and caught.value.status_code == 500
    assert len(chat_requests(openai_server)) == 3
    assert openai_server.pending() == 1  # the fourth answer was never asked for


def test_429_honours_retry_after_then_succeeds(
    openai_config: dict[str, Any], openai_server: FakeOpenAIServer
) -> None:
    provider = get_provider(openai_config)
    openai_server.push(Behaviour("rate_limit", retry_after=0.4))
    started = time.monotonic()
    draft = provider.generate_article(BRIEF, PROMPT)
    assert draft.title
    assert time.monotonic() - started >= 0.4
    assert [r.behaviour for r in chat_requests(openai_server)] == ["rate_limit", "ok"]


def test_persistent_429_names_the_rate_limit(
    openai_config: dict[str, Any], openai_server: FakeOpenAIServer
) -> None:
    provider = get_provider({**openai_config, "AI_MAX_RETRIES": 1})
    openai_server.push("rate_limit", "rate_limit")
    with pytest.raises(AITransientError, match=r"429 \(rate limit or quota\) after 2 attempts"):
        provider.generate_article(BRIEF, PROMPT)


def test_truncated_output_is_a_failure_not_a_short_article(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    openai_server.push("truncated")
    with pytest.raises(AITruncatedError, match="length limit"):
        provider.generate_article(BRIEF, PROMPT)
    assert len(chat_requests(openai_server)) == 1  # not retried: the same prompt would truncate again


@pytest.mark.parametrize("kind", ["invalid_json", "missing_fields"])
def test_unreadable_output_is_invalid(
    provider: AIProvider, openai_server: FakeOpenAIServer, kind: str
) -> None:
    openai_server.push(kind)
    with pytest.raises(AIInvalidOutputError):
        provider.generate_article(BRIEF, PROMPT)


def test_html_that_sanitizes_to_nothing_is_invalid(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    openai_server.push(Behaviour(fields={"html": "<script>alert(1)</script>"}))
    with pytest.raises(AIInvalidOutputError, match="no readable article text"):
        provider.generate_article(BRIEF, PROMPT)


def test_client_errors_are_not_transient(provider: AIProvider, openai_server: FakeOpenAIServer) -> None:
    openai_server.push("bad_request")
    with pytest.raises(AIError) as caught:
        provider.generate_article(BRIEF, PROMPT)
    assert not isinstance(caught.value, AITransientError)
    assert "rejected the request (400): Invalid value for 'model'" in str(caught.value)
    assert len(chat_requests(openai_server)) == 1


def test_a_wrong_api_key_is_reported_as_such(
    openai_config: dict[str, Any], openai_server: FakeOpenAIServer
) -> None:
    openai_server.api_key = "the-right-key"
    with pytest.raises(AIError, match="refused the API key"):
        get_provider(openai_config).generate_article(BRIEF, PROMPT)


def test_a_timeout_is_retried_then_reported(
    openai_config: dict[str, Any], openai_server: FakeOpenAIServer
) -> None:
    provider = get_provider({**openai_config, "AI_TIMEOUT_SECONDS": 0.25, "AI_MAX_RETRIES": 1})
    openai_server.push(Behaviour("slow", delay=0.6))
    assert provider.generate_article(BRIEF, PROMPT).title  # second attempt answers in time
    openai_server.push(Behaviour("slow", delay=0.6), Behaviour("slow", delay=0.6))
    with pytest.raises(AITransientError, match=r"did not answer within 0.25 s after 2 attempts"):
        provider.generate_article(BRIEF, PROMPT)


def test_a_server_answering_200_with_html_gives_a_plain_message(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    expected = r"answered with a web page \(text/html\), not the API: check OPENAI_BASE_URL"
    openai_server.push("html")
    with pytest.raises(AIError, match=expected) as error:
        provider.generate_article(BRIEF, PROMPT)
    assert not isinstance(error.value, AITransientError)  # a wrong address does not heal by retrying
    openai_server.push("html")
    with pytest.raises(AIError, match=expected):
        provider.generate_image("A desk", 512, 512)
    assert len(openai_server.requests) == 2


def test_an_unreachable_server_is_a_transient_error(openai_config: dict[str, Any]) -> None:
    with FakeOpenAIServer() as server:
        url = server.base_url  # a port that was just free and is closed again below
    provider = get_provider({**openai_config, "OPENAI_BASE_URL": url, "AI_MAX_RETRIES": 0})
    with pytest.raises(AITransientError, match="Could not connect to the AI server"):
        provider.generate_article(BRIEF, PROMPT)


@pytest.mark.parametrize(("width", "height"), [(1200, 630), (640, 960), (512, 512)])
def test_image_generation_returns_a_png_of_the_requested_size(
    provider: AIProvider, openai_server: FakeOpenAIServer, width: int, height: int
) -> None:
    image = provider.generate_image("A desk with a paper content calendar", width, height)
    with Image.open(io.BytesIO(image.data)) as png:
        assert png.format == "PNG" and png.size == (width, height)
    assert image.model == "gpt-image-1" and image.offline is False
    (request,) = openai_server.requests
    assert request.path == "/v1/images/generations"
    assert "response_format" not in request.body  # gpt-image models reject it
    assert request.body["size"] == (
        "1536x1024" if width > height else "1024x1536" if height > width else "1024x1024"
    )


def test_dall_e_style_models_are_asked_for_b64(
    openai_config: dict[str, Any], openai_server: FakeOpenAIServer
) -> None:
    provider = get_provider({**openai_config, "OPENAI_IMAGE_MODEL": "dall-e-3"})
    image = provider.generate_image("A calendar", 300, 200)
    assert Image.open(io.BytesIO(image.data)).size == (300, 200)
    assert openai_server.requests[0].body["response_format"] == "b64_json"
    assert openai_server.requests[0].body["size"] == "1792x1024"


def test_image_data_that_is_not_an_image_is_invalid(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    openai_server.push("bad_image")
    with pytest.raises(AIInvalidOutputError, match="not a readable image"):
        provider.generate_image("A calendar", 256, 256)


def test_image_prompts(provider: AIProvider, openai_server: FakeOpenAIServer) -> None:
    brief = ImagePromptBrief(
        title=BRIEF.title,
        primary_keyword="content calendar",
        excerpt="Plan ahead. Review weekly.",
        in_article_count=3,
    )
    prompts = provider.generate_image_prompts(brief)
    assert [(p.image_type, p.position) for p in prompts] == [
        ("featured", 0),
        ("in_article", 1),
        ("in_article", 2),
        ("in_article", 3),
    ]
    assert all(p.prompt and "content calendar" in p.alt_text for p in prompts)
    body = chat_requests(openai_server)[0].body
    assert body["response_format"]["json_schema"]["name"] == "image_prompts"
    assert body["response_format"]["json_schema"]["strict"] is True


def test_concurrent_calls_overlap(openai_config: dict[str, Any], openai_server: FakeOpenAIServer) -> None:
    openai_server.latency = 0.5
    provider = get_provider(openai_config)  # one provider (one SDK client) shared by all threads
    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=10) as pool:
        drafts = list(pool.map(lambda _: provider.generate_article(BRIEF, PROMPT), range(10)))
    elapsed = time.monotonic() - started
    assert len(drafts) == 10 and len(openai_server.requests) == 10
    assert elapsed < 2.5, f"10 calls of 0.5 s took {elapsed:.2f} s: they did not overlap"


def test_provider_selection() -> None:
    assert isinstance(get_provider({}), OfflineProvider)
    assert isinstance(get_provider({"OPENAI_API_KEY": "sk-x"}), OpenAIProvider)
    assert isinstance(get_provider({"OPENAI_API_KEY": "sk-x", "AI_PROVIDER": "offline"}), OfflineProvider)
    local = get_provider(
        {"AI_PROVIDER": "openai", "OPENAI_BASE_URL": "http://127.0.0.1:1/v1", "AI_MAX_RETRIES": "0"}
    )
    assert isinstance(local, OpenAIProvider) and local.max_retries == 0 and local.timeout == 120
    with pytest.raises(AIConfigError, match="AI_TIMEOUT_SECONDS must be a number"):
        get_provider({"OPENAI_API_KEY": "sk-x", "AI_TIMEOUT_SECONDS": "soon"})
    with pytest.raises(AIConfigError, match="OPENAI_API_KEY is not set"):
        get_provider({"AI_PROVIDER": "openai"})
    with pytest.raises(AIConfigError, match="Unknown AI provider"):
        get_provider({"AI_PROVIDER": "claude"})


def test_image_prompts_are_capped_and_renumbered(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    items = [{"prompt": "", "alt_text": "empty"}] + [
        {"prompt": f"Scene {n}", "alt_text": f"Content calendar scene {n}"} for n in range(1, 5)
    ]
    openai_server.push(Behaviour(fields={"in_article": items}))
    brief = ImagePromptBrief(
        title="T", primary_keyword="content calendar", excerpt="Text.", in_article_count=2
    )
    prompts = provider.generate_image_prompts(brief)
    assert [(p.position, p.prompt) for p in prompts[1:]] == [(1, "Scene 1"), (2, "Scene 2")]


def test_image_prompts_without_a_featured_prompt_are_invalid(
    provider: AIProvider, openai_server: FakeOpenAIServer
) -> None:
    openai_server.push(Behaviour(fields={"featured": {"prompt": "", "alt_text": ""}}))
    brief = ImagePromptBrief(
        title="T", primary_keyword="content calendar", excerpt="Text.", in_article_count=1
    )
    with pytest.raises(AIInvalidOutputError, match="featured image prompt"):
        provider.generate_image_prompts(brief)
