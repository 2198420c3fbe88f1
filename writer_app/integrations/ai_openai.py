"""The AI provider for OpenAI and OpenAI-compatible servers (vLLM, Ollama, LocalAI...), via the SDK.

Retries are the SDK's: it backs off on 429/408/409/5xx, timeouts and connection errors and honours
Retry-After. We only translate what is left into `AIError`s an editor can read.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Callable
from typing import Any, TypeVar

import openai

from writer_app.integrations import ai_outline_openai
from writer_app.integrations.ai import (
    AIConfigError,
    AIError,
    AIInvalidOutputError,
    AITransientError,
    AITruncatedError,
    ArticleBrief,
    ArticleDraft,
    GeneratedImage,
    ImagePrompt,
    ImagePromptBrief,
    check_image_size,
    slugify,
)
from writer_app.integrations.ai_fixes import FIX_SCHEMA, FIX_SYSTEM, FixAnswer, FixRequest, render_fix_prompt
from writer_app.integrations.ai_images import normalise_png
from writer_app.integrations.ai_outline import (
    ArticleFrame,
    OutlineDraft,
    OutlineRequest,
    OutlineSection,
    SectionText,
)
from writer_app.text.html import html_to_text, sanitize_html

T = TypeVar("T")

ARTICLE_SYSTEM = """\
You are an experienced editor and SEO writer. Follow the user's brief and answer with one JSON \
object and nothing else, with these keys:
title (the headline), meta_title (at most 60 characters), meta_description (121 to 156 characters, \
containing the primary keyword), primary_keyword, secondary_keywords (a list of strings), slug \
(lowercase words joined by hyphens) and html (the article body as clean HTML: h2, h3, p, ul, ol, li, \
strong, em, a, blockquote; no h1, no scripts, no inline styles)."""

ARTICLE_SCHEMA: dict[str, Any] = {
    "name": "article_draft",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": [
            "title",
            "meta_title",
            "meta_description",
            "primary_keyword",
            "secondary_keywords",
            "slug",
            "html",
        ],
        "properties": {
            "title": {"type": "string"},
            "meta_title": {"type": "string"},
            "meta_description": {"type": "string"},
            "primary_keyword": {"type": "string"},
            "secondary_keywords": {"type": "array", "items": {"type": "string"}},
            "slug": {"type": "string"},
            "html": {"type": "string"},
        },
    },
}

_PROMPT_ITEM = {
    "type": "object",
    "additionalProperties": False,
    "required": ["prompt", "alt_text"],
    "properties": {"prompt": {"type": "string"}, "alt_text": {"type": "string"}},
}
IMAGE_PROMPTS_SCHEMA: dict[str, Any] = {
    "name": "image_prompts",
    "strict": True,
    "schema": {
        "type": "object",
        "additionalProperties": False,
        "required": ["featured", "in_article"],
        "properties": {"featured": _PROMPT_ITEM, "in_article": {"type": "array", "items": _PROMPT_ITEM}},
    },
}

IMAGE_PROMPTS_SYSTEM = """\
You write prompts for an image generation model and alt texts for the images of a web article. \
Answer with one JSON object: {"featured": {"prompt": ..., "alt_text": ...}, "in_article": [{"prompt": \
..., "alt_text": ...}, ...]}. Prompts describe a concrete scene, style and composition, with no text \
in the image. Alt texts are one plain sentence under 125 characters that describe the image and use \
the primary keyword naturally, never stuffed."""

# Sizes the OpenAI image models accept; other servers get the exact size we want.
_MODEL_SIZES = {
    "gpt-image": ((1024, 1024), (1536, 1024), (1024, 1536)),
    "dall-e-3": ((1024, 1024), (1792, 1024), (1024, 1792)),
    "dall-e-2": ((256, 256), (512, 512), (1024, 1024)),
}
_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)


class OpenAIProvider:
    name = "openai"

    def __init__(
        self,
        *,
        api_key: str,
        base_url: str | None = None,
        model: str = "gpt-4o-mini",
        image_model: str = "gpt-image-1",
        timeout: float = 120.0,
        max_retries: int = 2,
    ) -> None:
        if not api_key:
            if not base_url:
                raise AIConfigError("AI_PROVIDER is “openai” but OPENAI_API_KEY is not set.")
            api_key = "not-needed"  # local servers (Ollama, vLLM) ignore the key but the SDK wants one
        self.model = model
        self.image_model = image_model
        self.timeout = timeout
        self.max_retries = max_retries
        self.client = openai.OpenAI(
            api_key=api_key, base_url=base_url, timeout=timeout, max_retries=max_retries
        )

    def close(self) -> None:
        self.client.close()

    # --- articles ---------------------------------------------------------------------------------

    def generate_article(self, brief: ArticleBrief, prompt: str) -> ArticleDraft:
        messages = [{"role": "system", "content": ARTICLE_SYSTEM}, {"role": "user", "content": prompt}]
        data, tokens = self._chat_json(messages, ARTICLE_SCHEMA, what="article")
        return self._draft(data, brief, tokens)

    def _draft(self, data: dict[str, Any], brief: ArticleBrief, tokens: int) -> ArticleDraft:
        missing = [key for key in ("title", "html") if not _text(data.get(key))]
        if missing:
            raise AIInvalidOutputError(
                f"The AI answer had no {' and no '.join(missing)}, so it was not used."
            )
        html = sanitize_html(_CONTROL.sub(lambda c: c[0] if c[0] in "\t\n\r" else "", str(data["html"])))
        if not html_to_text(html):
            raise AIInvalidOutputError("The AI answer contained no readable article text.")
        title = _text(data["title"])
        secondary = data.get("secondary_keywords") or []
        if isinstance(secondary, str):  # some servers ignore the schema and send "a, b, c"
            secondary = secondary.split(",")
        if not isinstance(secondary, list):
            raise AIInvalidOutputError("The AI answer's secondary_keywords were not a list.")
        return ArticleDraft(
            title=title,
            meta_title=_text(data.get("meta_title")) or title,
            meta_description=_text(data.get("meta_description")),
            primary_keyword=_text(data.get("primary_keyword")) or brief.primary_keyword,
            secondary_keywords=[s for s in (_text(k) for k in secondary) if s],
            slug=slugify(_text(data.get("slug")) or title),
            html=html,
            model=self.model,
            tokens_used=tokens,
            offline=False,
        )

    # --- image prompts ----------------------------------------------------------------------------

    def generate_image_prompts(self, brief: ImagePromptBrief) -> list[ImagePrompt]:
        count = max(0, brief.in_article_count)
        user = (
            f"Article title: {brief.title}\nPrimary keyword: {brief.primary_keyword}\n"
            f"Write 1 featured image prompt and exactly {count} in-article image prompts, in reading "
            f"order, each illustrating a different part of the article.\n\nArticle text:\n"
            f"{brief.excerpt[:6000]}"
        )
        if brief.style_guide.strip():
            user += "\n\n" + brief.style_guide.strip()
        messages = [{"role": "system", "content": IMAGE_PROMPTS_SYSTEM}, {"role": "user", "content": user}]
        data, _ = self._chat_json(messages, IMAGE_PROMPTS_SCHEMA, what="image prompts")
        featured = data.get("featured")
        items = data.get("in_article") or []
        if not isinstance(featured, dict) or not _text(featured.get("prompt")) or not isinstance(items, list):
            raise AIInvalidOutputError("The AI answer had no usable featured image prompt.")
        usable = [i for i in items if isinstance(i, dict) and _text(i.get("prompt"))][:count]
        prompts = [self._image_prompt("featured", featured, 0, brief)]
        prompts += [
            self._image_prompt("in_article", item, n, brief) for n, item in enumerate(usable, start=1)
        ]
        return prompts

    @staticmethod
    def _image_prompt(kind: str, item: dict[str, Any], position: int, brief: ImagePromptBrief) -> ImagePrompt:
        alt = _text(item.get("alt_text")) or f"{brief.primary_keyword.capitalize()}: {brief.title}"
        return ImagePrompt(image_type=kind, prompt=_text(item["prompt"]), alt_text=alt, position=position)  # type: ignore[arg-type]

    # --- images -----------------------------------------------------------------------------------

    def generate_image(self, prompt: str, width: int, height: int) -> GeneratedImage:
        check_image_size(width, height)
        w, h = _request_size(self.image_model, width, height)
        kwargs: dict[str, Any] = {"model": self.image_model, "prompt": prompt, "n": 1, "size": f"{w}x{h}"}
        if not self.image_model.startswith("gpt-image"):
            kwargs["response_format"] = "b64_json"  # gpt-image models always answer b64 and reject it
        response = self._call(lambda: self.client.images.generate(**kwargs))
        item = response.data[0] if response.data else None
        if item is None or not item.b64_json:
            raise AIInvalidOutputError("The AI server answered without image data.")
        try:
            raw = base64.b64decode(item.b64_json, validate=True)
        except (binascii.Error, ValueError) as exc:
            raise AIInvalidOutputError("The AI server returned image data that is not valid base64.") from exc
        return GeneratedImage(data=normalise_png(raw, width, height), model=self.image_model, offline=False)

    # --- plumbing ---------------------------------------------------------------------------------

    def _chat_json(
        self, messages: list[dict[str, str]], schema: dict[str, Any], *, what: str
    ) -> tuple[dict[str, Any], int]:
        response = self._call(
            lambda: self.client.chat.completions.create(
                model=self.model,
                messages=messages,  # type: ignore[arg-type]
                response_format={"type": "json_schema", "json_schema": schema},  # type: ignore[arg-type]
            )
        )
        if not response.choices:
            raise AIInvalidOutputError(f"The AI server answered without any {what}.")
        choice = response.choices[0]
        tokens = response.usage.total_tokens if response.usage else 0
        if choice.finish_reason == "length":
            raise AITruncatedError(
                f"The AI stopped at its length limit, so the {what} would be cut off; "
                "try a shorter target length or a model with a larger output limit."
            )
        if choice.finish_reason == "content_filter":
            raise AIInvalidOutputError(f"The AI provider's content filter blocked the {what}.")
        message = choice.message
        if getattr(message, "refusal", None):
            raise AIInvalidOutputError(f"The AI declined to write the {what}: {message.refusal}")
        return parse_json_object(message.content or "", what=what), tokens

    def _call(self, request: Callable[[], T]) -> T:
        attempts = self.max_retries + 1
        tries = f"after {attempts} attempt{'s' if attempts != 1 else ''}"
        try:
            result = request()
        except openai.APITimeoutError as exc:
            raise AITransientError(
                f"The AI server did not answer within {self.timeout:g} s {tries}."
            ) from exc
        except openai.APIConnectionError as exc:
            where = self.client.base_url.host or "the AI server"
            raise AITransientError(f"Could not connect to the AI server ({where}) {tries}.") from exc
        except openai.RateLimitError as exc:
            raise AITransientError(
                f"The AI server kept refusing with 429 (rate limit or quota) {tries}.", status_code=429
            ) from exc
        except openai.APIStatusError as exc:
            code = exc.status_code
            if code >= 500 or code in (408, 409):
                raise AITransientError(
                    f"The AI server kept answering {code} {tries}.", status_code=code
                ) from exc
            if code in (401, 403):
                raise AIError(
                    f"The AI server refused the API key ({code}); check OPENAI_API_KEY.", status_code=code
                ) from exc
            raise AIError(
                f"The AI server rejected the request ({code}): {_detail(exc)}", status_code=code
            ) from exc
        except openai.OpenAIError as exc:
            raise AIError(f"The AI request failed: {exc}") from exc
        if not isinstance(result, openai.BaseModel):
            # The SDK hands back the body as text when it is not JSON (a website or a login portal
            # answering 200 at OPENAI_BASE_URL): say so instead of failing on its missing fields.
            body = str(result).lstrip()
            kind = "a web page (text/html)" if body.startswith("<") else "text that is not JSON"
            raise AIError(
                f"The AI server answered with {kind}, not the API: check OPENAI_BASE_URL "
                "(an OpenAI-compatible API, usually ending in /v1)."
            )
        return result

    # --- outline first (ai_outline_openai.py) -----------------------------------------------------

    def generate_outline(self, request: OutlineRequest) -> OutlineDraft:
        return ai_outline_openai.generate_outline(self, request)

    def write_section(self, brief: ArticleBrief, sections: list[OutlineSection], index: int) -> SectionText:
        return ai_outline_openai.write_section(self, brief, sections, index)

    def write_intro(self, brief: ArticleBrief, sections: list[OutlineSection]) -> ArticleFrame:
        return ai_outline_openai.write_intro(self, brief, sections)

    # --- targeted fixes ---------------------------------------------------------------------------

    def fix_content(self, request: FixRequest) -> FixAnswer:
        messages = [
            {"role": "system", "content": FIX_SYSTEM},
            {"role": "user", "content": render_fix_prompt(request)},
        ]
        data, tokens = self._chat_json(messages, FIX_SCHEMA, what="fix")
        wanted = {b.id for b in request.blocks}
        blocks: dict[str, str] = {}
        for item in data.get("blocks") or []:
            if isinstance(item, dict) and item.get("id") in wanted and isinstance(item.get("html"), str):
                blocks[item["id"]] = sanitize_html(_CONTROL.sub(" ", item["html"]))
        value = _text(data.get("value"))
        if request.target != "body" and not value:
            raise AIInvalidOutputError("The AI answer had no new value for the field, so it was not used.")
        return FixAnswer(value=value, blocks=blocks, model=self.model, tokens_used=tokens, offline=False)


def parse_json_object(content: str, *, what: str = "answer") -> dict[str, Any]:
    """The first JSON object in a model's answer: bare, inside a ```json fence, or after some prose."""
    text = content.strip()
    candidates = [text, *(m.group(1).strip() for m in _FENCE.finditer(text))]
    for candidate in candidates:
        try:
            value = json.loads(candidate)
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    decoder = json.JSONDecoder()
    for match in re.finditer(r"\{", text):
        try:
            value, _ = decoder.raw_decode(text, match.start())
        except ValueError:
            continue
        if isinstance(value, dict):
            return value
    raise AIInvalidOutputError(f"The AI answer could not be read as the {what} (no valid JSON object in it).")


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _text(value: Any) -> str:
    """A one-line field of the answer: control characters (PostgreSQL refuses NUL) become spaces."""
    return " ".join(_CONTROL.sub(" ", value).split()) if isinstance(value, str) else ""


def _detail(exc: openai.APIStatusError) -> str:
    body = exc.body
    if isinstance(body, dict):
        message = body.get("message") or (body.get("error") or {}).get("message")
        if message:
            return str(message)[:300]
    return exc.message[:300]


def _request_size(model: str, width: int, height: int) -> tuple[int, int]:
    """The supported size closest in shape (then in area) to what we want; we crop afterwards."""
    for prefix, sizes in _MODEL_SIZES.items():
        if model.startswith(prefix):
            ratio = width / height
            return min(sizes, key=lambda s: (abs(s[0] / s[1] - ratio), abs(s[0] * s[1] - width * height)))
    return width, height
