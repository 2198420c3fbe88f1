from wtforms import HiddenField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from writer_app.forms.base import FlaskForm


class InsertLinkForm(FlaskForm):
    """One suggested link: the target and the anchor text to link; `version` is what the user saw."""

    url = HiddenField(validators=[DataRequired(), Length(max=1000)])
    anchor = HiddenField(validators=[DataRequired(), Length(max=255)])
    version = HiddenField()


class CheckLinksForm(FlaskForm):
    pass


class StyleGuideForm(FlaskForm):
    tone = TextAreaField("Tone", validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    audience = TextAreaField("Audience", validators=[Optional(), Length(max=500)], render_kw={"rows": 2})
    prefer = TextAreaField(
        "Words to prefer", validators=[Optional(), Length(max=6000)], render_kw={"rows": 3}
    )
    avoid = TextAreaField("Words to avoid", validators=[Optional(), Length(max=6000)], render_kw={"rows": 3})
    example = TextAreaField(
        "Example paragraph", validators=[Optional(), Length(max=3000)], render_kw={"rows": 5}
    )
    language = StringField("Language", validators=[Optional(), Length(max=50)])
    allowed_outbound = TextAreaField(
        "Outbound links AI drafts may keep",
        validators=[Optional(), Length(max=20_000)],
        render_kw={"rows": 4},
    )
