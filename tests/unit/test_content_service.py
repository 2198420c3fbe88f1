"""Content service rules: create/update validation, sanitizing, concurrency, terms, images, lists, CSV."""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from sqlalchemy import select

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import (
    AuditEvent,
    Content,
    ContentSource,
    ContentStatus,
    ContentTaxonomy,
    Image,
    ImageStatus,
    ImageType,
    Revision,
    Role,
    TaxonomyType,
    db,
)
from writer_app.services import content as cs
from writer_app.services import content_terms, sqlite_counts
from writer_app.services.csv_export import CONTENT_EXPORT_HEADER, content_export_rows, csv_lines
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from writer_app.services.media.content_images import content_images

HOSTILE = (
    '<p onclick="steal()">Hello <script>alert(1)</script><b>world</b></p>'
    '<img src="javascript:alert(2)" onerror="alert(3)" alt="x"><iframe src="https://evil"></iframe>'
    '<a href="javascript:alert(4)">link</a><style>body{}</style>'
)


def _create(tenant: factories.Tenant, **overrides: Any) -> Content:
    values: dict[str, Any] = {
        "title": "Solar Panels: A Guide!",
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "html": "<p>Solar panels turn light into power.</p>",
    }
    values.update(overrides)
    return cs.create_content(tenant.scope(Role.EDITOR), **values)


def _term(tenant: factories.Tenant, name: str, site_id: int | None = None) -> ContentTaxonomy:
    term = ContentTaxonomy(
        account_id=tenant.account.id,
        site_id=site_id or tenant.site.id,
        name=name,
        slug=name.lower(),
        taxonomy_type=TaxonomyType.CATEGORY,
    )
    db.session.add(term)
    db.session.flush()
    return term


def test_create_sets_defaults_slug_word_count_and_first_revision(tenant: factories.Tenant) -> None:
    content = _create(tenant, secondary_keywords="solar battery, , net metering,solar battery")
    assert content.status == ContentStatus.DRAFT
    assert content.source == "igny8"
    assert content.slug == "solar-panels-a-guide"
    assert content.word_count == 6
    assert content.site_id == tenant.site.id and content.sector_id == tenant.sector.id
    assert content.secondary_keywords == ["solar battery", "net metering"]
    assert content.last_edited_by_id == tenant.editor.id
    revisions = db.session.scalars(select(Revision).where(Revision.content_id == content.id)).all()
    assert [(r.number, r.note, r.title) for r in revisions] == [(1, "Created", content.title)]
    assert db.session.scalar(select(AuditEvent.action).where(AuditEvent.object_id == content.id)) == (
        "content.create"
    )


def test_create_requires_title_cluster_type_and_structure(tenant: factories.Tenant) -> None:
    with pytest.raises(ValidationError) as error:
        cs.create_content(
            tenant.scope(Role.EDITOR), title=" ", cluster_id=None, content_type="", content_structure="essay"
        )
    assert set(error.value.fields) == {"title", "cluster_id", "content_type", "content_structure"}
    assert "essay" in error.value.fields["content_structure"][0]


