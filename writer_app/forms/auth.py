from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length

from writer_app.forms.base import FlaskForm
from writer_app.forms.email import email_field
from writer_app.services.identity.accounts import MIN_PASSWORD_LENGTH


class LoginForm(FlaskForm):
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired()])


class SignupForm(FlaskForm):
    name = StringField("Your name", validators=[Length(max=200)])
    email = email_field()
    password = PasswordField("Password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    account_name = StringField("Team or company name", validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[DataRequired()])
    new_password = PasswordField("New password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
    confirm = PasswordField(
        "Repeat the new password",
        validators=[DataRequired(), EqualTo("new_password", "The passwords differ.")],
    )


class AcceptInvitationForm(FlaskForm):
    """A new person accepting an invitation: the email is the invitation's."""

    name = StringField("Your name", validators=[Length(max=200)])
    password = PasswordField("Password", validators=[DataRequired(), Length(min=MIN_PASSWORD_LENGTH)])
