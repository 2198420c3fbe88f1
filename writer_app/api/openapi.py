"""The OpenAPI 3.1 document, built from the registered API routes and their pydantic models, and the
human-readable docs page rendered from that same document."""

from __future__ import annotations

import re
from typing import Any

import pydantic
from flask import Flask, Response, current_app, jsonify, render_template
from markupsafe import Markup, escape
from pydantic.json_schema import models_json_schema

from writer_app.api.core import Operation, bp, route
from writer_app.api.schemas.common import MAX_INT, Error, query_aliases

REF = "#/components/schemas/{model}"
STATUS_TEXT = {
    200: "OK",
    201: "Created",
    202: "Accepted: the job was queued",
    204: "No content",
    400: "Validation error (the fields say which)",
    401: "Missing, unknown or revoked token, or inactive user",
    402: "Insufficient credits",
    403: "The role is not enough for this action",
    404: "Not found (also for other accounts' ids)",
    405: "Method not allowed: the path answers only the methods it documents (see the Allow header)",
    409: "Conflict with the current state",
    413: "Body too large",
    415: "The body is not JSON",
    429: "Too many requests (see Retry-After)",
    503: "The job queue (Redis) is unavailable; nothing was started (see Retry-After)",
}
DESCRIPTION = """Writer's JSON API. Authenticate with `Authorization: Bearer <token>` (create tokens under
Settings → API tokens or with `flask writer create-token`). Roles: viewers read, editors write, reviewers
publish, admins manage taxonomies. Lists take `page` (from 1) and `page_size` (1-100) and answer
`{count, count_is_exact, next, previous, results}`; a page after the last one is a 404. The task and
content lists count up to 10,000 matches: past that `count` is 10000 and `count_is_exact` false (pages
beyond the 10,000th row count exactly). Every error answers
`{"error": {"code", "message", "fields"}}`. An unknown query parameter or body field is a 400 naming it
(`page` and `page_size` are accepted everywhere); tasks and content also take the seed's filter names
`cluster` and `structure`. Requests are limited per token (429 with Retry-After)."""


def operations(app: Flask) -> list[Operation]:
    """The operations of every registered API route, in URL order."""
    found = []
    for rule in app.url_map.iter_rules():
        op = getattr(app.view_functions.get(rule.endpoint), "api_operation", None)
        if op is not None:
            found.append(op)
    return sorted(found, key=lambda o: (openapi_path(o.rule), o.method))


def openapi_path(rule: str) -> str:
    return re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", bp.url_prefix + rule)


def _models(ops: list[Operation]) -> list[tuple[type[pydantic.BaseModel], Any]]:
    wanted: dict[tuple[type[pydantic.BaseModel], str], None] = {(Error, "serialization"): None}
    for op in ops:
        for model, mode in (
            (op.body, "validation"),
            (op.query, "validation"),
            (op.form, "validation"),
            (op.response, "serialization"),
        ):
            if model is not None:
                wanted[(model, mode)] = None
        for model in op.also.values():
            wanted[(model, "serialization")] = None
    return list(wanted)


def _without_null(schema: dict[str, Any]) -> dict[str, Any]:
    """Query parameters are never null: drop the null branch pydantic adds for optional fields."""
    options = schema.get("anyOf")
    if options:
        rest = [s for s in options if s != {"type": "null"}]
        if len(rest) == 1:
            merged = {k: v for k, v in schema.items() if k not in ("anyOf", "default")}
            merged.update(rest[0])
            return merged
    return {k: v for k, v in schema.items() if not (k == "default" and v is None)}


