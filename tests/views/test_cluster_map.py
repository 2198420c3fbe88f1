"""A cluster's page: its hub, supporting and attribute content; editors change roles (one hub)."""

from __future__ import annotations

import re

import pytest

from tests.support import factories
from tests.support.queries import count_queries
from writer_app.models import ClusterRole, Role, db
from writer_app.services import content as content_service
from writer_app.services.clusters import cluster_map

HX = {"HX-Request": "true"}


def _piece(tenant, title, structure="article"):
    content = content_service.create_content(
        tenant.scope(Role.EDITOR),
        title=title,
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure=structure,
        primary_keyword=f"{title.lower()} keyword",
    )
    db.session.commit()
    return content, cluster_map.entry_of_content(content.id)


def _html(response) -> str:
    return response.get_data(as_text=True)


def _section(page: str, heading: str) -> str:
    match = re.search(rf'<h2 id="map-{heading}">.*?</section>', page, re.S)
    assert match, heading
    return match.group(0)


def test_page_shows_the_hub_and_its_pieces(client, tenant, login):
    _piece(tenant, "Solar hub", "cluster_hub")
    _piece(tenant, "Panel costs")
    _, attribute = _piece(tenant, "Panel sizes")
    cluster_map.set_role(tenant.scope(Role.EDITOR), attribute.id, "attribute")
    trashed, _ = _piece(tenant, "Old piece")
    content_service.delete_content(tenant.scope(Role.EDITOR), trashed.id)
    db.session.commit()
    login(tenant.viewer)
    page = _html(client.get(f"/clusters/{tenant.cluster.id}"))
    assert "Solar hub" in _section(page, "hub") and "Panel costs" in _section(page, "supporting")
    assert "Panel sizes" in _section(page, "attribute") and "Old piece" not in page
    assert "<form" not in _section(page, "hub")  # viewers read only
    index = _html(client.get("/clusters/?site_id=all"))
    assert f'href="/clusters/{tenant.cluster.id}"' in index


def test_editor_changes_a_role_and_a_second_hub_is_refused(client, tenant, login):
    _, hub = _piece(tenant, "Solar hub", "cluster_hub")
    _, other = _piece(tenant, "Panel costs")
    login(tenant.editor)
    url = f"/clusters/{tenant.cluster.id}/map/{other.id}/role"
    response = client.post(url, data={"role": "hub"})
    assert response.status_code == 303 and response.headers["Location"].endswith(
        f"/clusters/{tenant.cluster.id}"
    )
    page = _html(client.get(response.headers["Location"]))
    assert "already has a hub on this site: “Solar hub”" in page
    db.session.expire_all()
    assert (cluster_map.get_entry(tenant.scope(), other.id).role, hub.role) == (ClusterRole.SUPPORTING, "hub")

    # htmx: the refreshed map with the outcome, in place.
    client.post(f"/clusters/{tenant.cluster.id}/map/{hub.id}/role", data={"role": "supporting"}, headers=HX)
    fragment = _html(client.post(url, data={"role": "hub"}, headers=HX))
    assert fragment.lstrip().startswith('<div id="cluster-map"') and "<html" not in fragment
    assert "“Panel costs” is now hub." in fragment and "Panel costs" in _section(fragment, "hub")
    response = client.post(url, data={"role": "owner"}, headers=HX)
    assert "Not a valid choice" in _html(response)


@pytest.fixture
def editor_client(client, tenant, login):
    return login(tenant.editor)


def test_role_form_labels_and_csrf(editor_client, tenant, csrf_enabled):
    client = editor_client
    _, entry = _piece(tenant, "Panel costs")
    page = _html(client.get(f"/clusters/{tenant.cluster.id}"))
    assert f'<label for="role-{entry.id}" class="visually-hidden">Role of “Panel costs”</label>' in page
    assert 'name="csrf_token"' in page
    url = f"/clusters/{tenant.cluster.id}/map/{entry.id}/role"
    assert client.post(url, data={"role": "attribute"}).status_code == 400  # no CSRF token
    db.session.expire_all()
    assert cluster_map.get_entry(tenant.scope(), entry.id).role == ClusterRole.SUPPORTING


@pytest.mark.parametrize("who", ["viewer", "other"])
def test_others_cannot_change_roles(client, tenant, other_tenant, login, who):
    _, entry = _piece(tenant, "Panel costs")
    login(tenant.viewer if who == "viewer" else other_tenant.editor)
    response = client.post(f"/clusters/{tenant.cluster.id}/map/{entry.id}/role", data={"role": "hub"})
    assert response.status_code == (403 if who == "viewer" else 404)


def test_an_entry_through_another_cluster_is_not_found(client, tenant, login):
    _, entry = _piece(tenant, "Panel costs")
    other_cluster = factories.make_cluster(tenant.sector, "Elsewhere")
    db.session.commit()
    login(tenant.editor)
    url = f"/clusters/{other_cluster.id}/map/{entry.id}/role"
    assert client.post(url, data={"role": "hub"}).status_code == 404
    assert client.get(f"/clusters/{other_cluster.id}").status_code == 200


def test_page_queries_do_not_grow_with_content(client, tenant, login):
    login(tenant.editor)
    url = f"/clusters/{tenant.cluster.id}"

    def run() -> int:
        db.session.expire_all()
        with count_queries() as q:
            assert client.get(url).status_code == 200
        return q.count

    _piece(tenant, "First")
    few = run()
    for n in range(8):
        _piece(tenant, f"Piece {n}")
    assert run() == few
