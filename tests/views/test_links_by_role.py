"""Nobody is shown a link or a form that answers 403 for them.

Walks every page reachable from the dashboard as each role, follows every link (GET) and checks every
form's action against the role its route declares — without sending the forms, which would change data.
"""

from __future__ import annotations

from collections import deque
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from flask import Flask
from werkzeug.exceptions import HTTPException

from tests.support import factories
from writer_app.models import ContentStatus, Image, ImageType, Role, db
from writer_app.views.navigation import required_role

MAX_PAGES = 120  # pages parsed per role; links beyond are still requested
SKIP_PREFIXES = ("/static/", "/logout", "/images/file/")


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []
        self.forms: list[tuple[str, str]] = []  # (method, action)
        self.formactions: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])
        elif tag == "form":
            self.forms.append((a.get("method", "get").lower(), a.get("action", "")))
        elif tag in ("button", "input") and a.get("formaction"):
            self.formactions.append(a["formaction"])


def _local(base: str, href: str) -> str | None:
    if href.startswith(("#", "mailto:", "javascript:")):
        return None
    url = urlsplit(urljoin(base, href))
    if url.netloc not in ("", "localhost"):
        return None
    path = url.path + (f"?{url.query}" if url.query else "")
    return None if path.startswith(SKIP_PREFIXES) else path


def _post_role(app: Flask, path: str) -> tuple[str, Role | None]:
    adapter = app.url_map.bind("localhost")
    try:
        endpoint, _ = adapter.match(urlsplit(path).path, method="POST")
    except HTTPException as error:  # a form posting to a URL that takes no POST is a bug too
        raise AssertionError(f"form action {path} answers {error.code} to POST") from error
    return endpoint, required_role(endpoint)


@pytest.fixture
def site_data(tenant):
    content = factories.make_content(tenant.cluster, "Heat pumps explained", status=ContentStatus.REVIEW)
    factories.make_task(tenant.cluster, "Heat pump costs")
    db.session.add(
        Image(
            account_id=tenant.account.id,
            site_id=tenant.site.id,
            sector_id=tenant.sector.id,
            content_id=content.id,
            image_type=ImageType.FEATURED,
            position=0,
            image_path=f"{tenant.account.id}/{tenant.site.id}/x.png",
        )
    )
    db.session.commit()
    return tenant


@pytest.mark.parametrize("role", list(Role))
def test_no_link_or_form_answers_403(app, client, login, site_data, role):
    login(site_data.users[role])
    queue, seen, parsed = deque(["/"]), {"/"}, 0
    refused: list[str] = []
    post_actions: dict[str, str] = {}
    while queue:
        path = queue.popleft()
        response = client.get(path)
        body = response.get_data(as_text=True)  # also runs streamed downloads to their end
        assert response.status_code < 500, f"{path} answered {response.status_code} for a {role.value}"
        if response.status_code == 403:
            refused.append(path)
        if response.status_code != 200 or "text/html" not in response.content_type or parsed >= MAX_PAGES:
            continue
        parsed += 1
        page = _Links()
        page.feed(body)
        for href in page.links:
            target = _local(path, href)
            if target and target not in seen:
                seen.add(target)
                queue.append(target)
        actions = [action for method, action in page.forms if method == "post"] + page.formactions
        for action in actions:
            target = _local(path, action or path)
            if target:
                post_actions.setdefault(target, path)
    assert refused == [], f"a {role.value} is shown links that answer 403"
    too_high = {}
    for action, shown_on in post_actions.items():
        endpoint, needed = _post_role(app, action)
        if needed is not None and not role.at_least(needed):
            too_high[action] = f"{endpoint} needs {needed.value}, shown on {shown_on}"
    assert too_high == {}, f"a {role.value} is shown forms that answer 403"
    assert parsed > 10  # the walk really went through the app


def test_links_follow_the_role_a_route_declares(app, client, login, site_data):
    """The header and the Settings tabs are derived from `role_required`, not listed per role."""
    login(site_data.viewer)
    html = client.get("/settings/tokens").get_data(as_text=True)
    for admin_only in ("/settings/members", "/settings/ai/", "/content/settings", "/settings/audit/"):
        assert f'href="{admin_only}"' not in html
    assert f'/settings/sites/{site_data.site.id}/wordpress"' not in client.get("/settings/sites").get_data(
        as_text=True
    )
    assert 'href="/jobs/"' in html  # the Jobs link is in everyone's navigation
    client.post("/logout")
    login(site_data.admin)
    html = client.get("/settings/tokens").get_data(as_text=True)
    for admin_only in ("/settings/members", "/settings/ai/", "/content/settings", "/settings/audit/"):
        assert f'href="{admin_only}"' in html
