"""Fix with AI through the API.

POST /writer/content/{id}/ai_fixes/                     editor+  {"checks": [...]} → a job whose
                                                                 result is the proposal
GET  /writer/content/{id}/ai_fixes/{fix_id}/                     the proposal and its changes
POST /writer/content/{id}/ai_fixes/{fix_id}/apply/      editor+  {"change_ids": [...]} → the content
"""

from __future__ import annotations

from typing import Any

from writer_app.api.core import job_response, route
from writer_app.api.schemas.ai_fixes import ApplyBody, FixBody, FixOut
from writer_app.api.schemas.common import JobAccepted
from writer_app.api.schemas.content import ContentOut
from writer_app.api.schemas.jobs import JobOut
from writer_app.jobs import ai as job_entry
from writer_app.models import Role
from writer_app.services import content as content_service
from writer_app.services.ai_fixes import proposals
from writer_app.services.scope import Scope

ITEM = "/writer/content/<int:content_id>/ai_fixes/"
TAG = "content"


@route(
    ITEM,
    "POST",
    summary="Fix failing checks with AI",
    tag=TAG,
    role=Role.EDITOR,
    body=FixBody,
    status=202,
    response=JobAccepted,
    also={200: JobOut},
    errors=(402, 503),
)
def start_fix(scope: Scope, content_id: int, body: FixBody) -> Any:
    """One AI call per check (checks sharing a field share a call), each paid when it answers and
    refunded when it fails. The job's `result` is the proposal (`fix_id`, `changes` with ids and
    diffs); nothing changes until the accepted changes are applied. 402 when credits are short."""
    return job_response(proposals.start(scope, content_id, body.checks), job_entry.fix_content)


@route(ITEM + "<int:fix_id>/", "GET", summary="Read an AI fix proposal", tag=TAG, response=FixOut)
def get_fix(scope: Scope, content_id: int, fix_id: int) -> Any:
    """The proposal: status (proposed, applied, stale, expired...) and its changes."""
    return FixOut.of(proposals.proposal(proposals.get_fix(scope, content_id, fix_id)))


@route(
    ITEM + "<int:fix_id>/apply/",
    "POST",
    summary="Apply accepted changes of an AI fix",
    tag=TAG,
    role=Role.EDITOR,
    body=ApplyBody,
    response=ContentOut,
    errors=(409,),
)
def apply_fix(scope: Scope, content_id: int, fix_id: int, body: ApplyBody) -> Any:
    """Saves the accepted changes as one revision labelled with the checks and the model. 409 when
    the content changed since the proposal was made, or the proposal expired or was used."""
    proposals.apply(scope, content_id, fix_id, body.change_ids)
    content = content_service.get_content(scope, content_id)
    return ContentOut.of((content, content_service.image_stats(scope, [content.id])[content.id]))
