"""Taxonomies service: listing, slug rules, uniqueness as a field error, read-only sync fields, delete."""

from __future__ import annotations

import pytest

from tests.support.factories import make_content, make_sector, make_site, make_task
from writer_app.models import AuditEvent, ContentTaxonomy, ContentTaxonomyRelation, Role, SyncStatus, Task, db
from writer_app.services import taxonomies
from writer_app.services.errors import NotFound, PermissionDenied, ValidationError
from writer_app.services.taxonomies import TaxonomyFilters


def create(tenant, name: str, taxonomy_type: str = "category", **kwargs) -> ContentTaxonomy:
    kwargs.setdefault("site_id", tenant.site.id)
    return taxonomies.create_taxonomy(
        tenant.scope(Role.ADMIN), name=name, taxonomy_type=taxonomy_type, **kwargs
    )


def test_create_derives_the_slug_from_the_name(tenant):
    term = create(tenant, "  Solar Power & Storage ", description=" Sun ")
    db.session.commit()
    assert (term.name, term.slug, term.description) == ("Solar Power & Storage", "solar-power-storage", "Sun")
    assert term.sector_id is None and term.sync_status == SyncStatus.NONE
    assert db.session.scalar(db.select(AuditEvent.action).where(AuditEvent.object_id == term.id)) == (
        "taxonomy.create"
    )


def test_a_typed_slug_is_normalised(tenant):
    assert create(tenant, "Heat pumps", slug="Heat Pumps 2026!").slug == "heat-pumps-2026"


def test_sector_is_optional_but_must_belong_to_the_site(tenant):
    assert create(tenant, "Wind", sector_id=tenant.sector.id).sector_id == tenant.sector.id
    foreign_sector = make_sector(make_site(tenant.account))
    with pytest.raises(ValidationError) as error:
        create(tenant, "Hydro", sector_id=foreign_sector.id)
    assert "sector_id" in error.value.fields


@pytest.mark.parametrize(
    ("kwargs", "field"),
    [
        ({"name": "", "taxonomy_type": "tag"}, "name"),
        ({"name": "   ", "taxonomy_type": "tag"}, "name"),
        ({"name": "x" * 256, "taxonomy_type": "tag"}, "name"),
        ({"name": "Ok", "taxonomy_type": "attribute"}, "taxonomy_type"),
        ({"name": "Ok", "taxonomy_type": "tag", "site_id": None}, "site_id"),
        ({"name": "Ok", "taxonomy_type": "tag", "site_id": 999_999}, "site_id"),
    ],
)
def test_create_rejects_bad_input_by_field(tenant, kwargs, field):
    kwargs.setdefault("site_id", tenant.site.id)
    with pytest.raises(ValidationError) as error:
        taxonomies.create_taxonomy(tenant.scope(Role.ADMIN), **kwargs)
    assert field in error.value.fields


def test_site_of_another_account_is_refused(tenant, other_tenant):
    with pytest.raises(ValidationError) as error:
        create(tenant, "Sneaky", site_id=other_tenant.site.id)
    assert "site_id" in error.value.fields


def test_duplicate_slug_per_site_and_type_is_a_field_error(tenant):
    create(tenant, "Solar Power")
    db.session.commit()
    with pytest.raises(ValidationError) as error:
        create(tenant, "Solar power!")
    assert list(error.value.fields) == ["name"]
    assert "already has a category with the slug “solar-power”" in error.value.message
    with pytest.raises(ValidationError) as error:
        create(tenant, "Something else", slug="solar-power")
    assert list(error.value.fields) == ["slug"]
    db.session.rollback()
    # Same slug as a tag, or on another site, is fine.
    assert create(tenant, "Solar Power", "tag").slug == "solar-power"
    other_site = make_site(tenant.account)
    assert create(tenant, "Solar Power", site_id=other_site.id).site_id == other_site.id
    db.session.commit()
    assert db.session.scalar(db.select(db.func.count()).select_from(ContentTaxonomy)) == 3


def test_database_uniqueness_race_becomes_the_same_field_error(tenant, monkeypatch):
    create(tenant, "Batteries")
    db.session.commit()
    # Simulate a concurrent insert that the pre-check did not see: only the database catches it.
    monkeypatch.setattr(taxonomies, "_check_unique", lambda *args, **kwargs: None)
    with pytest.raises(ValidationError) as error:
        create(tenant, "Batteries")
    assert "name" in error.value.fields
    db.session.rollback()
    assert db.session.scalar(db.select(db.func.count()).select_from(ContentTaxonomy)) == 1


def test_only_admins_write_everyone_reads(tenant):
    term = create(tenant, "Grid")
    for role in (Role.VIEWER, Role.EDITOR, Role.REVIEWER):
        scope = tenant.scope(role)
        with pytest.raises(PermissionDenied):
            taxonomies.create_taxonomy(scope, site_id=tenant.site.id, name="X", taxonomy_type="tag")
        with pytest.raises(PermissionDenied):
            taxonomies.update_taxonomy(scope, term.id, name="Y")
        with pytest.raises(PermissionDenied):
            taxonomies.delete_taxonomy(scope, term.id)
        assert taxonomies.get_taxonomy(scope, term.id).name == "Grid"
        assert taxonomies.list_taxonomies(scope, TaxonomyFilters()).total == 1


