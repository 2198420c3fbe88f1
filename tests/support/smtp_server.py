"""A real SMTP server in the test process (aiosmtpd) that keeps what it receives, and the app
configured to send through it."""

from __future__ import annotations

import email
import email.policy
from collections.abc import Iterator
from dataclasses import dataclass, field
from email.message import Message
from typing import Any

import pytest
from aiosmtpd.controller import Controller
from flask import Flask

from tests.support.local_http import closed_port

__all__ = ["ReceivedMail", "mail_config_fixture", "smtp_down_fixture", "smtp_server_fixture"]


@dataclass
class ReceivedMail:
    messages: list[tuple[list[str], Message]] = field(default_factory=list)

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:
        self.messages.append(
            (list(envelope.rcpt_tos), email.message_from_bytes(envelope.content, policy=email.policy.default))
        )
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [message for rcpts, message in self.messages if address in rcpts]

    @property
    def recipients(self) -> list[str]:
        return sorted(r for rcpts, _ in self.messages for r in rcpts)


@pytest.fixture(name="smtp_server")
def smtp_server_fixture() -> Iterator[tuple[ReceivedMail, int]]:
    handler = ReceivedMail()
    port = closed_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield handler, port
    finally:
        controller.stop()


@pytest.fixture(name="mail_config")
def mail_config_fixture(
    app: Flask, smtp_server: tuple[ReceivedMail, int], monkeypatch: pytest.MonkeyPatch
) -> ReceivedMail:
    """The app sends email through the test's SMTP server (inline: the tests run without Redis)."""
    handler, port = smtp_server
    monkeypatch.setitem(app.config, "SMTP_URL", f"smtp://127.0.0.1:{port}")
    monkeypatch.setitem(app.config, "MAIL_FROM", "Writer <writer@example.com>")
    monkeypatch.setitem(app.config, "PUBLIC_URL", "https://writer.example.com")
    return handler


@pytest.fixture(name="smtp_down")
def smtp_down_fixture(app: Flask, monkeypatch: pytest.MonkeyPatch) -> str:
    """SMTP_URL pointing at a port nobody listens on."""
    url = f"smtp://127.0.0.1:{closed_port()}"
    monkeypatch.setitem(app.config, "SMTP_URL", url)
    monkeypatch.setitem(app.config, "MAIL_FROM", "writer@example.com")
    return url
