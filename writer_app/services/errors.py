"""Domain errors raised by services; the HTML layer shows them as messages, the API as JSON errors."""

from __future__ import annotations


class DomainError(Exception):
    status = 400
    code = "invalid"

    def __init__(self, message: str, fields: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.fields = fields or {}


class ValidationError(DomainError):
    status = 400
    code = "validation_error"

    @classmethod
    def field(cls, name: str, message: str) -> ValidationError:
        return cls(message, {name: [message]})


class NotFound(DomainError):
    status = 404
    code = "not_found"


class PermissionDenied(DomainError):
    status = 403
    code = "forbidden"


class Conflict(DomainError):
    status = 409
    code = "conflict"


class InsufficientCredits(DomainError):
    status = 402
    code = "insufficient_credits"