def test_create_links_only_a_task_of_the_account(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    ours = factories.make_task(tenant.cluster)
    assert _create(tenant, task_id=ours.id).task_id == ours.id
    for foreign in (factories.make_task(other_tenant.cluster).id, 987654):
        with pytest.raises(ValidationError) as error:
            _create(tenant, task_id=foreign)
        assert "does not exist in this account" in error.value.fields["task_id"][0]


def test_create_refuses_cluster_of_another_sector_and_foreign_site(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    other_sector = factories.make_sector(tenant.site)
    foreign_cluster = factories.make_cluster(other_sector)
    with pytest.raises(ValidationError) as error:
        _create(tenant, cluster_id=foreign_cluster.id)
    assert "does not belong to sector" in error.value.fields["cluster_id"][0]
    with pytest.raises(ValidationError) as error:
        _create(tenant, site_id=other_tenant.site.id, sector_id=other_tenant.sector.id)
    assert "site_id" in error.value.fields
    with pytest.raises(ValidationError) as error:
        _create(tenant, cluster_id=other_tenant.cluster.id)
    assert "does not exist" in error.value.fields["cluster_id"][0]


def test_create_with_explicit_site_and_sector(tenant: factories.Tenant) -> None:
    site = factories.make_site(tenant.account)
    sector = factories.make_sector(site)
    cluster = factories.make_cluster(sector)
    content = _create(tenant, site_id=site.id, sector_id=sector.id, cluster_id=cluster.id)
    assert (content.site_id, content.sector_id) == (site.id, sector.id)


def test_create_cannot_start_published_and_viewer_cannot_create(tenant: factories.Tenant) -> None:
    for status in ("published", "review"):  # status changes only through review actions
        with pytest.raises(ValidationError) as error:
            _create(tenant, status=status)
        assert "review actions" in error.value.fields["status"][0]
    # Claiming to be a WordPress import does not let an editor skip review either.
    with pytest.raises(ValidationError) as error:
        _create(tenant, status="published", source="wordpress")
    assert set(error.value.fields) == {"status", "source"}
    same = _create(tenant, status="draft", source="igny8")  # the values it gets anyway: fine
    assert (same.status, same.source) == (ContentStatus.DRAFT, ContentSource.IGNY8)
    with pytest.raises(PermissionDenied):
        cs.create_content(
            tenant.scope(Role.VIEWER),
            title="x",
            cluster_id=tenant.cluster.id,
            content_type="post",
            content_structure="article",
        )


@pytest.mark.parametrize("path", ["create", "update"])
def test_hostile_html_is_sanitized_on_save(tenant: factories.Tenant, path: str) -> None:
    if path == "create":
        content = _create(tenant, html=HOSTILE)
    else:
        content = _create(tenant)
        content = cs.update_content(tenant.scope(Role.EDITOR), content.id, content.version, html=HOSTILE)
    for bad in ("<script", "onclick", "onerror", "javascript:", "<iframe", "<style", "alert(1)"):
        assert bad not in content.html
    assert "<b>world</b>" in content.html
    assert content.word_count == 3  # Hello world link
    assert db.session.scalars(select(Revision.html).where(Revision.content_id == content.id)).all()[-1] == (
        content.html
    )


def test_update_bumps_version_stores_revision_and_recomputes_words(tenant: factories.Tenant) -> None:
    content = _create(tenant)
    db.session.commit()
    reviewer_scope = tenant.scope(Role.REVIEWER)
    updated = cs.update_content(
        reviewer_scope, content.id, 1, html="<p>one two three four</p>", meta_title="Solar", slug="New Slug!"
    )
    db.session.commit()
    assert updated.version == 2
    assert updated.word_count == 4
    assert updated.slug == "new-slug"
    assert updated.last_edited_by_id == tenant.reviewer.id
    revisions = db.session.scalars(
        select(Revision).where(Revision.content_id == content.id).order_by(Revision.number)
    ).all()
    assert [r.number for r in revisions] == [1, 2]
    assert revisions[1].note == "Edited body, meta title, slug"
    assert revisions[1].user_id == tenant.reviewer.id


def test_update_with_stale_version_is_a_conflict_naming_who_saved(tenant: factories.Tenant) -> None:
    content = _create(tenant)
    db.session.commit()
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, 1, title="Reviewer's title")
    db.session.commit()
    with pytest.raises(Conflict) as error:
        cs.update_content(tenant.scope(Role.EDITOR), content.id, 1, title="Editor's title")
    message = error.value.message
    assert tenant.reviewer.display_name in message
    assert "saved a newer version at" in message and "your text is kept below" in message
    db.session.rollback()
    assert db.session.get(Content, content.id).title == "Reviewer's title"


def test_lost_race_at_update_is_a_conflict(tenant: factories.Tenant) -> None:
    """Both saves read version 1; the second UPDATE ... WHERE version=1 matches no row."""
    content = _create(tenant)
    db.session.commit()
    # Another session saves in between (a concurrent request).
    with db.engine.begin() as conn:
        conn.execute(
            Content.__table__.update()
            .where(Content.id == content.id)
            .values(version=2, title="Theirs", last_edited_by_id=tenant.admin.id)
        )
    with pytest.raises(Conflict) as error:
        cs.update_content(tenant.scope(Role.EDITOR), content.id, 1, title="Mine")
    assert tenant.admin.display_name in error.value.message
    assert db.session.get(Content, content.id).title == "Theirs"


def test_update_validation_noop_and_unknown_fields(tenant: factories.Tenant) -> None:
    content = _create(tenant)
    scope = tenant.scope(Role.EDITOR)
    with pytest.raises(ValidationError) as error:
        cs.update_content(scope, content.id, None, title="", content_type="essay")
    assert set(error.value.fields) == {"title", "content_type"}
    with pytest.raises(ValidationError):
        cs.update_content(scope, content.id, None, status="published")
    same = cs.update_content(scope, content.id, None, title=content.title)
    assert same.version == 1
    assert db.session.scalar(select(Revision.number).order_by(Revision.number.desc())) == 1
    with pytest.raises(PermissionDenied):
        cs.update_content(tenant.scope(Role.VIEWER), content.id, None, title="x")


def test_other_accounts_content_is_not_found(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    theirs = factories.make_content(other_tenant.cluster)
    scope = tenant.scope(Role.ADMIN)
    for call in (
        lambda: cs.get_content(scope, theirs.id),
        lambda: cs.update_content(scope, theirs.id, None, title="x"),
        lambda: cs.delete_content(scope, theirs.id),
        lambda: content_images(scope, theirs.id),
        lambda: content_terms.set_taxonomy_terms(scope, theirs.id, add=[]),
    ):
        with pytest.raises(NotFound):
            call()


def test_soft_delete_hides_and_restore_brings_back(tenant: factories.Tenant) -> None:
    content = _create(tenant)
    scope = tenant.scope(Role.EDITOR)
    cs.delete_content(scope, content.id)
    assert cs.list_content(scope, cs.ContentFilters()).total == 0
    with pytest.raises(NotFound):
        cs.get_content(scope, content.id)
    cs.restore_content(scope, content.id)
    assert cs.list_content(scope, cs.ContentFilters()).total == 1


def test_taxonomy_terms_added_removed_and_site_checked(
    tenant: factories.Tenant, other_tenant: factories.Tenant
) -> None:
    content = _create(tenant)
    scope = tenant.scope(Role.EDITOR)
    energy, solar = _term(tenant, "Energy"), _term(tenant, "Solar")
    other_site = factories.make_site(tenant.account)
    foreign = _term(tenant, "Elsewhere", site_id=other_site.id)
    assert [
        t.name for t in content_terms.set_taxonomy_terms(scope, content.id, add=[solar.id, energy.id])
    ] == [
        "Energy",
        "Solar",
    ]
    assert [
        t.name
        for t in content_terms.set_taxonomy_terms(scope, content.id, add=[energy.id], remove=[solar.id])
    ] == ["Energy"]
    with pytest.raises(ValidationError) as error:
        content_terms.set_taxonomy_terms(scope, content.id, add=[foreign.id])
    assert "Elsewhere" in error.value.fields["add"][0]
    theirs = ContentTaxonomy(
        account_id=other_tenant.account.id,
        site_id=other_tenant.site.id,
        name="Theirs",
        slug="theirs",
        taxonomy_type=TaxonomyType.TAG,
    )
    db.session.add(theirs)
    db.session.flush()
    with pytest.raises(ValidationError):
        content_terms.set_taxonomy_terms(scope, content.id, add=[theirs.id])


def _image(content: Content, kind: ImageType, status: ImageStatus, position: int = 0) -> Image:
    image = Image(content_id=content.id, image_type=kind, status=status, position=position)
    db.session.add(image)
    db.session.flush()
    return image


def test_content_images_grouped_and_stats(tenant: factories.Tenant) -> None:
    content = _create(tenant)
    second = _image(content, ImageType.IN_ARTICLE, ImageStatus.PENDING, position=2)
    first = _image(content, ImageType.IN_ARTICLE, ImageStatus.FAILED, position=1)
    featured = _image(content, ImageType.FEATURED, ImageStatus.GENERATED)
    deleted = _image(content, ImageType.IN_ARTICLE, ImageStatus.GENERATED, position=3)
    deleted.deleted_at = deleted.created_at
    bare = _create(tenant, title="No images")
    groups = content_images(tenant.scope(Role.VIEWER), content.id)
    assert groups.featured is featured
    assert groups.in_article == [first, second]
    stats = cs.image_stats(tenant.scope(Role.VIEWER), [content.id, bare.id])
    assert stats[content.id].has_featured_image
    assert stats[content.id].by_status == {"pending": 1, "generated": 1, "failed": 1}
    assert not stats[bare.id].has_featured_image and stats[bare.id].total == 0


def test_list_filters_ordering_and_working_context(tenant: factories.Tenant) -> None:
    scope = tenant.scope(Role.VIEWER)
    a = factories.make_content(tenant.cluster, "Alpha solar", status=ContentStatus.REVIEW)
    b = factories.make_content(tenant.cluster, "Beta wind 100%")
    other_sector = factories.make_sector(tenant.site)
    c = factories.make_content(factories.make_cluster(other_sector), "Gamma solar")

    def titles(**kwargs: Any) -> list[str]:
        return [x.title for x in cs.list_content(scope, cs.ContentFilters(**kwargs)).items]

    assert titles(ordering="title") == [a.title, b.title]  # working sector only
    assert titles(ordering="-title", all_sites=True) == [c.title, b.title, a.title]
    assert titles(site_id=tenant.site.id, search="SOLAR", ordering="title") == [a.title, c.title]
    assert titles(search="100%") == [b.title]
    assert titles(status="review") == [a.title]
    assert titles(cluster_id=tenant.cluster.id, content_structure="article", ordering="title") == [
        a.title,
        b.title,
    ]
    for name, bad in (("status", "gone"), ("ordering", "wordcount"), ("source", "x"), ("site_id", "abc")):
        with pytest.raises(ValidationError) as error:
            cs.list_content(scope, cs.ContentFilters(**{name: bad}))
        assert name in error.value.fields


@pytest.mark.parametrize("rows", [10, 120])
def test_list_runs_a_fixed_number_of_queries(tenant: factories.Tenant, rows: int) -> None:
    term = _term(tenant, "Energy")
    for n in range(rows):
        content = factories.make_content(tenant.cluster, f"Item {n}")
        content_terms.set_taxonomy_terms(tenant.scope(Role.EDITOR), content.id, add=[term.id])
        _image(content, ImageType.FEATURED, ImageStatus.GENERATED)
    scope = tenant.scope(Role.VIEWER)
    db.session.commit()
    db.session.expunge_all()  # nothing cached: every row's relations must come from the 4 queries
    with count_queries() as queries:
        page = cs.list_content(scope, cs.ContentFilters(), 1, 100)
        names = [(c.cluster.name, c.sector.name, [t.name for t in c.taxonomy_terms]) for c in page.items]
    assert len(names) == min(rows, 100)
    assert all(page.stats(c.id).has_featured_image for c in page.items)
    # Count, page, terms, images (SQLite also asks whether the database changed: services/sqlite_counts).
    assert len([s for s in queries.statements if s != sqlite_counts.STATE]) == 4


def test_csv_export_uses_filters_and_defuses_formulas(tenant: factories.Tenant) -> None:
    factories.make_content(tenant.cluster, "=HYPERLINK('x')", status=ContentStatus.REVIEW)
    factories.make_content(tenant.cluster, "Plain draft")
    rows = content_export_rows(tenant.scope(Role.VIEWER), cs.ContentFilters(status="review"))
    text = "".join(csv_lines(CONTENT_EXPORT_HEADER, rows))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 1
    assert rows[0]["title"] == "'=HYPERLINK('x')"
    assert rows[0]["cluster"] == tenant.cluster.name and rows[0]["sector"] == tenant.sector.name
    assert rows[0]["status"] == "review"


def test_review_decisions_do_not_conflict_with_an_open_editor(tenant: factories.Tenant) -> None:
    """A status change moves the row version but adds no revision: a save based on the latest
    revision goes through; a save behind a newer revision is still refused, naming its author."""
    from writer_app.services.review import decisions as review

    content = _create(tenant)
    db.session.commit()
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    assert content.version == 2
    with pytest.raises(Conflict):
        cs.update_content(tenant.scope(Role.EDITOR), content.id, 1, title="No base revision given")
    saved = cs.update_content(tenant.scope(Role.EDITOR), content.id, 1, base_revision=1, title="Mine")
    db.session.commit()
    assert saved.title == "Mine" and saved.version == 3
    cs.update_content(tenant.scope(Role.ADMIN), content.id, 3, title="Admin's")  # revision 3
    db.session.commit()
    with pytest.raises(Conflict) as error:
        cs.update_content(tenant.scope(Role.EDITOR), content.id, 3, base_revision=2, title="Stale")
    assert tenant.admin.display_name in error.value.message
