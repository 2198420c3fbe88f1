"""The API's one way to declare an endpoint: `@route(...)` does auth, throttling, roles, parsing
(api/inputs.py), serialization and the single commit, and records the operation for the OpenAPI document.

A handler is `fn(scope, *, body=..., query=..., **path_ids)` and returns an `Out` model, a model object
(serialized with `response.of`), a `Page` (for `paged=True`), or None (204).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import wraps
from typing import Any

import limits
import pydantic
import pydantic_core
from flask import Blueprint, Response, current_app, g, request, url_for
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.exc import StaleDataError

from writer_app import rate_limits, response_cache
from writer_app.api.inputs import BODY_METHODS, parse_body, parse_form, parse_query, refuse_body, refuse_query
from writer_app.api.schemas.common import In, JobAccepted, Out, PageQuery
from writer_app.api.schemas.jobs import JobOut
from writer_app.extensions import limiter
from writer_app.models import Job, Role, db
from writer_app.services import data_version
from writer_app.services.errors import Conflict, NotFound
from writer_app.services.identity import tokens
from writer_app.services.pagination import Page
from writer_app.services.scope import Scope
from writer_app.web import json_error

bp = Blueprint("api", __name__, url_prefix="/api/v1")

THROTTLE_SCOPE = "writer"
# Answers every authenticated operation may give besides its success status.
COMMON_ERRORS = (400, 401, 403, 404, 429)


@dataclass
class Operation:
    """What the OpenAPI document says about one route + method."""

    method: str
    rule: str
    endpoint: str
    summary: str
    tag: str
    role: Role | None  # None: public, no token needed
    status: int
    body: type[In] | None = None
    query: type[In] | None = None
    form: type[In] | None = None  # a multipart/form-data body (uploads); `bytes` fields are file parts
    response: type[pydantic.BaseModel] | None = None
    paged: bool = False
    many: bool = False  # the response is a JSON array of `response`
    errors: tuple[int, ...] = ()
    description: str = ""
    media_type: str = "application/json"  # a file endpoint lists its types: "image/png image/jpeg"
    path_params: tuple[tuple[str, str], ...] = ()  # (name, "int" or "string")
    also: dict[int, type[pydantic.BaseModel]] = field(default_factory=dict)  # other success answers

    @property
    def error_statuses(self) -> list[int]:
        statuses = set(self.errors) | {405}  # another method on the same path
        if self.role is not None:
            statuses.update(COMMON_ERRORS)
        if self.body is not None or self.form is not None:
            statuses.update({400, 413, 415})
        if self.query is not None:
            statuses.add(400)
        if self.path_params:
            statuses.add(404)
        if self.method != "GET" and self.role is not None:
            statuses.add(409)  # the database refused the change (a duplicate, a row in use)
        return sorted(statuses)


@dataclass
class Registry:
    operations: list[Operation] = field(default_factory=list)


REGISTRY = Registry()


def route(
    rule: str,
    method: str,
    *,
    summary: str,
    tag: str,
    role: Role | None = Role.VIEWER,
    status: int = 200,
    body: type[In] | None = None,
    query: type[In] | None = None,
    form: type[In] | None = None,
    response: type[pydantic.BaseModel] | None = None,
    paged: bool = False,
    many: bool = False,
    errors: tuple[int, ...] = (),
    media_type: str = "application/json",
    also: dict[int, type[pydantic.BaseModel]] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Register `fn` as the handler of `method rule` on the API blueprint (see the module doc)."""

    def decorator(fn: Callable[..., Any]) -> Callable[..., Any]:
        endpoint = f"{fn.__module__.rsplit('.', 1)[-1]}_{fn.__name__}"
        path_params = tuple(_path_param(part.split(">")[0]) for part in rule.split("<")[1:])
        op = Operation(
            method=method,
            rule=rule,
            endpoint=endpoint,
            summary=summary,
            tag=tag,
            role=role,
            status=status,
            body=body,
            query=query,
            form=form,
            response=response,
            paged=paged,
            many=many,
            errors=errors,
            description=(fn.__doc__ or "").strip(),
            media_type=media_type,
            path_params=path_params,
            also=dict(also or {}),
        )

        @wraps(fn)
        def view(**path: Any) -> Any:
            scope = _authenticate() if role is not None else None
            if isinstance(scope, Response):
                return scope
            if scope is not None:
                if (limited := _throttle()) is not None:
                    return limited
                scope.require(role)  # type: ignore[arg-type]
            if not (paged and method == "GET" and scope is not None):
                return _run(op, fn, scope, path)
            response = response_cache.serve(
                scope,
                lambda: _run(op, fn, scope, path),
                ttl_seconds=response_cache.API_TTL_SECONDS,
                session_bound=False,
            )
            if data_version.wrote(db.session):  # authentication noted the token's use
                db.session.commit()
            return response

        view.api_operation = op  # type: ignore[attr-defined]
        bp.add_url_rule(rule, endpoint=endpoint, view_func=view, methods=[method])
        REGISTRY.operations.append(op)
        return view

    return decorator


def _path_param(spec: str) -> tuple[str, str]:
    converter, _, name = spec.rpartition(":")
    return name, "int" if converter == "int" else "string"


