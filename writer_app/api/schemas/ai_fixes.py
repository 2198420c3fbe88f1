"""Fix with AI: the checks to fix, the proposal with its changes, and the accepted change ids."""

from __future__ import annotations

from typing import Annotated, Any, Literal, Self

from pydantic import ConfigDict, Field

from writer_app.api.schemas.common import In, Out, Text

CheckKey = Text(50, min_length=1, multiline=False)
ChangeId = Text(20, min_length=1, multiline=False)


class FixBody(In):
    model_config = ConfigDict(extra="forbid")

    checks: Annotated[list[CheckKey], Field(min_length=1, max_length=15)] = Field(  # type: ignore[valid-type]
        description="Keys of failing checks to fix (e.g. meta_description_length), as the validation "
        "endpoint names them; each must fail now and have an AI fix."
    )


class ApplyBody(In):
    model_config = ConfigDict(extra="forbid")

    change_ids: Annotated[list[ChangeId], Field(min_length=1, max_length=100)] = Field(  # type: ignore[valid-type]
        description="Ids of the proposal's changes to accept; the others are rejected."
    )


class Segment(Out):
    kind: Literal["equal", "insert", "delete"]
    text: str


class DiffLine(Out):
    kind: Literal["equal", "insert", "delete", "replace", "skip"]
    segments: list[Segment]


class ChangeOut(Out):
    id: str
    checks: list[str]
    labels: list[str]
    field: Literal["meta_title", "meta_description", "slug", "html"] = Field(
        description="The field the change writes; html changes replace one block of the body."
    )
    old: str
    new: str
    diff: list[DiffLine] = Field(description="Word-level diff of old → new (block lines for html).")


class FixOut(Out):
    fix_id: int
    content_id: int
    status: Literal["pending", "proposed", "applied", "discarded", "failed", "stale", "expired"]
    checks: list[str]
    model: str
    error: str
    changes: list[ChangeOut]
    accepted: list[str]
    expires_at: str | None

    @classmethod
    def of(cls, obj: Any) -> Self:
        return cls.model_validate(obj)
