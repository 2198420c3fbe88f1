"""One rule for email addresses: the login form, sign-up, invitations and `create-user` all use it.

email-validator checks the syntax (no DNS lookups, which would make forms slow and flaky) and refuses
domains that cannot be on the internet (`localhost`, `.local`, `.invalid`, ...), but accepts `.test`
(RFC 2606), which development, the demo and the tests use alongside `example.com`.
"""

from __future__ import annotations

from email_validator import EmailNotValidError, validate_email

from writer_app.services.errors import ValidationError

MAX_EMAIL_LENGTH = 254
INVALID_EMAIL = "Enter a valid email address, like name@example.com."


def normalize_email(email: str | None) -> str:
    """The form every address is stored and looked up in."""
    return (email or "").strip().lower()


def is_valid_email(email: str | None) -> bool:
    address = normalize_email(email)
    if not address or len(address) > MAX_EMAIL_LENGTH:
        return False
    try:
        validate_email(address, check_deliverability=False, test_environment=True)
    except EmailNotValidError:
        return False
    return True


def clean_email(email: str | None, field: str = "email") -> str:
    """The normalized address, or a ValidationError on `field`."""
    if not is_valid_email(email):
        raise ValidationError.field(field, INVALID_EMAIL)
    return normalize_email(email)
