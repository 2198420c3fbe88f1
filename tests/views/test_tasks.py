"""The Tasks page: list (full page and htmx fragment), forms, trash, bulk actions, roles, tenancy."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import insert, select

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import Task, TaskStatus, db

HX = {"HX-Request": "true"}


@pytest.fixture
def editor_client(client, tenant, login):
    return login(tenant.editor)


def _html(response) -> str:
    return response.get_data(as_text=True)


def test_full_page_and_fragment_share_the_url(editor_client, tenant):
    factories.make_task(tenant.cluster, "Solar roof guide")
    db.session.commit()
    full = editor_client.get("/tasks/")
    assert full.status_code == 200
    assert "<html" in _html(full) and 'id="task-filters"' in _html(full)
    assert "Solar roof guide" in _html(full)
    fragment = editor_client.get("/tasks/", headers=HX)
    body = _html(fragment)
    assert fragment.status_code == 200
    assert body.lstrip().startswith('<div id="task-results"')
    assert "<html" not in body and 'id="task-filters"' not in body
    assert "Solar roof guide" in body
    assert "HX-Request" in fragment.headers.get("Vary", "")


def test_filters_come_from_the_url(editor_client, tenant):
    factories.make_task(
        tenant.cluster, "Failed one", status=TaskStatus.FAILED, error="The AI server timed out"
    )
    factories.make_task(tenant.cluster, "Queued one", keywords="heat pump")
    db.session.commit()
    body = _html(editor_client.get("/tasks/?status=failed", headers=HX))
    assert "Failed one" in body and "Queued one" not in body
    assert "The AI server timed out" in body  # failed tasks show their error
    body = _html(editor_client.get("/tasks/?search=heat"))
    assert "Queued one" in body and "Failed one" not in body
    # the filter form shows the state of the URL
    assert 'name="search" value="heat"' in body


def test_ordering_both_directions_and_header_links(editor_client, tenant):
    for title in ("Bravo", "Alpha", "Charlie"):
        factories.make_task(tenant.cluster, title)
    db.session.commit()
    asc = _html(editor_client.get("/tasks/?ordering=title", headers=HX))
    assert asc.index("Alpha") < asc.index("Bravo") < asc.index("Charlie")
    assert 'aria-sort="ascending"' in asc
    assert "ordering=-title" in asc  # clicking the header again reverses
    desc = _html(editor_client.get("/tasks/?ordering=-title", headers=HX))
    assert desc.index("Charlie") < desc.index("Bravo") < desc.index("Alpha")


def test_page_sizes_and_pagination(editor_client, tenant):
    for n in range(60):
        factories.make_task(tenant.cluster, f"Task {n:02d}")
    db.session.commit()
    body = _html(editor_client.get("/tasks/?ordering=title&page_size=50", headers=HX))
    assert "Task 49" in body and "Task 50" not in body and "Page 1 of 2" in body
    assert "page=2" in body and "page_size=50" in body
    body = _html(editor_client.get("/tasks/?ordering=title&page_size=50&page=2", headers=HX))
    assert "Task 50" in body and "Task 59" in body and "Task 49" not in body


@pytest.mark.parametrize("query", ["status=nope", "ordering=colour", "page_size=500", "cluster_id=abc"])
def test_bad_filters_are_messages_not_errors(editor_client, query):
    full = editor_client.get(f"/tasks/?{query}")
    assert full.status_code == 400 and 'class="form-errors"' in _html(full)
    fragment = editor_client.get(f"/tasks/?{query}", headers=HX)
    assert fragment.status_code == 200 and 'class="form-errors"' in _html(fragment)


def test_list_query_count_does_not_grow_with_rows(editor_client, tenant):
    def measure() -> int:
        with count_queries() as q:
            response = editor_client.get("/tasks/?page_size=100&site_id=all")
        assert response.status_code == 200
        return q.count

    now = datetime.now(UTC)
    rows = [
        {
            "account_id": tenant.account.id,
            "site_id": tenant.site.id,
            "sector_id": tenant.sector.id,
            "cluster_id": tenant.cluster.id,
            "title": f"Bulk task {n}",
            "keywords": "a, b",
            "word_count": 900,
            "content_type": "post",
            "content_structure": "article",
            "status": "queued",
            "error": "",
            "description": "",
            "created_at": now - timedelta(seconds=n),
            "updated_at": now,
        }
        for n in range(500)
    ]
    db.session.execute(insert(Task), rows[:10])
    db.session.commit()
    ten = measure()
    db.session.execute(insert(Task), rows[10:])
    db.session.commit()
    five_hundred = measure()
    assert ten == five_hundred


def test_viewer_sees_no_edit_controls_and_posts_are_forbidden(client, tenant, login):
    task = factories.make_task(tenant.cluster, "Read only")
    db.session.commit()
    login(tenant.viewer)
    body = _html(client.get("/tasks/"))
    assert "Read only" in body
    assert 'name="ids"' not in body and "New task" not in body and "Move to trash" not in body
    assert "Export CSV" in body
    for url in ("/tasks/new", f"/tasks/{task.id}/edit", "/tasks/import"):
        assert client.get(url).status_code == 403
    for url in (
        "/tasks/new",
        f"/tasks/{task.id}/edit",
        f"/tasks/{task.id}/cancel",
        "/tasks/bulk/delete",
        "/tasks/bulk/restore",
        "/tasks/bulk/status",
        "/tasks/import",
    ):
        assert client.post(url, data={"ids": [task.id], "status": "completed"}).status_code == 403, url
    assert db.session.get(Task, task.id).status == TaskStatus.QUEUED


def test_other_accounts_ids_are_404(editor_client, other_tenant):
    theirs = factories.make_task(other_tenant.cluster)
    db.session.commit()
    assert editor_client.get(f"/tasks/{theirs.id}/edit").status_code == 404
    assert editor_client.post(f"/tasks/{theirs.id}/edit", data={"title": "x"}).status_code == 404
    assert editor_client.post(f"/tasks/{theirs.id}/cancel").status_code == 404
    for url in ("/tasks/bulk/delete", "/tasks/bulk/status", "/tasks/bulk/restore"):
        assert editor_client.post(url, data={"ids": [theirs.id], "status": "canceled"}).status_code == 404
    db.session.refresh(theirs)
    assert theirs.deleted_at is None and theirs.status == TaskStatus.QUEUED


def _form(tenant, **overrides):
    data = {
        "title": "Heat pump costs",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "keywords": "heat pump, heat pump cost",
        "word_count": "1200",
        "description": "",
    }
    data.update(overrides)
    return data


def test_create_task(editor_client, tenant):
    editor_client.post("/context", data={"context": f"{tenant.site.id}:{tenant.sector.id}"})
    page = _html(editor_client.get("/tasks/new"))
    # the form starts in the working site/sector
    assert re.search(
        rf'<option value="{tenant.sector.id}"\s+data-site-id="{tenant.site.id}"\s+selected>', page
    )
    response = editor_client.post("/tasks/new", data=_form(tenant))
    assert response.status_code == 303
    task = db.session.scalars(select(Task)).one()
    assert (task.title, task.content_structure, task.word_count) == ("Heat pump costs", "guide", 1200)
    assert "Saved “Heat pump costs”" in _html(editor_client.get(response.headers["Location"]))


def test_field_errors_never_500(editor_client, tenant):
    wind = factories.make_sector(tenant.site, "Wind")
    db.session.commit()
    response = editor_client.post("/tasks/new", data=_form(tenant, sector_id=wind.id))
    assert response.status_code == 422
    body = _html(response)
    assert 'id="cluster_id-error"' in body and "not to the task&#39;s sector" in body
    response = editor_client.post("/tasks/new", data=_form(tenant, title="", word_count="5", cluster_id=""))
    body = _html(response)
    assert response.status_code == 422
    assert "Give the task a title." in body and "between 100 and 10,000" in body
    response = editor_client.post("/tasks/new", data=_form(tenant, content_type="poem"), headers=HX)
    assert response.status_code == 200 and 'id="content_type-error"' in _html(response)
    assert "<html" not in _html(response)
    assert db.session.scalars(select(Task)).all() == []


def test_edit_task(editor_client, tenant):
    task = factories.make_task(tenant.cluster, "Old title", word_count=700)
    db.session.commit()
    page = _html(editor_client.get(f"/tasks/{task.id}/edit"))
    assert 'value="Old title"' in page and 'value="700"' in page
    response = editor_client.post(
        f"/tasks/{task.id}/edit?next=/tasks/%3Fstatus%3Dqueued", data=_form(tenant, title="New title")
    )
    assert response.status_code == 303 and response.headers["Location"] == "/tasks/?status=queued"
    db.session.refresh(task)
    assert (task.title, task.word_count) == ("New title", 1200)
    evil = editor_client.post(f"/tasks/{task.id}/edit?next=//evil.example", data=_form(tenant))
    assert evil.headers["Location"] == "/tasks/"


def test_bulk_delete_trash_and_restore(editor_client, tenant):
    a = factories.make_task(tenant.cluster, "Task A")
    b = factories.make_task(tenant.cluster, "Task B")
    db.session.commit()
    response = editor_client.post(
        "/tasks/bulk/delete", data={"ids": [a.id, b.id], "next": "/tasks/?ordering=title"}
    )
    assert response.status_code == 303 and response.headers["Location"] == "/tasks/?ordering=title"
    assert "Moved 2 tasks to the trash" in _html(editor_client.get("/tasks/"))
    assert "Task A" not in _html(editor_client.get("/tasks/", headers=HX))
    trash = _html(editor_client.get("/tasks/?trash=1"))
    assert "Task A" in trash and "Restore selected" in trash
    fragment = editor_client.post(
        "/tasks/bulk/restore", data={"ids": [a.id], "next": "/tasks/?trash=1"}, headers=HX
    )
    body = _html(fragment)
    assert fragment.status_code == 200 and "Restored 1 task." in body
    assert "Task B" in body and "Task A" not in body  # the trash view, refreshed
    db.session.expire_all()
    assert db.session.get(Task, a.id).deleted_at is None and db.session.get(Task, b.id).deleted_at is not None


def test_bulk_status_change_with_htmx(editor_client, tenant):
    a = factories.make_task(tenant.cluster, "Task A")
    b = factories.make_task(tenant.cluster, "Task B")
    db.session.commit()
    response = editor_client.post(
        "/tasks/bulk/status",
        data={"ids": [a.id, b.id], "status": "canceled", "next": "/tasks/?status=queued"},
        headers=HX,
    )
    body = _html(response)
    assert response.status_code == 200 and "Set 2 tasks to “canceled”." in body
    assert "Task A" not in body  # the list still filters on queued
    db.session.expire_all()
    assert {t.status for t in db.session.scalars(select(Task))} == {TaskStatus.CANCELED}
    # In progress and failed belong to generation: not offered, and refused when sent anyway.
    page = _html(editor_client.get("/tasks/"))
    bulk_select = page.split('id="bulk-status"', 1)[1].split("</select>", 1)[0]
    assert 'value="queued"' in bulk_select and 'value="in_progress"' not in bulk_select
    for system_state in ("in_progress", "failed"):
        refused = editor_client.post(
            "/tasks/bulk/status", data={"ids": [a.id], "status": system_state}, headers=HX
        )
        assert "set by generation" in _html(refused)
    db.session.expire_all()
    assert db.session.get(Task, a.id).status == TaskStatus.CANCELED
    # Completed means the content exists: tasks without content are refused, by name.
    refused = editor_client.post(
        "/tasks/bulk/status", data={"ids": [a.id], "status": "completed"}, headers=HX
    )
    assert "Only tasks with content can be completed" in _html(refused) and "Task A" in _html(refused)
    db.session.expire_all()
    assert db.session.get(Task, a.id).status == TaskStatus.CANCELED
    bad = editor_client.post("/tasks/bulk/status", data={"ids": [a.id], "status": "done"}, headers=HX)
    assert bad.status_code == 200 and "Unknown status" in _html(bad)
    none = editor_client.post("/tasks/bulk/status", data={"status": "queued"}, headers=HX)
    assert "Select at least one task." in _html(none)


def test_cancel(editor_client, tenant):
    queued = factories.make_task(tenant.cluster, "Queued", status=TaskStatus.QUEUED)
    running = factories.make_task(tenant.cluster, "Running", status=TaskStatus.IN_PROGRESS)
    done = factories.make_task(tenant.cluster, "Done", status=TaskStatus.COMPLETED)
    db.session.commit()
    body = _html(editor_client.get("/tasks/?ordering=title", headers=HX))
    # Nobody queued the planned task for generation: it reads as planned and has nothing to cancel.
    assert f"/tasks/{running.id}/cancel" in body and f"/tasks/{done.id}/cancel" not in body
    assert f"/tasks/{queued.id}/cancel" not in body and ">planned</span>" in body
    assert editor_client.post(f"/tasks/{running.id}/cancel").status_code == 303
    # The API's (and old clients') cancel of a queued task still works.
    assert editor_client.post(f"/tasks/{queued.id}/cancel").status_code == 303
    response = editor_client.post(f"/tasks/{done.id}/cancel", headers=HX)
    assert "only queued or in-progress tasks can be cancelled" in _html(response)
    db.session.expire_all()
    assert db.session.get(Task, queued.id).status == TaskStatus.CANCELED
    assert db.session.get(Task, running.id).status == TaskStatus.CANCELED
    assert db.session.get(Task, done.id).status == TaskStatus.COMPLETED


def test_task_rows_and_pages_link_to_their_content_and_back(editor_client, tenant):
    from tests.support.factories import make_content
    from writer_app.models import Job, JobStatus, Role
    from writer_app.services import audit

    task = factories.make_task(tenant.cluster, "Heat pumps", status=TaskStatus.COMPLETED)
    failed = factories.make_task(
        tenant.cluster, "Batteries", status=TaskStatus.FAILED, error="The model refused."
    )
    db.session.flush()
    audit.record(tenant.scope(Role.EDITOR), "task.create", task, title=task.title)
    content = make_content(tenant.cluster, "Heat pumps, the draft", task_id=task.id)
    job = Job(
        id="job-1234567890", account_id=tenant.account.id, user_id=tenant.editor.id, kind="generate_content",
        status=JobStatus.FINISHED, object_type="task", object_ids=[task.id, failed.id],
        result={"items": {str(task.id): {"status": "completed"}, str(failed.id): {"status": "failed", "error": "The model refused."}}},
    )  # fmt: skip
    db.session.add(job)
    db.session.commit()
    rows = _html(editor_client.get("/tasks/?ordering=title", headers=HX))
    assert f'href="/content/{content.id}"' in rows and "Heat pumps, the draft" in rows
    page = _html(editor_client.get(f"/tasks/{task.id}/edit"))
    assert f'href="/content/{content.id}"' in page
    assert (
        "Created" in page
        and "Generation started" in page
        and "Draft generated" in page
        and "job job-1234" in page
    )
    failed_page = _html(editor_client.get(f"/tasks/{failed.id}/edit"))
    assert "Generation failed" in failed_page and "The model refused." in failed_page
    back = _html(editor_client.get(f"/content/{content.id}"))
    assert f'href="/tasks/{task.id}/edit"' in back


def test_editors_get_the_generate_button_viewers_do_not(client, editor_client, tenant, login):
    factories.make_task(tenant.cluster)
    db.session.commit()
    body = _html(editor_client.get("/tasks/"))
    assert "Generate content" in body and 'formaction="/tasks/generate"' in body
    client.post("/logout")
    assert "Generate content" not in _html(login(tenant.viewer).get("/tasks/"))


def test_posts_need_the_csrf_token(editor_client, tenant, csrf_enabled):
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    response = editor_client.post("/tasks/bulk/delete", data={"ids": [task.id]})
    assert response.status_code == 400
    db.session.refresh(task)
    assert task.deleted_at is None


def test_working_context_is_the_default_site_filter(client, tenant, login):
    other_site = factories.make_site(tenant.account, "Other site")
    other_cluster = factories.make_cluster(factories.make_sector(other_site, "Other sector"))
    factories.make_task(tenant.cluster, "In my sector")
    factories.make_task(other_cluster, "Elsewhere")
    db.session.commit()
    login(tenant.editor)
    switched = client.post("/context", data={"context": f"{tenant.site.id}:{tenant.sector.id}"})
    assert switched.status_code == 303
    body = _html(client.get("/tasks/"))
    assert "In my sector" in body and "Elsewhere" not in body
    assert f"Working: {tenant.site.name} · {tenant.sector.name}" in body
    body = _html(client.get("/tasks/?site_id=all", headers=HX))
    assert "In my sector" in body and "Elsewhere" in body
    body = _html(client.get(f"/tasks/?site_id={other_site.id}", headers=HX))
    assert "In my sector" not in body and "Elsewhere" in body
