"""Review actions (submit, approve, request changes), the timeline and revisions."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import Field

from writer_app.api.schemas.common import Id, In, Out, Text
from writer_app.api.schemas.content import ContentOut
from writer_app.models import ReviewDecision
from writer_app.models.base import as_utc

Comment = Text(5000)
VERSION = (
    "The content's `version` you decided on: when it changed since (an edit, another decision), "
    "the action is refused with 409."
)


class SubmitBody(In):
    comment: Comment = Field("", description="A note for the reviewer.")  # type: ignore[valid-type]
    version: Id | None = Field(None, description=VERSION, json_schema_extra=lambda s: s.pop("default", None))


class ApproveBody(In):
    comment: Comment = Field("", description="Why it is approved (on the timeline).")  # type: ignore[valid-type]
    publish: bool = Field(
        True,
        description="Publish a post of a site connected to WordPress now (a job; a pending change of "
        "published content updates the post). false: approve and publish later. Content that cannot go "
        "to WordPress (no connection, not a post) stays approved either way.",
    )
    override_comment: Comment | None = Field(  # type: ignore[valid-type]
        None,
        description="Approve although Required checks fail, saying why (recorded).",
        json_schema_extra=lambda s: s.pop("default", None),
    )
    version: Id | None = Field(None, description=VERSION, json_schema_extra=lambda s: s.pop("default", None))


class RequestChangesBody(In):
    comment: Text(5000, min_length=1) = Field(description="What needs to change (required).")  # type: ignore[valid-type]
    version: Id | None = Field(None, description=VERSION, json_schema_extra=lambda s: s.pop("default", None))


class RestoreBody(In):
    version: Id | None = Field(None, description=VERSION, json_schema_extra=lambda s: s.pop("default", None))


class EventOut(Out):
    """One entry of the review timeline."""

    id: int
    kind: ReviewDecision
    actor_id: int | None = Field(description="Who took the decision (null: a removed user).")
    actor_name: str | None
    created_at: datetime
    comment: str

    @classmethod
    def of(cls, event: Any) -> Self:
        return cls(
            id=event.id,
            kind=ReviewDecision(event.decision),
            actor_id=event.user_id,
            actor_name=event.user.display_name if event.user is not None else None,
            created_at=as_utc(event.created_at),
            comment=event.comment or "",
        )


class ReviewResult(Out):
    """The decision and the content as it is afterwards; `job` when publishing was started."""

    event: EventOut
    content: ContentOut
    job_id: str | None = Field(description="The publish job started by the approval, if any.")
    status_url: str | None = Field(description="Where to follow that job.")


class RevisionSummaryOut(Out):
    number: int
    note: str
    author_id: int | None
    author_name: str | None
    created_at: datetime

    @classmethod
    def of(cls, revision: Any) -> Self:
        return cls(
            number=revision.number,
            note=revision.note or "",
            author_id=revision.user_id,
            author_name=revision.user.display_name if revision.user is not None else None,
            created_at=as_utc(revision.created_at),
        )


class RevisionOut(RevisionSummaryOut):
    """A revision's fields as they were saved."""

    title: str
    html: str
    meta_title: str
    meta_description: str
    primary_keyword: str
    secondary_keywords: list[str]
    slug: str

    @classmethod
    def of(cls, revision: Any) -> Self:
        base = RevisionSummaryOut.of(revision).model_dump()
        return cls(
            **base,
            title=revision.title,
            html=revision.html or "",
            meta_title=revision.meta_title or "",
            meta_description=revision.meta_description or "",
            primary_keyword=revision.primary_keyword or "",
            secondary_keywords=[str(k) for k in revision.secondary_keywords or []],
            slug=revision.slug or "",
        )
