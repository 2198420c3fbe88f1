"""The outline endpoints: generate (a job), read with costs, replace and approve, then Generate
content writes from it; bad input names the field. The offline provider answers (no key)."""

from __future__ import annotations

from sqlalchemy import select

from tests.api.conftest import Api, error_fields
from tests.support import factories
from tests.support.factories import Tenant, make_task
from writer_app.models import Content, ContentProvenance, Role, db
from writer_app.services import credits


def test_generate_edit_approve_and_draft_from_the_outline(api: Api, tenant: Tenant) -> None:
    factories.add_credits(tenant.account, 100, "test")
    task = make_task(tenant.cluster, "Heat pumps for old houses", keywords="heat pumps")
    db.session.commit()
    url = f"/writer/tasks/{task.id}/outline/"

    empty = api.get(url, role=Role.VIEWER).get_json()
    assert empty["status"] == "none" and empty["sections"] == []
    assert empty["costs"]["outline"] == 2 and empty["costs"]["draft"] == 10

    job = api.post(url)
    assert job.status_code == 200 and job.get_json()["kind"] == "generate_outline"  # inline: no Redis
    outline = api.get(url).get_json()
    assert outline["status"] == "draft" and outline["model"] == "offline" and len(outline["sections"]) >= 3
    assert credits.balance(tenant.account.id) == 98

    sections = outline["sections"]
    edited = [{**sections[1], "heading": "Renamed"}, sections[0]]  # reorder, rename, remove the rest
    saved = api.put(url, json={"sections": edited, "approved": True})
    assert saved.status_code == 200, saved.get_json()
    body = saved.get_json()
    assert body["status"] == "approved" and body["sections"][0]["heading"] == "Renamed"
    assert body["costs"]["draft"] == 3 * 2 and body["costs"]["draft_calls"] == 3

    drafted = api.post("/writer/tasks/auto_generate_content/", json={"ids": [task.id]})
    assert drafted.status_code == 200 and drafted.get_json()["result"]["completed"] == [task.id]
    content = db.session.scalars(select(Content).where(Content.task_id == task.id)).one()
    assert content.html.index("<h2>Renamed</h2>") < content.html.index(f"<h2>{sections[0]['heading']}</h2>")
    assert db.session.get(ContentProvenance, content.id).outline[0]["heading"] == "Renamed"
    assert credits.balance(tenant.account.id) == 98 - 6


def test_bad_outline_input_is_400_naming_the_field(api: Api, tenant: Tenant) -> None:
    task = make_task(tenant.cluster)
    db.session.commit()
    url = f"/writer/tasks/{task.id}/outline/"

    typed = api.put(url, json={"sections": [{"heading": "Ok", "words": "many"}]})
    assert typed.status_code == 400 and "sections.0.words" in error_fields(typed)
    ranged = api.put(url, json={"sections": [{"heading": "Ok"}, {"heading": "", "images": 7}]})
    assert ranged.status_code == 400
    assert {"sections.1.heading", "sections.1.images"} <= set(error_fields(ranged))
    none = api.put(url, json={"sections": []})
    assert none.status_code == 400 and "sections" in error_fields(none)
    assert api.get(url).get_json()["status"] == "none"


def test_outline_roles_and_tenants(api: Api, tenant: Tenant, other_tenant: Tenant) -> None:
    task = make_task(tenant.cluster)
    foreign = make_task(other_tenant.cluster)
    db.session.commit()

    assert (
        api.put(f"/writer/tasks/{task.id}/outline/", role=Role.VIEWER, json={"sections": []}).status_code
        == 403
    )
    assert api.post(f"/writer/tasks/{task.id}/outline/", role=Role.VIEWER).status_code == 403
    assert api.get(f"/writer/tasks/{foreign.id}/outline/").status_code == 404
    assert api.post(f"/writer/tasks/{foreign.id}/outline/").status_code == 404


def test_generate_outline_without_credits_is_402(api: Api, tenant: Tenant) -> None:
    task = make_task(tenant.cluster)
    db.session.commit()
    assert api.post(f"/writer/tasks/{task.id}/outline/").status_code == 402
