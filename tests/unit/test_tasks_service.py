"""Rules of the tasks service: validation, tenancy, trash, bulk actions, cancelling, listing."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support import factories
from writer_app.models import AuditEvent, ContentIdea, Role, Task, TaskStatus, db
from writer_app.services import task_actions, tasks
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from writer_app.services.tasks import TaskFilters


def _new(scope, cluster, **overrides):
    values = {
        "title": "How solar panels work",
        "cluster_id": cluster.id,
        "content_type": "post",
        "content_structure": "article",
    }
    values.update(overrides)
    return tasks.create_task(scope, **values)


def test_create_uses_the_working_context_and_normalises_keywords(tenant):
    scope = tenant.scope(Role.EDITOR)
    task = _new(
        scope, tenant.cluster, keywords=" solar panels,Solar Panels, ,roof  tiles ", word_count="1500"
    )
    db.session.commit()
    assert (task.site_id, task.sector_id) == (tenant.site.id, tenant.sector.id)
    assert task.keywords == "solar panels, roof tiles"
    assert task.word_count == 1500
    assert task.status == TaskStatus.QUEUED
    event = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "task.create")).one()
    assert event.object_id == task.id and event.user_id == tenant.editor.id


def test_create_reports_every_missing_field_at_once(tenant):
    with pytest.raises(ValidationError) as caught:
        tasks.create_task(
            tenant.scope(Role.EDITOR), title=" ", cluster_id=None, content_type=None, content_structure="nope"
        )
    fields = caught.value.fields
    assert set(fields) == {"title", "cluster_id", "content_type", "content_structure"}
    assert "Choose a cluster." in fields["cluster_id"]


@pytest.mark.parametrize(
    ("words", "ok"), [(99, False), (100, True), (10_000, True), (10_001, False), ("x", False)]
)
def test_word_count_bounds(tenant, words, ok):
    scope = tenant.scope(Role.EDITOR)
    if ok:
        assert _new(scope, tenant.cluster, word_count=words).word_count == words
    else:
        with pytest.raises(ValidationError) as caught:
            _new(scope, tenant.cluster, word_count=words)
        assert "word_count" in caught.value.fields


def test_cluster_must_belong_to_the_tasks_sector(tenant):
    other_sector = factories.make_sector(tenant.site, "Wind")
    with pytest.raises(ValidationError) as caught:
        _new(tenant.scope(Role.EDITOR), tenant.cluster, site_id=tenant.site.id, sector_id=other_sector.id)
    message = caught.value.fields["cluster_id"][0]
    assert tenant.cluster.name in message and "Wind" in message


def test_explicit_sector_must_belong_to_the_site(tenant):
    other_site = factories.make_site(tenant.account, "Second site")
    with pytest.raises(ValidationError) as caught:
        _new(tenant.scope(Role.EDITOR), tenant.cluster, site_id=other_site.id, sector_id=tenant.sector.id)
    assert "does not belong to site" in caught.value.fields["sector_id"][0]


def test_other_accounts_cluster_and_site_are_field_errors(tenant, other_tenant):
    scope = tenant.scope(Role.EDITOR)
    with pytest.raises(ValidationError) as caught:
        _new(scope, other_tenant.cluster)
    assert "does not exist" in caught.value.fields["cluster_id"][0]
    with pytest.raises(ValidationError) as caught:
        _new(scope, tenant.cluster, site_id=other_tenant.site.id, sector_id=other_tenant.sector.id)
    assert "site_id" in caught.value.fields


def test_idea_must_belong_to_the_cluster(tenant):
    scope = tenant.scope(Role.EDITOR)
    other_cluster = factories.make_cluster(tenant.sector, "Batteries")
    idea = ContentIdea(
        account_id=tenant.account.id,
        site_id=tenant.site.id,
        sector_id=tenant.sector.id,
        cluster_id=other_cluster.id,
        title="Battery sizing",
    )
    db.session.add(idea)
    db.session.flush()
    with pytest.raises(ValidationError) as caught:
        _new(scope, tenant.cluster, idea_id=idea.id)
    assert "another cluster" in caught.value.fields["idea_id"][0]
    assert _new(scope, other_cluster, idea_id=idea.id).idea_id == idea.id


def test_viewers_cannot_write(tenant):
    task = factories.make_task(tenant.cluster)
    viewer = tenant.scope(Role.VIEWER)
    with pytest.raises(PermissionDenied):
        _new(viewer, tenant.cluster)
    with pytest.raises(PermissionDenied):
        tasks.update_task(viewer, task.id, title="New")
    with pytest.raises(PermissionDenied):
        task_actions.bulk_delete(viewer, [task.id])


def test_update_is_a_patch_and_keeps_the_rules(tenant):
    scope = tenant.scope(Role.EDITOR)
    task = factories.make_task(tenant.cluster, "Old title", keywords="a, b", word_count=800)
    tasks.update_task(scope, task.id, title="New title")
    assert (task.title, task.keywords, task.word_count) == ("New title", "a, b", 800)

    wind = factories.make_sector(tenant.site, "Wind")
    db.session.commit()
    with pytest.raises(ValidationError) as caught:
        tasks.update_task(scope, task.id, sector_id=wind.id)
    assert "cluster_id" in caught.value.fields
    db.session.rollback()

    wind_cluster = factories.make_cluster(wind, "Turbines")
    task = tasks.update_task(scope, task.id, sector_id=wind.id, cluster_id=wind_cluster.id)
    assert (task.sector_id, task.cluster_id) == (wind.id, wind_cluster.id)
    with pytest.raises(ValidationError) as caught:
        tasks.update_task(scope, task.id, colour="blue")
    assert "colour" in caught.value.fields


def test_status_change_clears_the_error(tenant):
    task = factories.make_task(tenant.cluster, status=TaskStatus.FAILED, error="AI timed out")
    tasks.update_task(tenant.scope(Role.EDITOR), task.id, status="queued")
    assert (task.status, task.error) == (TaskStatus.QUEUED, "")


def test_other_accounts_tasks_are_not_found(tenant, other_tenant):
    theirs = factories.make_task(other_tenant.cluster)
    scope = tenant.scope(Role.EDITOR)
    for action in (
        lambda: tasks.get_task(scope, theirs.id),
        lambda: tasks.update_task(scope, theirs.id, title="x"),
        lambda: tasks.delete_task(scope, theirs.id),
        lambda: task_actions.cancel_task(scope, theirs.id),
        lambda: task_actions.bulk_update_status(scope, [theirs.id], "completed"),
    ):
        with pytest.raises(NotFound):
            action()
    assert db.session.get(Task, theirs.id).status == TaskStatus.QUEUED


def test_trash_and_restore(tenant):
    scope = tenant.scope(Role.EDITOR)
    a, b, c = (factories.make_task(tenant.cluster, t) for t in ("A", "B", "C"))
    assert task_actions.bulk_delete(scope, [a.id, b.id]) == 2
    assert task_actions.bulk_delete(scope, [a.id]) == 0  # already in the trash
    assert [t.title for t in tasks.list_tasks(scope).items] == ["C"]
    assert {t.title for t in tasks.list_tasks(scope, TaskFilters(trash=True)).items} == {"A", "B"}
    with pytest.raises(NotFound):
        tasks.get_task(scope, a.id)
    assert task_actions.bulk_restore(scope, [a.id, c.id]) == 1
    tasks.delete_task(scope, c.id)
    tasks.restore_task(scope, c.id)
    assert {t.title for t in tasks.list_tasks(scope).items} == {"A", "C"}
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert actions.count("task.delete") == 3 and actions.count("task.restore") == 2


def test_bulk_limits_and_unknown_status(tenant):
    scope = tenant.scope(Role.EDITOR)
    task = factories.make_task(tenant.cluster)
    with pytest.raises(ValidationError) as caught:
        task_actions.bulk_update_status(scope, [], "completed")
    assert "ids" in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        task_actions.bulk_delete(scope, list(range(1, 102)))
    assert "at most 100" in caught.value.fields["ids"][0]
    with pytest.raises(ValidationError) as caught:
        task_actions.bulk_update_status(scope, [task.id], "done")
    assert "status" in caught.value.fields
    with pytest.raises(ValidationError) as caught:
        task_actions.bulk_update_status(scope, [task.id], "completed")  # no content yet
    assert "Only tasks with content can be completed" in caught.value.fields["status"][0]
    factories.make_content(tenant.cluster, task_id=task.id)
    assert task_actions.bulk_update_status(scope, [task.id], "completed") == 1
    assert task_actions.bulk_update_status(scope, [task.id], "completed") == 0
    assert task.status == TaskStatus.COMPLETED


def test_cancel_only_queued_or_in_progress(tenant):
    scope = tenant.scope(Role.EDITOR)
    queued = factories.make_task(tenant.cluster, status=TaskStatus.QUEUED)
    running = factories.make_task(tenant.cluster, status=TaskStatus.IN_PROGRESS)
    done = factories.make_task(tenant.cluster, "Done one", status=TaskStatus.COMPLETED)
    assert task_actions.cancel_task(scope, queued.id).status == TaskStatus.CANCELED
    assert task_actions.cancel_task(scope, running.id).status == TaskStatus.CANCELED
    with pytest.raises(Conflict) as caught:
        task_actions.cancel_task(scope, done.id)
    assert "completed" in caught.value.message and "Done one" in caught.value.message


def test_list_filters_search_and_ordering(tenant):
    scope = tenant.scope(Role.VIEWER)
    other_cluster = factories.make_cluster(tenant.sector, "Batteries")
    factories.make_task(tenant.cluster, "Beta panels", keywords="roof", status=TaskStatus.COMPLETED)
    factories.make_task(tenant.cluster, "Alpha", keywords="100% solar_power", content_type="page")
    factories.make_task(other_cluster, "Gamma", keywords="storage", content_structure="guide")

    def titles(**kwargs):
        return [t.title for t in tasks.list_tasks(scope, TaskFilters(**kwargs)).items]

    assert titles(ordering="title") == ["Alpha", "Beta panels", "Gamma"]
    assert titles(ordering="-title") == ["Gamma", "Beta panels", "Alpha"]
    assert titles(search="ROOF") == ["Beta panels"]
    assert titles(search="100%") == ["Alpha"]  # % is a literal, not a wildcard
    assert titles(search="r_of") == []
    assert titles(status="completed") == ["Beta panels"]
    assert titles(cluster_id=other_cluster.id) == ["Gamma"]
    assert titles(content_type="page") == ["Alpha"]
    assert titles(content_structure="guide") == ["Gamma"]
    for bad in ({"status": "nope"}, {"ordering": "colour"}, {"cluster_id": "abc"}, {"site_id": "x"}):
        with pytest.raises(ValidationError) as caught:
            tasks.list_tasks(scope, TaskFilters(**bad))
        assert next(iter(bad)) in caught.value.fields


def test_list_defaults_to_the_working_site_and_sector(tenant):
    second_sector = factories.make_sector(tenant.site, "Wind")
    second_site = factories.make_site(tenant.account, "Other site")
    third_sector = factories.make_sector(second_site, "Hydro")
    factories.make_task(tenant.cluster, "Here")
    factories.make_task(factories.make_cluster(second_sector), "Same site")
    factories.make_task(factories.make_cluster(third_sector), "Elsewhere")
    scope = tenant.scope(Role.VIEWER)

    def titles(scope, **kwargs):
        return sorted(t.title for t in tasks.list_tasks(scope, TaskFilters(**kwargs)).items)

    assert titles(scope) == ["Here"]
    assert titles(scope.with_context(tenant.site.id, None)) == ["Here", "Same site"]
    assert titles(scope.with_context(None, None)) == ["Elsewhere", "Here", "Same site"]
    assert titles(scope, site_id="all") == ["Elsewhere", "Here", "Same site"]
    assert titles(scope, site_id=second_site.id) == ["Elsewhere"]
    assert titles(scope, sector_id=second_sector.id) == ["Same site"]


def test_list_pages_and_page_size_limits(tenant):
    for n in range(30):
        factories.make_task(tenant.cluster, f"T{n:02d}")
    scope = tenant.scope(Role.VIEWER)
    page = tasks.list_tasks(scope, TaskFilters(ordering="title"), page=2, page_size=25)
    assert (page.total, page.pages, [t.title for t in page.items]) == (
        30,
        2,
        [f"T{n}" for n in range(25, 30)],
    )
    with pytest.raises(ValidationError):
        tasks.list_tasks(scope, page_size=101)


def test_from_args_reads_query_strings():
    filters = TaskFilters.from_args({"search": " solar ", "status": "", "trash": "1", "ordering": "title"})
    assert (filters.search, filters.status, filters.trash, filters.ordering) == ("solar", None, True, "title")


def test_unknown_fields_are_validation_errors(tenant):
    with pytest.raises(ValidationError) as caught:
        _new(tenant.scope(Role.EDITOR), tenant.cluster, priority="high")
    assert caught.value.fields == {"priority": ["Unknown field."]}
    assert db.session.scalars(select(Task)).all() == []
