"""Shared schema pieces: safe strings and ids, the error shape, the page envelope, query basics.

Every request and response model of the API derives from `In`/`Out` here; the same models validate
requests, serialize responses and produce the OpenAPI document (one source of truth).
"""

from __future__ import annotations

import copy
from typing import Annotated, Any, ClassVar, Literal, Self

from pydantic import AfterValidator, AliasChoices, BaseModel, ConfigDict, Field, create_model

from writer_app.services.inputs import MAX_INT, text_problem


def _storable(value: str) -> str:
    """The shared text rule (services/inputs.py): no control characters, no lone surrogates."""
    if (problem := text_problem(value)) is not None:
        raise ValueError(problem)
    return value


def _storable_multiline(value: str) -> str:
    """Like `_storable`, keeping tab, newline and CR (bodies, descriptions, keyword lists)."""
    if (problem := text_problem(value, multiline=True)) is not None:
        raise ValueError(problem)
    return value


def Text(max_length: int | None = None, *, min_length: int = 0, multiline: bool = True) -> Any:
    """A string that fits its column (`max_length` as the column's) and is storable everywhere."""
    return Annotated[
        str,
        Field(min_length=min_length, max_length=max_length),
        AfterValidator(_storable_multiline if multiline else _storable),
    ]


Name = Text(255, min_length=1, multiline=False)
Short = Text(255, multiline=False)
Long = Text(100_000)
Html = Text(2_000_000)

Id = Annotated[int, Field(ge=1, le=MAX_INT)]
Count = Annotated[int, Field(ge=0, le=MAX_INT)]
IdList = Annotated[list[Id], Field(min_length=1, max_length=500)]


class In(BaseModel):
    """Request bodies and query strings: an unknown key is a 400 naming it (a wrong name must not
    silently filter nothing or change nothing); the document says `additionalProperties: false`."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=False)

    # {unknown name: what to do instead}, for names clients are known to send by mistake.
    unknown_hints: ClassVar[dict[str, str]] = {}


# Paging parameters are accepted (and ignored) where a list does not page, so a client may send them
# everywhere; every other unknown query parameter is refused.
PAGING = frozenset({"page", "page_size"})


def aliased(default: Any, name: str, *aliases: str, description: str = "") -> Any:
    """A query filter also accepted under the seed's name (`aliases`); the document lists each alias as
    a parameter of its own. Both names at once is a 400 (core.parse_query)."""
    return Field(default, validation_alias=AliasChoices(name, *aliases), description=description)


def query_aliases(model: type[BaseModel]) -> dict[str, str]:
    """{alias: field name} of a query model's seed aliases."""
    found: dict[str, str] = {}
    for field_name, info in model.model_fields.items():
        if isinstance(info.validation_alias, AliasChoices):
            for choice in info.validation_alias.choices:
                if isinstance(choice, str) and choice != field_name:
                    found[choice] = field_name
    return found


class Out(BaseModel):
    """Response objects; `of(obj)` builds one from a model object (or a service row)."""

    model_config = ConfigDict(extra="forbid")

    @classmethod
    def of(cls, obj: Any) -> Self:
        raise NotImplementedError(f"{cls.__name__}.of is not defined")


def _no_default(schema: dict[str, Any]) -> None:
    schema.pop("default", None)


def partial(model: type[In], name: str, doc: str) -> type[In]:
    """The PATCH twin of a full-update model: every field optional, same types and limits
    (a field left out is unchanged; null is only accepted where the full model accepts it)."""
    fields: dict[str, Any] = {}
    for field_name, info in model.model_fields.items():
        optional = copy.copy(info)
        optional.default = None
        optional.default_factory = None
        optional.json_schema_extra = _no_default
        fields[field_name] = (info.annotation, optional)
    twin = create_model(name, __base__=In, __doc__=doc, **fields)
    twin.unknown_hints = model.unknown_hints
    return twin


class ErrorBody(BaseModel):
    code: str = Field(description="Machine-readable error code, e.g. validation_error, not_found.")
    message: str
    fields: dict[str, list[str]] = Field(
        default_factory=dict, description="Messages per request field (body, query or path)."
    )


class Error(BaseModel):
    """The one error shape of the API."""

    error: ErrorBody


class PageQuery(In):
    """Paging of every list: `page` from 1, `page_size` 1-100 (default 25)."""

    page: Annotated[int, Field(ge=1, le=MAX_INT)] = 1
    page_size: Annotated[int, Field(ge=1, le=100)] = 25

    # Filters the list ignores when building next/previous links (none by default).
    link_exclude: ClassVar[tuple[str, ...]] = ()


class Ids(In):
    ids: IdList


class JobIds(In):
    """Up to 10 ids for an AI action."""

    ids: Annotated[list[Id], Field(min_length=1, max_length=10)]


class JobAccepted(Out):
    """An action queued as a background job; poll `status_url`."""

    task_id: str = Field(description="The job id.")
    status_url: str


def orderings(*names: str) -> Any:
    """The `ordering` query values: each name ascending or with `-` descending."""
    return Literal[tuple(f"{prefix}{name}" for name in names for prefix in ("", "-"))]  # type: ignore[valid-type]


class Changed(Out):
    """How many objects an action changed."""

    count: Count = Field(description="How many objects the action changed.")
