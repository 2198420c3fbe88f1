"""Forms of the content area: the edit form, review decisions, taxonomy terms, review settings."""

from __future__ import annotations

from wtforms import BooleanField, HiddenField, IntegerField, StringField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from writer_app.forms.base import FlaskForm
from writer_app.models import Content, ContentAutosave


class ContentForm(FlaskForm):
    """The editor's fields. `html` is a plain textarea; editor.js mounts Quill over it when JS runs."""

    title = StringField("Title", validators=[DataRequired(), Length(max=255)])
    html = TextAreaField("Body", validators=[Optional()])
    meta_title = StringField("SEO title", validators=[Optional(), Length(max=255)])
    meta_description = TextAreaField("Meta description", validators=[Optional(), Length(max=2000)])
    primary_keyword = StringField("Focus keyphrase", validators=[Optional(), Length(max=255)])
    secondary_keywords = StringField("Secondary keywords", validators=[Optional(), Length(max=2000)])
    slug = StringField("Slug", validators=[Optional(), Length(max=255)])
    # The version the editor started from (optimistic concurrency).
    version = HiddenField()
    # The latest revision the editor saw: review decisions move `version` but add no revision.
    revision = HiddenField()

    @classmethod
    def for_content(cls, content: Content, revision: int | None = None) -> ContentForm:
        return cls(
            formdata=None,
            data={
                "title": content.title,
                "html": content.html,
                "meta_title": content.meta_title,
                "meta_description": content.meta_description,
                "primary_keyword": content.primary_keyword,
                "secondary_keywords": ", ".join(content.secondary_keywords or []),
                "slug": content.slug,
                "version": str(content.version),
                "revision": "" if revision is None else str(revision),
            },
        )

    @classmethod
    def from_autosave(cls, content: Content, slot: ContentAutosave) -> ContentForm:
        """The form as the user left it (their autosave slot), on the version the edits started from."""
        form = cls.for_content(content)
        for name, value in slot.fields.items():
            getattr(form, name).data = value
        form.version.data = str(slot.base_version)
        form.revision.data = "" if slot.base_revision is None else str(slot.base_revision)
        return form

    def changes(self) -> dict[str, str]:
        return {
            name: getattr(self, name).data or ""
            for name in (
                "title",
                "html",
                "meta_title",
                "meta_description",
                "primary_keyword",
                "secondary_keywords",
                "slug",
            )
        }

    def expected_version(self) -> int | None:
        return _int(self.version.data)

    def base_revision(self) -> int | None:
        return _int(self.revision.data)


def _int(value: str | None) -> int | None:
    try:
        return int(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


class DecisionForm(FlaskForm):
    """Submit / approve / request changes; the comment is required for requesting changes (service rule)."""

    comment = TextAreaField("Comment", validators=[Optional(), Length(max=5000)])
    # The version the decision was taken on: a decision on content changed since is refused (409).
    version = HiddenField()

    def expected_version(self) -> int | None:
        value = self.version.data or ""
        return int(value) if value.isdigit() else None


class TermsForm(FlaskForm):
    add = IntegerField("Add a category or tag", validators=[Optional()])
    remove = IntegerField("Remove", validators=[Optional()])


class RestoreForm(FlaskForm):
    version = HiddenField()


class ReviewSettingsForm(FlaskForm):
    allow_self_approval = BooleanField("Reviewers may approve content they edited last themselves")
