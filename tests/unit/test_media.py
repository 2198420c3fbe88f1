"""Media storage: real image bytes in, files and Pillow thumbnails out, never a path outside MEDIA_ROOT."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
from PIL import Image as PILImage

from writer_app.services.errors import ValidationError
from writer_app.services.media import files as media


def encoded(fmt: str = "PNG", size: tuple[int, int] = (1024, 768), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    PILImage.new(mode, size, "orange" if mode == "RGB" else None).save(out, format=fmt)
    return out.getvalue()


def test_store_image_writes_file_and_thumbnail_under_account_and_site(tmp_path):
    data = encoded()
    stored = media.store_image(7, 3, "Solar roof.png", data, root=tmp_path)
    path, thumb, width, height = stored  # unpacks like the 4-tuple callers expect
    assert path.startswith("7/3/solar-roof-") and path.endswith(".png")
    assert thumb.startswith("7/3/thumbs/solar-roof-") and thumb.endswith(".png")
    assert (width, height) == (1024, 768)
    assert (tmp_path / path).read_bytes() == data
    with PILImage.open(tmp_path / thumb) as opened:
        assert opened.format == "PNG"
        assert opened.size == (320, 240)


def test_names_are_unique_and_cannot_climb_out(tmp_path):
    first = media.store_image(1, 1, "../../etc/passwd", encoded(size=(50, 50)), root=tmp_path)
    second = media.store_image(1, 1, "../../etc/passwd", encoded(size=(50, 50)), root=tmp_path)
    assert first.path != second.path
    for stored in (first, second):
        assert ".." not in stored.path and stored.path.startswith("1/1/passwd-")
        assert (tmp_path / stored.path).resolve().is_relative_to(tmp_path.resolve())


def test_small_images_are_not_enlarged_and_jpeg_keeps_its_format(tmp_path):
    stored = media.store_image(1, 2, "tiny", encoded("JPEG", (100, 80)), root=tmp_path)
    assert stored.path.endswith(".jpg")
    with PILImage.open(tmp_path / stored.thumbnail_path) as opened:
        assert opened.size == (100, 80)


def test_other_formats_are_stored_as_png(tmp_path):
    stored = media.store_image(1, 2, "scan", encoded("BMP", (400, 200)), root=tmp_path)
    assert stored.path.endswith(".png")
    with PILImage.open(tmp_path / stored.path) as opened:
        assert opened.format == "PNG" and opened.size == (400, 200)


def test_transparent_images_keep_alpha_in_thumbnails(tmp_path):
    stored = media.store_image(1, 2, "logo", encoded("PNG", (640, 640), mode="RGBA"), root=tmp_path)
    with PILImage.open(tmp_path / stored.thumbnail_path) as opened:
        assert opened.mode == "RGBA" and opened.size == (320, 320)


@pytest.mark.parametrize(
    "data",
    [b"", b"not an image at all", encoded()[:200], b"<svg xmlns='http://www.w3.org/2000/svg'/>"],
)
def test_bytes_that_are_not_an_image_are_refused(tmp_path, data):
    with pytest.raises(ValidationError) as error:
        media.store_image(1, 1, "x", data, root=tmp_path)
    assert "image" in error.value.fields
    assert not any(tmp_path.rglob("*.*"))


def test_resolve_refuses_paths_outside_media_root(tmp_path):
    root = tmp_path / "media"
    stored = media.store_image(4, 5, "ok", encoded(size=(20, 20)), root=root)
    assert media.resolve(stored.path, root=root) == (root / stored.path).resolve()
    assert media.resolve(stored.path, root=root, prefix="4/") is not None
    assert media.resolve(stored.path, root=root, prefix="40/") is None
    (tmp_path / "secret.txt").write_text("x")
    for bad in (
        "",
        "../secret.txt",
        "4/../../secret.txt",
        str(tmp_path / "secret.txt"),
        "4\\..\\..\\secret.txt",
        "4/5/\x00.png",
        "4/5",  # a folder, not a file
        "4/5/missing.png",
    ):
        assert media.resolve(bad, root=root) is None, bad


def test_resolve_refuses_symlinks_leaving_media_root(tmp_path):
    root = tmp_path / "media"
    (root / "4").mkdir(parents=True)
    target = tmp_path / "outside.png"
    target.write_bytes(encoded(size=(10, 10)))
    os.symlink(target, root / "4" / "link.png")
    assert media.resolve("4/link.png", root=root) is None


def test_remove_files_deletes_only_safe_existing_paths(tmp_path):
    stored = media.store_image(1, 1, "gone", encoded(size=(30, 30)), root=tmp_path)
    keep = tmp_path.parent / f"{tmp_path.name}-keep.txt"
    keep.write_text("keep")
    removed = media.remove_files(stored.path, stored.thumbnail_path, f"../{keep.name}", root=tmp_path)
    assert removed == 2
    assert not (tmp_path / stored.path).exists() and keep.exists()


def test_mimetypes():
    assert media.mimetype_for(Path("a/b.PNG")) == "image/png"
    assert media.mimetype_for(Path("a/b.jpg")) == "image/jpeg"
    assert media.mimetype_for(Path("a/b.webp")) == "image/webp"
    assert media.mimetype_for(Path("a/b.html")) == "application/octet-stream"


def test_default_root_is_the_apps_media_root(app):
    stored = media.store_image(9, 9, "cfg", encoded(size=(10, 10)))
    assert (Path(app.config["MEDIA_ROOT"]) / stored.path).is_file()
