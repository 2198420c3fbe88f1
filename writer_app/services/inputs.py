"""Turning loosely typed input (form fields, query strings, JSON) into checked values.

Every failure is a ValidationError naming the field, so the HTML layer shows it on the field and the API
answers 400 with it.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from typing import Any, Self, TypeVar

from writer_app.services.errors import ValidationError

E = TypeVar("E", bound=Enum)


def choice(enum_class: type[E], value: Any, name: str) -> E:
    """`value` as a member of `enum_class`; an unknown value lists the allowed ones."""
    try:
        return enum_class(value)
    except ValueError:
        allowed = ", ".join(str(member.value) for member in enum_class)
        raise ValidationError.field(name, f"Unknown {name} “{value}”; use one of {allowed}.") from None


def optional_choice(enum_class: type[E], value: Any, name: str) -> E | None:
    """Like `choice`, with blank meaning no value (filters)."""
    return None if value in (None, "") else choice(enum_class, value, name)


# PostgreSQL INTEGER is 32-bit: a larger id, page or count would be a database error, not a 404/400.
MAX_INT = 2**31 - 1
MIN_INT = -(2**31)

# Control characters (C0, DEL, C1) and lone surrogates: no column stores NUL or a surrogate, and the
# others forge log lines, break CSV and hide text. Multi-line text keeps tab, newline and CR.
_NOT_TEXT = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff]")
_NOT_MULTILINE_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def text_problem(value: str, *, multiline: bool = False) -> str | None:
    """Why `value` cannot be accepted as text (a phrase to follow a field name), or None.

    The one rule for text from outside, used by the HTML forms, the query-string guard and the API."""
    found = (_NOT_MULTILINE_TEXT if multiline else _NOT_TEXT).search(value)
    if found is None:
        return None
    if "\ud800" <= found.group() <= "\udfff":
        return "must be valid Unicode text"
    return f"must not contain control characters (found U+{ord(found.group()):04X})"


def clean_text(value: str, name: str, *, multiline: bool = False) -> str:
    """`value` unchanged, or a ValidationError on `name` when it holds control characters."""
    if (problem := text_problem(value, multiline=multiline)) is not None:
        raise ValidationError.field(name, f"{name} {problem}.")
    return value


def whole_number(value: Any, name: str, *, minimum: int | None = None, maximum: int | None = None) -> int:
    """`value` as an int within minimum..maximum and always within the 32-bit column range."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.field(name, f"{name} must be a whole number.") from None
    low = MIN_INT if minimum is None else max(minimum, MIN_INT)
    high = MAX_INT if maximum is None else min(maximum, MAX_INT)
    if number < low:
        raise ValidationError.field(name, f"{name} must be {low} or more.")
    if number > high:
        raise ValidationError.field(name, f"{name} must be {high} or less.")
    return number


def optional_number(value: Any, name: str, *, minimum: int | None = None) -> int | None:
    """Like `whole_number`, with blank meaning no value (filters, optional ids)."""
    return None if value in (None, "") else whole_number(value, name, minimum=minimum)


def object_id(value: Any) -> int | None:
    """`value` as a storable id (1 to MAX_INT), or None when it cannot name any row (a lookup's 404)."""
    if isinstance(value, bool):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if 1 <= number <= MAX_INT else None


# Dates a filter or schedule may name: far enough either way, and a day can still be added to the last.
MIN_DATE = date(1900, 1, 1)
MAX_DATE = date(9998, 12, 31)


def day(value: Any, name: str) -> date | None:
    """An ISO date (2026-01-31) within MIN_DATE..MAX_DATE; blank is no date."""
    if value in (None, ""):
        return None
    if isinstance(value, date):
        parsed = value
    else:
        try:
            parsed = date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError.field(name, f"{name} must be a date like 2026-01-31.") from None
    check_date_range(parsed, name)
    return parsed


def check_date_range(value: date | datetime, name: str) -> None:
    """A ValidationError on `name` unless the day is within MIN_DATE..MAX_DATE."""
    if not MIN_DATE <= (value.date() if isinstance(value, datetime) else value) <= MAX_DATE:
        raise ValidationError.field(
            name, f"{name} must be between {MIN_DATE.isoformat()} and {MAX_DATE.isoformat()}."
        )


TRUE_WORDS = ("1", "true", "yes", "on")


class QueryFilters:
    """Mixin for a list's filter dataclass: `from_args` reads it from query-string style arguments.

    A blank value is no filter (the field keeps its default), text is stripped, and a bool field is on
    for 1/true/yes/on. The services check the values themselves (choices, ids)."""

    @classmethod
    def from_args(cls, args: Mapping[str, Any]) -> Self:
        values: dict[str, Any] = {}
        for field in dataclasses.fields(cls):  # type: ignore[arg-type]
            raw = args.get(field.name)
            if field.type in (bool, "bool"):
                values[field.name] = str(raw or "").strip().lower() in TRUE_WORDS
            elif text := str(raw).strip() if raw is not None else "":
                values[field.name] = text
        return cls(**values)
