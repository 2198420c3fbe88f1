"""The JSON API at /api/v1/: token auth, per-token throttling, OpenAPI 3.1 at /api/v1/openapi.json.

One module per resource; each declares its endpoints with `core.route`. To add one, import the module
in RESOURCES below (see core.py for what a handler receives and returns).
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
    "jobs",
    "generation",
    "validation",
    "openapi",
)


def register_api(app: Flask) -> None:
    from writer_app.api.core import bp
    from writer_app.extensions import csrf

    for name in RESOURCES:
        import_module(f"writer_app.api.{name}")  # routes register themselves on bp
    csrf.exempt(bp)  # token auth: no cookies, so no CSRF
    app.register_blueprint(bp)