def test_update_renames_keeps_slug_unless_cleared(tenant):
    scope = tenant.scope(Role.ADMIN)
    term = create(tenant, "Solar")
    taxonomies.update_taxonomy(scope, term.id, name="Solar energy")
    assert (term.name, term.slug) == ("Solar energy", "solar")
    taxonomies.update_taxonomy(scope, term.id, slug="")
    assert term.slug == "solar-energy"
    taxonomies.update_taxonomy(
        scope, term.id, taxonomy_type="tag", description="d", sector_id=tenant.sector.id
    )
    assert (term.taxonomy_type, term.description, term.sector_id) == ("tag", "d", tenant.sector.id)
    taxonomies.update_taxonomy(scope, term.id, sector_id=None)
    assert term.sector_id is None


def test_update_to_a_taken_slug_is_a_field_error(tenant):
    create(tenant, "Wind")
    term = create(tenant, "Water")
    db.session.commit()
    with pytest.raises(ValidationError) as error:
        taxonomies.update_taxonomy(tenant.scope(Role.ADMIN), term.id, slug="wind")
    assert "slug" in error.value.fields
    # Keeping its own slug is not a clash.
    taxonomies.update_taxonomy(tenant.scope(Role.ADMIN), term.id, name="Water", slug="water")


def test_external_sync_fields_are_read_only(tenant):
    term = create(tenant, "Synced")
    term.external_id, term.external_taxonomy, term.sync_status = 12, "category", SyncStatus.SYNCED
    db.session.commit()
    for field, value in (
        ("external_id", 99),
        ("external_taxonomy", "post_tag"),
        ("sync_status", "none"),
        ("count", 4),
        ("site_id", 1),
    ):
        with pytest.raises(ValidationError) as error:
            taxonomies.update_taxonomy(tenant.scope(Role.ADMIN), term.id, **{field: value})
        assert error.value.fields == {field: ["This field is read-only."]}
    with pytest.raises(ValidationError) as error:
        taxonomies.update_taxonomy(tenant.scope(Role.ADMIN), term.id, colour="red")
    assert error.value.fields == {"colour": ["Unknown field."]}
    db.session.refresh(term)
    assert (term.external_id, term.sync_status) == (12, SyncStatus.SYNCED)


def test_delete_removes_relations_and_task_links(tenant):
    term = create(tenant, "Old")
    keep = create(tenant, "Keep")
    content = make_content(tenant.cluster)
    task = make_task(tenant.cluster, taxonomy_term_id=term.id)
    db.session.add_all(
        [
            ContentTaxonomyRelation(content_id=content.id, taxonomy_id=term.id),
            ContentTaxonomyRelation(content_id=content.id, taxonomy_id=keep.id),
        ]
    )
    db.session.commit()
    assert taxonomies.usage_counts(tenant.scope(), [term.id, keep.id]) == {term.id: 1, keep.id: 1}
    assert taxonomies.delete_taxonomy(tenant.scope(Role.ADMIN), term.id) == "Old"
    db.session.commit()
    assert db.session.get(ContentTaxonomy, term.id) is None
    relations = db.session.scalars(db.select(ContentTaxonomyRelation.taxonomy_id)).all()
    assert relations == [keep.id]
    assert db.session.get(Task, task.id).taxonomy_term_id is None


def test_other_accounts_terms_are_not_found(tenant, other_tenant):
    foreign = taxonomies.create_taxonomy(
        other_tenant.scope(Role.ADMIN), site_id=other_tenant.site.id, name="Theirs", taxonomy_type="tag"
    )
    scope = tenant.scope(Role.ADMIN)
    for call in (
        lambda: taxonomies.get_taxonomy(scope, foreign.id),
        lambda: taxonomies.update_taxonomy(scope, foreign.id, name="Mine"),
        lambda: taxonomies.delete_taxonomy(scope, foreign.id),
    ):
        with pytest.raises(NotFound):
            call()
    assert taxonomies.list_taxonomies(scope, TaxonomyFilters(site_id="all")).total == 0


def test_list_filters_search_and_ordering(tenant):
    other_site = make_site(tenant.account, "Second site")
    create(tenant, "Banana", "tag")
    create(tenant, "apple", "category")
    create(tenant, "Cherry", "category", slug="red-fruit")
    create(tenant, "Date", "category", site_id=other_site.id)
    scope = tenant.scope(Role.VIEWER)

    def names(**kwargs):
        return [t.name for t in taxonomies.list_taxonomies(scope, TaxonomyFilters(**kwargs)).items]

    assert names() == ["apple", "Banana", "Cherry"]  # working site only
    assert names(site_id="all") == ["apple", "Banana", "Cherry", "Date"]
    assert names(site_id=other_site.id) == ["Date"]
    assert names(taxonomy_type="tag") == ["Banana"]
    assert names(search="RED") == ["Cherry"]  # slug matches too, case-insensitive
    assert names(search="an") == ["Banana"]
    assert names(search="%") == [] and names(search="_") == []  # LIKE wildcards are plain characters
    assert names(ordering="-name") == ["Cherry", "Banana", "apple"]
    for bad, field in (({"ordering": "count"}, "ordering"), ({"taxonomy_type": "x"}, "taxonomy_type")):
        with pytest.raises(ValidationError) as error:
            taxonomies.list_taxonomies(scope, TaxonomyFilters(**bad))
        assert field in error.value.fields


def test_from_args_reads_query_strings():
    filters = TaxonomyFilters.from_args(
        {"taxonomy_type": "tag", "site_id": "3", "search": " a ", "page": "2"}
    )
    assert filters == TaxonomyFilters(taxonomy_type="tag", site_id="3", search="a", ordering=None)
