"""Input checks every request gets before a view runs: ids in paths and the query string.

The rules themselves live in `services/inputs.py` (shared with the forms and the API schemas); this
module applies them at the HTTP edge:

- `<int:…>` in any route only matches ids a column can hold (1 … 2**31-1); a larger number is a 404,
  like any id that names no row.
- A query string with control characters is refused with a 400 naming the parameter (HTML: the
  error page; API: the validation_error shape), before any view reads it.
"""

from __future__ import annotations

from typing import Any

from flask import Flask, request
from werkzeug.exceptions import NotFound
from werkzeug.routing import IntegerConverter, Map
from werkzeug.routing import ValidationError as NoMatch

from writer_app.services.errors import ValidationError
from writer_app.services.inputs import MAX_INT, text_problem


class IdConverter(IntegerConverter):
    """The app's `int` converter: unsigned, at most MAX_INT unless the rule says otherwise.

    A number out of range is a 404 at once: as a mere non-match, the routing would answer 405 when
    another method's rule has the same path (the API registers one rule per method)."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("max", MAX_INT)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> Any:
        try:
            return super().to_python(value)
        except NoMatch:
            raise NotFound() from None


def refuse_control_characters_in_query() -> None:
    """No view sees a query parameter (name or value) holding control characters."""
    for name, value in request.args.items(multi=True):
        for text in (name, value):
            if (problem := text_problem(text)) is not None:
                label = name if text_problem(name) is None else repr(name)
                raise ValidationError.field(label, f"The query parameter {label} {problem}.")


def init_app(app: Flask) -> None:
    """Install the converter (before any blueprint adds its rules) and the query-string guard."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_control_characters_in_query)
