"""The role form of one row of a cluster's page."""

from __future__ import annotations

from wtforms import SelectField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired

from writer_app.forms.base import FlaskForm
from writer_app.models import ClusterRole

ROLE_CHOICES = [(role.value, role.value.capitalize()) for role in ClusterRole]  # (value, label) for templates


class MapRoleForm(FlaskForm):
    role = SelectField(
        "Role", choices=[SelectChoice(v, label) for v, label in ROLE_CHOICES], validators=[DataRequired()]
    )
