"""The base of every form: the shared input rules (services/inputs.py) as field errors.

Every form class derives from this `FlaskForm` instead of Flask-WTF's, so each text field refuses
control characters (multi-line fields keep tab, newline and CR) and each integer field refuses
numbers a column cannot hold, with the error shown on the field like any other.
"""

from __future__ import annotations

from typing import Any

import flask_wtf
from wtforms import DateField, DateTimeField, Field, IntegerField, TextAreaField

from writer_app.forms import attributes
from writer_app.services.inputs import MAX_DATE, MAX_INT, MIN_DATE, MIN_INT, text_problem

attributes.install()  # every form's widgets write their attributes the cheap way


def input_problem(field: Field) -> str | None:
    """What the shared input rules say about `field`'s submitted value (None: acceptable)."""
    multiline = isinstance(field, TextAreaField)
    for raw in field.raw_data or ():
        if isinstance(raw, str) and (problem := text_problem(raw, multiline=multiline)) is not None:
            return f"This field {problem}."
    number = field.data if isinstance(field, IntegerField) else None
    if isinstance(number, int) and not MIN_INT <= number <= MAX_INT:
        return f"Enter a number between {MIN_INT} and {MAX_INT}."
    if isinstance(field, DateField | DateTimeField) and field.data is not None:
        day = field.data if isinstance(field, DateField) else field.data.date()
        if not MIN_DATE <= day <= MAX_DATE:
            return f"Enter a date between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}."
    return None


class FlaskForm(flask_wtf.FlaskForm):
    def validate(self, extra_validators: Any = None) -> bool:
        valid = super().validate(extra_validators)
        for field in self:
            if (problem := input_problem(field)) is not None:
                # The shared rule replaces coercion noise ("Not a valid integer") on the same field.
                field.errors = [problem]
                valid = False
        return valid
