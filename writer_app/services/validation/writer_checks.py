"""Writer's own checks beyond Yoast's: words the site's style guide avoids, and dead links.

Both count in neither score (no Yoast assessment behind them) and appear only when they apply: the
style guide lists words to avoid; the body's links were checked for the current text.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from .context import Context
from .model import CheckResult, make_result

SHOWN = 5  # words or links named in a message


def words_to_avoid(ctx: Context) -> CheckResult | None:
    words = ctx.content.avoid_words
    if not words:
        return None
    found: dict[str, int] = {}
    anchor = ""
    texts = [(b.text, b.anchor) for b in ctx.doc.blocks]
    texts += [(ctx.content.title, "title"), (ctx.content.meta_description, "meta_description")]
    for word in words:
        pattern = re.compile(rf"(?<![\w-]){re.escape(word)}(?![\w-])", re.IGNORECASE)
        for text, where in texts:
            hits = len(pattern.findall(text or ""))
            if hits:
                found[word] = found.get(word, 0) + hits
                anchor = anchor or where
    total = sum(found.values())
    if not total:
        return make_result(
            "words_to_avoid", "good", "None of the style guide's words to avoid are used.", 0, "0", "body"
        )
    named = ", ".join(f"“{w}” ({n}×)" for w, n in list(found.items())[:SHOWN])
    more = f" and {len(found) - SHOWN} more" if len(found) > SHOWN else ""
    return make_result(
        "words_to_avoid",
        "problem",
        f"The style guide avoids these words, used here: {named}{more}. Rephrase them.",
        total,
        "0",
        anchor or "body",
    )


def dead_links(ctx: Context) -> CheckResult | None:
    dead = ctx.content.dead_links
    if dead is None:
        return None  # not checked for this text: links are checked on demand and at publish time
    if not dead:
        return make_result("dead_links", "good", "Every link answered when last checked.", 0, "0", "body")
    named = ", ".join(dead[:SHOWN]) + (f" and {len(dead) - SHOWN} more" if len(dead) > SHOWN else "")
    return make_result(
        "dead_links",
        "problem",
        f"{len(dead)} link{'s' * (len(dead) != 1)} did not answer or answered with an error: {named}. "
        "Fix or remove them.",
        len(dead),
        "0",
        "body",
    )


WRITER_CHECKS: list[Callable[[Context], CheckResult | None]] = [dead_links, words_to_avoid]
