"""Links for every row of a table, built once per page.

`url_for` costs tens of microseconds a call (rule matching, defaults, quoting); a 50-row table with
three links a row spent more time building URLs than rendering HTML. `row_url` builds the URL once
with a marker id and hands back a function that only splices each row's id in.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import url_for

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
