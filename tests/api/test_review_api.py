"""Review actions in the API (submit, approve, request changes, events, revisions): the same rules as
the pages. Publishing runs inline against the local WordPress fake (never the shared WordPress)."""

from __future__ import annotations

from typing import Any

import pytest

from tests.api.test_review_rules_api import fake as fake  # a fixture
from tests.integration.test_publishing_fake import FakeWordPress
from tests.integration.test_publishing_fake import fake_wordpress as fake_wordpress  # a fixture
from tests.integration.wp_helpers import publishable, reload
from tests.support import factories
from writer_app.models import ContentStatus, Role, SyncStatus, db
from writer_app.services import content as cs
from writer_app.services.review import decisions as review

URL = "/writer/content/"


def url(content_id: int, action: str) -> str:
    return f"{URL}{content_id}/{action}/"


def _draft(tenant: factories.Tenant, **kwargs: Any) -> Any:
    content = cs.create_content(
        tenant.scope(Role.EDITOR),
        title="Heat pumps for old houses",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        html="<p>Heat pumps work in old houses.</p>",
        **{**factories.PUBLISHABLE, **kwargs},
    )
    db.session.commit()
    return content


def test_submit_then_approve_on_an_unconnected_site_leaves_it_approved(api, tenant) -> None:
    content = _draft(tenant)
    submitted = api.post(url(content.id, "submit"), role=Role.EDITOR, json={"comment": "Ready"})
    assert submitted.status_code == 200, submitted.get_json()
    body = submitted.get_json()
    assert body["event"]["kind"] == "submitted" and body["event"]["actor_id"] == tenant.editor.id
    assert body["content"]["status"] == "review"
    assert body["content"]["submitted_by_id"] == tenant.editor.id and body["content"]["submitted_at"]

    approved = api.post(url(content.id, "approve"), role=Role.REVIEWER, json={"comment": "Good"})
    assert approved.status_code == 200, approved.get_json()
    out = approved.get_json()
    assert out["content"]["status"] == "approved" and out["content"]["sync_status"] == "none"
    assert out["content"]["published_at"] is None and out["job_id"] is None
    # Approving is not an edit: three people, three fields.
    assert out["content"]["approved_by_id"] == tenant.reviewer.id
    assert out["content"]["last_edited_by_id"] == tenant.editor.id
    assert out["content"]["submitted_by_name"] == tenant.editor.display_name

    events = api.get(url(content.id, "events"), role=Role.VIEWER).get_json()
    assert [(e["kind"], e["actor_id"], e["comment"]) for e in events] == [
        ("approved", tenant.reviewer.id, "Good"),
        ("submitted", tenant.editor.id, "Ready"),
    ]
    assert events[0]["actor_name"] == tenant.reviewer.display_name and events[0]["created_at"]


def test_roles_and_states(api, tenant) -> None:
    content = _draft(tenant)
    assert api.post(url(content.id, "submit"), role=Role.VIEWER, json={}).status_code == 403
    early = api.post(url(content.id, "approve"), role=Role.REVIEWER, json={})
    assert early.status_code == 409 and "draft" in early.get_json()["error"]["message"]
    assert api.post(url(content.id, "submit"), role=Role.EDITOR, json={}).status_code == 200
    assert api.post(url(content.id, "submit"), role=Role.EDITOR, json={}).status_code == 409
    assert api.post(url(content.id, "approve"), role=Role.EDITOR, json={}).status_code == 403
    assert (
        api.post(url(content.id, "request_changes"), role=Role.EDITOR, json={"comment": "x"}).status_code
        == 403
    )


def test_request_changes_needs_a_comment_and_goes_back_to_draft(api, tenant) -> None:
    content = _draft(tenant)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    missing = api.post(url(content.id, "request_changes"), role=Role.REVIEWER, json={})
    assert missing.status_code == 400 and "comment" in missing.get_json()["error"]["fields"]
    done = api.post(url(content.id, "request_changes"), role=Role.REVIEWER, json={"comment": "Add costs"})
    assert done.status_code == 200 and done.get_json()["content"]["status"] == "draft"
    assert done.get_json()["event"]["kind"] == "changes_requested"


def test_a_stale_version_is_refused(api, tenant) -> None:
    content = _draft(tenant)
    version = content.version
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    stale = api.post(url(content.id, "approve"), role=Role.REVIEWER, json={"version": version})
    assert stale.status_code == 409 and "changed since you read it" in stale.get_json()["error"]["message"]
    assert reload(content.id).status == ContentStatus.REVIEW
    current = reload(content.id).version
    assert (
        api.post(url(content.id, "approve"), role=Role.REVIEWER, json={"version": current}).status_code == 200
    )


def test_self_approval_and_the_gate(api, tenant) -> None:
    content = _draft(tenant)
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, meta_description="Too short.")
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    own = api.post(url(content.id, "approve"), role=Role.REVIEWER, json={})
    assert own.status_code == 403 and "edited this content last" in own.get_json()["error"]["message"]
    blocked = api.post(url(content.id, "approve"), role=Role.ADMIN, json={})
    assert blocked.status_code == 409 and blocked.get_json()["error"]["code"] == "publish_blocked"
    ok = api.post(url(content.id, "approve"), role=Role.ADMIN, json={"override_comment": "Fix it later"})
    assert ok.status_code == 200 and ok.get_json()["content"]["status"] == "approved"
    kinds = [e["kind"] for e in api.get(url(content.id, "events")).get_json()]
    assert kinds[:2] == ["approved", "overridden"]


