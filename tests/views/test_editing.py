"""The editor's background endpoints (autosave, post lock) and saving in place: JSON for editor.js, form
fallbacks without JavaScript, CSRF, roles and tenancy."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import select

from tests.support import factories
from writer_app.models import Content, ContentAutosave, Role, db
from writer_app.services.review.revisions import snapshot

JSON = {"Accept": "application/json"}


@pytest.fixture
def content(tenant: factories.Tenant) -> Content:
    content = factories.make_content(tenant.cluster, "Heat pumps", html="<p>Saved text.</p>")
    snapshot(tenant.scope(Role.EDITOR), content, "Created")
    db.session.commit()
    return content


def _autosave(client, content, **fields):
    return client.post(
        f"/content/{content.id}/autosave", json={"fields": fields, "version": content.version, "revision": 1}
    )


def _slots() -> list[ContentAutosave]:
    db.session.expire_all()
    return list(db.session.scalars(select(ContentAutosave)))


def test_autosave_is_offered_restored_and_discarded(client, login, tenant, content):
    login(tenant.editor)
    response = _autosave(client, content, html="<p>Unsaved words.</p>", meta_title="Unsaved title")
    assert response.status_code == 200 and "saved_at" in response.get_json()
    assert db.session.get(Content, content.id).html == "<p>Saved text.</p>"

    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "You have unsaved changes from" in page and "Unsaved words." not in page
    restored = client.get(f"/content/{content.id}?autosave=restore").get_data(as_text=True)
    assert "Unsaved words." in restored and 'value="Unsaved title"' in restored
    assert 'data-restored="html meta_title"' in restored
    assert 'name="version" type="hidden" value="1"' in restored

    response = client.post(f"/content/{content.id}/autosave/discard")
    assert response.status_code == 303 and response.location.endswith(f"/content/{content.id}")
    assert _slots() == []
    assert "You have unsaved changes" not in client.get(f"/content/{content.id}").get_data(as_text=True)


def test_an_explicit_save_clears_the_slot_and_answers_json_for_the_editor(client, login, tenant, content):
    login(tenant.editor)
    _autosave(client, content, html="<p>Unsaved words.</p>")
    form = {"title": "Heat pumps", "html": "<p>Saved again.</p>", "version": "1", "revision": "1"}
    response = client.post(f"/content/{content.id}", data=form, headers=JSON)
    assert response.status_code == 200
    assert response.get_json() == {
        "message": "Saved. A new revision was stored.",
        "version": 2,
        "revision": 2,
    }
    assert _slots() == []
    # The same stale save again: refused (409) and nothing changed; editor.js then posts the form natively.
    response = client.post(f"/content/{content.id}", data=form | {"html": "<p>Stale.</p>"}, headers=JSON)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "conflict"
    response = client.post(f"/content/{content.id}", data=form | {"title": "", "version": "2"}, headers=JSON)
    assert response.status_code == 422
    assert db.session.get(Content, content.id).html == "<p>Saved again.</p>"


def test_a_form_error_shows_a_summary_linking_to_the_wrong_field(client, login, tenant, content):
    login(tenant.editor)
    page = client.post(f"/content/{content.id}", data={"title": "", "version": "1"}).get_data(as_text=True)
    summary = re.search(r'<div class="form-errors error-summary".*?</div>', page, re.S)
    assert summary and '<a href="#title">Title</a>' in summary.group(0)
    assert 'id="title"' in page and 'aria-invalid="true"' in page


def test_bad_autosaves_are_field_errors(client, login, tenant, content):
    login(tenant.editor)
    response = _autosave(client, content, title="x" * 300)
    assert response.status_code == 400 and "title" in response.get_json()["error"]["fields"]
    assert client.post(f"/content/{content.id}/autosave", data="nope").status_code == 400
    assert _slots() == []


def test_the_lock_heartbeat_and_take_over(client, login, tenant, content):
    login(tenant.editor)
    assert client.post(f"/content/{content.id}/lock").get_json()["state"] == "mine"
    client.post("/logout")
    login(tenant.reviewer)
    assert client.post(f"/content/{content.id}/lock").get_json()["state"] == "held"
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert f"{tenant.editor.display_name} is editing this content" in page
    assert re.search(r"<fieldset[^>]*data-editor-fields[^>]*disabled", page)
    response = client.post(f"/content/{content.id}/lock/take-over")  # the form, without JavaScript
    assert response.status_code == 303
    assert "is editing this content" not in client.get(f"/content/{content.id}").get_data(as_text=True)
    client.post("/logout")
    login(tenant.editor)
    told = client.post(f"/content/{content.id}/lock").get_json()
    assert told["state"] == "taken_over" and told["holder"] == tenant.reviewer.display_name
    assert "took over editing" in client.get(f"/content/{content.id}").get_data(as_text=True)


@pytest.mark.parametrize(
    "path", ["/autosave", "/autosave/discard", "/lock", "/lock/take-over", "/lock/release"]
)
def test_viewers_are_refused_and_other_accounts_see_nothing(
    client, login, tenant, other_tenant, content, path
):
    login(tenant.viewer)
    assert client.post(f"/content/{content.id}{path}", json={}).status_code == 403
    client.post("/logout")
    login(other_tenant.admin)
    assert client.post(f"/content/{content.id}{path}", json={"fields": {}, "version": 1}).status_code == 404


def test_autosave_and_heartbeat_need_the_csrf_header(client, tenant, content, csrf_enabled):
    login_page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', login_page).group(1)
    client.post(
        "/login", data={"email": tenant.editor.email, "password": factories.PASSWORD, "csrf_token": token}
    )
    g.pop("csrf_token", None)  # the fixture's app context keeps the login page's token (see test_validation)
    assert _autosave(client, content, title="x").status_code == 400
    assert client.post(f"/content/{content.id}/lock").status_code == 400
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    header_token = re.search(r'"X-CSRFToken": "([^"]+)"', page).group(1)
    response = client.post(
        f"/content/{content.id}/autosave",
        json={"fields": {"title": "x"}, "version": 1},
        headers={"X-CSRFToken": header_token},
    )
    assert response.status_code == 200
    assert (
        client.post(f"/content/{content.id}/lock", headers={"X-CSRFToken": header_token}).status_code == 200
    )
