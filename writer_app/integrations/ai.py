"""The AI provider interface: what the rest of Writer may know about drafting articles and images.

Two implementations live next to this module: `ai_openai` (any OpenAI-compatible server through the
official SDK) and `ai_offline` (deterministic drafts and Pillow images, the default without a key).
Callers get one through `get_provider(config)` and only learn which one answered from
`ArticleDraft.offline` / `.model`.
"""

from __future__ import annotations

import re
import string
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, Protocol, runtime_checkable

if TYPE_CHECKING:
    from writer_app.integrations.ai_fixes import FixAnswer, FixRequest
    from writer_app.integrations.ai_outline import (
        ArticleFrame,
        OutlineDraft,
        OutlineRequest,
        OutlineSection,
        SectionText,
    )

DEFAULT_WORD_COUNT = 1000
MIN_IMAGE_SIDE = 16
MAX_IMAGE_SIDE = 4096

ImageType = Literal["featured", "in_article"]


# --- inputs and outputs ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleBrief:
    """Everything a task tells the writer about the piece it wants."""

    title: str
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    content_type: str = "post"
    content_structure: str = "article"
    word_count: int | None = None
    cluster_name: str = ""
    cluster_keywords: list[str] = field(default_factory=list)
    idea_title: str = ""
    idea_description: str = ""
    # Provider-independent blocks appended to every prompt (see `prompt_extras`): the site's style
    # guide, and the only internal URLs the article may link to.
    style_guide: str = ""
    link_candidates: str = ""

    @property
    def primary_keyword(self) -> str:
        """The first task keyword, else the first cluster keyword, else the title itself."""
        for word in (*self.keywords, *self.cluster_keywords):
            if word.strip():
                return word.strip()
        return self.title.strip().lower()

    @property
    def secondary_keywords(self) -> list[str]:
        primary = self.primary_keyword.lower()
        seen: set[str] = {primary}
        out: list[str] = []
        for word in (*self.keywords, *self.cluster_keywords):
            clean = word.strip()
            if clean and clean.lower() not in seen:
                seen.add(clean.lower())
                out.append(clean)
        return out

    @property
    def target_words(self) -> int:
        return self.word_count if self.word_count and self.word_count > 0 else DEFAULT_WORD_COUNT


@dataclass(frozen=True)
class ArticleDraft:
    title: str
    meta_title: str
    meta_description: str
    primary_keyword: str
    secondary_keywords: list[str]
    slug: str
    html: str  # already passed through writer_app.text.html.sanitize_html
    model: str
    tokens_used: int
    offline: bool


@dataclass(frozen=True)
class ImagePromptBrief:
    title: str
    primary_keyword: str
    excerpt: str  # plain text of the article (or its beginning)
    in_article_count: int = 2
    style_guide: str = ""  # the site's style guide block, appended to the prompt


@dataclass(frozen=True)
class ImagePrompt:
    image_type: ImageType
    prompt: str
    alt_text: str
    position: int  # 0 for the featured image, 1..n for in-article images in reading order


@dataclass(frozen=True)
class GeneratedImage:
    data: bytes  # PNG at exactly the requested size
    model: str
    offline: bool


# --- errors ---------------------------------------------------------------------------------------


