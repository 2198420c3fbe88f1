"""Images inside the body: Writer's own `<img src="/images/<id>/file">` tags, where generated images go,
and one place that keeps an image's alt text equal on its row and in the bodies that show it.

The body is HTML that went through `sanitize_html` (nh3 serialises it: lower-case tags, double-quoted
attributes), so the small regular expressions here see one spelling of each tag.

Placement rule for generated in-article images (k images, s H2 sections in the body): image N (by
position, 1-based) goes after the first paragraph of H2 section ⌊(N−1)·s/k⌋+1, so the images spread
evenly over the sections starting with the first. With fewer H2 sections than images they are spread
evenly between paragraphs instead; a body without paragraphs gets them at its end.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from html import escape, unescape
from typing import Any

from writer_app.models import Content, Image, ImageStatus, ImageType, db
from writer_app.services.scope import Scope, scoped

# The path of views/images.py `file` (a test checks it against url_for): stored in bodies as is, so
# the page shows the image to account members and publishing can find it again.
FILE_PATH = "/images/{id}/file"
_IMG_TAG = re.compile(r"<img\b[^>]*>", re.IGNORECASE)
_SRC = re.compile(r"""\bsrc\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_ALT = re.compile(r"""\balt\s*=\s*(["'])(.*?)\1""", re.IGNORECASE | re.DOTALL)
_APP_SRC = re.compile(r"^(?:https?://[^/]+)?/images/(\d+)/file(?:[?#].*)?$")
_H2 = re.compile(r"<h2\b", re.IGNORECASE)
_P_END = re.compile(r"</p>", re.IGNORECASE)
_EMPTY_FIGURE = re.compile(r"<figure>\s*(?:<figcaption>.*?</figcaption>\s*)?</figure>", re.DOTALL)


def image_src(image_id: int) -> str:
    return FILE_PATH.format(id=int(image_id))


def figure_html(image_id: int, alt: str) -> str:
    """The markup an image gets in the body."""
    return f'<figure><img src="{image_src(image_id)}" alt="{escape(alt or "", quote=True)}"></figure>'


def image_id_of(src: str) -> int | None:
    """The image id when `src` is Writer's image file URL (relative, or absolute on any host)."""
    found = _APP_SRC.match(unescape(src or "").strip())
    return int(found.group(1)) if found else None


def _tags(html: str) -> Iterable[tuple[re.Match[str], int | None]]:
    for tag in _IMG_TAG.finditer(html or ""):
        src = _SRC.search(tag.group(0))
        yield tag, image_id_of(src.group(2)) if src else None


def ids_in_body(html: str | None) -> list[int]:
    """Ids of Writer images the body shows, in order of first appearance."""
    return list(dict.fromkeys(image_id for _, image_id in _tags(html or "") if image_id is not None))


def alts_in_body(html: str | None) -> dict[int, str]:
    """Alt text of each Writer image in the body (the first tag of an image wins)."""
    found: dict[int, str] = {}
    for tag, image_id in _tags(html or ""):
        if image_id is not None and image_id not in found:
            alt = _ALT.search(tag.group(0))
            found[image_id] = unescape(alt.group(2)) if alt else ""
    return found


def _replace_tags(html: str, edit: Any) -> str:
    """Rebuild `html` with every Writer image tag replaced by edit(tag, image_id) ("" drops it)."""
    out, last = [], 0
    for tag, image_id in _tags(html):
        if image_id is None:
            continue
        out.append(html[last : tag.start()])
        out.append(edit(tag.group(0), image_id))
        last = tag.end()
    out.append(html[last:])
    return "".join(out)


def _set_attribute(tag: str, pattern: re.Pattern[str], name: str, value: str) -> str:
    attribute = f'{name}="{escape(value, quote=True)}"'
    found = pattern.search(tag)
    if found:
        return tag[: found.start()] + attribute + tag[found.end() :]
    return tag[:4] + " " + attribute + tag[4:]


def set_alt(html: str, image_id: int, alt: str) -> str:
    """The body with the alt text of every tag showing `image_id` set to `alt`."""
    return _replace_tags(
        html or "",
        lambda tag, found: _set_attribute(tag, _ALT, "alt", alt) if found == image_id else tag,
    )


def rewrite_sources(html: str, urls: dict[int, str]) -> str:
    """The body as WordPress gets it: Writer image tags point at the uploaded media URL; a Writer image
    without one (deleted, not generated, another account's) is dropped with an emptied figure."""

    def edit(tag: str, image_id: int) -> str:
        return _set_attribute(tag, _SRC, "src", urls[image_id]) if image_id in urls else ""

    return _EMPTY_FIGURE.sub("", _replace_tags(html or "", edit))


def _insert(html: str, inserts: dict[int, list[str]]) -> str:
    out, last = [], 0
    for position in sorted(inserts):
        out.append(html[last:position])
        out.extend(inserts[position])
        last = position
    out.append(html[last:])
    return "".join(out)


