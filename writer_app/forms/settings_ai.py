from wtforms import IntegerField, TextAreaField
from wtforms.validators import Length, NumberRange, Optional

from writer_app.forms.base import FlaskForm


class AISettingsForm(FlaskForm):
    prompt_template = TextAreaField(
        "Article prompt template", validators=[Optional(), Length(max=20_000)], render_kw={"rows": 22}
    )
    in_article_images = IntegerField(
        "In-article images per article (blank: one per ~400 words, 1 to 4)",
        validators=[Optional(), NumberRange(min=0, max=6)],
    )
