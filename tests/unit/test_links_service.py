"""The link inventory (only real URLs, ranked by cluster role and similarity), the link filter and
insertion on stored HTML, the style guide's versions and the "Words to avoid" check."""

from __future__ import annotations

import pytest

from tests.support.factories import Tenant, make_cluster, make_content, make_sector, make_site
from writer_app.models import (
    ClusterMapSource,
    ClusterRole,
    ContentClusterMap,
    ContentStatus,
    ContentStructure,
    Role,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services.errors import PermissionDenied, ValidationError
from writer_app.services.links import policy
from writer_app.services.links.inventory import Subject, ranked_targets, similarity, site_inventory
from writer_app.services.validation import ContentInput, analyze
from writer_app.services.voice import style_guide
from writer_app.text.links import insert_link, remove_links

BASE = "https://blog.example.com"


def _published(cluster, title, path, role=None, **kwargs):
    content = make_content(
        cluster, title, status=ContentStatus.PUBLISHED, external_url=f"{BASE}/{path}/", **kwargs
    )
    if role:
        db.session.add(
            ContentClusterMap(
                account_id=content.account_id,
                site_id=content.site_id,
                sector_id=content.sector_id,
                content_id=content.id,
                cluster_id=cluster.id,
                role=role,
                source=ClusterMapSource.MANUAL,
            )
        )
    return content


def test_the_inventory_holds_only_published_pages_with_a_url_of_this_site(tenant: Tenant) -> None:
    live = _published(tenant.cluster, "Live page", "live")
    make_content(tenant.cluster, "Draft")
    make_content(tenant.cluster, "Published, not on WordPress yet", status=ContentStatus.PUBLISHED)
    _published(tenant.cluster, "Deleted", "deleted", deleted_at=utcnow())
    other_site = make_site(tenant.account, "Other")
    _published(make_cluster(make_sector(other_site)), "Other site's page", "other")
    db.session.commit()

    targets = site_inventory(tenant.scope(Role.VIEWER), tenant.site.id)

    assert [(t.title, t.url) for t in targets] == [("Live page", live.external_url)]


def test_a_hub_is_offered_its_supporting_pieces_first(tenant: Tenant) -> None:
    other_cluster = make_cluster(tenant.sector, "Wind")
    _published(
        other_cluster, "Solar panels on roofs, very similar", "similar", primary_keyword="solar panels"
    )
    _published(
        tenant.cluster, "Cleaning", "cleaning", ClusterRole.SUPPORTING, primary_keyword="panel cleaning"
    )
    _published(tenant.cluster, "Another hub-ish page", "hubish", ClusterRole.HUB)
    db.session.commit()
    hub = Subject("Solar panels", "solar panels", tenant.cluster.id, hub=True)
    supporting = Subject("Solar panels", "solar panels", tenant.cluster.id, hub=False)

    as_hub = [t.title for t in ranked_targets(tenant.scope(), tenant.site.id, hub)]
    as_supporting = [t.title for t in ranked_targets(tenant.scope(), tenant.site.id, supporting)]

    assert as_hub == ["Cleaning", "Another hub-ish page", "Solar panels on roofs, very similar"]
    assert as_supporting[0] == "Another hub-ish page"
    assert similarity("Solar panels on roofs", "solar panel roof") == 1.0
    assert similarity("Solar panels", "Heat pumps") == 0.0


def test_links_outside_the_inventory_and_allowed_outbound_are_unwrapped(tenant: Tenant) -> None:
    tenant.site.wp_url = BASE
    _published(tenant.cluster, "Live", "live")
    policy.save_allowed_outbound(
        tenant.scope(Role.ADMIN), tenant.site.id, "energy.gov\nhttps://example.org/guides/"
    )
    db.session.commit()
    html = (
        f'<p><a href="{BASE}/live">ours</a> <a href="/live/">relative</a> <a href="https://www.energy.gov/x">gov</a> '
        '<a href="https://example.org/guides/a">guide</a> <a href="https://example.org/shop">shop</a> '
        '<a href="https://made.up/page">made <em>up</em></a> <a href="#top">top</a></p>'
    )

    clean, removed = policy.filter_links(tenant.scope(), tenant.site, html)

    assert removed == [
        {"url": "https://example.org/shop", "text": "shop"},
        {"url": "https://made.up/page", "text": "made up"},
    ]
    assert "shop" in clean and "made <em>up</em>" in clean and "made.up" not in clean
    assert clean.count("<a ") == 5


def test_allowed_outbound_entries_are_validated(tenant: Tenant) -> None:
    with pytest.raises(ValidationError) as error:
        policy.save_allowed_outbound(tenant.scope(Role.ADMIN), tenant.site.id, "not a domain")
    assert "allowed_outbound" in error.value.fields
    with pytest.raises(PermissionDenied):
        policy.save_allowed_outbound(tenant.scope(Role.EDITOR), tenant.site.id, "energy.gov")


def test_insert_link_uses_the_first_unlinked_occurrence_outside_headings() -> None:
    html = (
        '<h2>Solar panels</h2><p>Our <a href="/x">solar panels</a> page.</p><p>Clean solar panels often.</p>'
    )

    linked = insert_link(html, "Solar Panels", "https://blog.example.com/cleaning/")

    assert linked == (
        '<h2>Solar panels</h2><p>Our <a href="/x">solar panels</a> page.</p>'
        '<p>Clean <a href="https://blog.example.com/cleaning/">solar panels</a> often.</p>'
    )
    assert insert_link("<p>Nothing here.</p>", "solar", "https://x.example/") is None
    assert remove_links('<p><a href="mailto:a@b.c">mail</a></p>', lambda _: False)[1] == []


def test_style_guide_versions_and_permissions(tenant: Tenant) -> None:
    admin = tenant.scope(Role.ADMIN)
    assert style_guide.site_style_guide(admin, tenant.site.id).version == 0
    first = style_guide.save_style_guide(
        admin, tenant.site.id, tone="Plain", avoid="synergy, Synergy\nutilize"
    )
    assert first.version == 1 and first.avoid == ["synergy", "utilize"]
    assert (
        style_guide.save_style_guide(
            admin, tenant.site.id, tone="Plain", avoid=["synergy", "utilize"]
        ).version
        == 1
    )
    assert style_guide.save_style_guide(admin, tenant.site.id).version == 2  # cleared is a version too
    assert style_guide.prompt_block(style_guide.site_style_guide(admin, tenant.site.id)) == ""
    with pytest.raises(ValidationError) as error:
        style_guide.save_style_guide(admin, tenant.site.id, tone="x" * 501)
    assert "tone" in error.value.fields
    with pytest.raises(PermissionDenied):
        style_guide.save_style_guide(tenant.scope(Role.EDITOR), tenant.site.id, tone="Plain")


def test_words_to_avoid_is_writers_own_readability_check() -> None:
    html = "<p>We utilize synergy. Synergy again, but not synergyless.</p>"

    flagged = analyze(ContentInput(html=html, keyphrase="x", avoid_words=("synergy", "utilize"))).check(
        "words_to_avoid"
    )
    clean = analyze(ContentInput(html="<p>Plain words.</p>", avoid_words=("synergy",))).check(
        "words_to_avoid"
    )
    absent = analyze(ContentInput(html=html)).check("words_to_avoid")

    assert flagged.status == "problem" and flagged.value == 3 and flagged.group == "readability"
    assert "“synergy” (2×)" in flagged.message and "“utilize” (1×)" in flagged.message
    assert clean.status == "good" and absent is None


def test_structure_of_a_hub_makes_it_a_hub_subject(tenant: Tenant) -> None:
    content = make_content(tenant.cluster, "Hub", content_structure=ContentStructure.CLUSTER_HUB)
    assert Subject.for_content(content).hub and not Subject.for_content(content, "supporting").hub