def place(html: str, figures: Sequence[str]) -> str:
    """Insert `figures` (in order) into `html` by the placement rule of the module doc."""
    html = html or ""
    if not figures:
        return html
    k = len(figures)
    heads = [m.start() for m in _H2.finditer(html)]
    inserts: dict[int, list[str]] = {}
    if heads and len(heads) >= k:
        bounds = [*heads[1:], len(html)]
        for n, figure in enumerate(figures):
            section = n * len(heads) // k
            start, end = heads[section], bounds[section]
            paragraph = _P_END.search(html, start, end)
            # after the section's first paragraph, else at the end of the section
            inserts.setdefault(paragraph.end() if paragraph else end, []).append(figure)
        return _insert(html, inserts)
    paragraphs = [m.end() for m in _P_END.finditer(html)]
    if not paragraphs:
        return html + "".join(figures)
    for n, figure in enumerate(figures):  # the n-th of k after paragraph ⌈(n+1)·p/(k+1)⌉
        index = max(0, math.ceil((n + 1) * len(paragraphs) / (k + 1)) - 1)
        inserts.setdefault(paragraphs[min(index, len(paragraphs) - 1)], []).append(figure)
    return _insert(html, inserts)


# --- with the database -----------------------------------------------------------------------------


def place_generated(scope: Scope, content_id: int) -> int:
    """Put the content's generated in-article images that its body does not show yet into the body (a
    revision "Generated images placed in the text"); returns how many were placed."""
    from writer_app.services.content import get_content, update_content

    content = get_content(scope, content_id)
    shown = set(ids_in_body(content.html))
    stmt = (
        scoped(scope, Image)
        .where(
            Image.content_id == content.id,
            Image.image_type == ImageType.IN_ARTICLE,
            Image.status == ImageStatus.GENERATED,
            Image.image_path != "",
        )
        .order_by(Image.position, Image.id)
    )
    new = [image for image in db.session.scalars(stmt) if image.id not in shown]
    if not new:
        return 0
    html = place(content.html, [figure_html(i.id, i.alt_text) for i in new])
    update_content(scope, content.id, html=html, note="Generated images placed in the text")
    return len(new)


def sync_rows_from_body(scope: Scope, content: Content) -> None:
    """After a body was saved: each Writer image of the account that the body shows takes the alt text
    the body gives it (the editor's alt dialog writes into the body)."""
    alts = alts_in_body(content.html)
    if not alts:
        return
    for image in db.session.scalars(scoped(scope, Image).where(Image.id.in_(list(alts)))):
        alt = alts[image.id].strip()[:500]
        if alt and image.alt_text != alt:
            image.alt_text = alt


def bodies_showing(scope: Scope, image_id: int) -> list[Content]:
    """Live content of the account whose body shows the image."""
    needle = f"%{image_src(image_id)}%"
    stmt = scoped(scope, Content).where(Content.html.like(needle))
    return [c for c in db.session.scalars(stmt) if image_id in ids_in_body(c.html)]


def push_alt_to_bodies(scope: Scope, image: Image) -> int:
    """After an image's alt text changed on its row (detail page, API): the bodies that show it get it
    too, each as a revision. Returns how many bodies changed."""
    from writer_app.services.content import update_content

    changed = 0
    for content in bodies_showing(scope, image.id):
        html = set_alt(content.html, image.id, image.alt_text)
        if html != content.html:
            update_content(scope, content.id, html=html, note=f"Alt text of image {image.id} changed")
            changed += 1
    return changed


def featured_ids(scope: Scope, image_ids: Sequence[int]) -> set[int]:
    """Which of `image_ids` some live content uses as its featured image (chosen from the library)."""
    if not image_ids:
        return set()
    stmt = scoped(scope, Content).where(Content.featured_image_id.in_(list(image_ids)))
    return {c.featured_image_id for c in db.session.scalars(stmt) if c.featured_image_id is not None}


def used_by(scope: Scope, image: Image) -> list[str]:
    """Why an image cannot be deleted: the content that shows it or uses it as featured image."""
    reasons = [f"shown in “{c.title}”" for c in bodies_showing(scope, image.id)]
    reasons += [
        f"featured image of “{c.title}”"
        for c in db.session.scalars(scoped(scope, Content).where(Content.featured_image_id == image.id))
    ]
    if image.image_type == ImageType.FEATURED and image.content_id is not None:
        from writer_app.services.media.content_images import content_images

        owner = db.session.get(Content, image.content_id)
        if owner is not None and owner.deleted_at is None:
            featured = content_images(scope, owner.id).featured
            if featured is not None and featured.id == image.id:
                reasons.append(f"featured image of “{owner.title}”")
    return list(dict.fromkeys(reasons))
