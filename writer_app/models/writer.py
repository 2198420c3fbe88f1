"""Writer models as the seed describes them: tasks, content, taxonomies, images, cluster map."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint, event, false, text
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from writer_app.models.base import SoftDeleteMixin, TenantMixin, TimestampMixin, choice, db, utcnow
from writer_app.models.enums import (
    ClusterMapSource,
    ClusterRole,
    ContentSource,
    ContentStatus,
    ContentStructure,
    ContentType,
    ImageSource,
    ImageStatus,
    ImageType,
    SyncStatus,
    TaskStatus,
    TaxonomyType,
)
from writer_app.models.planner import Cluster, ContentIdea, split_keywords
from writer_app.models.tenancy import Sector, Site, User


class Task(TenantMixin, TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "writer_tasks"
    __table_args__ = (
        Index("ix_writer_tasks_title", "title"),
        Index("ix_writer_tasks_status", "status"),
        Index("ix_writer_tasks_cluster", "cluster_id"),
        Index("ix_writer_tasks_content_type", "content_type"),
        Index("ix_writer_tasks_content_structure", "content_structure"),
        Index("ix_writer_tasks_site_sector", "site_id", "sector_id"),
        Index("ix_writer_tasks_account_created", "account_id", "created_at"),
        # Unfiltered list counts: account and deleted_at from the index alone (migration 0018).
        Index("ix_writer_tasks_account_deleted", "account_id", "deleted_at"),
        # Status-filtered counts and pages over live rows (migration 0017).
        Index(
            "ix_writer_tasks_account_status_live",
            "account_id",
            "status",
            "created_at",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    cluster_id: Mapped[int] = mapped_column(ForeignKey("planner_clusters.id", ondelete="RESTRICT"))
    idea_id: Mapped[int | None] = mapped_column(ForeignKey("planner_content_ideas.id", ondelete="SET NULL"))
    content_type: Mapped[ContentType] = mapped_column(choice(ContentType))
    content_structure: Mapped[ContentStructure] = mapped_column(choice(ContentStructure, 30))
    taxonomy_term_id: Mapped[int | None] = mapped_column(
        ForeignKey("writer_content_taxonomies.id", ondelete="SET NULL")
    )
    keywords: Mapped[str] = mapped_column(Text, default="")  # comma separated
    word_count: Mapped[int] = mapped_column(default=1000)
    status: Mapped[TaskStatus] = mapped_column(choice(TaskStatus), default=TaskStatus.QUEUED)
    error: Mapped[str] = mapped_column(Text, default="")

    cluster: Mapped[Cluster] = relationship()
    idea: Mapped[ContentIdea | None] = relationship()
    site: Mapped[Site] = relationship()
    sector: Mapped[Sector] = relationship()
    taxonomy_term: Mapped[ContentTaxonomy | None] = relationship()

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)


class ContentTaxonomyRelation(db.Model):
    __tablename__ = "writer_content_taxonomy_relations"
    __table_args__ = (UniqueConstraint("content_id", "taxonomy_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    content_id: Mapped[int] = mapped_column(ForeignKey("writer_content.id", ondelete="CASCADE"), index=True)
    taxonomy_id: Mapped[int] = mapped_column(
        ForeignKey("writer_content_taxonomies.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Content(TenantMixin, TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "writer_content"
    __table_args__ = (
        Index("ix_writer_content_title", "title"),
        Index("ix_writer_content_cluster", "cluster_id"),
        Index("ix_writer_content_content_type", "content_type"),
        Index("ix_writer_content_content_structure", "content_structure"),
        Index("ix_writer_content_source", "source"),
        Index("ix_writer_content_status", "status"),
        Index("ix_writer_content_external_id", "external_id"),
        Index("ix_writer_content_site_sector", "site_id", "sector_id"),
        Index("ix_writer_content_account_created", "account_id", "created_at"),
        # Unfiltered list counts: account and deleted_at from the index alone, not from rows that
        # carry the article (migration 0018).
        Index("ix_writer_content_account_deleted", "account_id", "deleted_at"),
        # The list's default order and count over live rows (migration 0003).
        Index(
            "ix_writer_content_account_live_updated",
            "account_id",
            "updated_at",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
        # The review badge's count and status-filtered counts over live rows (migration 0017).
        Index(
            "ix_writer_content_account_status_live",
            "account_id",
            "status",
            postgresql_where=text("deleted_at IS NULL"),
            sqlite_where=text("deleted_at IS NULL"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(255))
    html: Mapped[str] = mapped_column(Text, default="")
    word_count: Mapped[int] = mapped_column(default=0)
    meta_title: Mapped[str] = mapped_column(String(255), default="")
    meta_description: Mapped[str] = mapped_column(Text, default="")
    primary_keyword: Mapped[str] = mapped_column(String(255), default="")
    secondary_keywords: Mapped[list[Any]] = mapped_column(default=list)
    slug: Mapped[str] = mapped_column(String(255), default="")
    cluster_id: Mapped[int] = mapped_column(ForeignKey("planner_clusters.id", ondelete="RESTRICT"))
    task_id: Mapped[int | None] = mapped_column(
        ForeignKey("writer_tasks.id", ondelete="SET NULL"), index=True
    )
    content_type: Mapped[ContentType] = mapped_column(choice(ContentType))
    content_structure: Mapped[ContentStructure] = mapped_column(choice(ContentStructure, 30))
    external_id: Mapped[str | None] = mapped_column(String(100))
    external_url: Mapped[str] = mapped_column(String(1000), default="")
    external_type: Mapped[str] = mapped_column(String(50), default="")
    external_metadata: Mapped[dict[str, Any]] = mapped_column(default=dict)
    sync_status: Mapped[SyncStatus] = mapped_column(choice(SyncStatus), default=SyncStatus.NONE)
    source: Mapped[ContentSource] = mapped_column(choice(ContentSource), default=ContentSource.IGNY8)
    status: Mapped[ContentStatus] = mapped_column(choice(ContentStatus), default=ContentStatus.DRAFT)
    # When set in the future, publishing schedules the WordPress post instead of publishing now.
    scheduled_at: Mapped[datetime | None] = mapped_column()
    published_at: Mapped[datetime | None] = mapped_column()
    # Which model and prompt template version produced the draft ("offline" for offline drafts).
    ai_model: Mapped[str] = mapped_column(String(100), default="")
    prompt_version: Mapped[int | None] = mapped_column()
    # The site's style guide version the draft was written with; what happened to the links the AI
    # wrote ({"removed": [...]}) and the last dead-link check of the body ({"checked": {...}}).
    style_guide_version: Mapped[int | None] = mapped_column()
    link_report: Mapped[dict[str, Any] | None] = mapped_column()
    last_edited_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # Attribution kept apart (approving is not an edit): who changed the text last and when, who
    # submitted it for review last and when, who approved it last and when.
    last_edited_at: Mapped[datetime | None] = mapped_column()
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    submitted_at: Mapped[datetime | None] = mapped_column()
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    approved_at: Mapped[datetime | None] = mapped_column()
    # The revision that was approved and that WordPress shows (for published content); edits to
    # approved or published content set has_unpublished_changes until they are approved and sent.
    published_revision: Mapped[int | None] = mapped_column()
    has_unpublished_changes: Mapped[bool] = mapped_column(default=False, server_default=false())
    # Optimistic concurrency: a save must name the version it started from.
    version: Mapped[int] = mapped_column(default=1)
    # A featured image chosen from the site's media library; unset: the newest featured image of the
    # content. No foreign key (images also point at content): services check it lies in the account.
    featured_image_id: Mapped[int | None] = mapped_column()

    cluster: Mapped[Cluster] = relationship()
    task: Mapped[Task | None] = relationship()
    site: Mapped[Site] = relationship()
    sector: Mapped[Sector] = relationship()
    last_edited_by: Mapped[User | None] = relationship(foreign_keys=[last_edited_by_id])
    submitted_by: Mapped[User | None] = relationship(foreign_keys=[submitted_by_id])
    approved_by: Mapped[User | None] = relationship(foreign_keys=[approved_by_id])
    taxonomy_terms: Mapped[list[ContentTaxonomy]] = relationship(
        secondary="writer_content_taxonomy_relations", order_by="ContentTaxonomy.name", viewonly=True
    )

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_offline_draft(self) -> bool:
        return self.ai_model == "offline"


class ContentTaxonomy(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "writer_content_taxonomies"
    __table_args__ = (
        UniqueConstraint("site_id", "slug", "taxonomy_type", name="uq_writer_taxonomy_site_slug_type"),
        UniqueConstraint(
            "site_id", "external_id", "external_taxonomy", name="uq_writer_taxonomy_site_external"
        ),
        Index("ix_writer_content_taxonomies_type", "taxonomy_type"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # Taxonomies belong to a site; the sector is optional for them.
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(255))
    slug: Mapped[str] = mapped_column(String(255))
    taxonomy_type: Mapped[TaxonomyType] = mapped_column(choice(TaxonomyType))
    external_taxonomy: Mapped[str | None] = mapped_column(String(100))
    external_id: Mapped[int | None] = mapped_column()
    sync_status: Mapped[SyncStatus] = mapped_column(choice(SyncStatus), default=SyncStatus.NONE)
    description: Mapped[str] = mapped_column(Text, default="")
    count: Mapped[int] = mapped_column(default=0)
    metadata_: Mapped[dict[str, Any]] = mapped_column("metadata", default=dict)

    site: Mapped[Site] = relationship()


class Image(TenantMixin, TimestampMixin, SoftDeleteMixin, db.Model):
    __tablename__ = "writer_images"
    __table_args__ = (
        Index("ix_writer_images_content_type", "content_id", "image_type"),
        Index("ix_writer_images_task_type", "task_id", "image_type"),
        Index("ix_writer_images_status", "status"),
        Index("ix_writer_images_position", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_id: Mapped[int | None] = mapped_column(ForeignKey("writer_content.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("writer_tasks.id", ondelete="CASCADE"))
    image_type: Mapped[ImageType] = mapped_column(choice(ImageType))
    image_url: Mapped[str] = mapped_column(String(1000), default="")
    image_path: Mapped[str] = mapped_column(String(1000), default="")
    thumbnail_path: Mapped[str] = mapped_column(String(1000), default="")
    prompt: Mapped[str] = mapped_column(Text, default="")
    alt_text: Mapped[str] = mapped_column(String(500), default="")
    status: Mapped[ImageStatus] = mapped_column(choice(ImageStatus), default=ImageStatus.PENDING)
    position: Mapped[int] = mapped_column(default=0)
    width: Mapped[int | None] = mapped_column()
    height: Mapped[int | None] = mapped_column()
    error: Mapped[str] = mapped_column(Text, default="")
    external_id: Mapped[int | None] = mapped_column()  # WordPress media id once uploaded
    # Uploads (source "upload") keep the name they came with, for search; files get random names.
    source: Mapped[ImageSource] = mapped_column(choice(ImageSource), default=ImageSource.AI)
    original_filename: Mapped[str] = mapped_column(String(255), default="")

    content: Mapped[Content | None] = relationship()
    task: Mapped[Task | None] = relationship()


class ContentClusterMap(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "writer_content_cluster_map"
    __table_args__ = (
        Index("ix_writer_cluster_map_cluster_role", "cluster_id", "role"),
        # One row per piece of content (NULLs, i.e. task-only rows, never clash) and one hub per
        # cluster and site (migration 0012): partial indexes work on SQLite and PostgreSQL alike.
        Index("uq_writer_cluster_map_content", "content_id", unique=True),
        Index(
            "uq_writer_cluster_map_hub",
            "cluster_id",
            "site_id",
            unique=True,
            postgresql_where=text("role = 'hub'"),
            sqlite_where=text("role = 'hub'"),
        ),
        Index("ix_writer_cluster_map_task", "task_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    content_id: Mapped[int | None] = mapped_column(ForeignKey("writer_content.id", ondelete="CASCADE"))
    task_id: Mapped[int | None] = mapped_column(ForeignKey("writer_tasks.id", ondelete="CASCADE"))
    cluster_id: Mapped[int] = mapped_column(ForeignKey("planner_clusters.id", ondelete="CASCADE"))
    role: Mapped[ClusterRole] = mapped_column(choice(ClusterRole), default=ClusterRole.SUPPORTING)
    source: Mapped[ClusterMapSource] = mapped_column(
        choice(ClusterMapSource), default=ClusterMapSource.MANUAL
    )
    keywords: Mapped[list[Any]] = mapped_column(default=list)
    slug: Mapped[str] = mapped_column(String(255), default="")

    cluster: Mapped[Cluster] = relationship()
    content: Mapped[Content | None] = relationship()
    task: Mapped[Task | None] = relationship()


@event.listens_for(Session, "before_flush")
def _inherit_image_tenancy(session: Session, _flush_context: Any, _instances: Any) -> None:
    """Images take account/site/sector from their content (preferred) or task, as the seed's save() does."""
    for obj in session.new | session.dirty:
        if isinstance(obj, Image):
            owner = obj.content or obj.task
            if owner is None and obj.content_id:
                owner = session.get(Content, obj.content_id)
            if owner is None and obj.task_id:
                owner = session.get(Task, obj.task_id)
            if owner is not None:
                obj.account_id, obj.site_id, obj.sector_id = owner.account_id, owner.site_id, owner.sector_id
