"""Links built once: for every row of a table (per page), and the fixed links of the layout (per process).

`url_for` costs tens of microseconds a call (rule matching, defaults, quoting); a 50-row table with
three links a row spent more time building URLs than rendering HTML. `row_url` builds the URL once
with a marker id and hands back a function that only splices each row's id in. `fixed_url_for` (the
templates' `url_for`) keeps the links that take no values and the static files (a page asks for about
30 of those, the same on every request) and splices the links that take one id (the review page has 24).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import request, url_for

_MARKER = "918273645"


def row_url(endpoint: str, key: str, **values: Any) -> Callable[[int], str]:
    """`row_url("tasks.edit", "task_id", next=x)(7) == url_for("tasks.edit", task_id=7, next=x)`."""
    url = url_for(endpoint, **{key: int(_MARKER)}, **values)
    prefix, found, suffix = url.partition(_MARKER)
    if not found or _MARKER in suffix:  # the marker also stands for something else: build each one
        return lambda row_id: url_for(endpoint, **{key: row_id}, **values)

    def build(row_id: int) -> str:
        return f"{prefix}{int(row_id)}{suffix}"

    return build


MAX_FIXED = 1_000
_fixed: dict[tuple[str, str, str | None], str] = {}
_by_id: dict[tuple[str, str, str], Callable[[int], str]] = {}


def fixed_url_for(endpoint: str, **values: Any) -> str:
    """`url_for` for templates. A link without values (or a static file) depends on nothing but the
    root the app is served under, so it is built once; a link with one id (`content_id=7`) is spliced
    from one built per endpoint, as `row_url` does; anything else is built as usual."""
    if endpoint.startswith("."):  # relative to the current blueprint
        return url_for(endpoint, **values)
    if len(values) == 1:
        ((name, value),) = values.items()
        if type(value) is int and value >= 0:  # an id (a bool is no id; converters refuse negatives)
            key = (request.script_root, endpoint, name)
            build = _by_id.get(key)
            if build is None:
                build = row_url(endpoint, name)
                if len(_by_id) < MAX_FIXED:
                    _by_id[key] = build
            return build(value)
    filename = values.get("filename") if endpoint == "static" and len(values) == 1 else None
    if values and filename is None:
        return url_for(endpoint, **values)
    fixed = (request.script_root, endpoint, filename)
    found = _fixed.get(fixed)
    if found is None:
        found = url_for(endpoint, **values)
        if len(_fixed) < MAX_FIXED:  # the endpoints and static files the templates name
            _fixed[fixed] = found
    return found
