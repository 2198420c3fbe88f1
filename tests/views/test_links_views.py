"""The content page's links panel (suggested links inserted with one click, the dead-link check), the
brand voice settings page, and keyphrase overlap warnings when planning tasks."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import select

from tests.support.factories import PASSWORD, Tenant, make_content, make_task
from tests.support.local_http import closed_port, local_server
from writer_app.models import Content, ContentStatus, Revision, Role, db
from writer_app.services import site_checks
from writer_app.services.review.gate import PublishBlocked, publish_gate
from writer_app.services.voice import style_guide

BASE = "https://blog.example.com"


@pytest.fixture
def loopback_allowed(app: Flask) -> Iterator[None]:
    saved = app.config.get("WORDPRESS_ALLOW_PRIVATE_HOSTS")
    app.config["WORDPRESS_ALLOW_PRIVATE_HOSTS"] = "127.0.0.1"
    yield
    app.config["WORDPRESS_ALLOW_PRIVATE_HOSTS"] = saved


def _target(tenant: Tenant) -> Content:
    tenant.site.wp_url = BASE
    return make_content(
        tenant.cluster,
        "Panel cleaning guide",
        status=ContentStatus.PUBLISHED,
        external_url=f"{BASE}/panel-cleaning/",
        primary_keyword="panel cleaning",
    )


def test_suggested_links_list_real_pages_and_insert_one_with_a_revision(
    app, client, login, tenant: Tenant
) -> None:
    _target(tenant)
    content = make_content(
        tenant.cluster, "Solar care", html="<h2>Panel cleaning</h2><p>Regular panel cleaning helps.</p>"
    )
    db.session.commit()
    editor = login(tenant.editor)

    panel = editor.get(f"/content/{content.id}/links", headers={"HX-Request": "true"}).get_data(as_text=True)
    assert "Suggested links" in panel and "“panel cleaning”" in panel and f"{BASE}/panel-cleaning/" in panel

    response = editor.post(
        f"/content/{content.id}/links/insert",
        data={"url": f"{BASE}/panel-cleaning/", "anchor": "panel cleaning", "version": content.version},
    )

    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/content/{content.id}#links"
    )
    db.session.expire_all()
    saved = db.session.get(Content, content.id)
    assert saved.html == (
        "<h2>Panel cleaning</h2><p>Regular "
        f'<a href="{BASE}/panel-cleaning/" rel="noopener noreferrer">panel cleaning</a> helps.</p>'
    )
    latest = db.session.scalars(
        select(Revision).where(Revision.content_id == content.id).order_by(Revision.number.desc())
    ).first()
    assert latest.note == "Inserted a link to “Panel cleaning guide”"
    page = editor.get(f"/content/{content.id}", follow_redirects=True).get_data(as_text=True)
    assert "Linked “panel cleaning”" in page
    # Linked now: no longer suggested; a URL outside the inventory cannot be inserted.
    assert (
        f"{BASE}/panel-cleaning/"
        not in editor.get(f"/content/{content.id}/links")
        .get_data(as_text=True)
        .split("Link check")[0]
        .split("Suggested links")[1]
    )
    refused = editor.post(
        f"/content/{content.id}/links/insert",
        data={"url": "https://made.up/", "anchor": "Regular", "version": saved.version},
        follow_redirects=True,
    )
    assert "The link was not inserted" in refused.get_data(as_text=True)
    viewer = _client_for(app, tenant.viewer)
    assert viewer.post(f"/content/{content.id}/links/insert", data={}).status_code == 403


def test_dead_links_fail_a_check_shown_with_the_others(
    client, login, tenant: Tenant, loopback_allowed
) -> None:
    with local_server(status=404) as dead, local_server(status=200) as alive:
        html = (
            f'<p>See <a href="{dead.url}/gone">this</a>, <a href="{alive.url}/ok">that</a> and '
            f'<a href="http://127.0.0.1:{closed_port()}/x">nothing</a>.</p>'
        )
        content = make_content(tenant.cluster, "Links", html=html)
        db.session.commit()
        editor = login(tenant.editor)

        response = editor.post(f"/content/{content.id}/links/check", follow_redirects=True)

        body = response.get_data(as_text=True)
        assert "2 of 3 links are dead" in body
        assert any(hit.endswith("/gone") for hit in dead.hits) and alive.hits
    db.session.expire_all()
    assert db.session.get(Content, content.id).version == 1  # bookkeeping, not an edit: open forms stay valid
    checks = editor.get(f"/content/{content.id}/checks").get_data(as_text=True)
    assert "Dead links" in checks and "Writer's own" in checks and f"{dead.url}/gone" in checks
    panel = editor.get(f"/content/{content.id}/links").get_data(as_text=True)
    assert "404" in panel and "connection refused or failed" in panel


def test_publishing_checks_links_and_a_required_dead_link_check_blocks(
    tenant: Tenant, loopback_allowed
) -> None:
    site_checks.update_site_checks(tenant.scope(Role.ADMIN), tenant.site.id, {"dead_links": "required"})
    with local_server(status=500) as broken:
        content = make_content(tenant.cluster, "Broken", html=f'<p>A <a href="{broken.url}/a">link</a>.</p>')
        db.session.commit()
        with pytest.raises(PublishBlocked) as blocked:
            publish_gate(tenant.scope(Role.REVIEWER), content)
    assert "dead_links" in [c.key for c in blocked.value.failing]


def _client_for(app: Flask, user) -> FlaskClient:
    other = app.test_client()
    assert other.post("/login", data={"email": user.email, "password": PASSWORD}).status_code == 303
    return other


def test_brand_voice_page_admins_edit_others_read(app, client, login, tenant: Tenant) -> None:
    admin = login(tenant.admin)
    response = admin.post(
        f"/settings/sites/{tenant.site.id}/voice",
        data={"tone": "Calm", "avoid": "synergy", "allowed_outbound": "energy.gov"},
    )
    assert response.status_code == 303
    page = admin.get(response.headers["Location"]).get_data(as_text=True)
    assert "style guide version 1" in page and "energy.gov" in page
    bad = admin.post(f"/settings/sites/{tenant.site.id}/voice", data={"allowed_outbound": "nope nope"})
    assert bad.status_code == 422 and "neither a domain" in bad.get_data(as_text=True)
    viewer = _client_for(app, tenant.viewer)
    assert "synergy" in viewer.get(f"/settings/sites/{tenant.site.id}/voice").get_data(as_text=True)
    assert viewer.post(f"/settings/sites/{tenant.site.id}/voice", data={"tone": "x"}).status_code == 403
    db.session.expire_all()
    assert style_guide.site_style_guide(tenant.scope(), tenant.site.id).tone == "Calm"


def test_words_to_avoid_show_with_the_checks(client, login, tenant: Tenant) -> None:
    style_guide.save_style_guide(tenant.scope(Role.ADMIN), tenant.site.id, avoid="synergy")
    content = make_content(tenant.cluster, "Buzz", html="<p>Solar panels bring synergy.</p>")
    db.session.commit()
    checks = login(tenant.editor).get(f"/content/{content.id}/checks").get_data(as_text=True)
    assert "Words to avoid" in checks and "“synergy” (1×)" in checks


def _task_data(tenant: Tenant, **values) -> dict:
    data = {
        "title": "Another solar piece",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "article",
        "word_count": 800,
        "keywords": "Solar Panel, roofs",
        "description": "",
    }
    return data | values


def test_the_task_form_warns_about_keyphrase_overlap(client, login, tenant: Tenant) -> None:
    existing = make_content(tenant.cluster, "Solar panels explained", primary_keyword="solar panels")
    db.session.commit()
    editor = login(tenant.editor)

    invalid = editor.post("/tasks/new", data=_task_data(tenant, title=""))
    assert invalid.status_code == 422
    assert (
        f"Content “Solar panels explained” (#{existing.id}) already targets “solar panels”."
        in invalid.get_data(as_text=True).replace("&#34;", '"')
    )

    created = editor.post("/tasks/new", data=_task_data(tenant), follow_redirects=True)
    body = created.get_data(as_text=True)
    assert created.status_code == 200 and "flash-warning" in body and "already targets" in body

    task = make_task(tenant.cluster, "Edit me", keywords="solar panels")
    db.session.commit()
    edit = editor.get(f"/tasks/{task.id}/edit").get_data(as_text=True)
    assert "Keyphrase used before on this site" in edit and f"(#{existing.id})" in edit
    assert f"Task “Edit me” (#{task.id})" not in edit  # not warned about itself


def test_the_csv_preview_warns_about_keyphrase_overlap(client, login, tenant: Tenant) -> None:
    make_task(tenant.cluster, "Planned already", keywords="heat pumps")
    db.session.commit()
    text = (
        "title,keywords,cluster,content_type,content_structure,word_count\n"
        f"Heat pump costs,heat pump,{tenant.cluster.name},post,article,800\n"
        f"Wind basics,wind,{tenant.cluster.name},post,article,800\n"
        f"Wind again,Wind,{tenant.cluster.name},post,article,800\n"
    )
    response = login(tenant.editor).post(
        "/tasks/import",
        data={"site_id": tenant.site.id, "sector_id": tenant.sector.id, "text": text, "action": "preview"},
    )
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "ready to import" in body  # warnings never block
    assert "Warning: Task “Planned already”" in body and "already targets “heat pumps”" in body
    assert "Warning: Line 3 of this file already targets “Wind”." in body


def test_the_link_check_never_contacts_private_addresses_unless_allowed(
    client, login, tenant: Tenant
) -> None:
    with local_server(status=200) as private:
        content = make_content(tenant.cluster, "Private", html=f'<p><a href="{private.url}/admin">x</a></p>')
        db.session.commit()
        body = login(tenant.editor).post(f"/content/{content.id}/links/check", follow_redirects=True)
        assert "1 of 1 links are dead" in body.get_data(as_text=True)
        assert private.connections == 0
    panel = login(tenant.editor).get(f"/content/{content.id}/links").get_data(as_text=True)
    assert "address not allowed (private or reserved)" in panel
