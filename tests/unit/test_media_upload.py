"""Uploaded files: only complete PNG/JPEG/WebP/GIF images within the limits get in, re-encoded without
their metadata; everything else is a field error on "file" (never an exception the app turns into 500)."""

from __future__ import annotations

import io

import pytest
from PIL import Image as PILImage

from tests.support import image_files
from writer_app.services.errors import ValidationError
from writer_app.services.media import files as media

LIMITS = media.UploadLimits(max_bytes=200_000, max_pixels=4_000_000, max_frames=20)


def refused(data: bytes, limits: media.UploadLimits = LIMITS) -> str:
    with pytest.raises(ValidationError) as error:
        media.clean_upload(data, limits)
    assert list(error.value.fields) == ["file"]
    return error.value.message


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_each_accepted_format_comes_out_as_itself(fmt: str) -> None:
    cleaned = media.clean_upload(image_files.encoded(fmt), LIMITS)
    with PILImage.open(io.BytesIO(cleaned)) as opened:
        assert opened.format == fmt and opened.size == (64, 48)


def test_a_text_file_named_png_is_refused() -> None:
    assert "not a complete PNG, JPEG, WebP or GIF image" in refused(b"just some text, honestly a png\n" * 10)


def test_other_image_formats_are_refused_whatever_they_are_called() -> None:
    assert "not a complete" in refused(image_files.encoded("BMP"))
    assert "not a complete" in refused(image_files.encoded("TIFF"))


def test_a_truncated_png_is_refused() -> None:
    assert "not a complete" in refused(image_files.truncated_png())


def test_too_many_pixels_are_refused_before_decoding() -> None:
    assert "at most 4,000,000 pixels" in refused(image_files.png_claiming(3000, 3000))
    # far beyond Pillow's own bomb limit too (≈ 179 megapixels): still a field error
    big = media.UploadLimits(max_bytes=200_000, max_pixels=10**12, max_frames=20)
    assert "too many pixels" in refused(image_files.png_claiming(40_000, 40_000), big)


def test_an_oversized_file_is_refused() -> None:
    assert "larger than 195 KB" in refused(b"\x89PNG" + b"0" * 200_000)
    assert "empty" in refused(b"")


def test_a_gif_with_many_frames_is_refused_and_a_short_animation_kept() -> None:
    assert "30 frames; at most 20" in refused(image_files.animated_gif(30))
    cleaned = media.clean_upload(image_files.animated_gif(5), LIMITS)
    with PILImage.open(io.BytesIO(cleaned)) as opened:
        assert opened.format == "GIF" and opened.n_frames == 5


def test_exif_is_dropped_and_the_photo_turned_upright() -> None:
    original = image_files.jpeg_with_exif()
    assert b"SecretCam" in original
    cleaned = media.clean_upload(original, LIMITS)
    assert b"SecretCam" not in cleaned
    with PILImage.open(io.BytesIO(cleaned)) as opened:
        assert opened.format == "JPEG" and not opened.getexif() and opened.size == (40, 60)


def test_original_names_keep_no_folders_or_control_characters() -> None:
    assert media.original_name("../../etc/pass\x00wd.png") == "passwd.png"
    assert media.original_name("C:\\Users\\me\\Roof photo.JPG") == "Roof photo.JPG"
    assert media.original_name("a" * 300 + ".png") == "a" * 255
    assert media.original_name(None) == ""
