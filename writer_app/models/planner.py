"""The planner's minimum: keyword clusters and content ideas, which tasks point to."""

from __future__ import annotations

from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from writer_app.models.base import TenantMixin, TimestampMixin, db
from writer_app.models.tenancy import Sector, Site


class Cluster(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "planner_clusters"
    __table_args__ = (UniqueConstraint("sector_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")  # comma separated, as tasks keep them

    site: Mapped[Site] = relationship()
    sector: Mapped[Sector] = relationship()

    @property
    def keyword_list(self) -> list[str]:
        return split_keywords(self.keywords)


class ContentIdea(TenantMixin, TimestampMixin, db.Model):
    __tablename__ = "planner_content_ideas"
    __table_args__ = (Index("ix_planner_content_ideas_cluster", "cluster_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cluster_id: Mapped[int] = mapped_column(ForeignKey("planner_clusters.id", ondelete="CASCADE"))
    title: Mapped[str] = mapped_column(String(255))
    description: Mapped[str] = mapped_column(Text, default="")
    keywords: Mapped[str] = mapped_column(Text, default="")

    cluster: Mapped[Cluster] = relationship()


def split_keywords(raw: str | None) -> list[str]:
    return [part.strip() for part in (raw or "").split(",") if part.strip()]
