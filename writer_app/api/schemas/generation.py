"""Starting AI jobs: the id lists they take (at most 10, as the seed's auto_generate_* actions)."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from writer_app.api.schemas.common import Id, In

AiIds = Annotated[list[Id], Field(min_length=1, max_length=10, description="1 to 10 ids.")]


class IdsBody(In):
    ids: AiIds


class TaskIdsBody(In):
    task_ids: AiIds
