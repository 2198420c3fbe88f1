"""Image files under MEDIA_ROOT: stored as `<account_id>/<site_id>/<name>-<token>.<ext>`, with a
320px-wide PNG thumbnail next to them under `thumbs/`.

Paths in the database are always relative to MEDIA_ROOT; `resolve` turns one back into a file and
refuses anything that would leave MEDIA_ROOT (absolute paths, `..`, symlinks pointing outside).
Reading the file of an image goes through `services.images.image_file`, which checks the scope first.
"""

from __future__ import annotations

import io
import re
import secrets
import unicodedata
from pathlib import Path, PurePosixPath
from typing import NamedTuple

from flask import current_app
from PIL import Image, ImageOps, UnidentifiedImageError

from writer_app.services.errors import ValidationError

THUMBNAIL_WIDTH = 320
# Formats we keep as they came; anything else Pillow reads is re-encoded to PNG.
_KEEP_FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
MIMETYPES = {
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
}


class StoredImage(NamedTuple):
    """What `store_image` wrote (paths relative to MEDIA_ROOT); unpacks like a 4-tuple."""

    path: str
    thumbnail_path: str
    width: int
    height: int


def media_root(root: str | Path | None = None) -> Path:
    """MEDIA_ROOT of the running app (or `root`), resolved; created on first use."""
    path = Path(root if root is not None else current_app.config["MEDIA_ROOT"]).resolve()
    path.mkdir(parents=True, exist_ok=True)
    return path


def _safe_stem(name: str) -> str:
    """A file name stem made of [a-z0-9-] only (no separators, no dots), at most 60 characters."""
    stem = PurePosixPath(name or "").stem
    ascii_text = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:60] or "image"


def _open_verified(data: bytes) -> Image.Image:
    """Pillow's own check that `data` is a complete, readable image (not a decompression bomb)."""
    if not data:
        raise ValidationError.field("image", "The image is empty.")
    try:
        with Image.open(io.BytesIO(data)) as probe:
            probe.verify()  # structure and checksums; the image is unusable afterwards
        image = Image.open(io.BytesIO(data))
        image.load()
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError.field("image", "The file is not a readable image.") from exc
    return image


def make_thumbnail(image: Image.Image, width: int = THUMBNAIL_WIDTH) -> bytes:
    """A PNG `width` pixels wide keeping the aspect ratio (never enlarged)."""
    thumb = ImageOps.exif_transpose(image) or image
    if thumb.mode not in ("RGB", "RGBA"):
        thumb = thumb.convert("RGBA" if "transparency" in thumb.info or thumb.mode in ("LA", "PA") else "RGB")
    if thumb.width > width:
        height = max(1, round(thumb.height * width / thumb.width))
        thumb = thumb.resize((width, height), Image.Resampling.LANCZOS)
    out = io.BytesIO()
    thumb.save(out, format="PNG", optimize=True)
    return out.getvalue()


def store_image(
    account_id: int, site_id: int, name: str, png_bytes: bytes, *, root: str | Path | None = None
) -> StoredImage:
    """Verify `png_bytes` is an image, write it and its 320px thumbnail under
    MEDIA_ROOT/<account_id>/<site_id>/, and return (path, thumbnail_path, width, height).

    `name` only flavours the file name (it is slugged; a random token keeps names unique, so
    nothing is ever overwritten). Raises ValidationError(field "image") for bytes that are not an image.
    """
    image = _open_verified(png_bytes)
    extension = _KEEP_FORMATS.get(image.format or "")
    data = png_bytes
    if extension is None:  # e.g. BMP/TIFF: keep a PNG copy, browsers show those everywhere
        out = io.BytesIO()
        image.save(out, format="PNG")
        data, extension = out.getvalue(), "png"
    base = media_root(root)
    folder = PurePosixPath(str(int(account_id)), str(int(site_id)))
    file_name = f"{_safe_stem(name)}-{secrets.token_hex(6)}"
    relative = folder / f"{file_name}.{extension}"
    thumb_relative = folder / "thumbs" / f"{file_name}.png"
    (base / folder / "thumbs").mkdir(parents=True, exist_ok=True)
    (base / relative).write_bytes(data)
    (base / thumb_relative).write_bytes(make_thumbnail(image))
    width, height = image.size
    image.close()
    return StoredImage(str(relative), str(thumb_relative), width, height)


def resolve(relative: str, *, root: str | Path | None = None, prefix: str = "") -> Path | None:
    """The existing file at MEDIA_ROOT/`relative`, or None when there is none or the path would
    leave MEDIA_ROOT (or does not start with the folder `prefix`, e.g. "<account_id>/")."""
    if not relative or "\x00" in relative or "\\" in relative:
        return None
    candidate = PurePosixPath(relative)
    if candidate.is_absolute() or ".." in candidate.parts:
        return None
    if prefix and not str(candidate).startswith(prefix):
        return None
    base = media_root(root)
    path = (base / candidate).resolve()  # follows symlinks: a link out of MEDIA_ROOT is refused below
    if not path.is_relative_to(base) or not path.is_file():
        return None
    return path


def remove_files(*relatives: str, root: str | Path | None = None) -> int:
    """Delete stored files (e.g. after a failed job); unknown or unsafe paths are skipped."""
    removed = 0
    for relative in relatives:
        path = resolve(relative, root=root)
        if path is not None:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def mimetype_for(path: Path) -> str:
    return MIMETYPES.get(path.suffix.lower(), "application/octet-stream")
