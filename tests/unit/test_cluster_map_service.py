"""Cluster map service: an entry per content that follows it, one hub per cluster and site (also in the
database), task entries, filters, tenancy."""

from __future__ import annotations

import pytest
from sqlalchemy.exc import IntegrityError

from tests.support import factories
from writer_app.models import ClusterMapSource, ClusterRole, ContentClusterMap, Role, db
from writer_app.services import content as content_service
from writer_app.services import tasks
from writer_app.services.clusters import cluster_map
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError


def _create(tenant, title, structure="article", cluster=None, **kwargs):
    return content_service.create_content(
        tenant.scope(Role.EDITOR),
        title=title,
        cluster_id=(cluster or tenant.cluster).id,
        content_type="post",
        content_structure=structure,
        **kwargs,
    )


def test_created_content_gets_a_manual_entry_with_its_keywords_and_slug(tenant):
    content = _create(
        tenant, "Solar hub", "cluster_hub", primary_keyword="solar", secondary_keywords="pv, Solar"
    )
    entry = cluster_map.entry_of_content(content.id)
    assert (entry.role, entry.source, entry.cluster_id) == (
        ClusterRole.HUB,
        ClusterMapSource.MANUAL,
        tenant.cluster.id,
    )
    assert entry.keywords == ["solar", "pv", "Solar"] and entry.slug == "solar-hub"
    assert (entry.account_id, entry.site_id, entry.sector_id) == (
        tenant.account.id,
        tenant.site.id,
        tenant.sector.id,
    )
    second = _create(tenant, "Another hub", "cluster_hub")
    assert cluster_map.entry_of_content(second.id).role == ClusterRole.SUPPORTING  # the hub is taken


def test_the_entry_follows_keyphrase_slug_and_cluster(tenant):
    scope = tenant.scope(Role.EDITOR)
    other = factories.make_cluster(tenant.sector, "Batteries")
    _create(tenant, "Batteries hub", "cluster_hub", cluster=other)
    hub = _create(tenant, "Solar hub", "cluster_hub")
    content_service.update_content(scope, hub.id, primary_keyword="pv", slug="Solar Hub 2")
    entry = cluster_map.entry_of_content(hub.id)
    assert (entry.keywords, entry.slug) == (["pv"], "solar-hub-2")
    # Moved into a cluster that has a hub: it stays on the map, as supporting.
    content_service.update_content(scope, hub.id, cluster_id=other.id)
    assert (entry.cluster_id, entry.role) == (other.id, ClusterRole.SUPPORTING)
    content_service.update_content(scope, hub.id, title="Renamed")  # untracked fields leave it alone
    assert cluster_map.entry_of_content(hub.id).id == entry.id


def test_one_hub_per_cluster_and_site(tenant):
    scope = tenant.scope(Role.EDITOR)
    first = cluster_map.entry_of_content(_create(tenant, "First").id)
    second = cluster_map.entry_of_content(_create(tenant, "Second").id)
    cluster_map.set_role(scope, first.id, "hub")
    with pytest.raises(ValidationError) as refused:
        cluster_map.set_role(scope, second.id, ClusterRole.HUB)
    assert refused.value.fields == {"role": [refused.value.message]} and "“First”" in refused.value.message
    with pytest.raises(ValidationError) as bad:
        cluster_map.set_role(scope, second.id, "owner")
    assert "role" in bad.value.fields
    # Once the hub steps down, another entry may take the role.
    cluster_map.set_role(scope, first.id, "attribute")
    assert cluster_map.set_role(scope, second.id, "hub").role == ClusterRole.HUB


def test_the_database_refuses_a_second_hub(tenant):
    """The partial unique index, on this run's database (SQLite or PostgreSQL)."""
    tasks = [factories.make_task(tenant.cluster) for _ in range(3)]
    c = tenant.cluster

    def add(task, role):
        db.session.add(
            ContentClusterMap(
                account_id=c.account_id, site_id=c.site_id, sector_id=c.sector_id,
                cluster_id=c.id, task_id=task.id, role=role,
            )
        )  # fmt: skip
        db.session.flush()

    add(tasks[0], ClusterRole.HUB)
    add(tasks[1], ClusterRole.SUPPORTING)  # many supporting entries are fine
    with pytest.raises(IntegrityError), db.session.begin_nested():
        add(tasks[2], ClusterRole.HUB)


def test_the_database_refuses_a_second_entry_for_one_content(tenant):
    content = _create(tenant, "Once")
    c = tenant.cluster
    with pytest.raises(IntegrityError), db.session.begin_nested():
        db.session.add(
            ContentClusterMap(
                account_id=c.account_id, site_id=c.site_id, sector_id=c.sector_id,
                cluster_id=c.id, content_id=content.id,
            )
        )  # fmt: skip
        db.session.flush()