class AIError(Exception):
    """Any failure of the AI provider; the message is written for an editor, not a developer."""

    retryable = False

    def __init__(self, message: str, *, status_code: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.status_code = status_code


class AITransientError(AIError):
    """429, 5xx, timeouts or connection failures that outlasted the SDK's own retries."""

    retryable = True


class AITruncatedError(AIError):
    """The model stopped at its length limit: the draft would be cut off, so it is not used."""


class AIInvalidOutputError(AIError):
    """The answer could not be read as the JSON we asked for, or lacked required fields."""


class AIConfigError(AIError):
    """The provider settings are unusable (unknown provider, missing key)."""


# --- the interface --------------------------------------------------------------------------------


@runtime_checkable
class AIProvider(Protocol):
    def generate_article(self, brief: ArticleBrief, prompt: str) -> ArticleDraft: ...

    def generate_image_prompts(self, brief: ImagePromptBrief) -> list[ImagePrompt]: ...

    def generate_image(self, prompt: str, width: int, height: int) -> GeneratedImage: ...

    def close(self) -> None: ...

    # Outline first (ai_outline.py): the outline, then one call per section plus the introduction.
    def generate_outline(self, request: OutlineRequest) -> OutlineDraft: ...

    def write_section(
        self, brief: ArticleBrief, sections: list[OutlineSection], index: int
    ) -> SectionText: ...

    def write_intro(self, brief: ArticleBrief, sections: list[OutlineSection]) -> ArticleFrame: ...

    def fix_content(self, request: FixRequest) -> FixAnswer:
        """One targeted fix for one failing check (see integrations/ai_fixes.py)."""
        ...


def get_provider(config: Mapping[str, Any]) -> AIProvider:
    """Build the provider the settings ask for (a Flask `app.config` or any mapping)."""
    api_key = str(config.get("OPENAI_API_KEY") or "")
    name = str(config.get("AI_PROVIDER") or ("openai" if api_key else "offline")).strip().lower()
    if name == "offline":
        from writer_app.integrations.ai_offline import OfflineProvider

        return OfflineProvider()
    if name == "openai":
        from writer_app.integrations.ai_openai import OpenAIProvider

        timeout = _setting(config, "AI_TIMEOUT_SECONDS", 120)
        retries = int(_setting(config, "AI_MAX_RETRIES", 2))
        if timeout <= 0 or retries < 0:
            raise AIConfigError("AI_TIMEOUT_SECONDS must be above 0 and AI_MAX_RETRIES 0 or more.")
        return OpenAIProvider(
            api_key=api_key,
            base_url=str(config.get("OPENAI_BASE_URL") or "") or None,
            model=str(config.get("OPENAI_MODEL") or "gpt-4o-mini"),
            image_model=str(config.get("OPENAI_IMAGE_MODEL") or "gpt-image-1"),
            timeout=timeout,
            max_retries=retries,
        )
    raise AIConfigError(f"Unknown AI provider “{name}”: use “openai” or “offline”.")


def _setting(config: Mapping[str, Any], key: str, default: float) -> float:
    """A number from the config; unset or blank means the default (0 stays 0: no retries)."""
    value = config.get(key)
    if value is None or (isinstance(value, str) and not value.strip()):
        return default
    try:
        return float(value)
    except (TypeError, ValueError) as exc:
        raise AIConfigError(f"{key} must be a number, not “{value}”.") from exc


# --- the prompt template --------------------------------------------------------------------------

DEFAULT_ARTICLE_PROMPT = """\
Write a {content_structure} for a website {content_type}.

Title: {title}
Brief: {description}
Primary keyword: {primary_keyword}
Secondary keywords: {secondary_keywords}
Topic cluster: {cluster_name} (related keywords: {cluster_keywords})
Content idea: {idea_title} {idea_description}
Target length: about {word_count} words

Requirements:
- Shape the piece as a {content_structure}: a short introduction, H2 sections with H3 subsections \
where they help, at least one bulleted or numbered list, and a brief conclusion.
- Use the primary keyword in the first paragraph, in at least one H2 heading and naturally \
throughout; work in the secondary keywords where they fit. Never stuff keywords.
- Write for people first: concrete advice, examples, plain language, short paragraphs.
- html: the article body only, using <h2>, <h3>, <p>, <ul>, <ol>, <li>, <strong>, <em>, <a> and \
<blockquote>. No <h1>, no inline styles, no scripts.
- meta_title: at most 60 characters. meta_description: 120 to 156 characters and containing the \
primary keyword.
- slug: lowercase words joined by hyphens, based on the primary keyword.
"""

ARTICLE_PROMPT_PLACEHOLDERS = (
    "title",
    "description",
    "keywords",
    "primary_keyword",
    "secondary_keywords",
    "content_type",
    "content_structure",
    "word_count",
    "cluster_name",
    "cluster_keywords",
    "idea_title",
    "idea_description",
)
_NONE = "(none)"


def _template_parts(template: str) -> list[tuple[str, str | None]]:
    """(literal text, placeholder name or None) pieces; ValueError with an editor-readable message
    for anything but plain `{name}` placeholders: a format spec (`{title:>200000000}` would build a
    200 MB prompt) or a conversion (`{title!r}`) is refused, not interpreted."""
    try:
        parsed = list(string.Formatter().parse(template))
    except ValueError as exc:
        raise ValueError(f"The prompt template has an unmatched brace ({exc}); write {{{{ or }}}}.") from exc
    known = ", ".join("{" + p + "}" for p in ARTICLE_PROMPT_PLACEHOLDERS)
    for _, name, spec, conversion in parsed:
        if name is None:
            continue
        if spec or conversion:
            raise ValueError(
                f"Placeholders are written plainly, like {{{name or 'title'}}}: formats (:…) and "
                "conversions (!…) are not allowed in the prompt template."
            )
        if name not in ARTICLE_PROMPT_PLACEHOLDERS:
            shown = "{" + name + "}" if name else "{}"
            raise ValueError(f"Unknown placeholder {shown} in the prompt template. Available: {known}.")
    return [(literal, name) for literal, name, _, _ in parsed]


def validate_prompt_template(template: str) -> None:
    """Raise ValueError with an editor-readable message when the template cannot be rendered."""
    _template_parts(template)


def prompt_values(brief: ArticleBrief) -> dict[str, str]:
    def text(value: str) -> str:
        return value.strip() or _NONE

    def words(values: list[str]) -> str:
        return ", ".join(v.strip() for v in values if v.strip()) or _NONE

    return {
        "title": text(brief.title),
        "description": text(brief.description),
        "keywords": words(brief.keywords),
        "primary_keyword": brief.primary_keyword,
        "secondary_keywords": words(brief.secondary_keywords),
        "content_type": text(brief.content_type).replace("_", " "),
        "content_structure": text(brief.content_structure).replace("_", " "),
        "word_count": str(brief.target_words),
        "cluster_name": text(brief.cluster_name),
        "cluster_keywords": words(brief.cluster_keywords),
        "idea_title": text(brief.idea_title),
        "idea_description": brief.idea_description.strip(),
    }


def render_article_prompt(template: str, brief: ArticleBrief) -> str:
    """Fill an editor's template: plain `{name}` placeholders, `{{`/`}}` for literal braces. Values are
    put in as they are (never through str.format, so a value's own braces stay text). The brief's
    style guide and link candidates follow the template (`prompt_extras`), whatever it says."""
    values = prompt_values(brief)
    body = "".join(
        literal + (values[name] if name is not None else "") for literal, name in _template_parts(template)
    )
    return body + prompt_extras(brief)


def prompt_extras(brief: ArticleBrief) -> str:
    """The blocks every article-writing prompt ends with (outline and section prompts too): the site's
    style guide and the internal links allowed. Empty when the brief has neither."""
    blocks = [b.strip() for b in (brief.style_guide, brief.link_candidates) if b.strip()]
    return "".join("\n\n" + b for b in blocks)


# --- small text helpers shared by both providers --------------------------------------------------


def slugify(text: str, max_length: int = 80) -> str:
    """ASCII, lowercase, hyphen-separated; cut at a word boundary."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    if len(slug) > max_length:
        slug = slug[:max_length].rsplit("-", 1)[0] if "-" in slug[:max_length] else slug[:max_length]
    return slug


def check_image_size(width: int, height: int) -> None:
    for side in (width, height):
        if not isinstance(side, int) or not MIN_IMAGE_SIDE <= side <= MAX_IMAGE_SIDE:
            raise ValueError(f"Image sides must be whole numbers from {MIN_IMAGE_SIDE} to {MAX_IMAGE_SIDE}.")
