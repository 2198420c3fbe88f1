"""A cluster's page in the browser: an editor changes a role in place (htmx), a second hub is refused."""

from __future__ import annotations

from tests.support import factories
from writer_app.models import ClusterRole, Role, db
from writer_app.services.clusters import cluster_map


def test_role_change_in_place_and_the_second_hub(page, tenant, web_login):
    scope = tenant.scope(Role.EDITOR)
    hub = factories.make_content(tenant.cluster, "Solar hub")
    piece = factories.make_content(tenant.cluster, "Panel costs")
    hub_entry = cluster_map.track_content(scope, hub)
    piece_entry = cluster_map.track_content(scope, piece)
    cluster_map.set_role(scope, hub_entry.id, ClusterRole.HUB)
    db.session.commit()
    web_login(tenant.editor)
    page.goto(f"/clusters/{tenant.cluster.id}")
    address = page.url

    page.get_by_label("Role of “Panel costs”").select_option("attribute")
    page.get_by_role("button", name="Change the role of “Panel costs”").click()
    page.get_by_text("“Panel costs” is now attribute.").wait_for()
    assert "Panel costs" in page.locator("section", has=page.locator("#map-attribute")).inner_text()
    assert page.url == address  # changed in place

    page.get_by_label("Role of “Panel costs”").select_option("hub")
    page.get_by_role("button", name="Change the role of “Panel costs”").click()
    page.get_by_text("already has a hub on this site: “Solar hub”").wait_for()
    db.session.expire_all()
    assert cluster_map.get_entry(scope, piece_entry.id).role == ClusterRole.ATTRIBUTE
