"""Property-based sweep of bad input over every HTML route: no answer is ever a 5xx.

The routes come from `app.url_map`, so a new page or form is swept without editing this file:

- every GET page gets query strings built from the parameters its own links and GET forms use
  (filters, ordering, paging), plus `page` and `next`;
- every POST route gets bodies built from the fields of the forms that post to it on the rendered
  pages (the WTForms fields as the browser sends them), each field either its rendered value or a bad
  one: NUL and other control characters, huge and negative numbers, `1e20`, odd dates, long strings,
  unicode.

Logged in as the account's admin with one object of each kind, so every route is reachable. Runs on
SQLite and PostgreSQL (TEST_DATABASE=postgres); a fixed seed keeps CI stable.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from werkzeug.exceptions import HTTPException
from werkzeug.routing import Rule

from tests.support import factories
from writer_app import create_app
from writer_app.models import ImageType, Membership, Role, db
from writer_app.services import generation, taxonomies
from writer_app.services.identity import tokens
from writer_app.services.media import images

# Routes the sweep leaves out, and why. Each must still exist (a stale entry fails the suite).
EXCLUDED = {
    "static": "files, no input",
    "auth.logout": "ends the sweep's own session",
    # These call the site's WordPress over the network; their forms share the base form's rules and
    # the integration tests cover them against a real WordPress.
    "wordpress.test": "network",
    "wordpress.sync": "network",
    "wordpress.import_posts": "network",
    "wordpress.publish": "network",
    "wordpress.republish": "network",
    "wordpress.schedule": "network",
    "wordpress.unpublish": "network",
    "wordpress.status": "network",
}
# Routes that remove the object the others use run last.
LAST_WORDS = ("delete", "remove", "revoke", "cancel")

HUGE = "99999999999999999999"
BAD_VALUES = [
    "",
    "\x00",
    "a\x00b",
    "\x1b[31mred",
    "line\nbreak",
    "\ttab",
    "\r\n",
    "\x7f\x85\x9f",
    "1e20",
    "-1",
    "0",
    "-0",
    "1.5",
    HUGE,
    str(2**31),
    str(-(2**31) - 1),
    str(2**63),
    "NaN",
    "inf",
    "9999-12-31",
    "0001-01-01",
    "2026-02-30",
    "9999-12-31T23:59",
    "all",
    "-",
    "%00",
    "/",
    "//evil.example",
    "☀️ Café ñ 漢字 \u202e",
    "x" * 70_000,
]
bad_value = st.one_of(
    st.sampled_from(BAD_VALUES),
    st.text(max_size=30),
    st.text(st.characters(max_codepoint=0x9F), max_size=10),  # mostly control characters
    st.integers(min_value=-(2**70), max_value=2**70).map(str),
    st.dates(min_value=date(1, 1, 1), max_value=date(9999, 12, 31)).map(date.isoformat),
)
SWEEP = settings(
    max_examples=12,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.data_too_large,
    ],
)


def _rules() -> list[Rule]:
    """The HTML routes of an app built only to read its URL map (collection time)."""
    app = create_app(
        {"TESTING": True, "SECRET_KEY": "sweep-" * 8, "DATABASE_URL": "sqlite://", "REDIS_URL": ""}
    )
    return [r for r in app.url_map.iter_rules() if not r.rule.startswith("/api/")]


RULES = _rules()
GET_ENDPOINTS = sorted({r.endpoint for r in RULES if "GET" in r.methods and r.endpoint not in EXCLUDED})
POST_ENDPOINTS = sorted(
    {r.endpoint for r in RULES if "POST" in r.methods and r.endpoint not in EXCLUDED},
    key=lambda e: (any(word in e for word in LAST_WORDS), e),
)


def test_every_exclusion_names_a_route() -> None:
    assert set(EXCLUDED) <= {r.endpoint for r in RULES}


# -- the world: one object of each kind -------------------------------------------------------------------


def _seed(tenant: factories.Tenant) -> dict[str, Any]:
    """Path arguments naming real objects of the tenant, for every `<…>` in the routes."""
    admin = tenant.scope(Role.ADMIN)
    factories.add_credits(tenant.account, 1000)
    tenant.admin.is_operator = True  # so the operator's pages are swept too
    task = factories.make_task(tenant.cluster, "Sweep task")
    content = factories.make_content(tenant.cluster, "Sweep content")
    image = images.create_image(admin, image_type=ImageType.FEATURED.value, content_id=content.id)
    term = taxonomies.create_taxonomy(admin, site_id=tenant.site.id, name="News", taxonomy_type="category")
    token, _raw = tokens.create_token(tenant.admin, tenant.account.id, "sweep")
    viewer = db.session.scalar(select(Membership).where(Membership.user_id == tenant.viewer.id))
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [factories.make_task(tenant.cluster).id])
    db.session.commit()
    return {
        "task_id": task.id,
        "content_id": content.id,
        "cluster_id": tenant.cluster.id,
        "image_id": image.id,
        "taxonomy_id": term.id,
        "site_id": tenant.site.id,
        "token_id": token.id,
        "membership_id": viewer.id,
        "number": 1,
        "job_id": job.id,
    }


def _url(app: Flask, endpoint: str, method: str, ids: dict[str, Any]) -> str:
    rule = next(r for r in app.url_map.iter_rules(endpoint) if method in r.methods)
    with app.test_request_context():
        adapter = app.url_map.bind("localhost")
        return adapter.build(endpoint, {name: ids.get(name, 1) for name in rule.arguments}, method=method)


# -- what the pages send: field names and their rendered values --------------------------------------------


@dataclass
class Target:
    fields: dict[str, str] = field(default_factory=dict)  # name → rendered value

    def add(self, name: str, value: str) -> None:
        if name and name != "csrf_token":
            self.fields.setdefault(name, value)


class _Forms(HTMLParser):
    """Collects (method, action, {name: value}) of each form, and the URLs of links."""

    def __init__(self, page_url: str) -> None:
        super().__init__()
        self.page_url = page_url
        self.forms: list[tuple[str, str, dict[str, str]]] = []
        self.links: list[str] = []
        self._form: dict[str, str] | None = None
        self._select: str | None = None
        self._textarea: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        for key in ("href", "hx-get"):
            if a.get(key, "").startswith(("/", "?")):
                self.links.append(a[key])
        if tag == "form":
            self._form = {}
            method = a.get("method", "") or ("post" if "hx-post" in a else "get")
            action = a.get("action") or a.get("hx-post") or a.get("hx-get") or self.page_url
            self.forms.append((method.lower(), action, self._form))
        elif self._form is not None and tag in ("input", "button") and a.get("name"):
            if a.get("type") not in ("checkbox", "radio") or "checked" in a:
                self._form.setdefault(a["name"], a.get("value", ""))
            else:
                self._form.setdefault(a["name"], "")
        elif self._form is not None and tag == "select":
            self._select = a.get("name", "")
            self._form.setdefault(self._select, "")
        elif self._form is not None and tag == "option" and self._select:
            if "selected" in a or not self._form.get(self._select):
                self._form[self._select] = a.get("value", "")
        elif self._form is not None and tag == "textarea":
            self._textarea = a.get("name", "")
            self._form.setdefault(self._textarea, "")

    def handle_data(self, data: str) -> None:
        if self._form is not None and self._textarea:
            self._form[self._textarea] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self._form = None
        elif tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


_CATALOG: dict[tuple[str, str], Target] = {}


def _catalog(app: Flask, client: FlaskClient, ids: dict[str, Any]) -> dict[tuple[str, str], Target]:
    """(method, endpoint) → the fields the rendered pages send to it; built once per session."""
    if _CATALOG:
        return _CATALOG
    adapter = app.url_map.bind("localhost")
    for endpoint in GET_ENDPOINTS:
        page_url = _url(app, endpoint, "GET", ids)
        response = client.get(page_url)
        if response.status_code != 200 or "html" not in response.content_type:
            continue
        parser = _Forms(page_url)
        parser.feed(response.get_data(as_text=True))
        for method, action, values in parser.forms:
            for name, value in values.items():
                _target(adapter, method, action, page_url).add(name, value)
        for link in parser.links:
            for name, value in parse_qsl(urlsplit(link).query, keep_blank_values=True):
                _target(adapter, "get", link, page_url).add(name, value)
    return _CATALOG


def _target(adapter: Any, method: str, url: str, page_url: str) -> Target:
    path = urlsplit(url).path or urlsplit(page_url).path
    try:
        endpoint, _args = adapter.match(path, method=method.upper())
    except HTTPException:
        return Target()  # a form or link to somewhere else (or nowhere): not swept through here
    return _CATALOG.setdefault((method.upper(), endpoint), Target())


def _values(draw: Any, target: Target, extra: tuple[str, ...]) -> dict[str, str]:
    names = sorted({*target.fields, *extra})
    return {
        name: draw(st.one_of(st.just(target.fields.get(name, "")), bad_value), label=name) for name in names
    }


# -- the sweep ---------------------------------------------------------------------------------------------


@pytest.fixture
def swept(app: Flask, client: FlaskClient, tenant: factories.Tenant, login) -> Iterator[dict[str, Any]]:
    ids = _seed(tenant)
    login(tenant.admin)
    _catalog(app, client, ids)
    yield ids


def _check(response: Any, what: str) -> None:
    assert response.status_code < 500, (
        f"{what} → {response.status_code}\n{response.get_data(as_text=True)[:2000]}"
    )


@pytest.mark.parametrize("endpoint", GET_ENDPOINTS)
def test_query_strings_never_answer_5xx(app: Flask, client: FlaskClient, swept, endpoint: str) -> None:
    url = _url(app, endpoint, "GET", swept)
    target = _CATALOG.get(("GET", endpoint), Target())

    @SWEEP
    @given(st.data())
    def sweep(data: st.DataObject) -> None:
        query = urlencode(_values(data.draw, target, ("page", "page_size", "next")))
        _check(client.get(f"{url}?{query}"), f"GET {url}?{query[:300]}")
        _check(client.get(f"{url}?{query}", headers={"HX-Request": "true"}), f"GET (htmx) {url}")

    sweep()


@pytest.mark.parametrize("endpoint", POST_ENDPOINTS)
def test_form_posts_never_answer_5xx(app: Flask, client: FlaskClient, swept, endpoint: str) -> None:
    url = _url(app, endpoint, "POST", swept)
    target = _CATALOG.get(("POST", endpoint), Target())

    @SWEEP
    @given(st.data())
    def sweep(data: st.DataObject) -> None:
        body = _values(data.draw, target, ("next",))
        _check(client.post(url, data=body), f"POST {url} {sorted(body)}")

    sweep()


def test_the_sweep_reaches_the_forms(app: Flask, client: FlaskClient, swept) -> None:
    """The catalog really holds the forms' fields (else the sweep would only send `next`)."""
    fields = {key: set(target.fields) for key, target in _CATALOG.items()}
    assert {"title", "description", "word_count", "site_id"} <= fields[("POST", "tasks.new")]
    assert {"name"} <= fields[("POST", "settings.tokens_page")]
    assert {"alt_text", "position"} <= fields[("POST", "images.detail")]
    assert {"search", "status", "cluster_id", "ordering"} <= fields[("GET", "tasks.index")]
    assert {"date_from", "date_to", "user_id"} <= fields[("GET", "audit.index")]