def test_task_entries_and_their_content(tenant):
    scope = tenant.scope(Role.EDITOR)
    task = factories.make_task(tenant.cluster, keywords="roof, tiles")
    entry = cluster_map.create_entry(scope, task_id=task.id, role="attribute")
    assert (entry.content_id, entry.keywords, entry.role) == (None, ["roof", "tiles"], ClusterRole.ATTRIBUTE)
    with pytest.raises(ValidationError) as twice:
        cluster_map.create_entry(scope, task_id=task.id)
    assert "task_id" in twice.value.fields
    content = _create(tenant, "From the task", task_id=task.id)
    assert cluster_map.entry_of_content(content.id).id == entry.id  # taken over, role kept
    assert entry.role == ClusterRole.ATTRIBUTE and entry.task_id == task.id
    with pytest.raises(Conflict):
        cluster_map.delete_entry(scope, entry.id)  # a content's entry lasts as long as the content
    lone = cluster_map.create_entry(scope, task_id=factories.make_task(tenant.cluster).id)
    cluster_map.delete_entry(scope, lone.id)
    with pytest.raises(NotFound):
        cluster_map.get_entry(scope, lone.id)


def test_create_entry_checks_its_fields(tenant):
    scope = tenant.scope(Role.EDITOR)
    content = factories.make_content(tenant.cluster)  # made without the service: no entry yet
    other = factories.make_cluster(tenant.sector, "Elsewhere")
    cases = [
        ({}, "content_id"),
        ({"content_id": content.id, "cluster_id": other.id}, "cluster_id"),
        ({"content_id": content.id, "task_id": factories.make_task(tenant.cluster).id}, "task_id"),
        ({"content_id": 999_999}, "content_id"),
        ({"content_id": content.id, "source": "ai"}, "source"),
    ]
    for values, name in cases:
        with pytest.raises(ValidationError) as refused:
            cluster_map.create_entry(scope, **values)
        assert name in refused.value.fields, values
    entry = cluster_map.create_entry(scope, content_id=content.id, source="import", role="hub")
    assert (entry.source, entry.role, entry.cluster_id) == (
        ClusterMapSource.IMPORT,
        ClusterRole.HUB,
        tenant.cluster.id,
    )


def test_list_filters_roles_and_tenancy(tenant, other_tenant):
    scope = tenant.scope(Role.VIEWER)
    hub = _create(tenant, "Hub", "cluster_hub")
    _create(tenant, "Piece")
    _create(other_tenant, "Theirs")
    page = cluster_map.list_entries(scope)
    assert page.total == 2 and page.items[0].content_id == hub.id  # hub first
    filters = cluster_map.MapFilters(role="supporting", cluster_id=str(tenant.cluster.id))
    assert cluster_map.list_entries(scope, filters).total == 1
    assert cluster_map.list_entries(scope, cluster_map.MapFilters(source="import")).total == 0
    with pytest.raises(ValidationError) as bad:
        cluster_map.list_entries(scope, cluster_map.MapFilters(role="owner"))
    assert "role" in bad.value.fields
    with pytest.raises(PermissionDenied):
        cluster_map.set_role(scope, page.items[0].id, "supporting")
    theirs = cluster_map.list_entries(other_tenant.scope(Role.ADMIN)).items[0]
    with pytest.raises(NotFound):
        cluster_map.set_role(tenant.scope(Role.EDITOR), theirs.id, "hub")


def test_pieces_by_role_leave_trashed_content_out(tenant):
    scope = tenant.scope(Role.EDITOR)
    _create(tenant, "Hub", "cluster_hub")
    _create(tenant, "Kept")
    gone = _create(tenant, "Gone")
    content_service.delete_content(scope, gone.id)
    pieces = cluster_map.cluster_pieces(scope, tenant.cluster.id)
    assert [e.content.title for e in pieces.hub] == ["Hub"]
    assert [e.content.title for e in pieces.supporting] == ["Kept"]
    assert not pieces.attribute and not pieces.empty


def test_a_task_entry_follows_its_task(tenant):
    scope = tenant.scope(Role.EDITOR)
    other = factories.make_cluster(tenant.sector, "Batteries")
    _create(tenant, "Batteries hub", "cluster_hub", cluster=other)
    task = factories.make_task(tenant.cluster)
    entry = cluster_map.create_entry(scope, task_id=task.id, role="hub")
    tasks.update_task(scope, task.id, cluster_id=other.id, keywords="battery, storage")
    db.session.flush()
    assert (entry.cluster_id, entry.role, entry.keywords) == (
        other.id,
        ClusterRole.SUPPORTING,
        ["battery", "storage"],
    )
