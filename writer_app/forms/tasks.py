"""Forms of the Tasks and Clusters pages (shape only; the services check the rules)."""

from __future__ import annotations

from collections.abc import Iterable

from flask_wtf.file import FileField
from wtforms import (
    HiddenField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
)
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Length, Optional

from writer_app.forms.base import FlaskForm
from writer_app.forms.single_submit import CreateForm
from writer_app.models import ContentStructure, ContentType, Site, TaskStatus
from writer_app.services.clusters import ClusterChoice
from writer_app.services.sites import MenuSite
from writer_app.services.tasks import SETTABLE_STATUSES


def label(value: str) -> str:
    """ "landing_page" → "Landing page"."""
    return value.replace("_", " ").capitalize()


# (value, label) pairs for templates; form fields get SelectChoice lists built from them.
CONTENT_TYPE_CHOICES = [(t.value, label(t.value)) for t in ContentType]
STRUCTURE_CHOICES = [(s.value, label(s.value)) for s in ContentStructure]
# `queued` reads as "planned": nobody has started generation for it yet (starting it makes it in progress).
STATUS_CHOICES = [(s.value, "Planned" if s == TaskStatus.QUEUED else label(s.value)) for s in TaskStatus]
# What people may set by hand (services/tasks.SETTABLE_STATUSES); generation sets the rest.
BULK_STATUS_CHOICES = [(value, text) for value, text in STATUS_CHOICES if value in SETTABLE_STATUSES]


def select_choices(pairs: Iterable[tuple[str, str]]) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in pairs]


Option = tuple[str, str, dict[str, str]]


def site_choices(sites: Iterable[Site]) -> list[SelectChoice]:
    return select_choices([("", "Choose a site…")] + [(str(site.id), site.name) for site in sites])


def sector_groups(sites: Iterable[Site | MenuSite]) -> dict[str, list[Option]]:
    """Sectors grouped by site, each option naming its site (tasks.js narrows the list)."""
    return {
        site.name: [(str(sector.id), sector.name, {"data-site-id": str(site.id)}) for sector in site.sectors]
        for site in sites
    }


def cluster_groups(clusters: Iterable[ClusterChoice]) -> dict[str, list[Option]]:
    """Clusters grouped by "site · sector", each option naming its sector."""
    groups: dict[str, list[Option]] = {}
    for cluster in clusters:
        groups.setdefault(f"{cluster.site_name} · {cluster.sector_name}", []).append(
            (str(cluster.id), cluster.name, {"data-sector-id": str(cluster.sector_id)})
        )
    return groups


class TaskForm(CreateForm):
    # Only shape checks here: the service reports every rule at once, as field errors.
    title = StringField("Title", validators=[Length(max=255)])
    site_id = SelectField("Site", validate_choice=False)
    sector_id = SelectField("Sector", validate_choice=False)
    cluster_id = SelectField("Cluster", validate_choice=False)
    content_type = SelectField(
        "Content type", choices=select_choices(CONTENT_TYPE_CHOICES), default=ContentType.POST.value
    )
    content_structure = SelectField(
        "Content structure", choices=select_choices(STRUCTURE_CHOICES), default=ContentStructure.ARTICLE.value
    )
    keywords = StringField("Keywords (comma separated)", validators=[Optional(), Length(max=5000)])
    word_count = IntegerField("Word count", default=1000, validators=[Optional()])
    description = TextAreaField("Brief for the writer", validators=[Optional(), Length(max=10_000)])

    def set_choices(self, sites: Iterable[Site], clusters: Iterable[ClusterChoice]) -> None:
        """Options of the site select, and the grouped sector/cluster options the template renders."""
        sites = list(sites)
        self.site_id.choices = site_choices(sites)
        self.sector_groups = sector_groups(sites)
        self.cluster_groups = cluster_groups(clusters)


class BulkForm(FlaskForm):
    """Row checkboxes of the task table plus where to go back to."""

    ids = SelectMultipleField("Tasks", validate_choice=False)
    status = SelectField("New status", choices=select_choices(BULK_STATUS_CHOICES), validate_choice=False)
    next = HiddenField()


class CsvImportForm(CreateForm):
    file = FileField("CSV file")
    text = TextAreaField("…or paste CSV text", validators=[Optional(), Length(max=2_000_000)])
    site_id = SelectField("Site", validate_choice=False)
    sector_id = SelectField("Sector", validate_choice=False)


class ClusterForm(CreateForm):
    name = StringField("Name", validators=[DataRequired(message="Name the cluster."), Length(max=255)])
    site_id = SelectField("Site", validate_choice=False)
    sector_id = SelectField("Sector", validate_choice=False)
    keywords = TextAreaField("Keywords (comma separated)", validators=[Optional(), Length(max=10_000)])
    description = TextAreaField("Description", validators=[Optional(), Length(max=10_000)])
