from wtforms import IntegerField, StringField
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from writer_app.forms.single_submit import CreateForm


class OperatorCreditsForm(CreateForm):
    account = StringField("Account (name or slug)", validators=[DataRequired(), Length(max=200)])
    amount = IntegerField(
        "Credits (negative to remove)",
        validators=[DataRequired(), NumberRange(min=-1_000_000, max=1_000_000)],
    )
    note = StringField("Note", validators=[Optional(), Length(max=255)])
