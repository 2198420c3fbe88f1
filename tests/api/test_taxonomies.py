"""/api/v1/writer/taxonomies/: everyone reads, admins write; site required, sector optional."""

from __future__ import annotations

import pytest

from tests.api.conftest import error_fields
from tests.support import factories
from writer_app.models import ContentTaxonomy, Role, db
from writer_app.services import content_terms, taxonomies

URL = "/writer/taxonomies/"


def _term(tenant, name="News", kind="category", **kwargs):
    term = taxonomies.create_taxonomy(
        tenant.scope(), site_id=tenant.site.id, name=name, taxonomy_type=kind, **kwargs
    )
    db.session.commit()
    return term


def test_admin_creates_with_site_and_optional_sector(api, tenant):
    body = {"site_id": tenant.site.id, "name": "Solar News", "taxonomy_type": "category"}
    response = api.post(URL, json=body, role=Role.ADMIN)
    assert response.status_code == 201, response.get_json()
    term = response.get_json()
    assert (
        term["slug"] == "solar-news" and term["sector_id"] is None and term["site_name"] == tenant.site.name
    )
    assert term["sync_status"] == "none" and term["external_id"] is None
    body = {"site_id": tenant.site.id, "sector_id": tenant.sector.id, "name": "Tips", "taxonomy_type": "tag"}
    assert api.post(URL, json=body, role=Role.ADMIN).get_json()["sector_id"] == tenant.sector.id


@pytest.mark.parametrize("role", [Role.VIEWER, Role.EDITOR, Role.REVIEWER])
def test_only_admins_write(api, tenant, role):
    term = _term(tenant)
    item = f"{URL}{term.id}/"
    body = {"site_id": tenant.site.id, "name": "X", "taxonomy_type": "tag"}
    assert api.post(URL, json=body, role=role).status_code == 403
    assert api.patch(item, json={"name": "Y"}, role=role).status_code == 403
    assert api.put(item, json={"name": "Y", "taxonomy_type": "tag"}, role=role).status_code == 403
    assert api.delete(item, role=role).status_code == 403
    assert api.get(item, role=role).status_code == 200
    assert api.get(URL, role=role).get_json()["count"] == 1


def test_validation(api, tenant, other_tenant):
    admin = {"role": Role.ADMIN}
    response = api.post(URL, json={"name": "No site", "taxonomy_type": "tag"}, **admin)
    assert response.status_code == 400 and "site_id" in error_fields(response)
    response = api.post(URL, json={"site_id": tenant.site.id, "name": "X", "taxonomy_type": "label"}, **admin)
    assert "taxonomy_type" in error_fields(response)
    response = api.post(
        URL, json={"site_id": other_tenant.site.id, "name": "X", "taxonomy_type": "tag"}, **admin
    )
    assert response.status_code == 400 and "site_id" in error_fields(response)
    _term(tenant, "News")
    response = api.post(
        URL, json={"site_id": tenant.site.id, "name": "News", "taxonomy_type": "category"}, **admin
    )
    assert response.status_code == 400 and error_fields(response)  # duplicate slug on the site


def test_read_put_patch_delete(api, tenant):
    term = _term(tenant, "News")
    content = factories.make_content(tenant.cluster)
    content_terms.set_taxonomy_terms(tenant.scope(), content.id, add=[term.id])
    db.session.commit()
    item = f"{URL}{term.id}/"
    admin = {"role": Role.ADMIN}
    response = api.patch(item, json={"description": "Company news"}, **admin)
    assert response.status_code == 200 and response.get_json()["description"] == "Company news"
    response = api.put(item, json={"name": "Updates"}, **admin)
    assert response.status_code == 400 and "taxonomy_type" in error_fields(response)
    response = api.put(item, json={"name": "Updates", "taxonomy_type": "tag", "slug": "updates"}, **admin)
    assert response.get_json()["name"] == "Updates" and response.get_json()["taxonomy_type"] == "tag"
    assert api.get(f"/writer/content/{content.id}/").get_json()["tags"] == ["Updates"]
    assert api.delete(item, **admin).status_code == 204
    assert api.get(item).status_code == 404
    assert db.session.get(ContentTaxonomy, term.id) is None
    assert api.get(f"/writer/content/{content.id}/").get_json()["taxonomy_terms"] == []


def test_other_accounts_terms_are_404(api, other_tenant):
    term = _term(other_tenant)
    item = f"{URL}{term.id}/"
    admin = {"role": Role.ADMIN}
    assert api.get(item).status_code == 404
    assert api.patch(item, json={"name": "x"}, **admin).status_code == 404
    assert api.delete(item, **admin).status_code == 404
    assert api.get(URL).get_json()["count"] == 0


def test_filters(api, tenant):
    _term(tenant, "News", "category")
    _term(tenant, "solar", "tag")
    other_site = factories.make_site(tenant.account)
    taxonomies.create_taxonomy(tenant.scope(), site_id=other_site.id, name="Elsewhere", taxonomy_type="tag")
    db.session.commit()

    def names(**params):
        return [t["name"] for t in api.get(URL, query_string=params).get_json()["results"]]

    assert names(taxonomy_type="tag") == ["Elsewhere", "solar"]
    assert names(site_id=tenant.site.id) == ["News", "solar"]
    assert names(search="new") == ["News"]
