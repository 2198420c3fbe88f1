"""Reading API input, the one place it is parsed: query strings, JSON bodies and multipart forms
validated by their `In` models (api/core.py calls these for every route). Unknown names are a 400
naming them (paging parameters excepted); errors name the field they concern."""

from __future__ import annotations

import json
from typing import Any

import pydantic
from flask import request

from writer_app.api.schemas.common import PAGING, In, query_aliases
from writer_app.services.errors import ValidationError

BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})


def _fields(
    error: pydantic.ValidationError,
    where: str,
    model: type[In],
    answer: type[pydantic.BaseModel] | None = None,
) -> dict[str, list[str]]:
    fields: dict[str, list[str]] = {}
    for item in error.errors(include_url=False):
        loc = [str(part) for part in item["loc"] if part not in ("body",)]
        name = ".".join(loc) or where
        message = item["msg"]
        if item["type"] == "extra_forbidden":
            message = _unknown(model, name, where, answer)
        fields.setdefault(name, []).append(message)
    return fields


def _unknown(model: type[In], name: str, where: str, answer: type[pydantic.BaseModel] | None) -> str:
    """Why an unknown key is refused, with a hint where a known mistake has one, and the known names."""
    top = name.split(".", 1)[0]
    hint = getattr(model, "unknown_hints", {}).get(top)
    if hint is None and answer is not None and top in answer.model_fields:
        hint = "It is read-only (answers show it): leave it out of the request."
    if hint or "." in name:  # nested objects are listed in the document
        return f"Unknown field. {hint}" if hint else "Unknown field."
    known = [n for n in model.model_fields if where != "query" or n not in PAGING]
    known += list(query_aliases(model)) if where == "query" else []
    kind = "query parameter" if where == "query" else "field"
    return f"Unknown {kind}; this endpoint accepts: {', '.join(known) or 'none'}."


def refuse_query() -> None:
    """An endpoint without query parameters: any but the paging ones is a 400 naming it."""
    unknown = [key for key in request.args if key not in PAGING]
    if unknown:
        fields = {key: ["Unknown query parameter; this endpoint takes none."] for key in unknown}
        raise ValidationError(_summary(fields), fields)


def refuse_body() -> None:
    """An action without a body: an empty body or `{}` is fine, any field is a 400 naming it."""
    raw = request.get_data(cache=True)
    if not raw.strip():
        return
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError):
        value = raw
    if value in ({}, None):
        return
    names = list(value) if isinstance(value, dict) else ["body"]
    fields = {str(key): ["Unknown field; this action takes no body."] for key in names}
    raise ValidationError(_summary(fields), fields)


def parse_query(model: type[In]) -> Any:
    """The query string validated by `model` (the last value wins for repeated keys). Unknown names
    are a 400 except the paging ones; a seed alias and its field name together are a 400."""
    values = {key: request.args.getlist(key)[-1] for key in request.args}
    if not set(model.model_fields) >= PAGING:
        values = {key: value for key, value in values.items() if key not in PAGING}
    for alias, name in query_aliases(model).items():
        if alias in values and name in values:
            raise ValidationError.field(alias, f"{alias} is another name for {name}: give one of them.")
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as error:
        fields = _fields(error, "query", model)
        raise ValidationError(_summary(fields), fields) from None


def parse_body(model: type[In], answer: type[pydantic.BaseModel] | None = None) -> Any:
    """The JSON body validated by `model`: 415 unless JSON, 400 when malformed or invalid."""
    mimetype = request.mimetype or ""
    if not (mimetype == "application/json" or mimetype.endswith("+json")):
        from werkzeug.exceptions import UnsupportedMediaType

        raise UnsupportedMediaType("Send the body as JSON (Content-Type: application/json).")
    raw = request.get_data(cache=True)
    try:
        json.loads(raw)
    except ValueError:
        raise ValidationError.field("body", "The body is not valid JSON.") from None
    except RecursionError:  # Python's parser gives up on deep nesting; no schema nests that deep
        raise ValidationError.field("body", "The body nests too deeply.") from None
    try:
        # Strict JSON validation: "5" is not a number and 1.0 is not an id.
        return model.model_validate_json(raw, strict=True)
    except pydantic.ValidationError as error:
        fields = _fields(error, "body", model, answer)
        raise ValidationError(_summary(fields), fields) from None


def parse_form(model: type[In]) -> Any:
    """A multipart/form-data body validated by `model`: 415 unless multipart; `bytes` fields are read
    from the file part of that name (or a plain field); a body past the request limit is a 400 on
    the first file field, like any other field error."""
    from werkzeug.exceptions import RequestEntityTooLarge, UnsupportedMediaType

    if request.mimetype != "multipart/form-data":
        raise UnsupportedMediaType("Send the body as multipart/form-data.")
    limit = getattr(model, "max_body_bytes", None)
    if limit is not None:  # uploads may be larger than MAX_CONTENT_LENGTH allows other requests
        request.max_content_length = limit()
    files = [name for name, info in model.model_fields.items() if info.annotation in (bytes, bytes | None)]
    try:
        values: dict[str, Any] = {key: request.form.getlist(key)[-1] for key in request.form}
        for name in files:
            part = request.files.get(name)
            if part is not None:
                values[name] = part.read()
            elif isinstance(values.get(name), str):
                values[name] = values[name].encode("utf-8", "surrogatepass")
        for key in request.files:  # a file part of an unknown name is refused like any unknown field
            values.setdefault(key, b"")
    except RequestEntityTooLarge:
        name = files[0] if files else "body"
        raise ValidationError.field(name, "The upload is too large.") from None
    try:
        return model.model_validate(values)
    except pydantic.ValidationError as error:
        fields = _fields(error, "form", model)
        raise ValidationError(_summary(fields), fields) from None


def _summary(fields: dict[str, list[str]]) -> str:
    name, messages = next(iter(fields.items()))
    more = f" (and {len(fields) - 1} more)" if len(fields) > 1 else ""
    return f"{name}: {messages[0]}{more}"
