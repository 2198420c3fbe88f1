"""The inbox, the review queue and the calendar pages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from tests.integration.test_publishing_fake import fake_wordpress  # noqa: F401 - the fixture
from tests.integration.wp_helpers import publishable, reload
from tests.support.factories import make_content, make_tenant
from tests.support.queries import count_queries
from writer_app.models import ContentStatus, Revision, Role, db
from writer_app.models.base import utcnow
from writer_app.services import secrets
from writer_app.services.notifications import inbox
from writer_app.services.publishing import actions as publishing
from writer_app.services.review import decisions as review


def _submit(tenant, title="Solar guide"):
    content = make_content(tenant.cluster, title)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    return content


# --- inbox --------------------------------------------------------------------------------------


def test_the_bell_counts_unread_and_the_inbox_lists_newest_first(client, login, tenant):
    first, second = _submit(tenant, "First"), _submit(tenant, "Second")
    login(tenant.reviewer)

    page = client.get("/tasks/").get_data(as_text=True)
    assert 'aria-label="Inbox, 2 unread"' in page and 'data-testid="inbox-count">2<' in page

    inbox_page = client.get("/inbox").get_data(as_text=True)
    assert inbox_page.index("“Second”") < inbox_page.index("“First”")
    assert client.get("/inbox/count").get_data(as_text=True).count("inbox-count") == 1
    del first, second


def test_the_polled_bell_reads_no_more_than_its_count(client, login, tenant):
    # Every open tab asks for it every few seconds: the layout's site switcher is not part of it.
    _submit(tenant)
    login(tenant.reviewer)
    client.get("/inbox/count")
    with count_queries() as queries:
        answer = client.get("/inbox/count").get_data(as_text=True)
    assert 'data-testid="inbox-count">1<' in answer
    assert not [s for s in queries.statements if "sites" in s]
    assert len(queries.statements) == 2  # the login session, the unread count


def test_opening_a_notification_marks_it_read_and_goes_to_its_content(client, login, tenant):
    content = _submit(tenant)
    notification = inbox.list_notifications(tenant.scope(Role.REVIEWER)).items[0]
    login(tenant.reviewer)

    response = client.post(f"/inbox/{notification.id}/open")

    assert response.status_code == 303 and response.headers["Location"] == f"/content/{content.id}"
    assert inbox.unread_count(tenant.scope(Role.REVIEWER)) == 0
    assert 'aria-label="Inbox, 0 unread"' in client.get("/inbox").get_data(as_text=True)


def test_mark_one_and_all_read(client, login, tenant):
    _submit(tenant, "One"), _submit(tenant, "Two"), _submit(tenant, "Three")
    scope = tenant.scope(Role.REVIEWER)
    newest = inbox.list_notifications(scope).items[0]
    login(tenant.reviewer)

    client.post(f"/inbox/{newest.id}/read")
    assert inbox.unread_count(scope) == 2
    assert "“Three”" not in client.get("/inbox?unread=1").get_data(as_text=True)
    client.post("/inbox/read-all")
    assert inbox.unread_count(scope) == 0


def test_another_user_s_notification_is_a_404(client, login, tenant):
    _submit(tenant)
    notification = inbox.list_notifications(tenant.scope(Role.REVIEWER)).items[0]
    login(tenant.admin)
    assert client.post(f"/inbox/{notification.id}/open").status_code == 404
    assert client.post(f"/inbox/{notification.id}/read").status_code == 404


def test_email_preferences_page_saves_choices(client, login, tenant):
    login(tenant.editor)
    assert "Email me when" in client.get("/inbox/preferences").get_data(as_text=True)
    client.post("/inbox/preferences", data={"email_approved": "1"})
    choices = inbox.email_choices(tenant.scope(Role.EDITOR))
    assert choices["approved"] and not choices["review_submitted"]


# --- review queue -------------------------------------------------------------------------------


def test_the_review_queue_lists_waiting_content_oldest_submission_first(client, login, tenant, other_tenant):
    older = _submit(tenant, "Older")
    newer = _submit(tenant, "Newer")
    older.submitted_at = utcnow() - timedelta(days=3)
    db.session.add(
        Revision(
            account_id=tenant.account.id,
            content_id=newer.id,
            number=1,
            title="Newer",
            analysis={"seo_score": 81, "readability_score": 47, "word_count": 10, "checks": []},
        )
    )
    make_content(tenant.cluster, "Still a draft")
    _submit(other_tenant, "Other account")
    db.session.commit()
    login(tenant.reviewer)

    page = client.get("/review?site_id=all").get_data(as_text=True)

    assert page.index("Older") < page.index("Newer")
    assert "Still a draft" not in page and "Other account" not in page
    assert tenant.editor.display_name in page  # the submitter
    assert "3 days ago" in page
    assert ">81<" in page and ">47<" in page
    assert 'data-testid="review-count"' in page and ">2</span>" in page


def test_the_review_queue_site_filter_answers_htmx_with_the_queue_alone(client, login, tenant):
    # Changing the Site select sends this request (hx-get); the block must render on its own.
    _submit(tenant, "Waiting piece")
    login(tenant.reviewer)
    answer = client.get(f"/review?site_id={tenant.site.id}", headers={"HX-Request": "true"})
    html = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert "Waiting piece" in html and 'id="review-queue"' in html and "<h1>" not in html


def test_the_review_queue_is_for_reviewers(client, login, tenant):
    _submit(tenant)
    login(tenant.editor)
    assert client.get("/review").status_code == 403
    assert 'data-testid="review-count"' not in client.get("/tasks/").get_data(as_text=True)


def test_dashboard_counts_link_to_their_lists(client, login, tenant):
    login(tenant.reviewer)
    page = client.get("/").get_data(as_text=True)
    assert 'href="/content/?status=draft"' in page
    assert 'href="/tasks/?status=queued"' in page
    assert 'href="/review"' in page


# --- calendar -----------------------------------------------------------------------------------


def _connect(tenant, url):
    site = tenant.site
    site.wp_url, site.wp_username, site.wp_app_password_encrypted = url, "admin", secrets.encrypt("pw")


def _scheduled(tenant, slug, when):
    content = publishable(tenant, slug)
    db.session.commit()
    job = publishing.schedule(tenant.scope(Role.REVIEWER), content.id, when)
    db.session.commit()
    publishing.dispatch(job)
    db.session.expire_all()
    assert reload(content.id).external_metadata.get("wp_status") == "future", job.error
    return reload(content.id)


def test_the_calendar_shows_scheduled_and_published_content(client, login, tenant, fake_wordpress):  # noqa: F811
    fake, url = fake_wordpress
    fake.fail_creates = 0
    _connect(tenant, url)
    when = (datetime.now(UTC) + timedelta(days=2)).replace(tzinfo=None, second=0, microsecond=0)
    scheduled = _scheduled(tenant, "soon", when)
    live = make_content(tenant.cluster, "Live one", status=ContentStatus.PUBLISHED, published_at=utcnow())
    db.session.commit()
    login(tenant.viewer)

    page = client.get(f"/calendar?year={when.year}&month={when.month}&site_id=all").get_data(as_text=True)

    assert f'data-content-id="{scheduled.id}"' in page and "scheduled" in page
    if (live.published_at.year, live.published_at.month) == (when.year, when.month):
        assert "Live one" in page
    assert "Reschedule" not in page  # viewers only look


def test_a_reviewer_reschedules_through_the_publish_rules(client, login, tenant, fake_wordpress):  # noqa: F811
    fake, url = fake_wordpress
    fake.fail_creates = 0
    _connect(tenant, url)
    when = (datetime.now(UTC) + timedelta(days=2)).replace(tzinfo=None, second=0, microsecond=0)
    content = _scheduled(tenant, "moving", when)
    new_when = when + timedelta(days=5)
    login(tenant.reviewer)

    response = client.post(
        f"/calendar/{content.id}/reschedule",
        data={"when": new_when.strftime("%Y-%m-%dT%H:%M"), "year": new_when.year, "month": new_when.month},
    )

    assert response.status_code == 303
    db.session.expire_all()
    moved = reload(content.id)
    assert moved.scheduled_at.replace(tzinfo=None) == new_when  # the site is on UTC
    assert moved.external_metadata["wp_status"] == "future"
    post = fake.posts[int(moved.external_id)]
    assert post["status"] == "future"


def test_live_content_is_not_rescheduled(client, login, tenant):
    live = make_content(tenant.cluster, "Live", status=ContentStatus.PUBLISHED, published_at=utcnow())
    db.session.commit()
    login(tenant.reviewer)
    when = (datetime.now(UTC) + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(f"/calendar/{live.id}/reschedule", data={"when": when}, follow_redirects=True)
    assert "is not scheduled (it is live on WordPress already)" in response.get_data(as_text=True)
    assert reload(live.id).scheduled_at is None


def test_editors_cannot_reschedule(client, login, tenant):
    content = make_content(tenant.cluster)
    db.session.commit()
    login(tenant.editor)
    assert (
        client.post(f"/calendar/{content.id}/reschedule", data={"when": "2030-01-01T10:00"}).status_code
        == 403
    )


def test_overdue_posts_are_checked_and_a_missed_schedule_flagged(client, login, tenant, fake_wordpress):  # noqa: F811
    fake, url = fake_wordpress
    fake.fail_creates = 0
    _connect(tenant, url)
    when = (datetime.now(UTC) + timedelta(days=1)).replace(tzinfo=None, second=0, microsecond=0)
    missed = _scheduled(tenant, "missed", when)
    went_out = _scheduled(tenant, "went-out", when)
    # Time passes: both are due; WordPress's cron published only one of them.
    past = utcnow() - timedelta(hours=2)
    for content in (missed, went_out):
        content.scheduled_at = past
    fake.posts[int(went_out.external_id)]["status"] = "publish"
    db.session.commit()
    login(tenant.reviewer)
    month = f"/calendar?year={past.year}&month={past.month}&site_id=all"
    assert client.get(month).get_data(as_text=True).count("overdue</strong>") == 4  # grid and list

    response = client.post(
        "/calendar/check", data={"year": past.year, "month": past.month}, follow_redirects=True
    )

    page = response.get_data(as_text=True)
    assert "1 missed their schedule, 1 went out" in page
    assert page.count("missed schedule</strong>") == 2  # grid and list
    assert reload(went_out.id).published_at is not None
    assert reload(missed.id).external_metadata["missed_schedule"] is True


def test_the_calendar_is_per_account(client, login, tenant):
    other = make_tenant("Elsewhere")
    make_content(other.cluster, "Not yours", status=ContentStatus.PUBLISHED, published_at=utcnow())
    db.session.commit()
    login(tenant.viewer)
    now = utcnow()
    assert "Not yours" not in client.get(f"/calendar?year={now.year}&month={now.month}").get_data(
        as_text=True
    )
    assert client.get("/calendar?year=x&month=13").status_code == 200
