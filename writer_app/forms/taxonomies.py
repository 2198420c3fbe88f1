"""Forms of the taxonomies page: filters (GET, no CSRF) and the term form (admins)."""

from __future__ import annotations

from wtforms import SelectField, StringField, TextAreaField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from writer_app.forms.base import FlaskForm
from writer_app.forms.single_submit import CreateForm
from writer_app.models import TaxonomyType

TYPE_CHOICES = [
    SelectChoice(TaxonomyType.CATEGORY.value, "Category"),
    SelectChoice(TaxonomyType.TAG.value, "Tag"),
]
ORDERING_CHOICES = [
    SelectChoice("name", "Name A–Z"),
    SelectChoice("-name", "Name Z–A"),
    SelectChoice("slug", "Slug"),
    SelectChoice("taxonomy_type", "Type"),
    SelectChoice("-created_at", "Newest first"),
]
PAGE_SIZE_CHOICES = [SelectChoice(str(n), f"{n} per page") for n in (25, 50, 100)]


class TaxonomyFilterForm(FlaskForm):
    class Meta:
        csrf = False

    site_id = SelectField("Site", choices=[], validate_choice=False)
    taxonomy_type = SelectField("Type", choices=[SelectChoice("", "Categories and tags"), *TYPE_CHOICES])
    search = StringField("Search", validators=[Optional(), Length(max=200)])
    ordering = SelectField("Order", choices=ORDERING_CHOICES, default="name")
    page_size = SelectField("Per page", choices=PAGE_SIZE_CHOICES, default="50")


class TaxonomyForm(CreateForm):
    """A category or tag. The site and sector choices are filled by the view from the account."""

    site_id = SelectField(
        "Site", choices=[], validate_choice=False, validators=[DataRequired("Choose a site.")]
    )
    sector_id = SelectField("Sector (optional)", choices=[], validate_choice=False)
    taxonomy_type = SelectField("Type", choices=TYPE_CHOICES, default=TaxonomyType.CATEGORY.value)
    name = StringField("Name", validators=[DataRequired("Name the term."), Length(max=255)])
    slug = StringField("Slug", validators=[Optional(), Length(max=200)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=2000)])
