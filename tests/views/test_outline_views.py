"""The outline on the task page (offline provider, jobs inline): costs shown before each AI action,
generate, edit without JavaScript (add, remove, move, rename), field errors, approve, draft; the
site's "outline first" switch."""

from __future__ import annotations

import re

from sqlalchemy import select

from tests.support import factories
from tests.support.factories import Tenant, make_task
from writer_app.models import Content, Role, db
from writer_app.services import credits, generation


def form_of(outline: list[dict]) -> dict[str, str]:
    data: dict[str, str] = {}
    for n, s in enumerate(outline):
        data |= {
            f"sections-{n}-heading": s["heading"],
            f"sections-{n}-note": s.get("note", ""),
            f"sections-{n}-words": str(s.get("words", 200)),
            f"sections-{n}-images": str(s.get("images", 0)),
            f"sections-{n}-subheadings": "\n".join(s.get("subheadings", [])),
            f"sections-{n}-links": "\n".join(s.get("links", [])),
        }
        if s.get("keyphrase"):
            data[f"sections-{n}-keyphrase"] = "y"
    return data


def headings(tenant: Tenant, task_id: int) -> list[str]:
    db.session.expire_all()
    return [s["heading"] for s in generation.get_outline(tenant.scope(), task_id).sections]


def test_the_task_page_shows_costs_generates_and_edits_the_outline(tenant: Tenant, login) -> None:
    factories.add_credits(tenant.account, 100, "test")
    task = make_task(tenant.cluster, "Garden sheds", keywords="garden sheds")
    db.session.commit()
    client = login(tenant.editor)
    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert "Generate outline · 2 credits" in page and "No outline yet" in page
    assert "Generate content without outline · 10 credits" in page

    response = client.post(f"/tasks/{task.id}/outline/generate")
    assert response.status_code == 303
    job_page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Generate outline" in job_page and "finished" in job_page
    assert credits.balance(tenant.account.id) == 98
    sections = generation.get_outline(tenant.scope(), task.id).sections
    first = sections[0]["heading"]
    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert "Not approved yet" in page and f'value="{first}"' in page

    # Move the second section up, with a typed rename kept: every button submits the whole form.
    data = form_of(sections) | {"sections-1-heading": "Renamed", "action": "up-1"}
    response = client.post(f"/tasks/{task.id}/outline", data=data)
    assert response.status_code == 303 and response.headers["Location"].endswith("#outline")
    assert headings(tenant, task.id)[:2] == ["Renamed", first]

    outline = generation.get_outline(tenant.scope(), task.id).sections
    client.post(f"/tasks/{task.id}/outline", data=form_of(outline) | {"action": "add"})
    assert headings(tenant, task.id)[-1] == "New section"
    outline = generation.get_outline(tenant.scope(), task.id).sections
    client.post(f"/tasks/{task.id}/outline", data=form_of(outline) | {"action": "remove-0"})
    assert "Renamed" not in headings(tenant, task.id)

    outline = generation.get_outline(tenant.scope(), task.id).sections
    response = client.post(f"/tasks/{task.id}/outline", data=form_of(outline) | {"action": "approve"})
    assert response.status_code == 303
    page = client.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    calls = len(outline) + 1
    assert f"Generate draft from outline · {2 * calls} credits" in page and "Approved" in page
    assert "<strong>Outline generated</strong>" in page and "<strong>Outline approved</strong>" in page

    client.post("/tasks/generate", data={"ids": [str(task.id)]})
    content = db.session.scalars(select(Content).where(Content.task_id == task.id)).one()
    assert re.findall(r"<h2>(.*?)</h2>", content.html) == [s["heading"] for s in outline]
    assert credits.balance(tenant.account.id) == 98 - 2 * calls


def test_bad_outline_input_shows_field_errors_and_keeps_what_was_typed(tenant: Tenant, login) -> None:
    task = make_task(tenant.cluster)
    db.session.commit()
    client = login(tenant.editor)
    data = form_of([{"heading": "Fine"}, {"heading": "Kept text"}]) | {
        "sections-0-words": "lots",
        "sections-1-heading": "",
        "sections-1-images": "9",
        "sections-1-links": "not a url",
        "sections-1-note": "typed note",
        "action": "save",
    }

    response = client.post(f"/tasks/{task.id}/outline", data=data)

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert 'role="alert"' in page and "Please fix the outline fields" in page
    for fid in ("sections-0-words", "sections-1-heading", "sections-1-images", "sections-1-links"):
        assert f'aria-describedby="{fid}-error"' in page and f'id="{fid}-error"' in page
    assert 'value="typed note"' in page and 'value="lots"' in page
    assert generation.get_outline(tenant.scope(), task.id) is None


def test_viewers_cannot_edit(tenant: Tenant, login) -> None:
    task = make_task(tenant.cluster)
    db.session.commit()
    viewer = login(tenant.users[Role.VIEWER])
    assert viewer.post(f"/tasks/{task.id}/outline", data={"action": "add"}).status_code == 403
    assert viewer.post(f"/tasks/{task.id}/outline/generate").status_code == 403
    assert viewer.get(f"/tasks/{task.id}/outline").status_code == 200


def test_other_accounts_tasks_are_404(tenant: Tenant, other_tenant: Tenant, login) -> None:
    theirs = make_task(other_tenant.cluster)
    db.session.commit()
    editor = login(tenant.editor)
    assert editor.get(f"/tasks/{theirs.id}/outline").status_code == 404
    assert editor.post(f"/tasks/{theirs.id}/outline", data={"action": "add"}).status_code == 404
    assert editor.post(f"/tasks/{theirs.id}/outline/generate").status_code == 303  # refused, with a message
    assert generation.get_outline(other_tenant.scope(), theirs.id) is None


def test_outline_first_site_setting_refuses_generate_content_clearly(tenant: Tenant, login) -> None:
    factories.add_credits(tenant.account, 100, "test")
    task = make_task(tenant.cluster, "Planned piece")
    db.session.commit()
    admin = login(tenant.users[Role.ADMIN])
    assert "AI drafting" in admin.get("/settings/sites").get_data(as_text=True)
    response = admin.post(f"/settings/sites/{task.site_id}/ai-drafting", data={"outline_first": "y"})
    assert response.status_code == 303
    assert generation.outline_first(db.session.get(type(task.site), task.site_id))

    editor = admin  # admins edit tasks too (the test client keeps one login)
    page = editor.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert "outline first" in page and "Approve an outline first." in page
    response = editor.post("/tasks/generate", data={"ids": [str(task.id)], "next": "/tasks/"})
    assert response.status_code == 303
    flashed = editor.get("/tasks/").get_data(as_text=True)
    assert "Outline first is on for this site" in flashed and "Planned piece" in flashed
    assert credits.balance(tenant.account.id) == 100


def test_only_admins_switch_outline_first(tenant: Tenant, login) -> None:
    editor = login(tenant.editor)
    assert (
        editor.post(f"/settings/sites/{tenant.site.id}/ai-drafting", data={"outline_first": "y"}).status_code
        == 403
    )
    assert not generation.outline_first(tenant.site)


def test_ai_buttons_show_their_price(tenant: Tenant, login) -> None:
    make_task(tenant.cluster)
    db.session.commit()
    page = login(tenant.editor).get("/tasks/").get_data(as_text=True)
    assert "10 credits per task (2 per section with an approved outline)" in page
