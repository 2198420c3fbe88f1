"""Email through a real SMTP server in the test process: who gets what, with which link; an SMTP
server that is down never fails the user's action, and its mail is retried, then recorded as failed."""

from __future__ import annotations

import pytest
from flask import Flask

from tests.support.factories import make_content
from tests.support.local_http import closed_port
from tests.support.workers import work_in_process
from writer_app.integrations import mail as smtp
from writer_app.jobs.queue import enqueue_deferred
from writer_app.models import ContentStatus, Invitation, Job, JobStatus, Notification, Role, db
from writer_app.services.jobs import RetryLater
from writer_app.services.notifications import inbox, mail
from writer_app.services.review import decisions as review


def _mail_jobs() -> list[Job]:
    return list(db.session.scalars(db.select(Job).where(Job.kind == "send_mail").order_by(Job.created_at)))


def test_a_submission_emails_the_reviewers_with_subject_and_link(client, login, tenant, mail_config):
    content = make_content(tenant.cluster, "Solar guide")
    db.session.commit()
    login(tenant.editor)

    handle = tenant.viewer.email.split("@")[0]
    response = client.post(f"/content/{content.id}/submit", data={"comment": f"Ready, @{handle}?"})

    assert response.status_code == 303
    assert mail_config.recipients == sorted([tenant.reviewer.email, tenant.admin.email, tenant.viewer.email])
    to_reviewer = mail_config.to(tenant.reviewer.email)
    assert len(to_reviewer) == 1
    message = to_reviewer[0]
    assert message["Subject"] == f"{tenant.editor.display_name} submitted “Solar guide” for review"
    assert message["From"] == "Writer <writer@example.com>"
    body = message.get_payload(decode=True).decode()
    assert f"https://writer.example.com/content/{content.id}" in body
    assert f"Ready, @{handle}?" in body
    assert "https://writer.example.com/inbox/preferences" in body
    [mention] = mail_config.to(tenant.viewer.email)
    assert mention["Subject"] == f"{tenant.editor.display_name} mentioned you on “Solar guide”"
    assert mail_config.to(tenant.editor.email) == []  # never the actor
    db.session.expire_all()
    assert {n.email_status for n in db.session.scalars(db.select(Notification))} == {"sent"}
    assert all(job.status == JobStatus.FINISHED for job in _mail_jobs())


def test_email_turned_off_for_a_kind_still_reaches_the_inbox(client, login, tenant, mail_config):
    inbox.set_email_choices(tenant.scope(Role.REVIEWER), {"approved"})
    content = make_content(tenant.cluster)
    db.session.commit()
    login(tenant.editor)
    client.post(f"/content/{content.id}/submit", data={})

    assert mail_config.to(tenant.reviewer.email) == []
    assert len(mail_config.to(tenant.admin.email)) == 1
    assert inbox.unread_count(tenant.scope(Role.REVIEWER)) == 1


def test_without_smtp_url_nothing_is_queued(client, login, tenant):
    content = make_content(tenant.cluster)
    db.session.commit()
    login(tenant.editor)
    client.post(f"/content/{content.id}/submit", data={})
    assert _mail_jobs() == []
    assert {n.email_status for n in db.session.scalars(db.select(Notification))} == {"none"}


def test_a_rolled_back_action_sends_nothing(tenant, mail_config, app: Flask):
    content = make_content(tenant.cluster)
    db.session.commit()
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.rollback()
    assert enqueue_deferred() == 0
    assert mail_config.messages == [] and _mail_jobs() == []


def test_smtp_down_never_fails_the_action_and_the_failure_is_shown_to_admins(
    client, login, tenant, smtp_down
):
    content = make_content(tenant.cluster, "Offline mail")
    db.session.commit()
    login(tenant.editor)

    response = client.post(f"/content/{content.id}/submit", data={})

    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.get(type(content), content.id).status == ContentStatus.REVIEW
    [job] = _mail_jobs()
    assert job.status == JobStatus.FAILED and job.ran_inline
    assert "Could not reach the SMTP server" in job.error
    statuses = {n.user_id: n.email_status for n in db.session.scalars(db.select(Notification))}
    assert statuses == {tenant.reviewer.id: "failed", tenant.admin.id: "failed"}

    assert client.get("/settings/email").status_code == 403  # editors do not see it
    client.post("/logout")
    login(tenant.admin)
    page = client.get("/settings/email").get_data(as_text=True)
    assert "Could not reach the SMTP server" in page and tenant.reviewer.email in page


