"""Review workflow rules: transitions, roles, the self-approval rule, required comments, the timeline."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.support import factories
from writer_app.models import Account, AuditEvent, Content, ContentStatus, ReviewDecision, Role, db
from writer_app.services import content as cs
from writer_app.services.errors import Conflict, NotFound, PermissionDenied, ValidationError
from writer_app.services.review import decisions as review


@pytest.fixture
def draft(tenant: factories.Tenant) -> Content:
    """A draft last edited by the editor."""
    content = factories.make_content(
        tenant.cluster, "Solar guide", last_edited_by_id=tenant.editor.id, **factories.PUBLISHABLE
    )
    db.session.commit()
    return content


def test_full_workflow_records_every_decision(tenant: factories.Tenant, draft: Content) -> None:
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id, "Ready")
    assert draft.status == ContentStatus.REVIEW
    review.request_changes(tenant.scope(Role.REVIEWER), draft.id, "Add costs section")
    assert draft.status == ContentStatus.DRAFT
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    review.approve(tenant.scope(Role.REVIEWER), draft.id, "Looks good")
    # The site has no WordPress connection: approved, and nothing claims it was published.
    assert draft.status == ContentStatus.APPROVED
    assert draft.published_at is None
    assert draft.approved_by_id == tenant.reviewer.id and draft.submitted_by_id == tenant.editor.id
    events = review.timeline(tenant.scope(Role.VIEWER), draft.id)
    assert [(e.decision, e.user.id, e.comment) for e in events] == [
        (ReviewDecision.APPROVED, tenant.reviewer.id, "Looks good"),
        (ReviewDecision.SUBMITTED, tenant.editor.id, ""),
        (ReviewDecision.CHANGES_REQUESTED, tenant.reviewer.id, "Add costs section"),
        (ReviewDecision.SUBMITTED, tenant.editor.id, "Ready"),
    ]
    actions = db.session.scalars(
        select(AuditEvent.action).where(AuditEvent.object_id == draft.id).order_by(AuditEvent.id)
    ).all()
    assert actions == [
        "content.submitted",
        "content.changes_requested",
        "content.submitted",
        "content.approved",
    ]


def test_invalid_transitions_are_conflicts(tenant: factories.Tenant, draft: Content) -> None:
    reviewer = tenant.scope(Role.REVIEWER)
    with pytest.raises(Conflict, match="is a draft"):
        review.approve(reviewer, draft.id)
    with pytest.raises(Conflict, match="is draft, not review"):
        review.request_changes(reviewer, draft.id, "why")
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    with pytest.raises(Conflict, match="is review, not draft"):
        review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    review.approve(reviewer, draft.id)
    with pytest.raises(Conflict, match="is approved"):
        review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    with pytest.raises(Conflict, match="nothing to approve"):
        review.approve(reviewer, draft.id)


def test_request_changes_needs_a_comment(tenant: factories.Tenant, draft: Content) -> None:
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    with pytest.raises(ValidationError) as error:
        review.request_changes(tenant.scope(Role.REVIEWER), draft.id, "   ")
    assert "comment" in error.value.fields
    assert draft.status == ContentStatus.REVIEW


def test_roles(tenant: factories.Tenant, draft: Content) -> None:
    with pytest.raises(PermissionDenied):
        review.submit_for_review(tenant.scope(Role.VIEWER), draft.id)
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    with pytest.raises(PermissionDenied):
        review.approve(tenant.scope(Role.EDITOR), draft.id)
    with pytest.raises(PermissionDenied):
        review.request_changes(tenant.scope(Role.EDITOR), draft.id, "no")
    review.approve(tenant.scope(Role.ADMIN), draft.id)
    assert draft.status == ContentStatus.APPROVED


def test_reviewer_cannot_approve_own_last_edit_unless_allowed(
    tenant: factories.Tenant, draft: Content
) -> None:
    reviewer = tenant.scope(Role.REVIEWER)
    cs.update_content(reviewer, draft.id, draft.version, title="Reviewer polished this")
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    actions = review.available_actions(reviewer, draft)
    assert not actions.can_approve and actions.can_request_changes
    assert "edited this content last" in (actions.approve_blocked_reason or "")
    with pytest.raises(PermissionDenied, match="edited this content last"):
        review.approve(reviewer, draft.id)
    # Another reviewer (the admin) may approve; and once allowed, so may the reviewer.
    assert review.available_actions(tenant.scope(Role.ADMIN), draft).can_approve
    with pytest.raises(PermissionDenied):
        review.set_self_approval(reviewer, True)
    review.set_self_approval(tenant.scope(Role.ADMIN), True)
    db.session.commit()
    assert db.session.get(Account, tenant.account.id).settings["allow_self_approval"] is True
    assert review.available_actions(reviewer, draft).can_approve
    review.approve(reviewer, draft.id)
    assert draft.status == ContentStatus.APPROVED


def test_available_actions_follow_role_and_status(tenant: factories.Tenant, draft: Content) -> None:
    assert not review.available_actions(tenant.scope(Role.VIEWER), draft).any
    editor_actions = review.available_actions(tenant.scope(Role.EDITOR), draft)
    assert editor_actions.can_submit and not editor_actions.can_approve
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    assert not review.available_actions(tenant.scope(Role.EDITOR), draft).any
    assert review.available_actions(tenant.scope(Role.REVIEWER), draft).can_approve


def test_other_account_content_is_not_found(tenant: factories.Tenant, other_tenant: factories.Tenant) -> None:
    theirs = factories.make_content(other_tenant.cluster, status=ContentStatus.REVIEW)
    with pytest.raises(NotFound):
        review.approve(tenant.scope(Role.ADMIN), theirs.id)
    with pytest.raises(NotFound):
        review.timeline(tenant.scope(Role.ADMIN), theirs.id)


def test_waiting_for_review(tenant: factories.Tenant, draft: Content) -> None:
    assert review.waiting_for_review(tenant.scope(Role.VIEWER)) == []
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    assert review.waiting_for_review(tenant.scope(Role.VIEWER)) == [draft]


def test_reviewer_who_generated_an_ai_draft_may_approve_it(tenant: factories.Tenant) -> None:
    reviewer = tenant.scope(Role.REVIEWER)
    content = cs.create_content(
        reviewer,
        title="AI draft",
        cluster_id=tenant.cluster.id,
        content_type="post",
        content_structure="article",
        ai_model="offline",
        **factories.PUBLISHABLE,
    )
    assert content.last_edited_by_id is None
    review.submit_for_review(reviewer, content.id)
    review.approve(reviewer, content.id)
    assert content.status == ContentStatus.APPROVED


def test_approving_content_that_stays_here_runs_the_same_gate(
    tenant: factories.Tenant, draft: Content
) -> None:
    draft.meta_title = "W" * 40  # wider than the 600 px of a search result
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    with pytest.raises(Conflict) as error:
        review.approve(tenant.scope(Role.REVIEWER), draft.id)
    assert error.value.code == "publish_blocked" and "SEO title length" in error.value.message
    review.approve(
        tenant.scope(Role.REVIEWER), draft.id, "Title fixed in the next round", override_checks=True
    )
    assert draft.status == ContentStatus.APPROVED


def test_approving_a_post_of_a_connected_site_goes_through_publishing(
    tenant: factories.Tenant, draft: Content
) -> None:
    """With WordPress publishing present, approval starts the publish job and honours its gate."""
    pytest.importorskip("writer_app.services.publishing.actions")
    from writer_app.models import Job, SyncStatus
    from writer_app.services import secrets

    tenant.site.wp_url, tenant.site.wp_username = "http://127.0.0.1:9", "writer"
    tenant.site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    draft.meta_description = ""  # a required check now fails
    review.submit_for_review(tenant.scope(Role.EDITOR), draft.id)
    db.session.commit()
    reviewer = tenant.scope(Role.REVIEWER)
    # Without a meta description the draft fails a required check: the gate refuses.
    with pytest.raises(Conflict) as error:
        review.approve(reviewer, draft.id)
    assert error.value.code == "publish_blocked"
    db.session.rollback()
    assert db.session.get(Content, draft.id).status == ContentStatus.REVIEW
    with pytest.raises(ValidationError) as missing:
        review.approve(reviewer, draft.id, override_checks=True)
    assert "comment" in missing.value.fields
    review.approve(reviewer, draft.id, "Checked by hand; fine for now", override_checks=True)
    assert draft.status == ContentStatus.PUBLISHED and draft.sync_status == SyncStatus.PENDING
    job = db.session.scalars(select(Job).where(Job.account_id == tenant.account.id)).one()
    assert job.queue == "publish"
    decisions = [e.decision for e in review.timeline(reviewer, draft.id)]
    assert ReviewDecision.APPROVED in decisions and ReviewDecision.OVERRIDDEN in decisions


def test_approving_a_page_leaves_it_approved(tenant: factories.Tenant) -> None:
    from writer_app.services import secrets

    tenant.site.wp_url, tenant.site.wp_username = "http://127.0.0.1:9", "writer"
    tenant.site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    page = factories.make_content(
        tenant.cluster, "About us", content_type="page", status=ContentStatus.REVIEW, **factories.PUBLISHABLE
    )
    review.approve(tenant.scope(Role.REVIEWER), page.id)
    assert page.status == ContentStatus.APPROVED and page.published_at is None
