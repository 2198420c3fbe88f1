"""What WordPress receives for one content: the single mapping used for both the publish preview and
the real request, so the preview is exactly what is sent.

    preview = wordpress_payload(scope, content_id)
    body = preview.post_body(category_ids=[...], tag_ids=[...], featured_media=123)   # POST /wp/v2/posts

Term and media ids only exist after the publish job has synced terms and uploaded the image, so
`post_body` takes them; without arguments it uses the ids already stored (the preview shows that).

SEO plugin meta keys go in the post's `meta`. WordPress only accepts meta keys registered for the REST
API (register_post_meta with show_in_rest), which Yoast and Rank Math do not do for these keys by
default: the site needs a small plugin that registers them, or WordPress silently ignores them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from writer_app.models import Content, ContentType, Image, ImageStatus, TaxonomyType
from writer_app.models.base import as_utc, utcnow
from writer_app.services import content as content_service
from writer_app.services.identity.accounts import slugify
from writer_app.services.media.content_images import content_images
from writer_app.services.scope import Scope
from writer_app.services.site_checks import SEO_PLUGINS, seo_plugin
from writer_app.text.html import html_to_text

# Meta keys per SEO plugin: seo title, meta description, focus keyphrase, Open Graph title/description.
PLUGIN_META_KEYS: dict[str, dict[str, str]] = {
    "yoast": {
        "seo_title": "_yoast_wpseo_title",
        "meta_description": "_yoast_wpseo_metadesc",
        "focus_keyword": "_yoast_wpseo_focuskw",
        "og_title": "_yoast_wpseo_opengraph-title",
        "og_description": "_yoast_wpseo_opengraph-description",
    },
    "rankmath": {
        "seo_title": "rank_math_title",
        "meta_description": "rank_math_description",
        "focus_keyword": "rank_math_focus_keyword",
        "og_title": "rank_math_facebook_title",
        "og_description": "rank_math_facebook_description",
    },
    "none": {},
}
# REST collection per content type; pages and products take no categories/tags.
REST_BASES = {ContentType.POST: "posts", ContentType.PAGE: "pages", ContentType.PRODUCT: "product"}
EXCERPT_MAX = 300


@dataclass(frozen=True)
class TermPayload:
    id: int
    name: str
    slug: str
    taxonomy: str  # "category" or "tag"
    external_id: int | None  # the WordPress term id once synced


@dataclass(frozen=True)
class FeaturedImagePayload:
    id: int
    url: str
    path: str
    alt: str
    status: str
    external_id: int | None  # the WordPress media id once uploaded


@dataclass(frozen=True)
class PublishPreview:
    content_id: int
    site_id: int
    post_type: str  # "post", "page", "product", "taxonomy"
    rest_base: str | None  # "posts" → /wp/v2/posts; None when the type has no post endpoint
    title: str
    slug: str
    excerpt: str
    html: str
    status: str  # "publish", or "future" with date_gmt when scheduled
    date_gmt: str | None
    seo_plugin: str
    seo_title: str
    meta_description: str
    focus_keyword: str
    og_title: str
    og_description: str
    categories: list[TermPayload] = field(default_factory=list)
    tags: list[TermPayload] = field(default_factory=list)
    featured_image: FeaturedImagePayload | None = None
    meta: dict[str, str] = field(default_factory=dict)  # SEO plugin meta keys → values
    notes: list[str] = field(default_factory=list)  # what the reader should know about this payload

    @property
    def seo_plugin_label(self) -> str:
        return SEO_PLUGINS.get(self.seo_plugin, self.seo_plugin)

    def post_body(
        self,
        *,
        category_ids: list[int] | None = None,
        tag_ids: list[int] | None = None,
        featured_media: int | None = None,
        html: str | None = None,
    ) -> dict[str, Any]:
        """The JSON body for creating/updating the WordPress post. Ids default to the stored external
        ids; `html` lets the publisher pass the body with image src rewritten to WordPress media URLs."""
        body: dict[str, Any] = {
            "title": self.title,
            "content": self.html if html is None else html,
            "excerpt": self.excerpt,
            "slug": self.slug,
            "status": self.status,
        }
        if self.date_gmt:
            body["date_gmt"] = self.date_gmt
        if self.rest_base == "posts":
            body["categories"] = category_ids if category_ids is not None else _known_ids(self.categories)
            body["tags"] = tag_ids if tag_ids is not None else _known_ids(self.tags)
        media = featured_media
        if media is None and self.featured_image is not None:
            media = self.featured_image.external_id
        if media:
            body["featured_media"] = media
        if self.meta:
            body["meta"] = dict(self.meta)
        return body


def _known_ids(terms: list[TermPayload]) -> list[int]:
    return [t.external_id for t in terms if t.external_id is not None]


def _plain(text: str) -> str:
    """Meta descriptions may hold pasted markup; WordPress gets plain text."""
    return html_to_text(text) if "<" in text else " ".join(text.split())


def _excerpt(meta_description: str) -> str:
    if len(meta_description) <= EXCERPT_MAX:
        return meta_description
    return meta_description[: EXCERPT_MAX - 1].rsplit(" ", 1)[0] + "…"


def _schedule(content: Content) -> tuple[str, str | None]:
    when = as_utc(content.scheduled_at)
    if when is None:
        return "publish", None
    if when <= utcnow():
        return "publish", None
    return "future", when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S")


def _featured(image: Image | None, title: str, notes: list[str]) -> FeaturedImagePayload | None:
    if image is None:
        notes.append("No featured image: the post is sent without one.")
        return None
    if ImageStatus(image.status) != ImageStatus.GENERATED:
        notes.append(
            f"The featured image is {ImageStatus(image.status).value}; it is not sent until generated."
        )
        return None
    alt = (image.alt_text or "").strip()
    if not alt:
        alt = title
        notes.append("The featured image has no alt text; the post title is sent as its alt text.")
    return FeaturedImagePayload(
        id=image.id,
        url=image.image_url,
        path=image.image_path,
        alt=alt,
        status=ImageStatus(image.status).value,
        external_id=image.external_id,
    )


def wordpress_payload(scope: Scope, content_id: Any) -> PublishPreview:
    """Map one content (of the scope's account) to what its WordPress site receives."""
    content = content_service.get_content(scope, content_id)
    plugin = seo_plugin(content.site)
    notes: list[str] = []
    title = content.title.strip()
    seo_title = (content.meta_title or "").strip() or title
    meta_description = _plain(content.meta_description or "")
    keywords = [content.primary_keyword.strip(), *(k.strip() for k in content.secondary_keywords or [])]
    seen: dict[str, str] = {}
    for keyword in keywords:
        if keyword:
            seen.setdefault(keyword.lower(), keyword)  # the first spelling wins
    keywords = list(seen.values())
    focus = keywords[0] if keywords else ""
    values = {
        "seo_title": seo_title,
        "meta_description": meta_description,
        # Rank Math reads a comma-separated list, primary first; Yoast's field holds one keyphrase.
        "focus_keyword": ", ".join(keywords).replace(", ", ",") if plugin == "rankmath" else focus,
        "og_title": seo_title,
        "og_description": meta_description,
    }
    meta = {key: values[name] for name, key in PLUGIN_META_KEYS[plugin].items() if values[name]}
    if plugin == "none":
        notes.append(
            "No SEO plugin is configured for this site: SEO title, meta description and "
            "Open Graph fields are not sent."
        )
    else:
        notes.append(
            f"{SEO_PLUGINS[plugin]} meta keys are sent in the post's meta; the site must register them "
            "for the REST API, or WordPress ignores them."
        )
    terms = content.taxonomy_terms
    categories = [_term(t) for t in terms if TaxonomyType(t.taxonomy_type) == TaxonomyType.CATEGORY]
    tags = [_term(t) for t in terms if TaxonomyType(t.taxonomy_type) == TaxonomyType.TAG]
    post_type = ContentType(content.content_type)
    rest_base = REST_BASES.get(post_type)
    if rest_base != "posts" and (categories or tags):
        notes.append(f"A {post_type.value} takes no categories or tags; they are not sent.")
    if rest_base is None:
        notes.append("Taxonomy content is published as the term's description, not as a post.")
    unsynced = [t.name for t in categories + tags if t.external_id is None]
    if unsynced and rest_base == "posts":
        notes.append(f"Not yet in WordPress, created when publishing: {', '.join(unsynced)}.")
    if not meta_description:
        notes.append("No meta description: the excerpt is empty and WordPress makes its own.")
    status, date_gmt = _schedule(content)
    featured = content_images(scope, content.id).featured
    return PublishPreview(
        content_id=content.id,
        site_id=content.site_id,
        post_type=post_type.value,
        rest_base=rest_base,
        title=title,
        slug=content.slug or slugify(title, 255),  # as a save derives it
        excerpt=_excerpt(meta_description),
        html=content.html,
        status=status,
        date_gmt=date_gmt,
        seo_plugin=plugin,
        seo_title=seo_title,
        meta_description=meta_description,
        focus_keyword=focus,
        og_title=seo_title,
        og_description=meta_description,
        categories=categories if rest_base == "posts" else [],
        tags=tags if rest_base == "posts" else [],
        featured_image=_featured(featured, title, notes),
        meta=meta,
        notes=notes,
    )


def _term(term: Any) -> TermPayload:
    return TermPayload(
        id=term.id,
        name=term.name,
        slug=term.slug,
        taxonomy=TaxonomyType(term.taxonomy_type).value,
        external_id=term.external_id,
    )


def as_dict(preview: PublishPreview) -> dict[str, Any]:
    """JSON-ready form of the preview (for the API), including the request body."""
    from dataclasses import asdict

    data = asdict(preview)
    data["body"] = preview.post_body()
    data["generated_at"] = datetime.now(UTC).isoformat()
    return data