def test_approve_publishes_on_a_connected_site_unless_told_later(api, tenant, fake: FakeWordPress) -> None:
    now = publishable(tenant, "publish-now", last_edited_by_id=tenant.editor.id)
    later = publishable(tenant, "publish-later", last_edited_by_id=tenant.reviewer.id)
    db.session.commit()
    response = api.post(url(now.id, "approve"), role=Role.REVIEWER, json={"comment": "Go"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["job_id"] and response.get_json()["status_url"]
    assert (
        reload(now.id).status == ContentStatus.PUBLISHED and reload(now.id).sync_status == SyncStatus.SYNCED
    )
    assert len(fake.posts) == 1

    held = api.post(url(later.id, "approve"), role=Role.ADMIN, json={"publish": False})
    assert held.get_json()["content"]["status"] == "approved" and len(fake.posts) == 1
    # Approved content is published without another approval, even by the reviewer who edited it.
    published = api.post(url(later.id, "publish"), role=Role.REVIEWER)
    assert published.status_code == 200 and published.get_json()["status"] == "finished"
    assert reload(later.id).status == ContentStatus.PUBLISHED and len(fake.posts) == 2


def test_edit_after_publish_is_a_pending_change_until_approved_and_sent(
    api, tenant, fake: FakeWordPress
) -> None:
    content = publishable(tenant, "pending-change", last_edited_by_id=tenant.editor.id)
    db.session.commit()
    cs.update_content(
        tenant.scope(Role.EDITOR), content.id, meta_title=content.meta_title + "."
    )  # revision 1
    db.session.commit()
    assert api.post(url(content.id, "approve"), role=Role.REVIEWER, json={}).status_code == 200
    before = api.get(f"{URL}{content.id}/").get_json()
    assert before["has_unpublished_changes"] is False and before["published_revision"] is not None

    edited = api.patch(f"{URL}{content.id}/", role=Role.EDITOR, json={"title": "Solar panels, revised"})
    assert edited.get_json()["has_unpublished_changes"] is True and edited.get_json()["status"] == "published"
    submitted = api.post(url(content.id, "submit"), role=Role.EDITOR, json={"comment": "New title"})
    assert submitted.status_code == 200 and submitted.get_json()["content"]["status"] == "published"
    later = api.post(url(content.id, "approve"), role=Role.REVIEWER, json={"publish": False})
    assert later.status_code == 409  # published content's changes are approved by sending them
    sent = api.post(url(content.id, "approve"), role=Role.REVIEWER, json={"comment": "Better title"})
    assert sent.status_code == 200, sent.get_json()
    after = api.get(f"{URL}{content.id}/").get_json()
    assert (
        after["has_unpublished_changes"] is False
        and after["published_revision"] > before["published_revision"]
    )
    post = fake.posts[int(after["external_id"])]
    assert "revised" in str(post.get("title"))


def test_revisions_list_read_and_restore(api, tenant, other_api) -> None:
    content = _draft(tenant)
    cs.update_content(tenant.scope(Role.EDITOR), content.id, title="Second title")
    db.session.commit()
    listed = api.get(url(content.id, "revisions"), role=Role.VIEWER).get_json()
    assert [r["number"] for r in listed] == [2, 1] and listed[0]["author_id"] == tenant.editor.id
    first = api.get(f"{URL}{content.id}/revisions/1/", role=Role.VIEWER).get_json()
    assert first["title"] == "Heat pumps for old houses" and first["html"].startswith("<p>")
    assert api.get(f"{URL}{content.id}/revisions/9/").status_code == 404
    assert other_api.get(url(content.id, "revisions")).status_code == 404
    assert api.post(f"{URL}{content.id}/revisions/1/restore/", role=Role.VIEWER, json={}).status_code == 403
    stale = api.post(f"{URL}{content.id}/revisions/1/restore/", json={"version": 1})
    assert stale.status_code == 409
    restored = api.post(f"{URL}{content.id}/revisions/1/restore/", json={})
    assert restored.status_code == 200 and restored.get_json()["title"] == "Heat pumps for old houses"
    assert api.get(url(content.id, "revisions")).get_json()[0]["number"] == 3


def test_back_to_draft_of_approved_content_is_for_reviewers(api, tenant) -> None:
    content = _draft(tenant)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    review.approve(tenant.scope(Role.REVIEWER), content.id)
    db.session.commit()
    assert api.post(url(content.id, "unpublish"), role=Role.EDITOR).status_code == 403
    back = api.post(url(content.id, "unpublish"), role=Role.REVIEWER)
    assert back.status_code == 200 and back.get_json()["status"] == "draft"


@pytest.mark.parametrize("action", ["submit", "approve", "request_changes", "events", "revisions"])
def test_other_accounts_content_is_404(api, other_tenant, action) -> None:
    theirs = factories.make_content(other_tenant.cluster, status=ContentStatus.REVIEW)
    db.session.commit()
    method = "get" if action in ("events", "revisions") else "post"
    kwargs = {} if method == "get" else {"json": {"comment": "x"}}
    assert getattr(api, method)(url(theirs.id, action), role=Role.ADMIN, **kwargs).status_code == 404
