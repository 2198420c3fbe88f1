"""Tasks from and to CSV: a preview with per-row errors, an all-or-nothing import, the export's rows.

The generic, formula-safe writer is services/csv_export.csv_lines.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.orm import joinedload

from writer_app.models import Cluster, Role, Sector, Site, Task, db
from writer_app.services import tasks as task_service
from writer_app.services.content_checks import duplicate_keyphrase_warnings
from writer_app.services.errors import ValidationError
from writer_app.services.inputs import text_problem
from writer_app.services.scope import Scope, resolve_site_sector, scoped

COLUMNS = ("title", "keywords", "cluster", "content_type", "content_structure", "word_count", "description")
REQUIRED_COLUMNS = ("title", "cluster", "content_type", "content_structure")
ALIASES = {"cluster_id": "cluster", "cluster_name": "cluster", "words": "word_count", "type": "content_type"}
MAX_ROWS = 1000
MAX_BYTES = 2_000_000
EXPORT_HEADER = (
    "id",
    "title",
    "keywords",
    "cluster",
    "content_type",
    "content_structure",
    "word_count",
    "status",
    "site",
    "sector",
    "created_at",
    "error",
)


@dataclass
class CsvRow:
    """One data line of the file: its line number, the values read and the errors found (if any)."""

    line: int
    values: dict[str, str]
    errors: dict[str, list[str]] = field(default_factory=dict)
    cluster_name: str = ""
    warnings: list[str] = field(default_factory=list)  # shown, never blocking (keyphrase overlap)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def messages(self) -> list[str]:
        return [f"{name}: {msg}" if name != "row" else msg for name, ms in self.errors.items() for msg in ms]


@dataclass
class CsvPreview:
    """What an import would do; nothing is saved by building it."""

    site: Site | None
    sector: Sector | None
    rows: list[CsvRow] = field(default_factory=list)
    file_errors: list[str] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def error_rows(self) -> list[CsvRow]:
        return [row for row in self.rows if not row.ok]

    @property
    def ok(self) -> bool:
        return not self.file_errors and bool(self.rows) and not self.error_rows


def _header_name(raw: str) -> str:
    name = "_".join(raw.strip().lower().replace("-", " ").split())
    return ALIASES.get(name, name)


def _read(text: str, preview: CsvPreview) -> list[tuple[int, dict[str, str]]]:
    """Data lines as {column: value}, or file errors on the preview."""
    if len(text.encode("utf-8", "ignore")) > MAX_BYTES:
        preview.file_errors.append(f"The file is larger than {MAX_BYTES // 1_000_000} MB.")
        return []
    text = text.lstrip("\ufeff")
    if not text.strip():
        preview.file_errors.append("The file is empty.")
        return []
    if (problem := text_problem(text, multiline=True)) is not None:  # the shared rule for all text
        preview.file_errors.append(f"The file {problem}.")
        return []
    try:
        dialect: Any = csv.Sniffer().sniff(text[:4096], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    reader = csv.reader(io.StringIO(text), dialect)
    try:
        header = [_header_name(h) for h in next(reader)]
        missing = [c for c in REQUIRED_COLUMNS if c not in header]
        if missing:
            preview.file_errors.append(
                f"Missing column(s): {', '.join(missing)}. Expected columns: {', '.join(COLUMNS)}."
            )
            return []
        preview.ignored_columns = [h for h in header if h and h not in COLUMNS]
        rows = []
        for values in reader:
            if not any(v.strip() for v in values):
                continue  # blank lines are not rows
            if len(rows) >= MAX_ROWS:
                preview.file_errors.append(f"The file has more than {MAX_ROWS} rows; split it up.")
                return []
            padded = values + [""] * (len(header) - len(values))
            rows.append(
                (
                    reader.line_num,
                    {h: v.strip() for h, v in zip(header, padded, strict=False) if h in COLUMNS},
                )
            )
    except csv.Error as error:
        preview.file_errors.append(f"The file is not valid CSV (line {reader.line_num}): {error}.")
        return []
    if not rows:
        preview.file_errors.append("The file has a header but no rows.")
    return rows


def _cluster_lookup(scope: Scope, sector: Sector) -> tuple[dict[str, Cluster], dict[str, Cluster]]:
    """The account's clusters by id and, for the target sector, by lower-case name (one query)."""
    clusters = db.session.scalars(scoped(scope, Cluster).options(joinedload(Cluster.sector))).unique()
    by_id, by_name = {}, {}
    for cluster in clusters:
        by_id[str(cluster.id)] = cluster
        if cluster.sector_id == sector.id:
            by_name[cluster.name.strip().lower()] = cluster
    return by_id, by_name


