from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length, NumberRange, Optional

from writer_app.forms.base import FlaskForm
from writer_app.models import Role

ROLE_CHOICES = [SelectChoice(r.value, r.value.capitalize()) for r in Role]


class EmptyForm(FlaskForm):
    """For POST buttons that carry nothing but the CSRF token."""


class InviteMemberForm(FlaskForm):
    email = EmailField("Email", validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField("Name (new users)", validators=[Optional(), Length(max=200)])
    role = SelectField("Role", choices=ROLE_CHOICES, default=Role.EDITOR.value)
    password = PasswordField("Initial password (new users)", validators=[Optional(), Length(min=8)])


class RoleForm(FlaskForm):
    role = SelectField("Role", choices=ROLE_CHOICES)


class SiteForm(FlaskForm):
    name = StringField("Site name", validators=[DataRequired(), Length(max=200)])
    domain = StringField("Domain", validators=[Optional(), Length(max=255)])


class SectorForm(FlaskForm):
    name = StringField("Sector name", validators=[DataRequired(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])


class TokenForm(FlaskForm):
    name = StringField("Token name", validators=[DataRequired(), Length(max=200)])


class GrantCreditsForm(FlaskForm):
    amount = IntegerField(
        "Credits (negative to remove)",
        validators=[DataRequired(), NumberRange(min=-1_000_000, max=1_000_000)],
    )
    note = StringField("Note", validators=[Optional(), Length(max=255)])


class ContextForm(FlaskForm):
    site_id = SelectField("Site", coerce=str, validate_choice=False)
    sector_id = SelectField("Sector", coerce=str, validate_choice=False)
