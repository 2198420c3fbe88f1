"""WTForms' attribute writer, made cheap.

`wtforms.widgets.html_params` writes each attribute through `Markup.format` (Python's
`string.Formatter`): 45 of the 50 µs a text input takes to render. The review page renders about 20
fields and CSRF tokens (bench/README.md, round 5). `html_params` below writes the same text (keys
cleaned and escaped, values escaped, `"` in markup values as `&quot;`, True as a bare attribute,
False left out, sorted by key); tests/unit/test_form_attributes.py compares it with WTForms' own
over generated attributes, so a WTForms release that writes attributes differently fails there.

`install()` puts it where WTForms' widgets look it up: the widgets module (text areas, selects,
labels) and the `html_params` attribute WTForms gives `Input` and `Button` for overriding.
"""

from __future__ import annotations

from typing import Any

import wtforms.widgets
import wtforms.widgets.core
from markupsafe import Markup, escape

ORIGINAL = wtforms.widgets.core.html_params


def html_params(**kwargs: Any) -> Markup:
    """`key="value"` pairs for an HTML tag, as wtforms.widgets.html_params writes them."""
    params = []
    for key, value in sorted(kwargs.items()):
        name = escape(wtforms.widgets.core.clean_key(key))
        if value is True:
            params.append(name)
        elif value is not False:
            # escape() turns `"` in plain text into `&#34;`; only markup passed in can still hold one.
            params.append(f'{name}="{str(escape(value)).replace(chr(34), "&quot;")}"')
    return Markup(" ".join(params))  # noqa: S704  (every part escaped above)


def install() -> None:
    wtforms.widgets.core.html_params = html_params
    wtforms.widgets.html_params = html_params
    for widget in (wtforms.widgets.core.Input, wtforms.widgets.core.Button):
        widget.html_params = staticmethod(html_params)  # type: ignore[assignment]
