"""Pillow helpers for the AI providers: normalise model output to PNG, draw offline placeholders."""

from __future__ import annotations

import hashlib
import io
import textwrap
from functools import lru_cache

from PIL import Image, ImageDraw, ImageFont, ImageOps, UnidentifiedImageError

from writer_app.integrations.ai import AIInvalidOutputError, check_image_size


def normalise_png(data: bytes, width: int, height: int) -> bytes:
    """Any image the server returned → an RGB(A) PNG of exactly width × height (cropped to fit, not
    stretched, because models only offer a few sizes)."""
    check_image_size(width, height)
    try:
        with Image.open(io.BytesIO(data)) as source:
            source.load()
            image = source.convert("RGBA" if _has_alpha(source) else "RGB")
    except (UnidentifiedImageError, OSError, Image.DecompressionBombError) as exc:
        raise AIInvalidOutputError("The AI server returned image data that is not a readable image.") from exc
    if image.size != (width, height):
        image = ImageOps.fit(image, (width, height), method=Image.Resampling.LANCZOS)
    return _png(image)


def _has_alpha(image: Image.Image) -> bool:
    return image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info)


def _png(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()


@lru_cache(maxsize=16)
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    return ImageFont.load_default(size=size)


def _palette(seed: bytes) -> tuple[tuple[int, int, int], tuple[int, int, int], tuple[int, int, int]]:
    """Two gradient ends and an accent, derived from the prompt so each prompt has its own look."""

    def colour(offset: int, low: int, high: int) -> tuple[int, int, int]:
        return tuple(low + seed[offset + i] * (high - low) // 255 for i in range(3))  # type: ignore[return-value]

    return colour(0, 25, 110), colour(3, 90, 200), colour(6, 170, 250)


def draw_placeholder(prompt: str, width: int, height: int) -> bytes:
    """A deterministic, clearly-not-a-photo image: gradient, soft shapes and the prompt as a caption."""
    check_image_size(width, height)
    seed = hashlib.sha256(prompt.encode("utf-8")).digest()
    top, bottom, accent = _palette(seed)
    image = Image.new("RGB", (width, height), top)
    draw = ImageDraw.Draw(image, "RGBA")
    for y in range(height):  # vertical gradient, one line per row
        t = y / max(height - 1, 1)
        draw.line(
            [(0, y), (width, y)], fill=tuple(round(a + (b - a) * t) for a, b in zip(top, bottom, strict=True))
        )
    short = min(width, height)
    for i in range(5):  # translucent circles placed from the hash bytes
        cx = seed[9 + i] * width // 255
        cy = seed[14 + i] * height // 255
        r = short // 8 + seed[19 + i] * short // 600
        draw.ellipse([cx - r, cy - r, cx + r, cy + r], fill=(*accent, 60 + seed[24 + i] // 4))
    _caption(draw, prompt, width, height)
    return _png(image)


def _caption(draw: ImageDraw.ImageDraw, prompt: str, width: int, height: int) -> None:
    size = max(10, min(width, height) // 18)
    font = _font(size)
    chars_per_line = max(8, int(width * 0.8 / (size * 0.55)))
    max_lines = max(1, int(height * 0.6 / (size * 1.3)))
    lines = textwrap.wrap(prompt, chars_per_line)[:max_lines] or ["offline image"]
    if len(textwrap.wrap(prompt, chars_per_line)) > max_lines:
        lines[-1] = lines[-1][: max(1, chars_per_line - 1)].rstrip() + "…"
    line_height = round(size * 1.3)
    block_height = line_height * len(lines)
    y = (height - block_height) // 2
    pad = size // 2
    draw.rectangle([0, y - pad, width, y + block_height + pad], fill=(0, 0, 0, 90))
    for line in lines:
        text_width = draw.textlength(line, font=font)
        draw.text(((width - text_width) / 2, y), line, font=font, fill=(255, 255, 255, 235))
        y += line_height
