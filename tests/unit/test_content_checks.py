"""Analysis of stored content: input mapping, per-site levels, storage per revision, duplicate keyphrases."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from tests.support import factories
from writer_app.models import AuditEvent, Content, Revision, Role, Site, TaskStatus, db
from writer_app.services import content as cs
from writer_app.services import content_checks as cc
from writer_app.services import site_checks
from writer_app.services.errors import NotFound, PermissionDenied, ValidationError
from writer_app.services.validation import CHECKS, DEFAULT_LEVELS, analyze

LONG_TITLE = "Solar panels for beginners: costs and savings"  # 46 characters
META = (
    "Solar panels explained for homeowners: what they cost, how much they save each year, "
    "and how to choose an installer you can trust."
)  # 131 characters


def body(words: int = 320) -> str:
    sentence = "Solar panels turn sunlight into power for your home and cut the bill. "
    text = (sentence * (words // 10 + 1)).split()[:words]
    return f'<p>{" ".join(text)}</p><p><a href="/about">About us</a></p>'


def make(tenant: factories.Tenant, **values: Any) -> Content:
    values.setdefault("html", body())
    return factories.make_content(tenant.cluster, **values)


def latest_revision(content: Content) -> Revision:
    return db.session.scalars(
        select(Revision).where(Revision.content_id == content.id).order_by(Revision.number.desc())
    ).first()


# --- input mapping ---------------------------------------------------------------------------------


def test_content_input_maps_fields_type_and_cornerstone(tenant: factories.Tenant) -> None:
    tenant.site.domain = "https://www.acme.example"
    content = make(
        tenant,
        title="  Solar  ",
        meta_title="Solar panels guide",
        meta_description="About solar",
        slug="solar-panels",
        content_type="product",
        content_structure="guide",
    )
    source = cc.content_input(content, tenant.site)
    assert (source.title, source.seo_title, source.meta_description) == (
        "Solar",
        "Solar panels guide",
        "About solar",
    )
    assert (source.slug, source.keyphrase, source.content_type) == ("solar-panels", "solar panels", "product")
    assert source.cornerstone is True
    assert source.site_domain == "https://www.acme.example"
    assert cc.content_input(make(tenant, content_structure="article"), tenant.site).cornerstone is False
    assert cc.content_input(make(tenant, content_structure="landing_page"), tenant.site).cornerstone is True


def test_unsaved_fields_replace_stored_ones_and_slug_is_normalized_like_a_save(
    tenant: factories.Tenant,
) -> None:
    content = make(tenant, slug="old")
    source = cc.content_input(
        content, tenant.site, {"slug": "New Slug!", "primary_keyword": "wind", "x": "y"}
    )
    assert (source.slug, source.keyphrase) == ("new-slug", "wind")
    empty_slug = cc.content_input(content, tenant.site, {"slug": " ", "title": "Wind Power Today"})
    assert empty_slug.slug == "wind-power-today"


def test_site_domain_makes_absolute_links_internal(tenant: factories.Tenant) -> None:
    html = body() + '<p><a href="https://acme.example/blog">Blog</a></p>'
    content = make(tenant, html=html.replace('<p><a href="/about">About us</a></p>', ""))
    assert cc.check_content(tenant.scope(), content.id).check("internal_links").status == "problem"
    tenant.site.domain = "acme.example"
    assert cc.check_content(tenant.scope(), content.id).check("internal_links").status == "good"


def test_cornerstone_content_needs_900_words(tenant: factories.Tenant) -> None:
    # Guides and landing pages are cornerstone content: Yoast wants 900 words, 400-899 is orange.
    article = make(tenant, html=body(400))
    guide = make(tenant, html=body(400), content_structure="guide")
    short_guide = make(tenant, html=body(290), content_structure="landing_page")
    assert cc.check_content(tenant.scope(), article.id).check("text_length").status == "good"
    assert cc.check_content(tenant.scope(), guide.id).check("text_length").status == "improve"
    assert cc.check_content(tenant.scope(), short_guide.id).check("text_length").status == "problem"


# --- per-site levels -------------------------------------------------------------------------------


def test_off_hides_a_check_and_changes_the_score(tenant: factories.Tenant) -> None:
    content = make(tenant, meta_title=LONG_TITLE)
    scope = tenant.scope(Role.ADMIN)
    before = cc.check_content(scope, content.id)
    assert before.check("seo_title_length") is not None
    site_checks.update_site_checks(scope, tenant.site.id, {"seo_title_length": "off"})
    after = cc.check_content(scope, content.id)
    assert after.check("seo_title_length") is None
    assert before.check("seo_title_length").status == "good"
    assert after.seo_score < before.seo_score  # one good check fewer
    report = cc.content_report(scope, content.id)
    assert all(c.key != "seo_title_length" for c in report.analysis.checks)


def test_levels_are_per_site(tenant: factories.Tenant) -> None:
    other_site = factories.make_site(tenant.account)
    scope = tenant.scope(Role.ADMIN)
    site_checks.update_site_checks(scope, tenant.site.id, {"flesch_reading_ease": "required"})
    assert site_checks.get_site_checks(scope, tenant.site.id).levels["flesch_reading_ease"] == "required"
    assert site_checks.get_site_checks(scope, other_site.id).levels["flesch_reading_ease"] == "recommended"


def test_only_choices_differing_from_defaults_are_stored(tenant: factories.Tenant) -> None:
    scope = tenant.scope(Role.ADMIN)
    site_checks.update_site_checks(
        scope, tenant.site.id, {"images": "required", "seo_title_length": "required"}, plugin="rankmath"
    )
    db.session.commit()
    site = db.session.get(Site, tenant.site.id)
    db.session.refresh(site)
    assert site.settings["check_levels"] == {"images": "required"}
    assert site.settings["seo_plugin"] == "rankmath"
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "site.checks")).one()
    assert event.details["levels"] == {"images": "recommended → required"}


def test_invalid_levels_are_field_errors_and_nothing_is_stored(tenant: factories.Tenant) -> None:
    scope = tenant.scope(Role.ADMIN)
    with pytest.raises(ValidationError) as error:
        site_checks.update_site_checks(
            scope,
            tenant.site.id,
            {"images": "off", "nope": "off", "text_length": "mandatory"},
            plugin="seopress",
        )
    assert set(error.value.fields) == {"nope", "text_length", "seo_plugin"}
    assert site_checks.get_site_checks(scope, tenant.site.id).levels["images"] == "recommended"


def test_only_admins_change_levels_and_other_accounts_sites_are_not_found(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    with pytest.raises(PermissionDenied):
        site_checks.update_site_checks(tenant.scope(Role.REVIEWER), tenant.site.id, {"images": "off"})
    with pytest.raises(NotFound):
        site_checks.get_site_checks(tenant.scope(Role.ADMIN), other_tenant.site.id)
    assert site_checks.get_site_checks(tenant.scope(Role.VIEWER), tenant.site.id).seo_plugin == "yoast"


def test_defaults_make_four_checks_required(tenant: factories.Tenant) -> None:
    checks = site_checks.get_site_checks(tenant.scope(Role.VIEWER), tenant.site.id)
    assert sorted(checks.required) == sorted(k for k, v in DEFAULT_LEVELS.items() if v == "required")
    assert {r.spec.key for r in checks.rows("readability")} == {
        k for k, s in CHECKS.items() if s.group == "readability"
    }


def test_bad_stored_levels_fall_back_to_defaults(tenant: factories.Tenant) -> None:
    tenant.site.settings = {"check_levels": {"images": "sometimes", "gone": "off"}, "seo_plugin": "other"}
    assert site_checks.site_levels(tenant.site) == DEFAULT_LEVELS
    assert site_checks.seo_plugin(tenant.site) == "yoast"


# --- stored per revision ----------------------------------------------------------------------------


def test_analysis_is_stored_per_revision_and_comparable(tenant: factories.Tenant) -> None:
    scope = tenant.scope(Role.EDITOR)
    content = cs.create_content(
        scope,
        title="Solar",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html=body(120),
        primary_keyword="solar panels",
    )
    first = cc.after_content_saved(scope, content, latest_revision(content))
    cs.update_content(
        scope, content.id, content.version, html=body(400), meta_title=LONG_TITLE, meta_description=META
    )
    second_revision = latest_revision(content)
    second = cc.after_content_saved(scope, content, second_revision)
    db.session.commit()

    assert second_revision.number == 2
    assert second_revision.analysis["seo_score"] == second.seo_score
    history = cc.analysis_history(scope, content.id)
    assert [h.number for h in history] == [2, 1]
    assert history[0].seo_score > history[1].seo_score
    assert history[0].word_count == 400 + 2 and history[1].word_count == 120 + 2

    stored_first = cc.stored_analysis(scope, content.id, 1)
    assert stored_first == first
    changes = {c.key: c for c in cc.compare_analyses(stored_first, cc.stored_analysis(scope, content.id, 2))}
    description = changes["meta_description_length"]
    assert (description.before, description.after) == ("problem", "good")
    assert changes["text_length"].before_value == 122 and changes["text_length"].after_value == 402
    assert "keyphrase_length" not in changes  # unchanged checks are not listed


def test_stored_analysis_uses_the_sites_levels(tenant: factories.Tenant) -> None:
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, {"flesch_reading_ease": "off"})
    scope = tenant.scope(Role.EDITOR)
    content = cs.create_content(
        scope,
        title="Solar",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html=body(),
    )
    analysis = cc.after_content_saved(scope, content, latest_revision(content))
    assert analysis.check("flesch_reading_ease") is None
    assert all(c["key"] != "flesch_reading_ease" for c in latest_revision(content).analysis["checks"])


def test_compare_lists_checks_that_appear_or_disappear() -> None:
    from writer_app.services.validation import ContentInput

    without_images = analyze(ContentInput(html="<p>Text.</p>", keyphrase="text"))
    with_images = analyze(ContentInput(html='<p>Text.</p><img src="a.png">', keyphrase="text"))
    changes = {c.key: c for c in cc.compare_analyses(without_images, with_images)}
    assert (changes["image_alt_attributes"].before, changes["image_alt_attributes"].after) == (
        None,
        "problem",
    )
    assert changes["images"].before == "problem" and changes["images"].after == "good"


def test_live_report_needs_an_editor_and_writes_nothing(tenant: factories.Tenant) -> None:
    content = make(tenant, meta_title="W" * 40)  # wider than a search result's 600 px
    db.session.commit()
    with pytest.raises(PermissionDenied):
        cc.content_report(tenant.scope(Role.VIEWER), content.id, {"meta_title": LONG_TITLE})
    report = cc.content_report(tenant.scope(Role.EDITOR), content.id, {"meta_title": LONG_TITLE})
    assert report.live and report.analysis.check("seo_title_length").status == "good"
    db.session.rollback()
    assert db.session.get(Content, content.id).meta_title == "W" * 40
    assert (
        cc.content_report(tenant.scope(Role.VIEWER), content.id).analysis.check("seo_title_length").status
        != "good"
    )


# --- duplicate keyphrases ----------------------------------------------------------------------------


def test_duplicate_keyphrase_warns_about_other_content_and_tasks_of_the_site(
    tenant: factories.Tenant,
) -> None:
    scope = tenant.scope(Role.EDITOR)
    content = make(tenant, title="Panels 101", primary_keyword="Solar Panel")
    task = factories.make_task(tenant.cluster, title="Panel costs", keywords="solar panels, cost")
    factories.make_task(tenant.cluster, title="Second keyword only", keywords="roof, solar panels")
    factories.make_task(tenant.cluster, title="Canceled", keywords="solar panels", status=TaskStatus.CANCELED)
    factories.make_task(tenant.cluster, title="Deleted", keywords="solar panels", deleted_at=cc.utcnow())
    other_site = factories.make_cluster(factories.make_sector(factories.make_site(tenant.account)))
    factories.make_content(other_site, title="Elsewhere", primary_keyword="solar panels")

    warnings = cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "solar panels")
    assert warnings == [
        f"Content “Panels 101” (#{content.id}) already targets “Solar Panel”.",
        f"Task “Panel costs” (#{task.id}) already targets “solar panels”.",
    ]
    assert cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "the solar panels!") == warnings
    assert cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "solar") == []
    assert cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "solar panel cost") == []
    assert cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "") == []


def test_duplicate_keyphrase_excludes_the_object_itself_and_its_task_or_content(
    tenant: factories.Tenant,
) -> None:
    scope = tenant.scope(Role.EDITOR)
    task = factories.make_task(tenant.cluster, keywords="coffee grinder")
    content = make(tenant, primary_keyword="coffee grinders", task_id=task.id)
    # Content written from a task counts once (as the content).
    assert len(cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "coffee grinder")) == 1
    assert (
        cc.duplicate_keyphrase_warnings(scope, tenant.site.id, "coffee grinder", exclude_task_id=task.id)
        == []
    )
    assert (
        cc.duplicate_keyphrase_warnings(
            scope, tenant.site.id, "coffee grinder", exclude_content_id=content.id
        )
        == []
    )


def test_duplicate_keyphrase_lists_at_most_five_and_never_other_accounts(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    for n in range(7):
        make(tenant, title=f"Grinder {n}", primary_keyword="coffee grinder")
    factories.make_content(other_tenant.cluster, primary_keyword="coffee grinder")
    warnings = cc.duplicate_keyphrase_warnings(tenant.scope(), tenant.site.id, "coffee grinder")
    assert len(warnings) == 6 and warnings[-1] == "… and 2 more with the same keyphrase."
    assert cc.duplicate_keyphrase_warnings(other_tenant.scope(), tenant.site.id, "coffee grinder") == []


def test_report_shows_duplicates_of_the_live_keyphrase(tenant: factories.Tenant) -> None:
    make(tenant, title="First", primary_keyword="heat pump")
    content = make(tenant, title="Second", primary_keyword="solar panels")
    assert cc.content_report(tenant.scope(Role.EDITOR), content.id).duplicates == []
    live = cc.content_report(tenant.scope(Role.EDITOR), content.id, {"primary_keyword": "Heat pumps"})
    assert live.duplicates and "First" in live.duplicates[0]


def test_analyses_stored_under_the_old_rules_are_re_scored_on_read(tenant: factories.Tenant) -> None:
    scope = tenant.scope(Role.EDITOR)
    content = cs.create_content(
        scope,
        title="Solar",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html=body(400),
        primary_keyword="solar panels",
    )
    cc.after_content_saved(scope, content, latest_revision(content))
    revision = latest_revision(content)
    old = {"format": 1, "seo_score": 12, "readability_score": 34, "word_count": 402, "checks": []}
    revision.analysis = dict(old)
    db.session.commit()

    analysis = cc.stored_analysis(scope, content.id, revision.number)
    assert analysis is not None and analysis.is_current
    assert analysis.check("seo_title_length") is not None and analysis.seo_score != 12
    assert cc.analysis_history(scope, content.id)[0].seo_score == analysis.seo_score
    db.session.expire_all()
    assert latest_revision(content).analysis == old  # re-scored lazily: nothing written on read
