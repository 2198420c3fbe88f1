"""The table rows of the task and content lists, written here rather than in their templates.

Jinja spent 0.6-0.7 M instructions on each row of a 50-row list (about 25 escaped values, 35 attribute
lookups and 10 calls through its context, each output piece yielded on its own): more than the whole
rest of the page. Here a row is one format string filled with values escaped once (bench/README.md,
round 4). Everything that comes from the data goes through `escape`, numbers and links included.

The templates call `task_rows(...)` / `content_rows(...)` inside their `<tbody>`; the markup below is
what they wrote before, cell for cell.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from typing import Any

from markupsafe import Markup

from writer_app.views.display import OFFLINE_BADGE, status_badge, text, timeago, when

KEYWORDS_SHOWN = 6

TASK_ROW = """<tr id="task-%(id)s" data-status="%(status)s">%(check)s
  <td class="col-title">
    %(title)s%(keywords)s%(error)s%(content)s
  </td>
  <td>%(cluster)s</td>
  <td>%(type)s · %(structure)s</td>
  <td class="num">%(words)s</td>
  <td>%(site)s · %(sector)s</td>
  <td><span class="status status-%(status)s">%(status_label)s</span></td>
  <td class="nowrap"><time datetime="%(created_iso)s" title="%(created_exact)s">%(created_ago)s</time></td>%(actions)s
</tr>
"""
TASK_CHECK = """
  <td class="col-check"><input type="checkbox" name="ids" value="%s" aria-label="Select “%s”"></td>"""
TASK_CANCEL = """
  <td class="row-actions">%s</td>"""
CANCEL_BUTTON = (
    '<button type="submit" class="small secondary outline" formaction="%(url)s" hx-post="%(url)s" '
    'hx-target="#task-results" hx-swap="outerHTML" data-confirm="Cancel “%(title)s”?">Cancel</button>'
)

CONTENT_ROW = """<tr>
  <td class="title-cell">
    <a href="%(href)s">%(title)s</a>
    %(offline)s
    <small class="muted">%(site)s · %(sector)s%(source)s</small>
  </td>
  <td>%(status)s</td>
  <td>%(cluster)s</td>
  <td>%(type)s<br><small class="muted">%(structure)s</small></td>
  <td class="num">%(words)s</td>
  <td class="images-cell">%(images)s</td>
  <td>%(terms)s</td>
  <td>%(scheduled)s</td>
  <td>%(updated)s%(editor)s</td>
</tr>
"""
NO_IMAGES = '<small class="muted">none</small>'


def task_rows(
    tasks: Iterable[Any],
    *,
    content: Mapping[int, Any],
    content_url: Callable[[int], str],
    selectable: bool = False,
    edit_url: Callable[[int], str] | None = None,
    cancel_url: Callable[[int], str] | None = None,
    cancellable: Collection[str] = (),
) -> Markup:
    """The `<tr>`s of the task table. `selectable`: a checkbox a row (editors); `edit_url` None: titles
    are not links; `cancel_url` None: no actions column (read-only roles and the trash)."""
    links = (content, content_url, selectable, edit_url, cancel_url, cancellable)
    return Markup("".join(_task_row(task, *links) for task in tasks))  # noqa: S704  (escaped within)


def _task_row(
    task: Any,
    content: Mapping[int, Any],
    content_url: Callable[[int], str],
    selectable: bool,
    edit_url: Callable[[int], str] | None,
    cancel_url: Callable[[int], str] | None,
    cancellable: Collection[str],
) -> str:
    title = text(task.title)
    status = task.status
    # `queued` is stored (and in the API) for tasks nobody has started generation for: they read as planned.
    label = "planned" if status == "queued" else status.replace("_", " ")
    made = content.get(task.id)
    created = task.created_at
    actions = ""
    if cancel_url is not None:
        button = ""
        if status in cancellable:
            button = CANCEL_BUTTON % {"url": text(cancel_url(task.id)), "title": title}
        actions = TASK_CANCEL % button
    return TASK_ROW % {
        "id": task.id,
        "status": text(status),
        "check": TASK_CHECK % (task.id, title) if selectable else "",
        "title": f'<a href="{text(edit_url(task.id))}">{title}</a>' if edit_url is not None else title,
        "keywords": _keywords(task.keyword_list),
        "error": (
            f'<p class="task-error" role="note"><strong>Error:</strong> {text(task.error)}</p>'
            if status == "failed" and task.error
            else ""
        ),
        "content": (
            f'<div class="task-content-link"><small>Content: <a href="{text(content_url(made.id))}">'
            f"{text(made.title)}</a> ({text(made.status.value)})</small></div>"
            if made
            else ""
        ),
        "cluster": text(task.cluster.name or ""),
        "type": text(task.content_type.replace("_", " ")),
        "structure": text(task.content_structure.replace("_", " ")),
        "words": f"{task.word_count:,}",
        "site": text(task.site.name or ""),
        "sector": text(task.sector.name or ""),
        "status_label": text(label),
        "created_iso": created.isoformat(),
        "created_exact": created.strftime("%Y-%m-%d %H:%M"),
        "created_ago": text(timeago(created)),
        "actions": actions,
    }


def _keywords(keywords: list[str]) -> str:
    if not keywords:
        return ""
    tags = "".join(f'<span class="tag">{text(k)}</span>' for k in keywords[:KEYWORDS_SHOWN])
    more = f"<small>+{len(keywords) - KEYWORDS_SHOWN}</small>" if len(keywords) > KEYWORDS_SHOWN else ""
    return f'<div class="keywords">{tags}{more}</div>'


def content_rows(page: Any, review_url: Callable[[int], str]) -> Markup:
    """The `<tr>`s of the content table for a ContentPage (its rows and their image stats)."""
    rows = "".join(_content_row(c, page.stats(c.id), review_url) for c in page.items)
    return Markup(rows)  # noqa: S704  (escaped within)


def _content_row(item: Any, stats: Any, review_url: Callable[[int], str]) -> str:
    scheduled = item.scheduled_at
    editor = item.last_edited_by
    return CONTENT_ROW % {
        "href": text(review_url(item.id)),
        "title": text(item.title),
        "offline": OFFLINE_BADGE if item.is_offline_draft else "",
        "site": text(item.site.name or ""),
        "sector": text(item.sector.name or ""),
        "source": " · from WordPress" if item.source.value == "wordpress" else "",
        "status": status_badge(item.status),
        "cluster": text(item.cluster.name or ""),
        "type": text(item.content_type.value.capitalize()),
        "structure": text(item.content_structure.value.replace("_", " ")),
        "words": f"{item.word_count:,}",
        "images": _images(stats),
        "terms": "".join(f'<span class="tag">{text(t.name)}</span>' for t in item.taxonomy_terms),
        "scheduled": (
            f'<time datetime="{scheduled.isoformat()}">{scheduled.strftime("%Y-%m-%d %H:%M")}</time>'
            if scheduled
            else ""
        ),
        "updated": when(item.updated_at),
        "editor": f'<br><small class="muted">by {text(editor.display_name)}</small>' if editor else "",
    }


def _images(stats: Any) -> str:
    if not stats.total:
        return NO_IMAGES
    featured = "★ featured" if stats.has_featured_image else "no featured"
    counts = ", ".join(f"{n} {text(s)}" for s, n in stats.by_status.items() if n)
    return f'<span title="Featured image">{featured}</span><br>\n<small class="muted">{counts}</small>'
