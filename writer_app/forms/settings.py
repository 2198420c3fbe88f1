from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from writer_app.forms.base import FlaskForm
from writer_app.forms.email import email_field
from writer_app.forms.single_submit import CreateForm
from writer_app.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.value.capitalize()) for r in Role]


class EmptyForm(FlaskForm):
    """For POST buttons that carry nothing but the CSRF token."""


class InviteForm(CreateForm):
    email = email_field()
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.EDITOR.value)


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class SiteForm(CreateForm):
    name = StringField("Site name", validators=[DataRequired(), Length(max=200)])
    domain = StringField("Domain", validators=[Optional(), Length(max=255)])


class SectorForm(CreateForm):
    name = StringField("Sector name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])


class TokenForm(CreateForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=200)])


class ContextForm(FlaskForm):
    site_id = SelectField("Site", coerce=str, validate_choice=False)
    sector_id = SelectField("Sector", coerce=str, validate_choice=False)
