"""The review rules through the API: publish and republish obey the same rules as the approve button
(content in review, no self-approval, the publish gate), and create/update cannot set `status` or
`source`. Publishing runs inline against a small local WordPress fake (never the shared WordPress)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.conftest import error_fields
from tests.integration.test_publishing_fake import FakeWordPress
from tests.integration.test_publishing_fake import fake_wordpress as fake_wordpress  # a fixture
from tests.integration.wp_helpers import publishable, reload
from writer_app.api.schemas.content import ContentUpdate
from writer_app.models import ContentSource, ContentStatus, ReviewDecision, Role, SyncStatus, db
from writer_app.services import content as cs
from writer_app.services import secrets
from writer_app.services.review import decisions as review

URL = "/writer/content/"


def url(content_id: int, action: str) -> str:
    return f"{URL}{content_id}/{action}/"


@pytest.fixture
def fake(app, tenant, request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> FakeWordPress:
    """The tenant's site connected to the fake WordPress."""
    monkeypatch.setitem(app.config, "WORDPRESS_INLINE_RETRY_DELAYS", ())
    wordpress, base = request.getfixturevalue("fake_wordpress")
    wordpress.fail_creates = 0
    site = tenant.site
    site.wp_url, site.wp_username, site.wp_app_password_encrypted = base, "admin", secrets.encrypt("pw")
    db.session.commit()
    return wordpress


def _message(response: Any) -> str:
    return response.get_json()["error"]["message"]


def test_publishing_a_draft_is_409_submit_it_first(api, tenant, fake: FakeWordPress) -> None:
    draft = publishable(tenant, "never-submitted", status=ContentStatus.DRAFT)
    db.session.commit()
    response = api.post(url(draft.id, "publish"), role=Role.REVIEWER)
    assert response.status_code == 409, response.get_json()
    assert "submit it for review first" in _message(response)
    assert reload(draft.id).status == ContentStatus.DRAFT and fake.posts == {}


def test_publish_of_content_in_review_approves_and_publishes_it(api, tenant, fake: FakeWordPress) -> None:
    content = publishable(tenant, "in-review", last_edited_by_id=tenant.editor.id)
    db.session.commit()
    response = api.post(url(content.id, "publish"), role=Role.REVIEWER)
    assert response.status_code == 200 and response.get_json()["status"] == "finished", response.get_json()
    content = reload(content.id)
    assert content.status == ContentStatus.PUBLISHED and content.sync_status == SyncStatus.SYNCED
    assert len(fake.posts) == 1
    decisions = [(e.decision, e.user_id) for e in review.timeline(tenant.scope(Role.VIEWER), content.id)]
    assert (ReviewDecision.APPROVED, tenant.reviewer.id) in decisions


def test_the_reviewer_who_edited_last_cannot_publish_unless_self_approval_is_allowed(
    api, tenant, fake: FakeWordPress
) -> None:
    content = publishable(tenant, "self-approval")
    db.session.commit()
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, title="Heat pumps: the reviewer's own words")
    db.session.commit()
    refused = api.post(url(content.id, "publish"), role=Role.REVIEWER)
    assert refused.status_code == 403 and "edited this content last" in _message(refused)
    assert reload(content.id).status == ContentStatus.REVIEW and fake.posts == {}

    review.set_self_approval(tenant.scope(Role.ADMIN), True)
    db.session.commit()
    allowed = api.post(url(content.id, "publish"), role=Role.REVIEWER)
    assert allowed.status_code == 200 and allowed.get_json()["status"] == "finished"


def test_failing_required_checks_refuse_publish_without_an_override(api, tenant, fake: FakeWordPress) -> None:
    content = publishable(tenant, "short-meta", meta_description="Too short.")
    db.session.commit()
    blocked = api.post(url(content.id, "publish"), role=Role.REVIEWER)
    assert blocked.status_code == 409 and blocked.get_json()["error"]["code"] == "publish_blocked"
    assert reload(content.id).status == ContentStatus.REVIEW and fake.posts == {}
    overridden = api.post(url(content.id, "publish") + "?override_comment=Launch+today", role=Role.REVIEWER)
    assert overridden.get_json()["status"] == "finished"


