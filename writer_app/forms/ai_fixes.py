"""Fix with AI: confirming the cost, and choosing the changes to accept."""

from __future__ import annotations

from wtforms import HiddenField, SelectMultipleField, widgets

from writer_app.forms.base import FlaskForm


class FixConfirmForm(FlaskForm):
    checks = HiddenField()


class FixApplyForm(FlaskForm):
    change_ids = SelectMultipleField(
        "Changes to accept",
        choices=[],
        validate_choice=False,  # the service names unknown ids as a field error
        option_widget=widgets.CheckboxInput(),
        widget=widgets.ListWidget(prefix_label=False),
    )