def _run(op: Operation, fn: Callable[..., Any], scope: Scope | None, path: dict[str, Any]) -> Any:
    # Path ids are range-checked by the app's `int` converter (request_inputs.py): 404 before this.
    kwargs = dict(path)
    if op.query is not None:
        kwargs["query"] = parse_query(op.query)
    else:
        refuse_query()
    if op.body is None and op.form is None and request.method in BODY_METHODS:
        refuse_body()
    if op.body is not None:
        kwargs["body"] = parse_body(op.body, op.response)
    if op.form is not None:
        kwargs["form"] = parse_form(op.form)
    try:
        result = fn(scope, **kwargs)
        response = _respond(op, result, kwargs.get("query"))
        if request.method != "GET" or data_version.wrote(db.session):  # reads have nothing to commit
            db.session.commit()
    except StaleDataError:
        db.session.rollback()
        raise Conflict("Someone else changed this object meanwhile; reload it and try again.") from None
    except IntegrityError:
        db.session.rollback()
        raise Conflict(
            "This change conflicts with existing data (a duplicate or an object in use)."
        ) from None
    return response


def _authenticate() -> Scope | Response:
    header = request.headers.get("Authorization", "")
    scheme, _, raw = header.partition(" ")
    found = tokens.authenticate(raw.strip()) if scheme.lower() == "bearer" else None
    if found is None:
        message = (
            "Send a valid API token: Authorization: Bearer <token>."
            if not header
            else "The API token is unknown, revoked, or its user is inactive."
        )
        return json_error(401, "unauthorized", message, headers={"WWW-Authenticate": 'Bearer realm="writer"'})
    token_id, membership_scope = found
    # API calls name their site/sector explicitly; the browser's working context does not apply.
    scope = membership_scope.with_context(None, None)
    g.api_token_id = token_id
    g.api_scope = scope
    return scope


def _throttle() -> Response | None:
    """Count the request against the token's `writer` limit; 429 when spent. Fails open when the
    limit storage (Redis) is down: see writer_app/rate_limits."""
    if not limiter.enabled:
        return None
    item = limits.parse(current_app.config["API_RATE_LIMIT"])
    key = hashlib.sha256(f"token:{g.api_token_id}".encode()).hexdigest()[:32]
    retry_after = rate_limits.hit(item, key, THROTTLE_SCOPE)
    if retry_after is None:
        return None
    return json_error(
        429,
        "rate_limited",
        f"Too many requests: the limit is {item}. Retry in {retry_after} s.",
        headers={"Retry-After": str(retry_after)},
    )


def _dump(model: type[pydantic.BaseModel] | None, obj: Any) -> pydantic.BaseModel:
    if isinstance(obj, pydantic.BaseModel):
        return obj
    if model is None or not issubclass(model, Out):
        raise TypeError("The handler returned an object its operation cannot serialize.")
    return model.of(obj)


def json_response(payload: Any, status: int = 200) -> Response:
    """`payload` (response models, lists and dicts of them) as JSON in one pass of pydantic's
    serializer: what `model_dump(mode="json")` and json.dumps gave, without building the dicts first."""
    body = pydantic_core.to_json(payload, by_alias=False)
    return current_app.response_class(body, status=status, mimetype="application/json")


def _respond(op: Operation, result: Any, query: Any) -> Any:
    if isinstance(result, Response):
        return result
    if result is None:
        return Response(status=204)
    if op.paged:
        return json_response(page_envelope(op, result, query))
    if op.many:
        return json_response([_dump(op.response, item) for item in result], op.status)
    return json_response(_dump(op.response, result), op.status)


def job_response(job: Job, entry: Callable[[str], Any] | str, **enqueue_options: Any) -> Response:
    """For actions that start a job: commit the job (and the work it refers to), enqueue it, and
    answer 202 {"task_id", "status_url"} when queued, or 200 with the job (its `result`) when it ran
    inline because Redis is not configured. Declare such routes with
    `status=202, response=JobAccepted, also={200: JobOut}`."""
    from writer_app.jobs.queue import enqueue

    db.session.commit()
    dispatch = enqueue(job, entry, **enqueue_options)
    if not dispatch.inline:
        accepted = JobAccepted(task_id=job.id, status_url=url_for("api.jobs_get_job", job_id=job.id))
        return json_response(accepted, 202)
    db.session.refresh(job)
    return json_response(JobOut.of(job))


def page_envelope(op: Operation, page: Page[Any], query: Any) -> dict[str, Any]:
    """{"count", "count_is_exact", "next", "previous", "results"}; a page after the last one is a 404.
    count_is_exact is False when the task or content list stopped counting at 10,000: more match."""
    if page.page > 1 and page.page > page.pages:
        raise NotFound(f"Page {page.page} does not exist; the last page is {page.pages}.")

    def link(number: int) -> str:
        args = request.args.to_dict()
        args["page"] = str(number)
        if isinstance(query, PageQuery):
            args["page_size"] = str(query.page_size)
        return request.base_url + "?" + "&".join(f"{k}={_quote(v)}" for k, v in args.items())

    return {
        "count": page.total,
        "count_is_exact": page.total_is_exact,
        "next": link(page.page + 1) if page.has_next else None,
        "previous": link(page.page - 1) if page.has_previous else None,
        "results": [_dump(op.response, item) for item in page.items],
    }


def _quote(value: str) -> str:
    from urllib.parse import quote

    return quote(value, safe="")
