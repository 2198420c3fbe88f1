"""Fix with AI in the API: start (202/200 with the proposal), read, apply accepted changes; roles and
bad input."""

from __future__ import annotations

from tests.api.conftest import Api, error_fields
from tests.support import factories
from tests.support.factories import Tenant
from tests.support.openai_payloads_fixes import failing_content
from writer_app.models import Role, db


def _content(tenant: Tenant) -> int:
    content = failing_content(tenant, {"keyphrase_in_slug", "meta_description_length"})
    factories.add_credits(tenant.account, 10, "test")
    db.session.commit()
    return content.id


def test_fix_then_apply_the_accepted_change(api: Api, tenant: Tenant) -> None:
    content_id = _content(tenant)
    url = f"/writer/content/{content_id}/ai_fixes/"

    started = api.post(url, json={"checks": ["keyphrase_in_slug", "meta_description_length"]})

    assert started.status_code == 200, started.get_json()  # inline without Redis: the finished job
    proposal = started.get_json()["result"]
    assert proposal["status"] == "proposed" and {c["field"] for c in proposal["changes"]} == {
        "slug",
        "meta_description",
    }
    read = api.get(f"{url}{proposal['fix_id']}/", role=Role.VIEWER)
    assert read.status_code == 200 and read.get_json()["changes"] == proposal["changes"]
    slug = next(c["id"] for c in proposal["changes"] if c["field"] == "slug")

    applied = api.post(f"{url}{proposal['fix_id']}/apply/", json={"change_ids": [slug]})

    assert applied.status_code == 200, applied.get_json()
    assert applied.get_json()["slug"] == "meal-prep"
    assert applied.get_json()["meta_description"] == "Meal prep in short."
    again = api.post(f"{url}{proposal['fix_id']}/apply/", json={"change_ids": [slug]})
    assert again.status_code == 409


def test_viewers_cannot_fix_or_apply(api: Api, tenant: Tenant) -> None:
    content_id = _content(tenant)
    url = f"/writer/content/{content_id}/ai_fixes/"
    assert api.post(url, json={"checks": ["keyphrase_in_slug"]}, role=Role.VIEWER).status_code == 403
    proposal = api.post(url, json={"checks": ["keyphrase_in_slug"]}).get_json()["result"]
    denied = api.post(f"{url}{proposal['fix_id']}/apply/", json={"change_ids": ["c1"]}, role=Role.VIEWER)
    assert denied.status_code == 403


def test_bad_bodies_name_the_field(api: Api, tenant: Tenant) -> None:
    content_id = _content(tenant)
    url = f"/writer/content/{content_id}/ai_fixes/"
    assert "checks" in error_fields(api.post(url, json={"checks": []}))
    assert "checks" in error_fields(api.post(url, json={"checks": ["nope"]}))
    assert api.post(url, json={"checks": ["keyphrase_in_slug"], "extra": 1}).status_code == 400
    proposal = api.post(url, json={"checks": ["keyphrase_in_slug"]}).get_json()["result"]
    assert "change_ids" in error_fields(
        api.post(f"{url}{proposal['fix_id']}/apply/", json={"change_ids": ["c9"]})
    )
    assert api.get(f"{url}999999/").status_code == 404


def test_the_openapi_document_describes_the_fix_endpoints(api: Api) -> None:
    document = api.get("/openapi.json").get_json()
    path = document["paths"]["/api/v1/writer/content/{content_id}/ai_fixes/"]["post"]
    schema = path["requestBody"]["content"]["application/json"]["schema"]
    if "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    assert schema["additionalProperties"] is False and "checks" in schema["required"]
    assert "/api/v1/writer/content/{content_id}/ai_fixes/{fix_id}/apply/" in document["paths"]
