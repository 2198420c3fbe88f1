"""/api/v1/writer/content/<id>/validate/ and /metadata/: SEO and readability checks, and the exact
payload WordPress receives (the review page's side panel and publish preview, as JSON)."""

from __future__ import annotations

from typing import Any

from writer_app.api.core import route
from writer_app.api.schemas.validation import MetadataOut, ValidateBody, ValidationOut
from writer_app.models import Role
from writer_app.services import content_checks, metadata
from writer_app.services.scope import Scope

TAG = "validation"


@route(
    "/writer/content/<int:content_id>/validate/",
    "GET",
    summary="Checks of the saved content",
    tag=TAG,
    response=ValidationOut,
)
def get_validation(scope: Scope, content_id: int) -> Any:
    """SEO and readability checks under the site's levels, scores, failing Required checks."""
    return content_checks.content_report(scope, content_id)


@route(
    "/writer/content/<int:content_id>/validate/",
    "POST",
    summary="Check unsaved values",
    tag=TAG,
    role=Role.EDITOR,
    body=ValidateBody,
    response=ValidationOut,
)
def validate_unsaved(scope: Scope, content_id: int, body: ValidateBody) -> Any:
    """Checks the content with the given fields replacing the stored ones; nothing is saved."""
    return content_checks.content_report(scope, content_id, body.model_dump(exclude_none=True))


@route(
    "/writer/content/<int:content_id>/metadata/",
    "GET",
    summary="What WordPress will receive",
    tag=TAG,
    response=MetadataOut,
)
def get_metadata(scope: Scope, content_id: int) -> Any:
    """Title, slug, excerpt, terms, featured image, SEO plugin meta and the post request body."""
    return metadata.wordpress_payload(scope, content_id)
