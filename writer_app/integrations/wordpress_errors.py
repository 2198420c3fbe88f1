"""WordPress's answers read: JSON or a `WordPressError` subclass carrying the HTTP status and WordPress's
error `code`, `message` and `data` (see wordpress.py for what each class means to callers)."""

from __future__ import annotations

import html
import re
from typing import Any

import requests


class WordPressError(Exception):
    """A WordPress call failed; `status`, `code`, `message` and `data` say how."""

    def __init__(
        self, message: str, *, status: int | None = None, code: str | None = None, data: Any = None
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.data = data if data is not None else {}

    def __str__(self) -> str:
        detail = ", ".join(str(part) for part in (self.status and f"HTTP {self.status}", self.code) if part)
        return f"{self.message} ({detail})" if detail else self.message


class WordPressAuthError(WordPressError):
    """401/403: the credentials are not accepted or the user lacks a capability."""


class WordPressNotFound(WordPressError):
    """404: the object or route does not exist."""


class WordPressUnavailable(WordPressError):
    """Connection refused, timeout or a 5xx: transient, worth retrying later."""


def json_or_none(response: requests.Response) -> Any:
    if "json" not in response.headers.get("Content-Type", ""):
        return None
    try:
        return response.json()
    except ValueError:
        return None


def parse(response: requests.Response) -> Any:
    if response.status_code >= 300:
        raise error_from(response)
    body = json_or_none(response)
    if body is None and response.status_code != 204:
        raise WordPressError(
            f"WordPress answered {response.status_code} without JSON (a cache, firewall or plugin in the way?)",
            status=response.status_code,
            code="not_json",
        )
    return body


def error_from(response: requests.Response) -> WordPressError:
    status = response.status_code
    body = json_or_none(response)
    body = body if isinstance(body, dict) else {}
    code = body.get("code") or None
    message = re.sub(r"<[^>]+>", "", html.unescape(str(body.get("message") or ""))).strip()
    if not message:
        message = f"WordPress answered HTTP {status} {response.reason or ''}".strip()
        if 300 <= status < 400:
            message += f": the API redirects to {response.headers.get('Location', '?')}"
    error_class = WordPressError
    if status in (401, 403):
        error_class = WordPressAuthError
    elif status == 404:
        error_class = WordPressNotFound
    elif status >= 500:
        error_class = WordPressUnavailable
    return error_class(message, status=status, code=code, data=body.get("data"))
