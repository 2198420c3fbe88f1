"""Settings › Audit log: admins only, filters (full page and htmx), pagination, account isolation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.support.queries import count_queries
from writer_app.models import AuditEvent, Role, db
from writer_app.services import audit, audit_log
from writer_app.services.audit_log import AuditFilters
from writer_app.services.errors import PermissionDenied, ValidationError
from writer_app.services.scope import Scope

HX = {"HX-Request": "true"}


def event(tenant, action: str, user=None, when: datetime | None = None, **details) -> AuditEvent:
    user = user or tenant.admin
    recorded = audit.record(
        Scope(tenant.account.id, Role.ADMIN, user.id),
        action,
        object_type=action.split(".")[0],
        object_id=1,
        **details,
    )
    if when is not None:
        recorded.created_at = when
    db.session.commit()
    return recorded


@pytest.fixture
def trail(tenant, other_tenant):
    now = datetime.now(UTC)
    event(tenant, "task.create", tenant.editor, now - timedelta(days=3), title="Solar roofs")
    event(tenant, "task.bulk_status", tenant.editor, now - timedelta(days=1), ids=[1, 2], status="completed")
    event(tenant, "image.bulk_status", tenant.reviewer, now, status="failed")
    event(tenant, "taxonomy.create", tenant.admin, now, name="Energy")
    event(other_tenant, "task.create", other_tenant.admin, now, title="Their secret task")
    return now


def test_admin_sees_the_account_trail_newest_first(client, login, tenant, trail):
    login(tenant.admin)
    response = client.get("/settings/audit/")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Audit log" in page and 'aria-current="page">Audit log' in page  # the settings sub-navigation
    assert page.index("image.bulk_status") < page.index("task.bulk_status") < page.index("task.create")
    assert "title=Solar roofs" in page and "ids=1, 2" in page
    assert tenant.editor.display_name in page
    assert "Their secret task" not in page


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.REVIEWER])
def test_non_admins_get_403(client, login, tenant, trail, role):
    login(tenant.users[role])
    assert client.get("/settings/audit/").status_code == 403
    assert client.get("/settings/audit/", headers=HX).status_code == 403


def test_anonymous_users_are_sent_to_login(client, trail):
    response = client.get("/settings/audit/")
    assert response.status_code == 302 and "/login" in response.location


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("action=task.", ["task.create", "task.bulk_status"], ["image.bulk_status", "taxonomy.create"]),
        ("action=task.bulk", ["task.bulk_status"], ["task.create"]),
        ("action=%25", [], ["task.create", "image.bulk_status"]),  # % is a literal, not a wildcard
        ("object_type=image", ["image.bulk_status"], ["task.create"]),
    ],
)
def test_filters(client, login, tenant, trail, query, shown, hidden):
    login(tenant.admin)
    body = client.get(f"/settings/audit/?{query}", headers=HX).get_data(as_text=True)
    assert body.lstrip().startswith('<div id="results"') and "<html" not in body
    for action in shown:
        assert f'class="audit-action">{action}<' in body
    for action in hidden:
        assert f'class="audit-action">{action}<' not in body


def test_user_and_date_filters(client, login, tenant, trail):
    login(tenant.admin)
    by_editor = client.get(f"/settings/audit/?user_id={tenant.editor.id}").get_data(as_text=True)
    assert "task.create" in by_editor and "image.bulk_status" not in by_editor
    yesterday = (trail - timedelta(days=1)).date().isoformat()
    ranged = client.get(f"/settings/audit/?date_from={yesterday}&date_to={yesterday}").get_data(as_text=True)
    assert 'class="audit-action">task.bulk_status<' in ranged
    assert 'class="audit-action">task.create<' not in ranged
    assert 'class="audit-action">image.bulk_status<' not in ranged


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("date_from=yesterday", "date like"),
        ("date_from=2026-02-02&date_to=2026-01-01", "before the start date"),
        ("user_id=abc", "whole number"),
        ("page=-1", "page starts at 1"),
    ],
)
def test_bad_filters_are_messages(client, login, tenant, trail, query, message):
    login(tenant.admin)
    full = client.get(f"/settings/audit/?{query}")
    assert full.status_code == 422 and message in full.get_data(as_text=True)
    fragment = client.get(f"/settings/audit/?{query}", headers=HX)
    assert fragment.status_code == 200 and message in fragment.get_data(as_text=True)


def test_pagination_keeps_the_filters(client, login, tenant):
    for n in range(60):
        event(tenant, "task.create", title=f"t{n}")
    event(tenant, "image.create")
    login(tenant.admin)
    page = client.get("/settings/audit/?action=task.").get_data(as_text=True)
    assert "Page 1 of 2" in page and "/settings/audit/?action=task.&amp;page=2" in page
    second = client.get("/settings/audit/?action=task.&page=2").get_data(as_text=True)
    assert second.count('class="audit-action">task.create<') == 10


def test_query_count_does_not_grow_with_rows(client, login, tenant):
    def add(n: int) -> None:
        users = [tenant.admin, tenant.editor, tenant.reviewer, tenant.viewer]
        for i in range(n):
            db.session.add(
                AuditEvent(
                    account_id=tenant.account.id,
                    user_id=users[i % 4].id,
                    action="task.create",
                    object_type="task",
                    object_id=i,
                    details={"n": i},
                )
            )
        db.session.commit()

    login(tenant.admin)
    add(10)
    db.session.expire_all()
    with count_queries() as few:
        assert client.get("/settings/audit/?page_size=100").status_code == 200
    add(490)
    db.session.expire_all()
    with count_queries() as many:
        response = client.get("/settings/audit/?page_size=100")
    assert response.get_data(as_text=True).count('class="audit-action"') == 100
    assert few.count == many.count, many.statements


def test_service_is_admin_only_and_scoped(tenant, other_tenant, trail):
    with pytest.raises(PermissionDenied):
        audit_log.list_events(tenant.scope(Role.REVIEWER), AuditFilters())
    page = audit_log.list_events(tenant.scope(Role.ADMIN), AuditFilters())
    assert page.total == 4
    assert all(e.account_id == tenant.account.id for e in page.items)
    assert audit_log.object_types(tenant.scope(Role.ADMIN)) == ["image", "task", "taxonomy"]
    with pytest.raises(ValidationError) as error:
        audit_log.list_events(tenant.scope(Role.ADMIN), AuditFilters(date_to="31/01/2026"))
    assert "date_to" in error.value.fields
