"""Who is notified of what: review decisions, publishing, jobs, @mentions; never the actor."""

from __future__ import annotations

import pytest

from tests.support.factories import make_content, make_user
from tests.support.queries import count_queries
from writer_app.models import ContentStatus, Job, JobStatus, Notification, Role, db
from writer_app.services import jobs
from writer_app.services.errors import NotFound
from writer_app.services.notifications import EventKind, events, inbox
from writer_app.services.review import decisions as review


def _inbox(user) -> list[tuple[str, str]]:
    rows = db.session.scalars(
        db.select(Notification).where(Notification.user_id == user.id).order_by(Notification.id)
    )
    return [(n.kind, n.title) for n in rows]


def _kinds(user) -> list[str]:
    return [kind for kind, _ in _inbox(user)]


def _submitted(tenant, **kwargs):
    content = make_content(tenant.cluster, "Solar guide", **kwargs)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    return content


def test_a_submission_tells_the_reviewers_and_admins_not_the_submitter_or_others(tenant, other_tenant):
    content = _submitted(tenant)

    assert _inbox(tenant.reviewer) == [
        ("review_submitted", f"{tenant.editor.display_name} submitted “Solar guide” for review")
    ]
    assert _kinds(tenant.admin) == ["review_submitted"]
    assert _kinds(tenant.editor) == [] and _kinds(tenant.viewer) == []
    assert _kinds(other_tenant.reviewer) == []  # another account's reviewers hear nothing
    assert db.session.scalars(db.select(Notification.content_id)).all() == [content.id, content.id]


def test_a_reviewer_who_submits_is_not_told_of_their_own_submission(tenant):
    content = make_content(tenant.cluster)
    review.submit_for_review(tenant.scope(Role.REVIEWER), content.id)
    assert _kinds(tenant.reviewer) == [] and _kinds(tenant.admin) == ["review_submitted"]


def test_requested_changes_go_to_the_submitter_with_the_comment(tenant):
    content = _submitted(tenant)
    review.request_changes(tenant.scope(Role.REVIEWER), content.id, "Add sources.")

    notification = db.session.scalars(
        db.select(Notification).where(Notification.user_id == tenant.editor.id)
    ).one()
    assert notification.kind == EventKind.CHANGES_REQUESTED
    assert notification.body == "Add sources."
    assert notification.actor_id == tenant.reviewer.id


def test_an_approval_tells_the_submitter_and_the_last_editor_once_each(tenant):
    writer = make_user(tenant.account, Role.EDITOR, email="writer@example.com")
    content = _submitted(tenant, last_edited_by_id=writer.id)
    review.approve(tenant.scope(Role.REVIEWER), content.id, "Fine.", override_checks=True)

    assert "approved" in _kinds(tenant.editor)
    assert "approved" in _kinds(writer)
    assert _kinds(tenant.reviewer) == ["review_submitted"]  # the approver is not told of their approval


def test_an_approval_by_the_submitter_s_own_editor_is_one_notification(tenant):
    content = _submitted(tenant, last_edited_by_id=None)
    content.last_edited_by_id = tenant.editor.id
    review.approve(tenant.scope(Role.REVIEWER), content.id, "Fine.", override_checks=True)
    assert _kinds(tenant.editor).count("approved") == 1


def test_a_mention_tells_that_member_by_name_or_email(tenant, other_tenant):
    tenant.viewer.name = "Vera Viewer"
    content = _submitted(tenant)
    review.request_changes(
        tenant.scope(Role.REVIEWER),
        content.id,
        f"@vera viewer please check; cc @{tenant.admin.email.split('@')[0]} and @{other_tenant.editor.name or 'x'}",
    )

    assert _kinds(tenant.viewer) == ["mentioned"]
    assert _kinds(tenant.admin) == ["review_submitted", "mentioned"]
    assert _kinds(other_tenant.editor) == []  # not a member: never told
    assert _kinds(tenant.editor) == ["changes_requested"]  # told once, not again as a mention


def test_a_partial_handle_is_not_a_mention(tenant):
    tenant.viewer.name = "Ann"
    db.session.flush()
    assert tenant.viewer.id not in events.mentioned_ids(tenant.account.id, "@annabel and me@ann.example")
    assert tenant.viewer.id in events.mentioned_ids(tenant.account.id, "thanks, @Ann!")


def test_removed_or_inactive_members_are_not_notified(tenant):
    tenant.admin.active = False
    db.session.flush()
    _submitted(tenant)
    assert _kinds(tenant.admin) == [] and _kinds(tenant.reviewer) == ["review_submitted"]


