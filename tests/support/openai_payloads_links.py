"""An article whose body links the way a careless model does: to the real pages the prompt offered,
and also to pages it invented (behaviour "links" of the fake OpenAI server)."""

from __future__ import annotations

import re
from typing import Any

from tests.support.openai_payloads import article_payload

INVENTED = (
    "https://invented.example/made-up-study",
    "/blog/a-page-that-does-not-exist",
)


def offered_urls(prompt: str) -> list[str]:
    """The internal link candidates listed in the prompt ("- URL — title" lines)."""
    return re.findall(r"^- (https?://\S+) — ", prompt, re.MULTILINE)


def article_with_links_payload(prompt: str) -> dict[str, Any]:
    payload = article_payload(prompt, "ok")
    real = "".join(
        f'<p>See <a href="{url}">our guide {n}</a>.</p>' for n, url in enumerate(offered_urls(prompt))
    )
    invented = f'<p>A <a href="{INVENTED[0]}">recent study</a> and <a href="{INVENTED[1]}">our old post</a> agree.</p>'
    payload["html"] = real + invented + payload["html"]
    return payload
