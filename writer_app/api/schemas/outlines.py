"""A task's outline: ordered sections (H2 + optional H3s, intent, target words, keyphrase, links, images)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Self

from pydantic import Field

from writer_app.api.schemas.common import In, Out


class SectionIn(In):
    heading: str = Field(description="The H2 heading (1 to 120 characters).")
    note: str = Field("", description="What the section must achieve (at most 500 characters).")
    words: int = Field(200, description="Target words, 30 to 3000.")
    keyphrase: bool = Field(False, description="Whether the primary keyphrase goes in this section.")
    subheadings: list[str] = Field(default_factory=list, description="H3 headings, at most 6.")
    links: list[str] = Field(
        default_factory=list, description="Internal link URLs for the section, at most 5."
    )
    images: int = Field(0, description="In-article images in the section, 0 to 3.")


class OutlineIn(In):
    sections: list[SectionIn] = Field(description="1 to 12 sections, in reading order.")
    approved: bool = Field(False, description="Approve it: Generate content then writes from it.")


class SectionOut(Out):
    heading: str
    note: str
    words: int
    keyphrase: bool
    subheadings: list[str]
    links: list[str]
    images: int


class Costs(Out):
    outline: int = Field(description="Credits for Generate outline.")
    draft: int = Field(
        description="Credits for Generate content now (from the approved outline when there is one)."
    )
    draft_calls: int = Field(description="Provider calls the draft takes: sections + introduction, or 1.")
    section: int
    whole_draft: int


class OutlineOut(Out):
    task_id: int
    status: str = Field(description="none, generating, draft or approved.")
    approved_at: datetime | None
    model: str = Field(description="The model that wrote it (empty: written by hand).")
    job_id: str | None = Field(description="The outline job while it runs.")
    sections: list[SectionOut]
    costs: Costs

    @classmethod
    def of(cls, obj: Any) -> Self:
        return cls(**obj)