def build(app: Flask) -> dict[str, Any]:
    ops = operations(app)
    keys, definitions = models_json_schema(_models(ops), ref_template=REF)
    schemas: dict[str, Any] = definitions.get("$defs", {})

    def ref(model: type[pydantic.BaseModel], mode: str) -> dict[str, Any]:
        return keys[(model, mode)]

    paths: dict[str, dict[str, Any]] = {}
    for op in ops:
        doc = _operation(op, ref, schemas)
        if links := _links(op, ops):
            doc["responses"][str(op.status)]["links"] = links
        paths.setdefault(openapi_path(op.rule), {})[op.method.lower()] = doc
    return {
        "openapi": "3.1.0",
        "info": {"title": "Writer API", "version": "1.0.0", "description": DESCRIPTION},
        "servers": [{"url": "/"}],
        "paths": paths,
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearerAuth": {"type": "http", "scheme": "bearer"}},
        },
        "security": [{"bearerAuth": []}],
        "tags": [{"name": tag} for tag in dict.fromkeys(op.tag for op in ops)],
    }


def _links(created: Operation, ops: list[Operation]) -> dict[str, Any]:
    """A create (201) links to the operations on the new object's URL (stateful clients follow them)."""
    if created.status != 201:
        return {}
    links = {}
    for op in ops:
        rest = op.rule.removeprefix(created.rule)
        if rest != op.rule and len(op.path_params) == 1 and rest.startswith("<"):
            name = op.path_params[0][0]
            links[op.endpoint] = {"operationId": op.endpoint, "parameters": {name: "$response.body#/id"}}
    return links


def _operation(op: Operation, ref: Any, schemas: dict[str, Any]) -> dict[str, Any]:
    doc: dict[str, Any] = {
        "operationId": op.endpoint,
        "summary": op.summary,
        "tags": [op.tag],
        "x-role": op.role.value if op.role else "public",
    }
    if op.description:
        doc["description"] = op.description
    if op.role is None:
        doc["security"] = []
    parameters = [
        {
            "name": name,
            "in": "path",
            "required": True,
            "schema": {"type": "integer", "minimum": 1, "maximum": MAX_INT}
            if kind == "int"
            else {"type": "string", "minLength": 1, "maxLength": 36},
        }
        for name, kind in op.path_params
    ]
    if op.query is not None:
        query_schema = schemas[ref(op.query, "validation")["$ref"].rsplit("/", 1)[-1]]
        required = set(query_schema.get("required", []))
        properties = query_schema.get("properties", {})
        for name, prop in properties.items():
            parameters.append(
                {
                    "name": name,
                    "in": "query",
                    "required": name in required,
                    "description": prop.get("description", ""),
                    "schema": _without_null({k: v for k, v in prop.items() if k != "description"}),
                }
            )
        for alias, name in query_aliases(op.query).items():
            parameters.append(
                {
                    "name": alias,
                    "in": "query",
                    "required": False,
                    "description": f"The seed's name for `{name}` (give one of the two).",
                    "schema": _without_null(
                        {k: v for k, v in properties[name].items() if k != "description"}
                    ),
                }
            )
    if parameters:
        doc["parameters"] = parameters
    if op.body is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {"application/json": {"schema": ref(op.body, "validation")}},
        }
    if op.form is not None:
        doc["requestBody"] = {
            "required": True,
            "content": {"multipart/form-data": {"schema": ref(op.form, "validation")}},
        }
    doc["responses"] = _responses(op, ref)
    return doc


