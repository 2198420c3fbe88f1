"""Fixtures for the AI job tests: the app pointed at the local OpenAI-compatible server, credits."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
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


def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def kill_worker(process: subprocess.Popen[str]) -> None:
    """SIGKILL a worker and every process it started, at once: RQ's work horse runs in a process group
    of its own, so killing the worker's group alone leaves the horse (and its job) running."""
    tree, todo = [], [process.pid]
    while todo:
        pid = todo.pop()
        tree.append(pid)
        todo.extend(_children(pid))
    for pid in tree:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    process.wait(timeout=10)
