"""Forms of the WordPress area: site connection, import, and the review page's publish controls."""

from __future__ import annotations

from wtforms import BooleanField, DateTimeLocalField, PasswordField, SelectField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from writer_app.forms.base import FlaskForm


class ConnectionForm(FlaskForm):
    url = StringField("WordPress address", validators=[DataRequired(), Length(max=500)])
    username = StringField("WordPress user name", validators=[DataRequired(), Length(max=200)])
    # Never pre-filled: the stored password is not rendered back; empty keeps it.
    app_password = PasswordField("Application password", validators=[Optional(), Length(max=200)])


class ImportForm(FlaskForm):
    cluster_id = SelectField("Cluster for the imported posts", coerce=int, validators=[DataRequired()])


class PublishForm(FlaskForm):
    override_comment = TextAreaField(
        "Publish anyway despite failing required checks (reviewers: say why)",
        validators=[Optional(), Length(max=5000)],
    )


class UnpublishForm(FlaskForm):
    trash = BooleanField("Also move the post to the WordPress trash")


class ScheduleForm(FlaskForm):
    when = DateTimeLocalField("Publish at", format="%Y-%m-%dT%H:%M", validators=[DataRequired()])
