"""The email field every form uses, checked by the one rule in services/identity/emails.py."""

from __future__ import annotations

from typing import Any

from wtforms import EmailField, ValidationError
from wtforms.validators import DataRequired

from writer_app.services.identity.emails import INVALID_EMAIL, is_valid_email


class EmailAddress:
    """WTForms validator for services.emails' rule (empty values are left to DataRequired)."""

    def __call__(self, form: Any, field: Any) -> None:
        if field.data and not is_valid_email(field.data):
            raise ValidationError(INVALID_EMAIL)


def email_field(label: str = "Email") -> EmailField:
    return EmailField(label, validators=[DataRequired(), EmailAddress()])
