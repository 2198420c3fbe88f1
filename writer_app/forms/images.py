"""Forms of the image gallery: filters (GET, no CSRF), image edit, bulk status."""

from __future__ import annotations

from flask_wtf.file import FileField, FileRequired
from wtforms import HiddenField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import AnyOf, InputRequired, Length, NumberRange, Optional

from writer_app.forms.base import FlaskForm
from writer_app.models import ImageSource, ImageStatus, ImageType

TYPE_LABELS = {
    ImageType.FEATURED: "Featured",
    ImageType.DESKTOP: "Desktop",
    ImageType.MOBILE: "Mobile",
    ImageType.IN_ARTICLE: "In-article",
}
TYPE_CHOICES = [SelectChoice(t.value, TYPE_LABELS[t]) for t in ImageType]
STATUS_CHOICES = [SelectChoice(s.value, s.value.capitalize()) for s in ImageStatus]
ORDERING_CHOICES = [
    SelectChoice("-created_at", "Newest first"),
    SelectChoice("created_at", "Oldest first"),
    SelectChoice("position", "Position (low first)"),
    SelectChoice("-position", "Position (high first)"),
    SelectChoice("-id", "Id (high first)"),
    SelectChoice("id", "Id (low first)"),
]
PAGE_SIZE_CHOICES = [SelectChoice(str(n), f"{n} per page") for n in (25, 50, 100)]


class ImageFilterForm(FlaskForm):
    """The gallery's filter bar; read from the query string, so the URL holds the state."""

    class Meta:
        csrf = False

    image_type = SelectField("Type", choices=[SelectChoice("", "All types"), *TYPE_CHOICES])
    status = SelectField("Status", choices=[SelectChoice("", "Any status"), *STATUS_CHOICES])
    content_id = IntegerField("Content id", validators=[Optional(), NumberRange(min=1)])
    task_id = IntegerField("Task id", validators=[Optional(), NumberRange(min=1)])
    q = StringField("Search", validators=[Optional(), Length(max=200)])
    source = SelectField(
        "Source",
        choices=[SelectChoice("", "Any source"), SelectChoice(ImageSource.AI.value, "Generated"),
                 SelectChoice(ImageSource.UPLOAD.value, "Uploaded")],
    )  # fmt: skip
    ordering = SelectField("Order", choices=ORDERING_CHOICES, default="-created_at")
    page_size = SelectField("Per page", choices=PAGE_SIZE_CHOICES, default="25")


class ImageForm(FlaskForm):
    """What an editor may change on an image's detail page."""

    image_type = SelectField("Type", choices=TYPE_CHOICES)
    status = SelectField("Status", choices=STATUS_CHOICES)
    position = IntegerField(
        "Position", validators=[InputRequired(message="Give a position (0 or more)."), NumberRange(min=0)]
    )
    alt_text = StringField("Alt text", validators=[Optional(), Length(max=500)])
    prompt = TextAreaField("Prompt", validators=[Optional(), Length(max=4000)])


class BulkStatusForm(FlaskForm):
    """Set one status on the selected images (checkboxes named `ids`) or on all images of `content_id`."""

    status = SelectField(
        "New status", choices=STATUS_CHOICES, validators=[AnyOf([s.value for s in ImageStatus])]
    )
    content_id = HiddenField()
    next = HiddenField()


class UploadForm(FlaskForm):
    """Upload one image to a site's media library (the type is checked from the bytes by the service)."""

    file = FileField("Image file", validators=[FileRequired(message="Choose an image file.")])
    site_id = SelectField("Site", coerce=str)
    alt_text = StringField("Alt text", validators=[Optional(), Length(max=500)])


class FeaturedForm(FlaskForm):
    """Choose the featured image of a content from its site's images (empty: the generated one)."""

    image_id = HiddenField()
