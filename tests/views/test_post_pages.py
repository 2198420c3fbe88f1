"""Pages answering a POST: 303 after success, and after an error the form keeps what the user gave
and the address bar gets a URL that answers GET."""

from __future__ import annotations

import re

import pytest

from tests.support import factories
from writer_app.models import ContentStatus, db


@pytest.fixture
def blocked_content(tenant):
    from writer_app.services import secrets

    tenant.site.wp_url, tenant.site.wp_username = "http://127.0.0.1:9", "writer"
    tenant.site.wp_app_password_encrypted = secrets.encrypt("abcd efgh ijkl mnop")
    content = factories.make_content(tenant.cluster, "Heat pumps", status=ContentStatus.REVIEW)
    content.meta_description = ""  # a required check fails
    db.session.commit()
    return content


def _page_url(html: str) -> str | None:
    match = re.search(r'<meta name="writer-page-url" content="([^"]+)">', html)
    return match.group(1) if match else None


def test_override_keeps_its_tick_and_comment_after_an_error_at_the_pages_address(
    client, login, tenant, blocked_content
):
    login(tenant.reviewer)
    url = f"/content/{blocked_content.id}"
    blocked = client.post(f"{url}/approve", data={"comment": ""})
    assert blocked.status_code == 409 and _page_url(blocked.get_data(as_text=True)) == url
    long_comment = "x" * 5001  # too long: a form error, with the override ticked
    again = client.post(f"{url}/approve", data={"override_checks": "y", "comment": long_comment})
    html = again.get_data(as_text=True)
    assert again.status_code == 422
    assert re.search(r'name="override_checks" value="y" checked', html)  # the tick stays
    assert long_comment in html  # and the comment
    assert _page_url(html) == url


def test_pages_of_urls_that_answer_get_name_no_other_address(client, login, tenant):
    login(tenant.editor)
    response = client.post("/tasks/new", data={"title": ""})
    assert response.status_code == 422 and _page_url(response.get_data(as_text=True)) is None


def test_success_after_a_post_is_a_303(client, login, tenant):
    login(tenant.admin)
    response = client.post("/settings/sites", data={"name": "Second"})
    assert response.status_code == 303 and response.headers["Location"] == "/settings/sites"
