"""review_rules.ensure_may_publish: the one set of rules every publish path obeys (status, self-approval,
the publish gate), and the proof that every path goes through it."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from tests.support import factories
from writer_app.models import Content, ContentStatus, ReviewDecision, Role, db
from writer_app.models.base import utcnow
from writer_app.services import content as cs
from writer_app.services import secrets
from writer_app.services.errors import Conflict, PermissionDenied
from writer_app.services.publishing import actions as publishing
from writer_app.services.review import decisions as review
from writer_app.services.review import rules as review_rules


def _content(tenant: factories.Tenant, status: ContentStatus, **values: Any) -> Content:
    """A post last edited by the editor, passing every Required check unless `values` say otherwise."""
    content = factories.make_content(
        tenant.cluster,
        "Heat pumps explained",
        status=status,
        last_edited_by_id=tenant.editor.id,
        **{**factories.PUBLISHABLE, **values},
    )
    db.session.commit()
    return content


def _connect(tenant: factories.Tenant) -> None:
    """A connection nobody answers: the rules refuse before anything is sent (port 9 is discard)."""
    tenant.site.wp_url, tenant.site.wp_username = "http://127.0.0.1:9", "writer"
    tenant.site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    db.session.commit()


def test_a_draft_is_never_published_directly(tenant: factories.Tenant) -> None:
    draft = _content(tenant, ContentStatus.DRAFT)
    with pytest.raises(Conflict, match="submit it for review first"):
        review_rules.ensure_may_publish(tenant.scope(Role.ADMIN), draft)
    with pytest.raises(Conflict, match="not published"):
        review_rules.ensure_may_publish(tenant.scope(Role.ADMIN), draft, update=True)


def test_content_in_review_may_be_published_and_published_content_updated(tenant: factories.Tenant) -> None:
    in_review = _content(tenant, ContentStatus.REVIEW)
    assert review_rules.ensure_may_publish(tenant.scope(Role.REVIEWER), in_review).allowed
    with pytest.raises(Conflict, match="not published"):
        review_rules.ensure_may_publish(tenant.scope(Role.REVIEWER), in_review, update=True)
    published = _content(tenant, ContentStatus.PUBLISHED)
    assert review_rules.ensure_may_publish(tenant.scope(Role.REVIEWER), published, update=True).allowed
    with pytest.raises(Conflict, match="published already"):
        review_rules.ensure_may_publish(tenant.scope(Role.REVIEWER), published)


def test_editors_may_not_publish(tenant: factories.Tenant) -> None:
    with pytest.raises(PermissionDenied):
        review_rules.ensure_may_publish(tenant.scope(Role.EDITOR), _content(tenant, ContentStatus.REVIEW))


@pytest.mark.parametrize("status", [ContentStatus.REVIEW, ContentStatus.PUBLISHED])
def test_the_last_editor_may_not_publish_their_own_text(
    tenant: factories.Tenant, status: ContentStatus
) -> None:
    content = _content(tenant, status)
    reviewer = tenant.scope(Role.REVIEWER)
    content.last_edited_by_id = tenant.reviewer.id
    update = status == ContentStatus.PUBLISHED
    with pytest.raises(PermissionDenied, match="edited this content last"):
        review_rules.ensure_may_publish(reviewer, content, update=update)
    assert review_rules.ensure_may_publish(tenant.scope(Role.ADMIN), content, update=update).allowed
    review.set_self_approval(tenant.scope(Role.ADMIN), True)
    assert review_rules.ensure_may_publish(reviewer, content, update=update).allowed


def test_failing_required_checks_block_unless_overridden(tenant: factories.Tenant) -> None:
    content = _content(tenant, ContentStatus.REVIEW, meta_description="Too short.")
    with pytest.raises(Conflict) as error:
        review_rules.ensure_may_publish(tenant.scope(Role.REVIEWER), content)
    assert error.value.code == "publish_blocked"
    result = review_rules.ensure_may_publish(tenant.scope(Role.REVIEWER), content, override_comment="Launch")
    assert result.allowed and result.overridden


class _Spy:
    """Wraps ensure_may_publish as publishing sees it, recording each call."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, bool]] = []

    def __call__(self, scope: Any, content: Content, **kwargs: Any) -> Any:
        self.calls.append((content.id, bool(kwargs.get("update"))))
        return review_rules.ensure_may_publish(scope, content, **kwargs)

    def approve(self, scope: Any, content: Content, *args: Any) -> Any:
        self.calls.append((content.id, "approve"))  # type: ignore[arg-type]
        return review_rules.ensure_may_approve(scope, content, *args)


def test_every_publish_path_goes_through_the_one_rule(
    tenant: factories.Tenant, monkeypatch: pytest.MonkeyPatch
) -> None:
    """approve (a post of a connected site), publish, republish and schedule: each applies
    ensure_may_publish once, so the rules cannot drift apart; approving what stays here (a page)
    applies ensure_may_approve (the same self-approval rule and gate) and publishes nothing."""
    spy = _Spy()
    monkeypatch.setattr(publishing, "ensure_may_publish", spy)
    monkeypatch.setattr(review, "ensure_may_approve", spy.approve)
    _connect(tenant)
    reviewer = tenant.scope(Role.REVIEWER)
    post, page = (
        _content(tenant, ContentStatus.REVIEW),
        _content(tenant, ContentStatus.REVIEW, content_type="page"),
    )
    for_button, published = _content(tenant, ContentStatus.REVIEW), _content(tenant, ContentStatus.PUBLISHED)
    scheduled = _content(tenant, ContentStatus.REVIEW)

    review.approve(reviewer, post.id)
    review.approve(reviewer, page.id)
    publishing.publish(reviewer, for_button.id, require_wordpress=True)
    publishing.republish(reviewer, published.id)
    publishing.schedule(reviewer, scheduled.id, (utcnow() + timedelta(days=1)).replace(tzinfo=None))

    assert spy.calls == [
        (post.id, False),
        (page.id, "approve"),
        (for_button.id, False),
        (published.id, True),
        (scheduled.id, False),
    ]
    db.session.rollback()


def test_publishing_content_in_review_records_the_approval(tenant: factories.Tenant) -> None:
    """The publish button and the API approve by publishing: the timeline says who did."""
    _connect(tenant)
    content = _content(tenant, ContentStatus.REVIEW)
    publishing.publish(tenant.scope(Role.REVIEWER), content.id, require_wordpress=True)
    events = review.timeline(tenant.scope(Role.VIEWER), content.id)
    assert [(e.decision, e.user_id) for e in events] == [(ReviewDecision.APPROVED, tenant.reviewer.id)]
    db.session.rollback()


def test_an_edit_by_the_reviewer_blocks_their_update_of_the_post(tenant: factories.Tenant) -> None:
    """Published content edited by a reviewer goes out again only through another reviewer."""
    _connect(tenant)
    content = _content(tenant, ContentStatus.PUBLISHED)
    reviewer = tenant.scope(Role.REVIEWER)
    cs.update_content(reviewer, content.id, content.version, title="Heat pumps explained again")
    with pytest.raises(PermissionDenied, match="edited this content last"):
        publishing.republish(reviewer, content.id)
    assert publishing.republish(tenant.scope(Role.ADMIN), content.id) is not None
    db.session.rollback()
