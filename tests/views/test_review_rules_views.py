"""The review page's WordPress buttons (publish, schedule, update) obey the review rules like approve:
a draft is not published, the reviewer who edited last does not publish their own text. Nothing reaches
WordPress: the rules refuse first (the site points at a port nobody answers)."""

from __future__ import annotations

from datetime import datetime, timedelta

from tests.support import factories
from writer_app.models import Content, ContentStatus, Role, SyncStatus, db
from writer_app.services import content as cs
from writer_app.services import secrets


def _post(tenant: factories.Tenant, status: ContentStatus) -> Content:
    site = tenant.site
    site.wp_url, site.wp_username = "http://127.0.0.1:9", "writer"
    site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    content = factories.make_content(
        tenant.cluster, "Heat pumps explained", status=status, last_edited_by_id=tenant.editor.id,
        **factories.PUBLISHABLE,
    )  # fmt: skip
    db.session.commit()
    return content


def _reload(content_id: int) -> Content:
    db.session.expire_all()
    found = db.session.get(Content, content_id)
    assert found is not None
    return found


def test_a_draft_cannot_be_published_or_scheduled_from_the_page(client, login, tenant) -> None:
    draft = _post(tenant, ContentStatus.DRAFT)
    login(tenant.reviewer)
    page = client.get(f"/content/{draft.id}").get_data(as_text=True)
    assert "Publish to WordPress" not in page and "submitted for review and a reviewer approved it" in page

    response = client.post(f"/content/{draft.id}/wordpress/publish", follow_redirects=True)
    assert "submit it for review first" in response.get_data(as_text=True)
    when = (datetime.now() + timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    response = client.post(
        f"/content/{draft.id}/wordpress/schedule", data={"when": when}, follow_redirects=True
    )
    assert "submit it for review first" in response.get_data(as_text=True)
    draft = _reload(draft.id)
    assert draft.status == ContentStatus.DRAFT and draft.scheduled_at is None


def test_the_reviewer_who_edited_last_cannot_publish_from_the_page(client, login, tenant) -> None:
    content = _post(tenant, ContentStatus.REVIEW)
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, title="Heat pumps, the reviewer's version")
    db.session.commit()
    login(tenant.reviewer)
    page = client.get(f"/content/{content.id}").get_data(as_text=True)
    assert "Publish to WordPress" not in page and "You edited this content last" in page

    response = client.post(f"/content/{content.id}/wordpress/publish", follow_redirects=True)
    assert "another reviewer must approve it" in response.get_data(as_text=True)
    assert _reload(content.id).status == ContentStatus.REVIEW


def test_update_in_wordpress_needs_another_reviewer_after_own_edit(client, login, tenant) -> None:
    content = _post(tenant, ContentStatus.PUBLISHED)
    cs.update_content(tenant.scope(Role.REVIEWER), content.id, title="Heat pumps, edited after publishing")
    db.session.commit()
    login(tenant.reviewer)
    assert "Update on WordPress" not in client.get(f"/content/{content.id}").get_data(as_text=True)
    response = client.post(f"/content/{content.id}/wordpress/update", follow_redirects=True)
    assert "another reviewer must approve it" in response.get_data(as_text=True)
    assert _reload(content.id).sync_status == SyncStatus.NONE  # nothing was started