def test_republish_obeys_the_same_rules(api, tenant, fake: FakeWordPress) -> None:
    content = publishable(tenant, "update-me")
    db.session.commit()
    assert api.post(url(content.id, "publish"), role=Role.ADMIN).get_json()["status"] == "finished"
    draft = publishable(tenant, "not-published", status=ContentStatus.DRAFT)
    db.session.commit()
    not_published = api.post(url(draft.id, "republish"), role=Role.REVIEWER)
    assert not_published.status_code == 409 and "not published" in _message(not_published)

    # The reviewer's own edit, breaking a Required check on the way.
    content = reload(content.id)
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, meta_description="Too short.")
    db.session.commit()
    own = api.post(url(content.id, "republish"), role=Role.REVIEWER)
    assert own.status_code == 403 and "edited this content last" in _message(own)
    blocked = api.post(url(content.id, "republish"), role=Role.ADMIN)
    assert blocked.status_code == 409 and blocked.get_json()["error"]["code"] == "publish_blocked"
    updated = api.post(url(content.id, "republish") + "?override_comment=Fix+it+later", role=Role.ADMIN)
    assert updated.get_json()["status"] == "finished"
    assert fake.calls.count("PUT /wp-json/wp/v2/posts/" + reload(content.id).external_id) == 1


def _body(tenant, **extra: Any) -> dict[str, Any]:
    return {
        "title": "Solar batteries",
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "guide",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        **extra,
    }


@pytest.mark.parametrize(
    ("extra", "fields"),
    [
        ({"status": "published"}, {"status"}),
        ({"status": "review"}, {"status"}),
        ({"source": "wordpress"}, {"source"}),
        ({"status": "published", "source": "wordpress"}, {"status", "source"}),
    ],
)
def test_create_cannot_set_status_or_source(api, tenant, extra: dict[str, str], fields: set[str]) -> None:
    response = api.post(URL, json=_body(tenant, **extra))
    assert response.status_code == 400 and response.get_json()["error"]["code"] == "validation_error"
    assert set(error_fields(response)) == fields
    assert "review actions" in " ".join(error_fields(response).get("status", ["review actions"]))
    assert api.get(URL).get_json()["count"] == 0


def test_create_accepts_the_values_new_content_gets_anyway(api, tenant) -> None:
    response = api.post(URL, json=_body(tenant, status="draft", source="igny8"))
    assert response.status_code == 201, response.get_json()
    body = response.get_json()
    assert body["status"] == "draft" and body["source"] == "igny8"


def test_update_cannot_change_status_or_source_but_may_send_them_back(api, tenant) -> None:
    content = publishable(tenant, "round-trip")
    db.session.commit()
    item = f"{URL}{content.id}/"
    for change in ({"status": "published"}, {"status": "draft"}, {"source": "wordpress"}):
        response = api.patch(item, json=change)
        assert response.status_code == 400 and set(error_fields(response)) == set(change), change
    body = {k: v for k, v in _body(tenant, status="published").items() if k not in ("site_id", "sector_id")}
    put = api.put(item, json=body)
    assert put.status_code == 400 and set(error_fields(put)) == {"status"}
    assert reload(content.id).status == ContentStatus.REVIEW

    # A read sent back whole: the read-only fields are unknown to an update, each named.
    current = api.get(item).get_json()
    refused = api.put(item, json=current)
    assert refused.status_code == 400 and {"id", "word_count", "taxonomy_terms"} <= set(error_fields(refused))
    assert "read-only" in error_fields(refused)["word_count"][0]
    # A read-modify-write round trip of the update's fields sends status and source back unchanged.
    current = {k: v for k, v in current.items() if k in ContentUpdate.model_fields}
    current["title"] = "Solar panels, round trip"
    response = api.put(item, json=current)
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["status"] == "review" and response.get_json()["source"] == "igny8"
    assert reload(content.id).source == ContentSource.IGNY8
