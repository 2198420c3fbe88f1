"""Canned answers of the fake OpenAI server: articles built from the prompt, image prompts, PNGs."""

from __future__ import annotations

import io
import re
from functools import lru_cache
from typing import Any

from PIL import Image, ImageDraw

HOSTILE_HTML = (
    "<h2>Safe heading</h2><p>Visible text stays.</p><script>alert('xss')</script>"
    '<img src="x" onerror="alert(1)" alt="pic"><a href="javascript:alert(2)">click me</a>'
    '<iframe src="https://evil.invalid/"></iframe><style>body{display:none}</style>'
    '<p onclick="steal()">More <strong>text</strong>.</p>'
)


def _line(prompt: str, label: str) -> str:
    match = re.search(rf"^{label}:\s*(.+)$", prompt, re.MULTILINE | re.IGNORECASE)
    return match.group(1).strip() if match else ""


def article_payload(prompt: str, kind: str) -> dict[str, Any]:
    """An article that follows the brief found in the prompt (Title:, Primary keyword:, ...)."""
    title = _line(prompt, "Title") or (prompt.strip().splitlines() or ["Untitled article"])[0][:70]
    keyword = _line(prompt, "Primary keyword") or title.lower()
    secondary = [
        k.strip() for k in _line(prompt, "Secondary keywords").split(",") if k.strip() not in ("", "(none)")
    ]
    target = int((re.findall(r"\d+", _line(prompt, "Target length")) or ["600"])[0])
    sections = []
    words = 0
    n = 0
    while words < min(target, 3000) or n < 2:
        n += 1
        paragraph = (
            f"Section {n} explains how {keyword} works in practice, with concrete examples, the trade-offs "
            f"to weigh and the checks that tell you whether it is working for your team."
        )
        sections.append(f"<h2>Part {n}: {keyword}</h2><p>{paragraph}</p><p>{paragraph}</p>")
        words += 4 + 2 * len(paragraph.split())
    html = "".join(sections) + "<ul><li>Plan</li><li>Write</li><li>Review</li></ul>"
    payload: dict[str, Any] = {
        "title": title,
        "meta_title": title[:60],
        "meta_description": f"Learn {keyword}: a practical article with steps, examples and mistakes to avoid, "
        f"written for teams that want results."[:156],
        "primary_keyword": keyword,
        "secondary_keywords": secondary,
        "slug": re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-"),
        "html": HOSTILE_HTML + html if kind == "hostile" else html,
    }
    if kind == "missing_fields":
        del payload["html"]
    if kind == "oversized":
        payload.update(
            title=f"{title}\x00 " + "long " * 80,
            meta_title="meta\x00 " + "title " * 60,
            primary_keyword=f"{keyword}\x00" + "k" * 300,
            secondary_keywords=["second\x00ary", "x" * 400],
            slug="slug-" * 80,
        )
    return payload


def image_prompts_payload(prompt: str) -> dict[str, Any]:
    keyword = _line(prompt, "Primary keyword") or "the topic"
    count_match = re.search(r"exactly (\d+) in-article", prompt)
    count = int(count_match.group(1)) if count_match else 2
    return {
        "featured": {
            "prompt": f"A bright editorial photo about {keyword}",
            "alt_text": f"Team working on {keyword}",
        },
        "in_article": [
            {
                "prompt": f"Scene {i} showing {keyword} in use",
                "alt_text": f"Example {i} of {keyword} in practice",
            }
            for i in range(1, count + 1)
        ],
    }


@lru_cache(maxsize=8)
def png_bytes(width: int, height: int) -> bytes:
    image = Image.new("RGB", (width, height), (40, 90, 160))
    ImageDraw.Draw(image).rectangle(
        [width // 4, height // 4, width * 3 // 4, height * 3 // 4], fill=(240, 180, 60)
    )
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
