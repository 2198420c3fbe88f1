"""The base of every create form: a hidden one-time token (see services/submissions.py)."""

from __future__ import annotations

from wtforms import HiddenField

from writer_app.forms.base import FlaskForm
from writer_app.services.submissions import new_token

FORM_TOKEN_FIELD = "form_token"  # noqa: S105 - the name of a form field, not a secret


class CreateForm(FlaskForm):
    """A form that creates something. Render `{{ form.form_token }}` beside `{{ form.csrf_token }}`
    and wrap the view in `views.single_submit.single_submit`: a second POST of the same page creates
    nothing and is sent to what the first one created."""

    form_token = HiddenField(default=new_token)
