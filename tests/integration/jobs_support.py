"""Fixtures for the AI job tests: the app pointed at the local OpenAI-compatible server, credits."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask

from tests.support import factories
from tests.support.factories import Tenant
from writer_app.models import db


@pytest.fixture
def ai_app(app: Flask, openai_config: dict[str, Any]) -> Iterator[Flask]:
    """The app using the openai provider against `openai_server` for this test (real HTTP + SDK)."""
    saved = {key: app.config.get(key) for key in openai_config}
    app.config.update(openai_config)
    try:
        yield app
    finally:
        app.config.update(saved)


def fund(tenant: Tenant, amount: int) -> None:
    factories.add_credits(tenant.account, amount, "test funds")
    db.session.commit()
