"""Plausible titles, keywords and article HTML for the seeded data (deterministic given the RNG).

Topics are drawn uniformly from TOPICS and a task's keywords share its title's topic, so the search
term (one topic) matches about 1/12 of the rows: with the "queued" status filter (40 %) the tasks
list still has a full page 3 at 10k rows (about 330 matches).
"""

from __future__ import annotations

import random

TOPICS = (
    "garden",
    "coffee",
    "running",
    "budget travel",
    "home office",
    "sourdough",
    "electric bikes",
    "houseplants",
    "photography",
    "small business",
    "meal prep",
    "camping",
)
SEARCH_TERM = TOPICS[0]
TEMPLATES = (
    "How to get started with {topic} in {year}",
    "{n} {topic} mistakes beginners make",
    "The complete guide to {topic} for {audience}",
    "{topic}: what the experts do differently",
    "Is {topic} worth it? An honest review",
    "{n} {topic} ideas on a budget",
    "Best {topic} tools compared for {audience}",
    "Why {topic} matters more than you think",
)
AUDIENCES = ("beginners", "families", "students", "busy parents", "retirees", "small teams", "freelancers")
KEYWORD_POOL = (
    "tips",
    "guide",
    "checklist",
    "cost",
    "tools",
    "ideas",
    "for beginners",
    "near me",
    "how to",
    "best",
    "cheap",
    "review",
    "vs",
    "at home",
    "2026",
)
SENTENCES = (
    "Most people start with the wrong assumptions and pay for them later.",
    "A simple routine, repeated every week, beats an ambitious plan that nobody follows.",
    "Prices vary a lot by region, so compare at least three offers before you decide.",
    "The first month is the hardest; after that the habits carry most of the weight.",
    "Keep notes on what worked and what did not, and review them at the end of each season.",
    "Experts disagree on the details but agree on the basics described below.",
    "Start small, measure the result, and only then spend more time or money.",
    "Good equipment helps, but technique matters far more than the price tag.",
    "Ask people who have done it for years; their mistakes are the cheapest lessons you will get.",
    "Plan for the busy weeks too, because that is when routines usually break.",
)


def title_for(rng: random.Random, topic: str | None = None) -> str:
    title = rng.choice(TEMPLATES).format(
        topic=topic or rng.choice(TOPICS), n=rng.randrange(3, 16), year=2026, audience=rng.choice(AUDIENCES)
    )
    return title[0].upper() + title[1:]


def keywords_for(rng: random.Random, topic: str | None = None) -> str:
    """Three keyword phrases on the item's topic (as a writer would pick them for that title)."""
    topic = topic or rng.choice(TOPICS)
    return ", ".join([f"{topic} {rng.choice(KEYWORD_POOL)}" for _ in range(3)])


def article_html(rng: random.Random, sections: int = 6) -> tuple[str, int]:
    """An article of `sections` h2 sections with two paragraphs each (about 600-800 words)."""
    parts: list[str] = []
    words = 0
    for s in range(sections):
        parts.append(f"<h2>Section {s + 1}: {rng.choice(TOPICS)} in practice</h2>")
        for _ in range(2):
            paragraph = " ".join(rng.choice(SENTENCES) for _ in range(4))
            words += len(paragraph.split())
            parts.append(f"<p>{paragraph}</p>")
    return "\n".join(parts), words
