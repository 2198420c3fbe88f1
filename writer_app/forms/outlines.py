"""The outline editor on the task page, and the site's "outline first" switch.

Numbers stay text here: the service checks them (with the other limits) and names the field, so the
API and the page say the same thing."""

from __future__ import annotations

from wtforms import BooleanField, FieldList, Form, FormField, StringField, TextAreaField

from writer_app.forms.base import FlaskForm


class SectionForm(Form):
    """One section (a sub-form: the CSRF token is the outline form's)."""

    heading = StringField("Heading (H2)")
    note = StringField("Intent")
    words = StringField("Target words")
    keyphrase = BooleanField("Keyphrase here")
    subheadings = TextAreaField("Subheadings (H3), one per line")
    links = TextAreaField("Internal links, one URL per line")
    images = StringField("Images")


class OutlineForm(FlaskForm):
    sections = FieldList(FormField(SectionForm))


class OutlineFirstForm(FlaskForm):
    outline_first = BooleanField("Outline first: draft content only from an approved outline")
