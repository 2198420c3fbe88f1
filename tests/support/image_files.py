"""Image files for upload tests: good ones of each format and the bad ones an upload must refuse."""

from __future__ import annotations

import io
import struct
import zlib

from PIL import Image as PILImage


def encoded(
    fmt: str = "PNG", size: tuple[int, int] = (64, 48), color: str = "orange", **save: object
) -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", size, color).save(out, format=fmt, **save)
    return out.getvalue()


def truncated_png() -> bytes:
    data = encoded(size=(200, 200))
    return data[: len(data) // 2]


def png_claiming(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims width×height pixels (a decompression bomb's calling card)."""
    data = bytearray(encoded(size=(1, 1)))
    ihdr = 8 + 8  # signature, then the IHDR chunk's length and type
    data[ihdr : ihdr + 8] = struct.pack(">II", width, height)
    crc = zlib.crc32(bytes(data[ihdr - 4 : ihdr + 13]))
    data[ihdr + 13 : ihdr + 17] = struct.pack(">I", crc)
    return bytes(data)


def animated_gif(frames: int) -> bytes:
    images = [
        PILImage.new("RGB", (8, 8), (n * 8 % 256, 255 - n * 8 % 256, n % 2 * 255)) for n in range(frames)
    ]
    out = io.BytesIO()
    images[0].save(out, format="GIF", save_all=True, append_images=images[1:], duration=40, loop=0)
    return out.getvalue()


def jpeg_with_exif(size: tuple[int, int] = (60, 40), orientation: int = 6) -> bytes:
    image = PILImage.new("RGB", size, "green")
    exif = PILImage.Exif()
    exif[0x0112] = orientation  # Orientation: rotate 90° clockwise to view
    exif[0x010F] = "SecretCam"  # Make
    exif[0x8825] = {2: (51.0, 30.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, format="JPEG", exif=exif.tobytes())
    return out.getvalue()