def test_a_transient_failure_is_retried_then_recorded(tenant, smtp_down):
    content = make_content(tenant.cluster)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    [job] = _mail_jobs()  # not delivered: no request ended; run the attempts by hand
    job_id = job.id

    with pytest.raises(RetryLater):
        mail.run(job_id, final_attempt=False)
    db.session.expire_all()
    assert {n.email_status for n in db.session.scalars(db.select(Notification))} == {"pending"}

    mail.run(job_id, final_attempt=True)
    db.session.expire_all()
    assert db.session.get(Job, job_id).status == JobStatus.FAILED
    assert {n.email_status for n in db.session.scalars(db.select(Notification))} == {"failed"}


def test_an_admin_sends_failed_mail_again(app, client, login, tenant, mail_config, monkeypatch):
    working = app.config["SMTP_URL"]
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{closed_port()}")
    content = make_content(tenant.cluster)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    mail.run(_mail_jobs()[0].id, final_attempt=True)
    assert mail_config.messages == []

    monkeypatch.setitem(app.config, "SMTP_URL", working)  # the server is back
    login(tenant.admin)
    response = client.post("/settings/email/retry")

    assert response.status_code == 303
    assert mail_config.recipients == sorted([tenant.reviewer.email, tenant.admin.email])
    db.session.expire_all()
    assert {n.email_status for n in db.session.scalars(db.select(Notification))} == {"sent"}


def test_the_invitation_link_is_emailed_and_not_kept(client, login, tenant, mail_config):
    login(tenant.admin)
    page = client.post("/settings/members", data={"email": "new.person@example.com", "role": "editor"})
    text = page.get_data(as_text=True)
    assert "It is on its way to them by email" in text
    [message] = mail_config.to("new.person@example.com")
    assert message["Subject"] == f"Invitation to {tenant.account.name} on Writer"
    body = message.get_payload(decode=True).decode()
    link = next(word for word in body.split() if "/invitations/" in word)
    assert link in text  # the same link is shown to the admin
    [job] = _mail_jobs()
    assert job.status == JobStatus.FINISHED and "link" not in job.result
    assert db.session.scalars(db.select(Invitation)).one().email == "new.person@example.com"


def test_a_login_is_never_sent_without_tls(smtp_server):
    handler, port = smtp_server
    settings = smtp.parse_smtp_url(f"smtp://user:secret@127.0.0.1:{port}")
    message = smtp.build_message(sender="a@example.com", to="b@example.com", subject="Hi", text="x")
    with pytest.raises(smtp.MailError) as error:
        smtp.send(settings, message)
    assert not error.value.transient and "STARTTLS" in str(error.value)
    assert handler.messages == []


@pytest.mark.parametrize(
    ("url", "host", "port", "implicit", "user"),
    [
        ("smtp://u:p%40ss@mail.example.com:587", "mail.example.com", 587, False, "u"),
        ("smtps://mail.example.com", "mail.example.com", 465, True, ""),
        ("smtp://mail.example.com", "mail.example.com", 587, False, ""),
    ],
)
def test_smtp_urls(url, host, port, implicit, user):
    settings = smtp.parse_smtp_url(url)
    assert (settings.host, settings.port, settings.implicit_tls, settings.username) == (
        host,
        port,
        implicit,
        user,
    )


@pytest.mark.parametrize("url", ["http://mail.example.com", "smtp://", "smtp://host:notaport"])
def test_unusable_smtp_urls(url):
    with pytest.raises(smtp.MailConfigError):
        smtp.parse_smtp_url(url)


def test_with_redis_rq_retries_the_mail_then_records_the_failure(
    app, tenant, redis_url, smtp_down, monkeypatch
):
    monkeypatch.setitem(app.config, "MAIL_RETRY_INTERVALS", [0])
    attempts: list[str] = []
    real_send = smtp.send

    def counting_send(settings, message):
        attempts.append(message["To"])
        return real_send(settings, message)

    monkeypatch.setattr(smtp, "send", counting_send)
    content = make_content(tenant.cluster)
    review.submit_for_review(tenant.scope(Role.EDITOR), content.id)
    db.session.commit()
    assert enqueue_deferred() == 1  # queued for a worker, not run here
    [job] = _mail_jobs()
    assert job.status == JobStatus.QUEUED and not job.ran_inline

    work_in_process(redis_url, "mail")

    db.session.expire_all()
    assert len(attempts) == 4  # two recipients, two attempts each
    failed = db.session.get(Job, job.id)
    assert failed.status == JobStatus.FAILED and "Could not reach the SMTP server" in failed.error
    assert {n.email_status for n in db.session.scalars(db.select(Notification))} == {"failed"}
