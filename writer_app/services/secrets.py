"""Secrets at rest (WordPress application passwords), encrypted with Fernet."""

from __future__ import annotations

import base64
import hashlib

from cryptography.fernet import Fernet, InvalidToken
from flask import current_app


def _fernet() -> Fernet:
    key = current_app.config.get("ENCRYPTION_KEY") or ""
    if not key:
        # Derived from SECRET_KEY so a fresh install works; set ENCRYPTION_KEY to rotate SECRET_KEY freely.
        digest = hashlib.sha256(("writer-secrets:" + current_app.config["SECRET_KEY"]).encode()).digest()
        key = base64.urlsafe_b64encode(digest).decode()
    return Fernet(key.encode() if isinstance(key, str) else key)


def encrypt(plaintext: str) -> bytes:
    return _fernet().encrypt(plaintext.encode())


def decrypt(token: bytes | None) -> str:
    """The plaintext, or "" when there is none or it cannot be decrypted with the current key."""
    if not token:
        return ""
    try:
        return _fernet().decrypt(bytes(token)).decode()
    except InvalidToken:
        return ""
