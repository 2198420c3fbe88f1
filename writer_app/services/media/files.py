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
import warnings
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


# Uploads: the formats accepted (sniffed by Pillow from the bytes, never from the name or header).
UPLOAD_FORMATS = ("PNG", "JPEG", "WEBP", "GIF")


class UploadLimits(NamedTuple):
    max_bytes: int
    max_pixels: int
    max_frames: int


def upload_limits() -> UploadLimits:
    config = current_app.config
    return UploadLimits(
        int(config["IMAGE_UPLOAD_MAX_BYTES"]),
        int(config["IMAGE_UPLOAD_MAX_PIXELS"]),
        int(config["IMAGE_UPLOAD_MAX_FRAMES"]),
    )


def _refuse(message: str) -> ValidationError:
    return ValidationError.field("file", message)


def clean_upload(data: bytes, limits: UploadLimits) -> bytes:
    """An uploaded file as bytes Writer may keep: one of UPLOAD_FORMATS as Pillow reads it, within the
    byte, pixel and frame limits, complete, and re-encoded (which drops EXIF and other metadata; the
    EXIF orientation is applied first so photos stay upright). Every refusal is a field error on "file".
    """
    if not data:
        raise _refuse("The file is empty.")
    if len(data) > limits.max_bytes:
        raise _refuse(f"The file is larger than {limits.max_bytes // 1024:,} KB.")
    try:
        with warnings.catch_warnings():
            # Pillow warns (then refuses) far above our own pixel limit; both are a refusal here.
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data), formats=UPLOAD_FORMATS) as probe:
                kind = probe.format or ""
                width, height = probe.size
                if width * height > limits.max_pixels:
                    raise _refuse(
                        f"The image is {width}×{height} pixels; at most {limits.max_pixels:,} pixels are allowed."
                    )
                frames = getattr(probe, "n_frames", 1)
                if frames > limits.max_frames:
                    raise _refuse(f"The image has {frames} frames; at most {limits.max_frames} are allowed.")
                probe.verify()
            image = Image.open(io.BytesIO(data), formats=UPLOAD_FORMATS)
            image.load()
            return _reencode(image, kind, frames)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise _refuse(f"The image has too many pixels; at most {limits.max_pixels:,} are allowed.") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, EOFError, TypeError) as exc:
        raise _refuse("The file is not a complete PNG, JPEG, WebP or GIF image.") from exc


def _reencode(image: Image.Image, kind: str, frames: int) -> bytes:
    out = io.BytesIO()
    if frames > 1:  # animations keep their frames and timing; their metadata is not copied
        image.save(
            out,
            format=kind,
            save_all=True,
            **{k: v for k, v in image.info.items() if k in ("duration", "loop")},
        )
        return out.getvalue()
    upright = ImageOps.exif_transpose(image) or image
    if kind == "JPEG":
        if upright.mode not in ("RGB", "L", "CMYK"):
            upright = upright.convert("RGB")
        upright.save(out, format="JPEG", quality=90, optimize=True)
    else:
        upright.save(out, format=kind)
    return out.getvalue()


def original_name(filename: str | None) -> str:
    """An upload's name as shown and searched: no folders, no control characters, at most 255."""
    name = PurePosixPath((filename or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable())
    try:
        name.encode("utf-8")
    except UnicodeEncodeError:
        name = name.encode("utf-8", "ignore").decode()
    return name[:255]


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
