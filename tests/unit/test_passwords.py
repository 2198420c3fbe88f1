"""Passwords: scrypt at OWASP's memory-lean setting, upgraded on login, unknown emails as slow as wrong
passwords."""

from __future__ import annotations

import pytest
from werkzeug.security import generate_password_hash

from tests.support.factories import PASSWORD
from writer_app.config import load_config
from writer_app.models import db
from writer_app.services.identity import accounts


def test_the_default_is_scrypt_with_16_mib_of_memory(tmp_path, monkeypatch):
    monkeypatch.delenv("PASSWORD_HASH_METHOD", raising=False)
    method = load_config(str(tmp_path))["PASSWORD_HASH_METHOD"]
    n, r, p = (int(part) for part in method.removeprefix("scrypt:").split(":"))
    assert (n, r, p) == (2**14, 8, 5)
    assert 128 * n * r == 16 * 1024 * 1024  # scrypt's memory: 128 * N * r bytes


def test_a_login_stores_an_old_hash_anew_with_the_current_method(tenant, app):
    user = tenant.editor
    user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:600")
    db.session.commit()

    assert accounts.authenticate(user.email, PASSWORD) is user
    db.session.commit()
    assert user.password_hash.startswith(app.config["PASSWORD_HASH_METHOD"] + "$")
    assert accounts.authenticate(user.email, PASSWORD) is user  # and it still opens


def test_a_wrong_password_changes_nothing(tenant):
    user = tenant.editor
    old = user.password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:600")
    db.session.commit()
    assert accounts.authenticate(user.email, "not-the-password") is None
    assert user.password_hash == old


def test_an_unknown_email_costs_a_hash_check_too(tenant, monkeypatch: pytest.MonkeyPatch):
    checked: list[str] = []
    original = accounts.check_password_hash

    def counting(stored: str, password: str) -> bool:
        checked.append(stored)
        return original(stored, password)

    monkeypatch.setattr(accounts, "check_password_hash", counting)
    assert accounts.authenticate("nobody@example.com", PASSWORD) is None
    assert accounts.authenticate(tenant.editor.email, "not-the-password") is None
    assert len(checked) == 2
