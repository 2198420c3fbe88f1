"""Turning loosely typed input (form fields, query strings, JSON) into checked values.

Every failure is a ValidationError naming the field, so the HTML layer shows it on the field and the API
answers 400 with it.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
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


def whole_number(value: Any, name: str, *, minimum: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise ValidationError.field(name, f"{name} must be a whole number.") from None
    if minimum is not None and number < minimum:
        raise ValidationError.field(name, f"{name} must be {minimum} or more.")
    return number


def optional_number(value: Any, name: str, *, minimum: int | None = None) -> int | None:
    """Like `whole_number`, with blank meaning no value (filters, optional ids)."""
    return None if value in (None, "") else whole_number(value, name, minimum=minimum)


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