def _responses(op: Operation, ref: Any) -> dict[str, Any]:
    responses: dict[str, Any] = {}
    success: dict[str, Any] = {"description": STATUS_TEXT.get(op.status, "OK")}
    if op.status != 204:
        if op.media_type == "text/html":
            schema: dict[str, Any] = {"type": "string"}
        elif op.media_type != "application/json":
            schema = {"type": "string", "format": "binary"}
            # A file endpoint names its concrete types ("image/png image/jpeg"): generators drop a
            # response declared as image/* and then fail on the 200.
            success["content"] = {kind: {"schema": schema} for kind in op.media_type.split()}
        elif op.response is None:
            schema = {"type": "object"}
        elif op.paged:
            schema = {
                "type": "object",
                "required": ["count", "count_is_exact", "next", "previous", "results"],
                "properties": {
                    "count": {"type": "integer", "minimum": 0},
                    "count_is_exact": {
                        "type": "boolean",
                        "description": "False when the task or content list stopped counting at 10,000:"
                        " more rows match than `count` says (follow `next`).",
                    },
                    "next": {"type": ["string", "null"]},
                    "previous": {"type": ["string", "null"]},
                    "results": {"type": "array", "items": ref(op.response, "serialization")},
                },
            }
        elif op.many:
            schema = {"type": "array", "items": ref(op.response, "serialization")}
        else:
            schema = ref(op.response, "serialization")
        success.setdefault("content", {op.media_type: {"schema": schema}})
    responses[str(op.status)] = success
    also = dict(op.also)
    if op.status == 202 and op.response is not None:
        also.setdefault(200, op.response)  # a job action answers 200 when it ran inline (no Redis)
    for status, model in also.items():
        responses[str(status)] = {
            "description": STATUS_TEXT.get(status, "OK"),
            "content": {"application/json": {"schema": ref(model, "serialization")}},
        }
    error_ref = ref(Error, "serialization")
    for status in op.error_statuses:
        entry: dict[str, Any] = {
            "description": STATUS_TEXT[status],
            "content": {"application/json": {"schema": error_ref}},
        }
        if status in (429, 503):
            entry["headers"] = {
                "Retry-After": {"description": "Seconds to wait", "schema": {"type": "integer"}}
            }
        responses[str(status)] = entry
    return responses


@route("/openapi.json", "GET", summary="This OpenAPI 3.1 document", tag="docs", role=None)
def openapi_json(_scope: None) -> Any:
    return jsonify(build(current_app._get_current_object()))  # type: ignore[attr-defined]


@route(
    "/docs", "GET", summary="The API reference as a web page", tag="docs", role=None, media_type="text/html"
)
def docs(_scope: None) -> Any:
    """The same document as openapi.json, rendered as HTML."""
    document = build(current_app._get_current_object())  # type: ignore[attr-defined]
    schemas = document["components"]["schemas"]

    def resolve(schema: dict[str, Any]) -> dict[str, Any]:
        ref = schema.get("$ref", "")
        return schemas[ref.rsplit("/", 1)[-1]] if ref else schema

    page = render_template(
        "api/docs.html", doc=document, resolve=resolve, type_of=type_of, constraints=constraints
    )
    return Response(page, mimetype="text/html")


def type_of(schema: dict[str, Any]) -> Markup:
    """A short human label for a JSON schema (integer, TaskOut, array of ImageOut...), schema names
    linked to their section of the page."""
    if "$ref" in schema:
        name = schema["$ref"].rsplit("/", 1)[-1]
        return Markup('<a href="#schema-{0}">{0}</a>').format(name)
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return Markup(" or ").join(type_of(s) for s in schema[key])
    kind = schema.get("type", "any")
    if isinstance(kind, list):
        return escape(" or ".join(kind))
    if kind == "array":
        return Markup("array of ") + type_of(schema.get("items", {}))
    if "enum" in schema:
        return escape(" | ".join(str(v) for v in schema["enum"]))
    if "format" in schema:
        return escape(f"{kind} ({schema['format']})")
    return escape(str(kind))


def constraints(schema: dict[str, Any]) -> str:
    """Limits worth knowing (length, range, default), as a short suffix."""
    parts = []
    labels = {"minimum": "min", "maximum": "max", "minLength": "min length", "maxLength": "max length"}
    labels |= {"maxItems": "max items", "minItems": "min items"}
    for key, label in labels.items():
        if key in schema and not (key.startswith("min") and schema[key] == 0):
            parts.append(f"{label} {schema[key]}")
    if "default" in schema and schema["default"] not in (None, "", []):
        parts.append(f"default {schema['default']}")
    text = ", ".join(parts)
    return f" ({text})" if text and schema.get("description") else text
