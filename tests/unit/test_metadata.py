"""Mapping content to what WordPress receives, per SEO plugin; the request body the publisher sends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.support import factories
from writer_app.models import (
    Content,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    Image,
    ImageStatus,
    ImageType,
    Role,
    TaxonomyType,
    db,
)
from writer_app.services import site_checks
from writer_app.services.errors import NotFound
from writer_app.services.metadata import as_dict, wordpress_payload

TITLE = "Solar panels: the complete guide"
SEO_TITLE = "Solar panels guide: costs, savings and installers"
META = "What solar panels cost, what they save and how to choose an installer, explained for homeowners."


def make(tenant: factories.Tenant, **values: Any) -> Content:
    values = {
        "title": TITLE,
        "meta_title": SEO_TITLE,
        "meta_description": META,
        "slug": "solar-panels-guide",
        "primary_keyword": "solar panels",
        "secondary_keywords": ["solar battery", "Solar Panels", "inverter"],
        "html": '<p>Solar panels turn light into power.</p><img src="/media/a.png" alt="Panels">',
        **values,
    }
    return factories.make_content(tenant.cluster, **values)


def term(
    tenant: factories.Tenant, content: Content, name: str, kind: TaxonomyType, external_id: int | None
) -> None:
    taxonomy = ContentTaxonomy(
        account_id=tenant.account.id,
        site_id=tenant.site.id,
        name=name,
        slug=name.lower().replace(" ", "-"),
        taxonomy_type=kind,
        external_id=external_id,
        external_taxonomy=kind.value if external_id else None,
    )
    db.session.add(taxonomy)
    db.session.flush()
    db.session.add(ContentTaxonomyRelation(content_id=content.id, taxonomy_id=taxonomy.id))
    db.session.flush()


def featured(content: Content, **values: Any) -> Image:
    image = Image(
        content_id=content.id,
        image_type=ImageType.FEATURED,
        status=values.pop("status", ImageStatus.GENERATED),
        image_url="https://cdn.example/featured.png",
        image_path="1/featured.png",
        **values,
    )
    db.session.add(image)
    db.session.flush()
    return image


def set_plugin(tenant: factories.Tenant, plugin: str) -> None:
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, plugin=plugin)
    db.session.commit()


def test_yoast_is_the_default_and_gets_its_meta_keys(tenant: factories.Tenant) -> None:
    content = make(tenant)
    db.session.commit()
    preview = wordpress_payload(tenant.scope(Role.VIEWER), content.id)
    assert preview.seo_plugin == "yoast"
    assert preview.meta == {
        "_yoast_wpseo_title": SEO_TITLE,
        "_yoast_wpseo_metadesc": META,
        "_yoast_wpseo_focuskw": "solar panels",
        "_yoast_wpseo_opengraph-title": SEO_TITLE,
        "_yoast_wpseo_opengraph-description": META,
    }
    assert (preview.og_title, preview.og_description) == (SEO_TITLE, META)


def test_rank_math_meta_keys_with_secondary_keywords(tenant: factories.Tenant) -> None:
    set_plugin(tenant, "rankmath")
    content = make(tenant)
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.meta == {
        "rank_math_title": SEO_TITLE,
        "rank_math_description": META,
        # Rank Math's list: primary first, then the secondary keywords (duplicates dropped).
        "rank_math_focus_keyword": "solar panels,solar battery,inverter",
        "rank_math_facebook_title": SEO_TITLE,
        "rank_math_facebook_description": META,
    }
    assert preview.focus_keyword == "solar panels"


def test_no_plugin_sends_no_meta_and_says_so(tenant: factories.Tenant) -> None:
    set_plugin(tenant, "none")
    content = make(tenant)
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.meta == {}
    assert "meta" not in preview.post_body()
    assert any("No SEO plugin" in note for note in preview.notes)
    assert preview.og_title == SEO_TITLE  # still shown in the preview


def test_core_fields_and_the_request_body(tenant: factories.Tenant) -> None:
    content = make(tenant)
    term(tenant, content, "Energy", TaxonomyType.CATEGORY, 7)
    term(tenant, content, "Home", TaxonomyType.CATEGORY, None)
    term(tenant, content, "Solar", TaxonomyType.TAG, 31)
    image = featured(content, alt_text="Panels on a roof", external_id=88)
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert (preview.title, preview.slug, preview.excerpt) == (TITLE, "solar-panels-guide", META)
    assert (preview.post_type, preview.rest_base, preview.status, preview.date_gmt) == (
        "post",
        "posts",
        "publish",
        None,
    )
    assert [(t.name, t.external_id) for t in preview.categories] == [("Energy", 7), ("Home", None)]
    assert [(t.name, t.taxonomy) for t in preview.tags] == [("Solar", "tag")]
    assert preview.featured_image.id == image.id and preview.featured_image.alt == "Panels on a roof"
    assert any("Home" in note and "created when publishing" in note for note in preview.notes)
    body = preview.post_body()
    assert body == {
        "title": TITLE,
        "content": content.html,
        "excerpt": META,
        "slug": "solar-panels-guide",
        "status": "publish",
        "categories": [7],
        "tags": [31],
        "featured_media": 88,
        "meta": preview.meta,
    }
    # The publisher passes the ids it resolved and the body with rewritten image URLs.
    sent = preview.post_body(category_ids=[7, 9], tag_ids=[31], featured_media=90, html="<p>x</p>")
    assert (sent["categories"], sent["featured_media"], sent["content"]) == ([7, 9], 90, "<p>x</p>")
    assert as_dict(preview)["body"] == body


def test_seo_title_falls_back_to_the_title_and_markup_is_stripped_from_the_description(
    tenant: factories.Tenant,
) -> None:
    content = make(tenant, meta_title="  ", meta_description="Costs <b>and</b>\n savings.")
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.seo_title == TITLE and preview.meta["_yoast_wpseo_title"] == TITLE
    assert preview.excerpt == "Costs and savings."


def test_long_meta_description_is_cut_at_a_word_for_the_excerpt(tenant: factories.Tenant) -> None:
    content = make(tenant, meta_description=("word " * 80).strip())
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert len(preview.excerpt) <= 300 and preview.excerpt.endswith("word…")
    assert preview.meta["_yoast_wpseo_metadesc"] == preview.meta_description  # the full text


def test_scheduled_content_is_sent_as_future_with_date_gmt(tenant: factories.Tenant) -> None:
    when = datetime.now(UTC).replace(microsecond=0) + timedelta(days=2)
    content = make(tenant, scheduled_at=when)
    past = make(tenant, scheduled_at=datetime.now(UTC) - timedelta(hours=1))
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.status == "future" and preview.date_gmt == when.strftime("%Y-%m-%dT%H:%M:%S")
    assert preview.post_body()["date_gmt"] == preview.date_gmt
    assert wordpress_payload(tenant.scope(), past.id).status == "publish"


def test_featured_image_alt_falls_back_to_the_title(tenant: factories.Tenant) -> None:
    content = make(tenant)
    featured(content, alt_text="")
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.featured_image.alt == TITLE
    assert "featured_media" not in preview.post_body()  # not uploaded yet
    assert any("no alt text" in note for note in preview.notes)


@pytest.mark.parametrize("status", [ImageStatus.PENDING, ImageStatus.FAILED])
def test_featured_image_not_generated_is_not_sent(tenant: factories.Tenant, status: ImageStatus) -> None:
    content = make(tenant)
    featured(content, status=status, alt_text="x")
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.featured_image is None
    assert any(status.value in note for note in preview.notes)


def test_pages_take_no_terms(tenant: factories.Tenant) -> None:
    content = make(tenant, content_type="page")
    term(tenant, content, "Energy", TaxonomyType.CATEGORY, 7)
    db.session.commit()
    preview = wordpress_payload(tenant.scope(), content.id)
    assert preview.rest_base == "pages" and preview.categories == []
    assert "categories" not in preview.post_body()
    assert any("takes no categories" in note for note in preview.notes)


def test_other_accounts_content_is_not_found(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    content = make(other_tenant)
    db.session.commit()
    with pytest.raises(NotFound):
        wordpress_payload(tenant.scope(), content.id)


def test_an_empty_slug_is_derived_from_the_title_as_a_save_would(tenant: factories.Tenant) -> None:
    content = make(tenant, slug="")
    db.session.commit()
    assert wordpress_payload(tenant.scope(), content.id).slug == "solar-panels-the-complete-guide"
