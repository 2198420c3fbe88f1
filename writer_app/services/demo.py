"""Demo data for `flask writer demo`: idempotent, found again by natural keys on every run."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, TypeVar

from sqlalchemy import select

from writer_app.integrations.ai import ArticleBrief, ArticleDraft
from writer_app.integrations.ai_offline import OfflineProvider
from writer_app.models import (
    Account,
    Cluster,
    ClusterMapSource,
    ClusterRole,
    Content,
    ContentStatus,
    ContentStructure,
    ContentTaxonomy,
    ContentTaxonomyRelation,
    ContentType,
    Image,
    ImageStatus,
    ImageType,
    Job,
    JobStatus,
    Membership,
    Role,
    Sector,
    Site,
    Task,
    TaskStatus,
    TaxonomyType,
    User,
    db,
)
from writer_app.models.base import utcnow
from writer_app.services import credits
from writer_app.services.clusters import cluster_map
from writer_app.services.identity import accounts
from writer_app.services.review.revisions import snapshot
from writer_app.services.scope import Scope
from writer_app.text.html import word_count

DEMO_ACCOUNT = "Demo Media"
DEMO_EMAIL = "demo@example.com"
DEMO_PASSWORD = "demo-password"  # noqa: S105 - published demo credentials
DEMO_CREDITS = 500
DEMO_TEAM = [
    ("editor@example.com", "Eddie Editor", Role.EDITOR),
    ("reviewer@example.com", "Rita Reviewer", Role.REVIEWER),
    ("viewer@example.com", "Vic Viewer", Role.VIEWER),
]

SITES = {
    "Green Living Blog": (
        "greenliving.example",
        {
            "Home & Garden": {
                "Composting": "composting at home, compost bin, kitchen scraps",
                "Indoor plants": "indoor plants, low light plants, watering houseplants",
            },
            "Energy": {
                "Solar power": "home solar panels, solar battery, net metering",
                "Saving energy": "energy saving tips, insulation, heat pump",
            },
        },
    ),
    "Travel Notes": (
        "travelnotes.example",
        {
            "Europe": {
                "City breaks": "weekend city break, lisbon itinerary, prague on a budget",
                "Rail travel": "interrail pass, night trains europe, train vs plane",
            },
            "Asia": {
                "Japan": "japan rail pass, kyoto temples, tokyo food",
            },
        },
    ),
}

TASK_TEMPLATES = [
    ("The complete guide to {k}", ContentStructure.GUIDE, ContentType.POST),
    ("{k}: 7 mistakes beginners make", ContentStructure.LISTICLE, ContentType.POST),
    ("How to get started with {k}", ContentStructure.ARTICLE, ContentType.POST),
    ("{k} compared: what actually works", ContentStructure.COMPARISON, ContentType.POST),
]
# Only states a task can be left in: "in progress" belongs to a running job, which the demo has none of.
STATUS_CYCLE = [
    TaskStatus.QUEUED,
    TaskStatus.QUEUED,
    TaskStatus.COMPLETED,
    TaskStatus.QUEUED,
    TaskStatus.COMPLETED,
    TaskStatus.FAILED,
    TaskStatus.CANCELED,
]
# Long enough to read like a real post (the analysis judges demo drafts as it would real ones).
DEMO_DRAFT_WORDS = 900
CONTENT_CYCLE = [ContentStatus.DRAFT, ContentStatus.REVIEW, ContentStatus.PUBLISHED]
CATEGORIES = ["Guides", "News", "How-to"]
TAGS = ["beginner", "budget", "checklist", "sustainability"]

M = TypeVar("M")


def _get_or_create(model: type[M], lookup: dict[str, Any], **defaults: Any) -> tuple[M, bool]:
    obj = db.session.scalars(select(model).filter_by(**lookup)).first()
    if obj is not None:
        return obj, False
    obj = model(**lookup, **defaults)
    db.session.add(obj)
    db.session.flush()
    return obj, True


def _user(email: str, name: str, account: Account, role: Role) -> User:
    user = accounts.find_user(email) or accounts.create_user(email, DEMO_PASSWORD, name)
    _get_or_create(Membership, {"user_id": user.id, "account_id": account.id}, role=role)
    user.current_account_id = user.current_account_id or account.id
    return user


def _draft(task: Task, keyword: str) -> ArticleDraft:
    """A realistic demo draft (several hundred words) from the offline writer, shaped by the task."""
    brief = ArticleBrief(
        title=task.title,
        keywords=[keyword],
        content_type=str(task.content_type),
        content_structure=str(task.content_structure),
        word_count=DEMO_DRAFT_WORDS,
    )
    return OfflineProvider().generate_article(brief, "")


def load_demo() -> str:
    account = accounts.find_account(DEMO_ACCOUNT) or accounts.create_account(DEMO_ACCOUNT)
    admin = _user(DEMO_EMAIL, "Demo Admin", account, Role.ADMIN)
    team = {role: _user(email, name, account, role) for email, name, role in DEMO_TEAM}
    scope = Scope(account.id, Role.ADMIN, admin.id)
    if not account.credits:  # through the ledger, so its sum explains the balance
        credits.add_demo_credits(Scope(account.id, Role.ADMIN), DEMO_CREDITS)

    counts = {"tasks": 0, "content": 0}
    running = _tasks_of_open_jobs(account.id)
    task_index = 0
    for site_name, (domain, sectors) in SITES.items():
        site, _ = _get_or_create(
            Site, {"account_id": account.id, "name": site_name}, domain=domain, settings={}
        )
        terms = [
            _get_or_create(
                ContentTaxonomy,
                {"site_id": site.id, "slug": accounts.slugify(name), "taxonomy_type": kind},
                account_id=account.id,
                sector_id=None,
                name=name,
            )[0]
            for kind, names in ((TaxonomyType.CATEGORY, CATEGORIES), (TaxonomyType.TAG, TAGS))
            for name in names
        ]
        for sector_name, clusters in sectors.items():
            sector, _ = _get_or_create(
                Sector,
                {"site_id": site.id, "slug": accounts.slugify(sector_name)},
                account_id=account.id,
                name=sector_name,
            )
            for cluster_name, keywords in clusters.items():
                cluster, _ = _get_or_create(
                    Cluster,
                    {"sector_id": sector.id, "name": cluster_name},
                    account_id=account.id,
                    site_id=site.id,
                    keywords=keywords,
                    description=f"Everything about {cluster_name.lower()}.",
                )
                tenancy = {"account_id": account.id, "site_id": site.id}
                for keyword in keywords.split(", ")[:2]:
                    for template, structure, ctype in TASK_TEMPLATES[: 2 if task_index % 2 else 1]:
                        title = template.format(k=keyword).capitalize()
                        status = STATUS_CYCLE[task_index % len(STATUS_CYCLE)]
                        task, _ = _get_or_create(
                            Task,
                            {"sector_id": sector.id, "title": title},
                            **tenancy,
                            cluster_id=cluster.id,
                            content_type=ctype,
                            content_structure=structure,
                            keywords=keywords,
                            word_count=1200,
                            status=status,
                            error="The AI server kept answering 500 after 3 attempts."
                            if status == TaskStatus.FAILED
                            else "",
                        )
                        if task.status == TaskStatus.IN_PROGRESS and task.id not in running:
                            task.status = TaskStatus.QUEUED  # left by an older demo without a job
                        counts["tasks"] += 1
                        task_index += 1
                        if status == TaskStatus.COMPLETED:
                            counts["content"] += _demo_content(scope, task, keyword, terms, team, task_index)
    return f"{counts['tasks']} tasks, {counts['content']} content items in “{account.name}”"


def _tasks_of_open_jobs(account_id: int) -> set[int]:
    stmt = select(Job.object_ids).where(
        Job.account_id == account_id,
        Job.object_type == "task",
        Job.status.in_([JobStatus.QUEUED, JobStatus.STARTED]),
    )
    return {int(i) for ids in db.session.scalars(stmt) for i in ids or []}


def _demo_content(
    scope: Scope, task: Task, keyword: str, terms: list[ContentTaxonomy], team: dict[Role, User], index: int
) -> int:
    status = CONTENT_CYCLE[index % len(CONTENT_CYCLE)]
    draft = _draft(task, keyword)
    html = draft.html
    content, created = _get_or_create(
        Content,
        {"task_id": task.id},
        account_id=task.account_id,
        site_id=task.site_id,
        sector_id=task.sector_id,
        title=task.title,
        html=html,
        word_count=word_count(html),
        meta_title=draft.meta_title,
        meta_description=draft.meta_description,
        primary_keyword=keyword,
        secondary_keywords=[],
        slug=accounts.slugify(task.title),
        cluster_id=task.cluster_id,
        content_type=task.content_type,
        content_structure=task.content_structure,
        status=status,
        ai_model="offline",
        last_edited_by_id=team[Role.EDITOR].id,
        published_at=utcnow() - timedelta(days=index) if status == ContentStatus.PUBLISHED else None,
    )
    if not created:
        return 1
    snapshot(scope, content, "Demo draft")
    entry = cluster_map.track_content(scope, content, source=ClusterMapSource.BLUEPRINT)
    if index % 4 == 0 and cluster_map.hub_of(entry.cluster_id, entry.site_id) is None:
        entry.role = ClusterRole.HUB  # some clusters get a hub, one at most
    for term in (terms[index % len(CATEGORIES)], terms[len(CATEGORIES) + index % len(TAGS)]):
        _get_or_create(ContentTaxonomyRelation, {"content_id": content.id, "taxonomy_id": term.id})
    _get_or_create(
        Image,
        {"content_id": content.id, "image_type": ImageType.FEATURED, "position": 0},
        prompt=f"A bright, natural photo illustrating {keyword}",
        alt_text=f"{keyword.capitalize()} illustrated",
        status=ImageStatus.PENDING,
    )
    return 1