def _job(tenant, kind: str, user, **values) -> Job:
    job = jobs.create_job(tenant.scope(Role.EDITOR), kind, object_type="task", object_ids=[1, 2], total=2)
    job.user_id = user.id
    for key, value in values.items():
        setattr(job, key, value)
    return job


def test_a_finished_or_failed_ai_job_tells_whoever_started_it(tenant):
    finished = _job(tenant, "generate_content", tenant.editor)
    jobs.finish(finished)
    failed = _job(tenant, "generate_images", tenant.editor)
    jobs.fail_job(failed, "Worker lost.")

    inbox_rows = _inbox(tenant.editor)
    assert inbox_rows == [
        ("job_finished", "Generate content finished"),
        ("job_failed", "Generate images failed"),
    ]
    assert _kinds(tenant.reviewer) == []


def test_other_jobs_notify_nobody(tenant):
    job = _job(tenant, "wordpress_sync_taxonomies", tenant.editor)
    jobs.finish(job)
    canceled = _job(tenant, "generate_content", tenant.editor, status=JobStatus.QUEUED)
    jobs.cancel_job(tenant.scope(Role.EDITOR), canceled.id)
    assert _kinds(tenant.editor) == []


def test_publish_end_tells_submitter_and_last_editor_not_the_reviewer_twice(tenant):
    content = _submitted(tenant)
    job = jobs.create_job(
        tenant.scope(Role.REVIEWER),
        "wordpress_publish",
        object_type="content",
        object_ids=[content.id],
        total=5,
    )
    events.publish_ended(job, content.id)
    events.publish_ended(job, content.id, "WordPress refused the login.")
    jobs.finish(job, error="WordPress refused the login.")

    assert _kinds(tenant.editor) == ["published", "publish_failed"]
    assert _kinds(tenant.reviewer) == ["review_submitted", "job_failed"]
    failed = db.session.scalars(db.select(Notification).where(Notification.kind == "publish_failed")).one()
    assert failed.body == "WordPress refused the login." and failed.content_id == content.id


def test_the_inbox_counts_unread_and_marks_read(tenant):
    _submitted(tenant)
    other = _submitted(tenant)
    scope = tenant.scope(Role.REVIEWER)
    assert inbox.unread_count(scope) == 2
    page = inbox.list_notifications(scope)
    assert [n.content_id for n in page.items] == [other.id, other.id - 1]  # newest first

    inbox.mark_read(scope, page.items[0].id)
    assert inbox.unread_count(scope) == 1
    assert [n.id for n in inbox.list_notifications(scope, unread_only=True).items] == [page.items[1].id]
    assert inbox.mark_all_read(scope) == 1
    assert inbox.unread_count(scope) == 0


def test_someone_else_s_notification_is_not_found(tenant):
    _submitted(tenant)
    mine = db.session.scalars(db.select(Notification).where(Notification.user_id == tenant.reviewer.id)).one()
    with pytest.raises(NotFound):
        inbox.mark_read(tenant.scope(Role.ADMIN), mine.id)
    assert mine.read_at is None


def test_email_choices_default_on_and_are_kept(tenant):
    scope = tenant.scope(Role.EDITOR)
    assert all(inbox.email_choices(scope).values())
    inbox.set_email_choices(scope, {"approved"})
    choices = inbox.email_choices(scope)
    assert choices["approved"] and not choices["changes_requested"]


def test_content_status_is_untouched_by_notifying(tenant):
    content = _submitted(tenant)
    assert content.status == ContentStatus.REVIEW


def test_the_bell_count_comes_from_the_cache_until_a_notification_arrives_or_is_read(tenant, redis_url):
    def counted(scope) -> tuple[int, int]:
        with count_queries() as queries:
            unread = inbox.unread_count(scope)
        return unread, queries.counts

    _submitted(tenant)
    db.session.commit()
    scope = tenant.scope(Role.REVIEWER)
    assert counted(scope) == (1, 1)
    assert counted(scope) == (1, 0)  # cached
    assert counted(tenant.scope(Role.EDITOR)) == (0, 1)  # each user has their own count

    # Submitted, not committed yet: this transaction's count, not the cached one.
    review.submit_for_review(tenant.scope(Role.EDITOR), make_content(tenant.cluster, "Wind guide").id)
    assert counted(scope) == (2, 1)
    db.session.commit()
    assert counted(scope) == (2, 1)
    first = inbox.list_notifications(scope).items[-1]
    inbox.mark_read(scope, first.id)
    db.session.commit()
    assert counted(scope) == (1, 1)
    inbox.mark_all_read(scope)
    db.session.commit()
    assert counted(scope) == (0, 1)
    assert counted(scope) == (0, 0)
