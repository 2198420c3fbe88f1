"""Review decisions through the review page: submit, request changes (comment required), approve,
the self-approval rule, invalid transitions and the role matrix."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support import factories
from writer_app.models import Content, ContentStatus, Job, ReviewDecision, ReviewEvent, Role, db
from writer_app.services import content as cs
from writer_app.services.review import decisions as review


def _content(tenant: factories.Tenant, status: ContentStatus = ContentStatus.DRAFT) -> Content:
    content = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        status=status,
        last_edited_by_id=tenant.editor.id,
        **factories.PUBLISHABLE,
    )
    db.session.commit()
    return content


def _status(content_id: int) -> ContentStatus:
    db.session.expire_all()
    return db.session.get(Content, content_id).status


def _decisions(content_id: int) -> list[tuple[str, str]]:
    events = db.session.scalars(
        select(ReviewEvent).where(ReviewEvent.content_id == content_id).order_by(ReviewEvent.id)
    )
    return [(e.decision.value, e.comment) for e in events]


def test_editor_submits_for_review(client, login, tenant):
    content = _content(tenant)
    login(tenant.editor)
    response = client.post(f"/content/{content.id}/submit", data={"comment": "Ready when you are"})
    assert response.status_code == 303
    assert _status(content.id) == ContentStatus.REVIEW
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Submitted for review." in page and "Waiting for review" in page
    assert "Ready when you are" in page  # on the timeline
    assert _decisions(content.id) == [("submitted", "Ready when you are")]


def test_request_changes_needs_a_comment(client, login, tenant):
    content = _content(tenant, ContentStatus.REVIEW)
    login(tenant.reviewer)
    refused = client.post(f"/content/{content.id}/request-changes", data={"comment": "  "})
    html = refused.get_data(as_text=True)
    assert refused.status_code == 422
    assert "a comment is required" in html and 'aria-invalid="true"' in html
    assert _status(content.id) == ContentStatus.REVIEW
    done = client.post(
        f"/content/{content.id}/request-changes", data={"comment": "Add a costs table"}, follow_redirects=True
    )
    html = done.get_data(as_text=True)
    assert "Changes requested" in html and "Add a costs table" in html
    assert _status(content.id) == ContentStatus.DRAFT
    assert _decisions(content.id) == [("changes_requested", "Add a costs table")]


def test_reviewer_approves(client, login, tenant):
    content = _content(tenant, ContentStatus.REVIEW)
    login(tenant.reviewer)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "Approve" in page and "Request changes" in page
    response = client.post(f"/content/{content.id}/approve", data={"comment": ""}, follow_redirects=True)
    html = response.get_data(as_text=True)
    # The site has no WordPress connection: approved, and nothing says it was published.
    assert "Approved. Not published:" in html and "has no WordPress connection" in html
    assert "badge-published" not in html and "badge-approved" in html
    assert _status(content.id) == ContentStatus.APPROVED
    assert _decisions(content.id) == [("approved", "")]


def test_self_approval_is_refused_with_a_reason(client, login, tenant):
    content = _content(tenant)
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, content.version, title="Reviewer's edit")
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    login(tenant.reviewer)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "You edited this content last" in page
    assert 'class="btn-approve"' in page and "disabled" in page.split('class="btn-approve"')[1].split(">")[0]
    response = client.post(f"/content/{content.id}/approve", data={}, follow_redirects=True)
    assert "another reviewer must approve it" in response.get_data(as_text=True)
    assert _status(content.id) == ContentStatus.REVIEW
    assert ReviewDecision.APPROVED.value not in [d for d, _ in _decisions(content.id)]


def test_invalid_transition_is_explained(client, login, tenant):
    content = _content(tenant, ContentStatus.PUBLISHED)
    login(tenant.reviewer)
    response = client.post(f"/content/{content.id}/approve", data={}, follow_redirects=True)
    assert "unchanged since; there is nothing to approve" in response.get_data(as_text=True)
    response = client.post(f"/content/{content.id}/submit", data={}, follow_redirects=True)
    assert "is published, not draft" in response.get_data(as_text=True)
    assert _status(content.id) == ContentStatus.PUBLISHED


@pytest.mark.parametrize(
    ("role", "allowed"),
    [
        (Role.VIEWER, set()),
        (Role.EDITOR, {"submit"}),
        (Role.REVIEWER, {"submit", "approve", "request-changes"}),
        (Role.ADMIN, {"submit", "approve", "request-changes"}),
    ],
)
def test_role_matrix_for_decisions(client, login, tenant, role, allowed):
    login(tenant.users[role])
    for action in ("submit", "approve", "request-changes"):
        status = ContentStatus.DRAFT if action == "submit" else ContentStatus.REVIEW
        content = _content(tenant, status)
        response = client.post(f"/content/{content.id}/{action}", data={"comment": "Looks fine"})
        if action in allowed:
            assert response.status_code == 303, (role, action)
            assert _status(content.id) != status
        else:
            assert response.status_code == 403, (role, action)
            assert _status(content.id) == status


def test_buttons_follow_role_and_status(client, login, tenant):
    draft = _content(tenant)
    waiting = _content(tenant, ContentStatus.REVIEW)
    login(tenant.editor)
    draft_page = client.get(f"/content/{draft.id}").get_data(as_text=True)
    waiting_page = client.get(f"/content/{waiting.id}").get_data(as_text=True)
    assert "Submit for review" in draft_page
    assert "Approve and publish" not in waiting_page and "Request changes" not in waiting_page
    assert "A reviewer decides" in waiting_page


def test_blocked_publish_offers_an_override_with_a_reason(client, login, tenant):
    pytest.importorskip("writer_app.services.publishing.actions")
    from writer_app.services import secrets

    tenant.site.wp_url, tenant.site.wp_username = "http://127.0.0.1:9", "writer"
    tenant.site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    content = _content(tenant, ContentStatus.REVIEW)
    content.meta_description = ""  # a required check fails
    db.session.commit()
    login(tenant.reviewer)
    blocked = client.post(f"/content/{content.id}/approve", data={"comment": ""})
    html = blocked.get_data(as_text=True)
    assert blocked.status_code == 409
    assert 'name="override_checks"' in html and "Publish anyway" in html
    assert _status(content.id) == ContentStatus.REVIEW
    no_reason = client.post(f"/content/{content.id}/approve", data={"override_checks": "y", "comment": ""})
    assert no_reason.status_code == 422 and "Say why" in no_reason.get_data(as_text=True)
    done = client.post(
        f"/content/{content.id}/approve", data={"override_checks": "y", "comment": "Editor fixes meta later"}
    )
    assert done.status_code == 303
    assert "publishing to WordPress has started" in client.get(done.headers["Location"]).get_data(
        as_text=True
    )
    # The publish job was started (whether it already ran against the unreachable site depends on
    # the queue); the approval and the override are on the record.
    assert db.session.scalar(select(Job.queue).where(Job.account_id == tenant.account.id)) == "publish"
    assert ("approved", "Editor fixes meta later") in _decisions(content.id)
    assert ("overridden", "Editor fixes meta later") in _decisions(content.id)
