"""API test helpers: a client that sends a real bearer token for a tenant's user of each role."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from tests.support import factories
from writer_app.models import Role, User, db
from writer_app.models.base import utcnow
from writer_app.services.identity import tokens

PREFIX = "/api/v1"


class Api:
    """`api.get("/writer/tasks/", role=Role.VIEWER)`: requests with the token of that role's user."""

    def __init__(self, client: FlaskClient, tenant: factories.Tenant) -> None:
        self.client = client
        self.tenant = tenant
        self.tokens: dict[Role, str] = {}

    def token(self, role: Role = Role.EDITOR) -> str:
        if role not in self.tokens:
            self.tokens[role] = token_for(self.tenant.users[role], self.tenant.account.id)
        return self.tokens[role]

    def request(
        self, method: str, path: str, role: Role | None = Role.EDITOR, token: str | None = None, **kwargs: Any
    ) -> TestResponse:
        headers = dict(kwargs.pop("headers", {}) or {})
        raw = token if token is not None else (self.token(role) if role is not None else None)
        if raw is not None:
            headers["Authorization"] = f"Bearer {raw}"
        url = path if path.startswith(("/api/", "http://")) else PREFIX + path
        return self.client.open(url, method=method, headers=headers, **kwargs)

    def get(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("GET", path, **kwargs)

    def post(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("POST", path, **kwargs)

    def put(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("PUT", path, **kwargs)

    def patch(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("PATCH", path, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> TestResponse:
        return self.request("DELETE", path, **kwargs)


def token_for(user: User, account_id: int) -> str:
    """A real API token for the user's membership (committed, as the settings page would), already used
    once: its last use is then recorded at most once a minute, so query counts of later requests compare."""
    record, raw = tokens.create_token(user, account_id, "tests")
    record.last_used_at = utcnow()
    db.session.commit()
    return raw


@pytest.fixture
def api(client: FlaskClient, tenant: factories.Tenant) -> Api:
    return Api(client, tenant)


@pytest.fixture
def other_api(client: FlaskClient, other_tenant: factories.Tenant) -> Api:
    return Api(client, other_tenant)


def error_fields(response: TestResponse) -> dict[str, list[str]]:
    body = response.get_json()
    assert set(body) == {"error"}, body
    assert {"code", "message", "fields"} <= set(body["error"]), body
    return body["error"]["fields"]