def preview_csv(scope: Scope, text: str, site_id: Any = None, sector_id: Any = None) -> CsvPreview:
    """Read and validate a CSV of tasks for the chosen (or working) site/sector without saving.

    Columns: title, keywords, cluster (name in the sector, or id), content_type, content_structure,
    word_count, optional description. Each row carries its own field errors.
    """
    scope.require(Role.EDITOR)
    site, sector = resolve_site_sector(scope, site_id, sector_id)
    assert sector is not None  # resolve_site_sector requires one
    preview = CsvPreview(site=site, sector=sector)
    lines = _read(text, preview)
    if not lines:
        return preview
    by_id, by_name = _cluster_lookup(scope, sector)
    seen: dict[str, int] = {}  # keyphrase → first line of the file that targets it
    for line, values in lines:
        row = CsvRow(line=line, values=values)
        raw_cluster = values.get("cluster", "")
        cluster = by_name.get(raw_cluster.lower()) or by_id.get(raw_cluster)
        if cluster is None:
            row.errors["cluster"] = [
                f"No cluster “{raw_cluster}” in sector “{sector.name}”." if raw_cluster else "Name a cluster."
            ]
        else:
            row.cluster_name = cluster.name
        try:
            task_service.check_task(
                scope,
                title=values.get("title", ""),
                cluster_id=cluster.id if cluster else None,
                content_type=values.get("content_type") or None,
                content_structure=values.get("content_structure") or None,
                keywords=values.get("keywords", ""),
                word_count=values.get("word_count") or task_service.DEFAULT_WORD_COUNT,
                description=values.get("description", ""),
                site_id=site.id,
                sector_id=sector.id,
            )
        except ValidationError as error:
            for name, messages in error.fields.items():
                name = "cluster" if name == "cluster_id" else name
                if name == "cluster" and cluster is None:
                    continue  # already explained by the lookup
                row.errors.setdefault(name, []).extend(messages)
        _overlap_warnings(scope, site.id, row, seen)
        preview.rows.append(row)
    return preview


def _overlap_warnings(scope: Scope, site_id: int, row: CsvRow, seen: dict[str, int]) -> None:
    """Warn when the row's keyphrase (its first keyword) is already targeted on the site or by an
    earlier row of the file; the same sentences the task form and the content page show."""
    keyphrase = next((k.strip() for k in row.values.get("keywords", "").split(",") if k.strip()), "")
    if not keyphrase:
        return
    key = " ".join(keyphrase.lower().split())
    if key in seen:
        row.warnings.append(f"Line {seen[key]} of this file already targets “{keyphrase}”.")
    else:
        seen[key] = row.line
    row.warnings += duplicate_keyphrase_warnings(scope, site_id, keyphrase)


def import_csv(scope: Scope, text: str, site_id: Any = None, sector_id: Any = None) -> list[Task]:
    """Create every task of the CSV, or none: any file or row error raises ValidationError on `file`.

    Re-validates the text (the preview may be stale). The caller commits.
    """
    preview = preview_csv(scope, text, site_id, sector_id)
    if not preview.ok:
        problems = list(preview.file_errors)
        problems += [f"Line {row.line}: {'; '.join(row.messages)}" for row in preview.error_rows[:20]]
        count = len(preview.error_rows)
        summary = f"{count} row(s) have errors" if count else "The file cannot be imported"
        raise ValidationError(f"{summary}; nothing was imported.", {"file": problems})
    assert preview.site is not None and preview.sector is not None
    by_id, by_name = _cluster_lookup(scope, preview.sector)
    created = []
    for row in preview.rows:
        values = row.values
        cluster = by_name.get(values["cluster"].lower()) or by_id[values["cluster"]]
        created.append(
            task_service.create_task(
                scope,
                title=values["title"],
                cluster_id=cluster.id,
                content_type=values["content_type"],
                content_structure=values["content_structure"],
                keywords=values.get("keywords", ""),
                word_count=values.get("word_count") or task_service.DEFAULT_WORD_COUNT,
                description=values.get("description", ""),
                site_id=preview.site.id,
                sector_id=preview.sector.id,
            )
        )
    return created


def task_export_rows(scope: Scope, filters: task_service.TaskFilters) -> Iterator[list[Any]]:
    """The filtered task list as CSV rows (EXPORT_HEADER order), fetched in batches."""
    for task in task_service.iter_tasks(scope, filters):
        yield [
            task.id,
            task.title,
            task.keywords,
            task.cluster.name,
            task.content_type.value,
            task.content_structure.value,
            task.word_count,
            task.status.value,
            task.site.name,
            task.sector.name,
            task.created_at.isoformat() if task.created_at else "",
            task.error,
        ]
