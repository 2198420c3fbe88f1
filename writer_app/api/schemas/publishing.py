"""WordPress publishing: override comments, unpublish options, the status answer, site jobs."""

from __future__ import annotations

from typing import Any, Self

from pydantic import Field

from writer_app.api.schemas.common import Id, In, Out


class PublishQuery(In):
    override_comment: str | None = Field(
        default=None,
        max_length=5000,
        description="Reviewers: publish although Required checks fail, saying why (recorded).",
    )


class UnpublishQuery(In):
    trash: bool = Field(default=False, description="Also move the WordPress post to the WordPress trash.")


class SiteBody(In):
    site_id: Id


class ImportBody(In):
    site_id: Id
    cluster_id: Id = Field(description="The cluster (of that site) the imported posts belong to.")


class WordPressStatusOut(Out):
    content_id: int
    post_id: int | None
    remote_status: str = Field(description="publish, future, draft, trash, ...; empty when unknown.")
    link: str
    modified_gmt: str = Field(description="When WordPress last changed the post (UTC).")
    synced_modified_gmt: str = Field(description="The post's modified time when Writer last sent it.")
    drift: bool = Field(description="Edited in WordPress after Writer's last sync.")
    missing: bool = Field(description="Deleted or trashed in WordPress.")
    message: str
    sync_status: str
    error: str = Field(description="The last publishing error, if the last attempt failed.")

    @classmethod
    def of(cls, status: Any) -> Self:
        return cls.model_validate(status, from_attributes=True)
