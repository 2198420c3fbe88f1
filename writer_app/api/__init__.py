"""The JSON API at /api/v1/: token auth, per-token throttling, OpenAPI 3.1 at /api/v1/openapi.json
(and the same document as a page at /api/v1/docs).

One module per resource. To add an endpoint: declare pydantic models in api/schemas/<name>.py
(request bodies and query strings derive from `schemas.common.In`, responses from `Out` with an
`of(obj)` classmethod), then in api/<name>.py:

    @route("/writer/content/<int:content_id>/publish/", "POST", summary="Publish to WordPress",
           tag="content", role=Role.REVIEWER, response=ContentOut, errors=(409,))
    def publish(scope: Scope, content_id: int) -> Any:
        return publishing.publish(scope, content_id)

and add "<name>" to RESOURCES below. `route` authenticates, throttles, checks the role, validates
`body=`/`query=` models (400 naming fields, 415 for non-JSON), commits once, serializes the return
value and documents it all in the OpenAPI document. Actions that start a job return
`core.job_response(job, entry)` from a route declared with
`status=202, response=JobAccepted, also={200: JobOut}`.
"""

from __future__ import annotations

from importlib import import_module

from flask import Flask

RESOURCES = (
    "tasks",
    "content",
    "images",
    "taxonomies",
    "clusters",
    "cluster_map",
    "jobs",
    "generation",
    "outlines",
    "validation",
    "publishing",
    "review",
    "ai_fixes",
    "openapi",
)


def register_api(app: Flask) -> None:
    from writer_app.api.core import bp
    from writer_app.extensions import csrf

    for name in RESOURCES:
        import_module(f"writer_app.api.{name}")  # routes register themselves on bp
    csrf.exempt(bp)  # token auth: no cookies, so no CSRF
    app.register_blueprint(bp)
