"""Builds tests/oracle/corpus.json: English pieces varied one factor at a time around every check's thresholds.

    python -m tests.oracle.make_corpus      # rewrites corpus.json (commit it)

Each piece holds what both analyses read: the HTML body, keyphrase, SEO title and its width in pixels,
meta description, slug, permalink and whether it is cornerstone content. The title width is what
Yoast's snippet preview measures in the browser (Arial 20 px); here it comes from the metrics of
Liberation Sans (Debian's fonts-liberation, metric-compatible with Arial) through Pillow, so the
oracle gets a width independent of Writer's own width table. Deterministic: the same code gives the
same corpus.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

from PIL import ImageFont

from writer_app.integrations.ai import ArticleBrief
from writer_app.integrations.ai_offline import OfflineProvider

OUT = Path(__file__).with_name("corpus.json")
FONT = "/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"
SITE = "example.com"
KP = "tokyo food"

SUBJECTS = [
    *[
        "Visitors",
        "Locals",
        "Chefs",
        "Vendors",
        "Travelers",
        "Students",
        "Families",
        "Workers",
        "Tourists",
        "Guides",
        "Owners",
        "Critics",
    ],
    *[
        "Friends",
        "Neighbors",
        "Bakers",
        "Farmers",
        "Writers",
        "Cyclists",
        "Parents",
        "Runners",
        "Drivers",
        "Nurses",
        "Artists",
        "Builders",
    ],
]
VERBS = [
    "enjoy",
    "prefer",
    "order",
    "recommend",
    "cook",
    "share",
    "try",
    "find",
    "choose",
    "describe",
    "praise",
    "visit",
]
OBJECTS = [
    "fresh noodles at small counters",
    "grilled fish near the station",
    "warm rice with pickles",
    "sweet buns from corner bakeries",
    "cold tea in tall glasses",
    "crisp tempura on paper plates",
    "soft tofu in light broth",
    "spicy curry with thick bread",
    "roasted chestnuts in paper bags",
    "simple lunch sets at busy desks",
]
ENDINGS = [
    "every morning",
    "after work",
    "on busy weekends",
    "during the winter",
    "with close friends",
    "before the trains stop",
    "at the end of the day",
    "in quiet side streets",
]
LONG_TAIL = "and they talk about the flavors with everyone who sits nearby at the long wooden tables"
TRANSITIONS = ("However", "For example", "Therefore", "Meanwhile", "In addition", "As a result")
PASSIVE = "{s} are served by the staff {e}."


class Text:
    """Filler sentences: active, under 20 words, no transition word, no keyphrase word, varied openings."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.i = 0

    def sentence(self, long: bool = False) -> str:
        s = SUBJECTS[self.i % len(SUBJECTS)]
        self.i += 1
        words = f"{s} {self.rng.choice(VERBS)} {self.rng.choice(OBJECTS)} {self.rng.choice(ENDINGS)}"
        if long:
            words += " " + LONG_TAIL
        return words + "."


def title_width(title: str) -> int:
    # Unhinted advances (the font at 2048 px, one unit per pixel) scaled to 20 px, as a browser lays out
    # text with subpixel positioning; Pillow at 20 px would round every glyph to whole pixels.
    font = ImageFont.truetype(FONT, 2048)
    return round(font.getlength(title) * 20 / 2048)


def article(
    pid: str,
    words: int = 450,
    kp: str = KP,
    kp_sentences: int | None = None,
    kp_sentence: str = "Tokyo food is easy to love here.",
    intro: str = "sentence",  # sentence | split | none
    subheadings: int = 4,
    sub_matches: int = 2,
    sub_level: int = 2,
    images: list[str] | None = None,
    links: list[str] | None = None,
    h1: str = "",  # "", "start", "middle", "two"
    title: str = "Tokyo food: where to eat well in the city",
    description: str | None = None,
    slug: str = "tokyo-food",
    passive: float = 0.0,
    transition: float = 0.35,
    long: float = 0.1,
    paragraph_sentences: int = 4,
    long_paragraph: int = 0,
    repeat_starts: int = 0,
    list_items: int = 0,
    cornerstone: bool = False,
    seed: int = 1,
) -> dict:
    t = Text(seed)
    n = max(1, round(words / 10))  # filler sentences hold about 10 words
    sentences = [t.sentence() for _ in range(n)]
    rng = random.Random(seed * 7 + 3)
    idx = list(range(1, n))
    rng.shuffle(idx)
    cursor = 0

    def take(k: int) -> list[int]:
        nonlocal cursor
        chosen = idx[cursor : cursor + k]
        cursor += k
        return chosen

    for i in take(round(long * n)):
        sentences[i] = sentences[i][:-1] + " " + LONG_TAIL + "."
    for i in take(round(passive * n)):
        sentences[i] = PASSIVE.format(s=rng.choice(OBJECTS).capitalize(), e=rng.choice(ENDINGS))
    for k, i in enumerate(take(round(transition * n))):
        body = sentences[i]
        sentences[i] = f"{TRANSITIONS[k % len(TRANSITIONS)]}, {body[0].lower()}{body[1:]}"
    if kp_sentences is None:
        kp_sentences = max(1, round(words / 120))
    kp_slots = take(max(0, kp_sentences - (1 if intro == "sentence" else 0)))
    for i in kp_slots:
        sentences[i] = kp_sentence
    if intro == "sentence" and kp_sentences:
        sentences[0] = kp_sentence
    elif intro == "split":
        a, b = kp.split()[0], kp.split()[-1]
        sentences[0] = f"{a.capitalize()} has many quiet corners."
        sentences.insert(1, f"Good {b} is everywhere.")
    if repeat_starts:
        start = min(len(sentences) - repeat_starts, 8)
        for k in range(repeat_starts):
            sentences[start + k] = f"Diners {VERBS[k % len(VERBS)]} {OBJECTS[k % len(OBJECTS)]}."

    # Paragraphs, then sections split by subheadings.
    paragraphs: list[list[str]] = []
    step = paragraph_sentences
    i = 0
    while i < len(sentences):
        size = long_paragraph if (long_paragraph and len(paragraphs) == 1) else step
        paragraphs.append(sentences[i : i + size])
        i += size
    blocks = [f"<p>{' '.join(p)}</p>" for p in paragraphs]
    if list_items:
        items = "".join(f"<li>Diners {VERBS[k % 12]} {OBJECTS[k % 10]}.</li>" for k in range(list_items))
        blocks.insert(min(2, len(blocks)), f"<ul>{items}</ul>")
    kw = kp.strip('"')
    heads = []
    for k in range(subheadings):
        text = f"{kw.title()} tip number {k + 1}" if k < sub_matches else f"Practical advice part {k + 1}"
        heads.append(f"<h{sub_level}>{text}</h{sub_level}>")
    if heads:
        per = max(1, len(blocks) // (len(heads) + 1))
        for k, head in reversed(list(enumerate(heads))):
            blocks.insert(min(len(blocks), per * (k + 1)), head)
    imgs = [
        f'<img src="/media/{k}.jpg" alt="{alt}">' if alt is not None else f'<img src="/media/{k}.jpg">'
        for k, alt in enumerate(images if images is not None else ["Tokyo food stall", "A street at night"])
    ]
    if imgs:
        blocks.insert(min(1, len(blocks)), f"<p>{''.join(imgs)}</p>")
    link_html = (
        links
        if links is not None
        else [
            f'<a href="https://{SITE}/markets">our market guide</a>',
            '<a href="https://en.wikipedia.org/wiki/Tokyo">the city</a>',
        ]
    )
    if link_html:
        blocks.append(f"<p>Read more in {' and '.join(link_html)}.</p>")
    if h1 == "start":
        blocks.insert(0, "<h1>A guide to eating out</h1>")
    elif h1 == "middle":
        blocks.insert(len(blocks) // 2, "<h1>A guide to eating out</h1>")
    elif h1 == "two":
        blocks.insert(0, "<h1>A guide to eating out</h1>")
        blocks.insert(len(blocks) // 2, "<h1>More places to eat</h1>")
    if description is None:
        description = (
            "Tokyo food guide: where locals eat noodles, grilled fish and sweet buns, "
            "with prices, opening hours and tips for busy weekends."
        )
    return {
        "id": pid,
        "html": "\n".join(blocks),
        "keyphrase": kp,
        "title": title,
        "title_width": title_width(title),
        "description": description,
        "slug": slug,
        "permalink": f"https://{SITE}/{slug or '?p=7'}/",
        "cornerstone": cornerstone,
        "site_domain": SITE,
    }


# Sentences whose passive voice or transition words a simple rule could get wrong; each probe piece
# holds one of them where it flips the band (1 of 8 sentences passive: 12.5%; 9 of 30 with a
# transition word: 30%).
PASSIVE_PROBES = (
    "The team was excited about the new menu.",
    "The soup was cooked slowly over the fire.",
    "The shop is closed on most Mondays.",
    "The stall was built by a carpenter in 1950.",
    "The chef got promoted last year.",
    "The door was left open all night.",
    "The dish is called ramen in most places.",
    "The rice was being washed in cold water.",
    "The bowls were broken during the rush.",
    "The market is located near the river.",
    "She was tired after the long shift.",
    "The prices are fixed for the whole season.",
    "The owner seemed pleased with the result.",
    "The tea has been brewed for five minutes.",
    "The menu was interesting to everyone.",
    "The noodles were made by hand.",
    "The queue was never shortened by the staff.",
    "The kitchen is well organized and clean.",
    "They were married in a small chapel.",
    "The counter gets cleaned every hour.",
)
TRANSITION_PROBES = (
    "If the line is long, wait a little.",
    "The soup is hotter than the tea.",
    "Diners still queue at noon.",
    "Ask whether the shop is open today.",
    "Stalls sell snacks, including dumplings and buns.",
    "Eat first, then walk along the river.",
    "The bar opens at six, so come early.",
    "Both noodles and rice are cheap here.",
    "Either pay cash or use a card.",
    "The stall is small but always busy.",
    "Not only the food but also the tea is good.",
    "Neither the menu nor the prices change.",
    "Order at the counter and sit where you like.",
    "That is the best seat in the house.",
    "Of course the owner knows every regular.",
    "The chef cooks while the guests talk.",
    "Most shops close early, e.g. on Sundays.",
    "Prices rose again this spring.",
    "Lunch lasts until three.",
    "Dinner is served after sunset.",
)


def probe(pid: str, sentences: list[str]) -> dict:
    piece = article(
        pid, words=10, subheadings=0, images=[], links=[], transition=0, long=0, kp_sentences=0, intro="none"
    )
    piece["html"] = "<p>" + " ".join(sentences) + "</p>"
    return piece


def probes() -> list[dict]:
    out = []
    for k, candidate in enumerate(PASSIVE_PROBES):
        t = Text(100 + k)
        out.append(probe(f"probe-passive-{k}", [t.sentence() for _ in range(7)] + [candidate]))
    for k, candidate in enumerate(TRANSITION_PROBES):
        t = Text(200 + k)
        body = [f"{TRANSITIONS[i % len(TRANSITIONS)]}, {t.sentence().lower()}" for i in range(8)]
        body += [t.sentence() for _ in range(21)] + [candidate]
        out.append(probe(f"probe-transition-{k}", body))
    return out


def pieces() -> list[dict]:
    out: list[dict] = []
    add = out.append
    add(article("baseline"))
    add(article("baseline-cornerstone", words=1000, cornerstone=True, subheadings=5))
    for w in (30, 45, 60, 80, 99, 110, 150, 199, 210, 240, 250, 260, 290, 300, 320, 400, 450, 890, 950):
        add(article(f"length-{w}", words=w, subheadings=0 if w < 300 else 3, sub_matches=min(1, 3)))
        add(article(f"length-{w}-cs", words=w, cornerstone=True, subheadings=0 if w < 300 else 3))
    for words in (150, 300, 450, 1000):
        for c in range(0, 16, 1 if words == 450 else 3):
            add(
                article(
                    f"density-{words}-{c}",
                    words=words,
                    kp_sentences=c,
                    intro="none" if c == 0 else "sentence",
                )
            )
    for kp, sentence in (
        ("food", "Food is easy to love here."),
        ("tokyo street food", "Tokyo street food is easy to love."),
        ("cheap tokyo street food", "Cheap tokyo street food is easy to love."),
    ):
        for c in (1, 2, 3, 5, 8, 12):
            add(
                article(
                    f"density-kp{len(kp.split())}-{c}",
                    kp=kp,
                    kp_sentence=sentence,
                    kp_sentences=c,
                    slug=kp.replace(" ", "-"),
                )
            )
    for w in (40, 70):
        for c in range(0, 5):
            add(
                article(
                    f"density-short{w}-{c}",
                    words=w,
                    kp_sentences=c,
                    subheadings=0,
                    intro="none" if c == 0 else "sentence",
                )
            )
    for subs in range(0, 9):
        for m in sorted({0, 1, subs // 3, subs // 2, (3 * subs) // 4, subs - 1, subs}):
            if 0 <= m <= subs:
                add(article(f"subheadings-{subs}-{m}", subheadings=subs, sub_matches=m))
    for w in (250, 280, 310, 340, 360, 420):
        add(article(f"nosub-{w}", words=w, subheadings=0))
        add(article(f"nosub-{w}-cs", words=w, subheadings=0, cornerstone=True))
    add(article("subheadings-h3", sub_level=3, subheadings=3, sub_matches=1))
    add(article("subheadings-h4", sub_level=4, subheadings=3, sub_matches=1))
    for words, subs in ((900, 2), (900, 3), (700, 1), (1200, 3), (800, 2)):
        add(article(f"sections-{words}-{subs}", words=words, subheadings=subs))
        add(article(f"sections-{words}-{subs}-cs", words=words, subheadings=subs, cornerstone=True))
    alt_kp, alt_no, alt_half = "Tokyo food at night", "A busy street", "Tokyo at dawn"
    for n_img in range(0, 8):
        for m in sorted({0, 1, 2, n_img // 2, n_img - 1, n_img}):
            if 0 <= m <= n_img:
                add(article(f"images-{n_img}-{m}", images=[alt_kp] * m + [alt_no] * (n_img - m)))
    add(article("images-noalt", images=[None, None]))
    add(article("images-emptyalt", images=["", ""]))
    add(article("images-halfkp", images=[alt_half]))
    add(
        article(
            "images-halfkp-3w",
            kp="tokyo street food",
            kp_sentence="Tokyo street food is easy to love.",
            images=["Street food in Osaka"],
        )
    )
    add(article("images-5-cs", images=[alt_kp] + [alt_no] * 4, cornerstone=True))
    add(article("images-2-none-cs", images=[alt_no, alt_no], cornerstone=True))
    internal = f'<a href="https://{SITE}/markets">markets</a>'
    internal_nf = f'<a href="https://{SITE}/bars" rel="nofollow">bars</a>'
    external = '<a href="https://en.wikipedia.org/wiki/Tokyo">the city</a>'
    external_nf = '<a href="https://www.timeout.com/tokyo" rel="nofollow">listings</a>'
    for name, ls in {
        "none": [],
        "int": [internal],
        "int2": [internal, internal],
        "ext": [external],
        "ext2": [external, external],
        "int-ext": [internal, external],
        "intnf": [internal_nf],
        "intnf-int": [internal_nf, internal],
        "extnf": [external_nf],
        "extnf-ext": [external_nf, external],
        "extnf-int": [external_nf, internal],
        "relative": ['<a href="/markets">markets</a>', external],
        "anchor-kp": [f'<a href="https://{SITE}/x">tokyo food</a>', external],
        "anchor-kp-ext": [internal, '<a href="https://other.org/y">tokyo food tips</a>'],
        "www-own-site": [f'<a href="https://www.{SITE}/bars">bars</a>', external],
        "mailto": ['<a href="mailto:a@example.org">mail</a>', internal],
    }.items():
        add(article(f"links-{name}", links=ls))
    for title in (
        "",
        "Tokyo food",
        "Tokyo food guide for beginners",
        "Tokyo food: where to eat well in the city",
        "Tokyo food: where to eat well in the city on a budget in spring",
        "Tokyo food: where to eat well in the city on a budget in spring and summer",
        "TOKYO FOOD: WHERE TO EAT WELL IN THE CITY ON A BUDGET",
        "TOKYO FOOD: WHERE TO EAT WELL IN THE CITY",
        "Tokyo food illustrated: millions of little things we all wanted",
        "tokyo food iiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiiii",
        "Tokyo food WWWWWWWWWWWWWWWWWWWWWWWWWW",
        "The best tokyo food",
        "Where to find food in Tokyo",
        "A guide to street eating",
        "Tokyo",
        "Food in Tokyo: a guide",
        "Tokyo foods for winter",
        "Tokyo food — markets, bars and noodles you must try this year",
    ):
        add(article(f"title-{len(title)}-{title[:12]}", title=title))
        add(article(f"title-cs-{len(title)}-{title[:12]}", title=title, cornerstone=True, words=950))
    base = "Tokyo food guide with noodles and fish. "
    for n in (0, 40, 100, 119, 120, 121, 140, 156, 157, 180):
        desc = (base * 6)[:n]
        add(article(f"meta-{n}", description=desc))
        add(article(f"meta-cs-{n}", description=desc, cornerstone=True, words=950))
    for k, desc in enumerate(
        (
            "A guide to eating in the city: noodles, grilled fish and sweet buns, with prices, hours and tips for busy weekends out.",
            "Tokyo food and more tokyo food: the tokyo food guide with noodles, grilled fish and sweet buns for busy weekends out.",
            "Tokyo food twice. Tokyo food again in this guide to noodles, fish and sweet buns with prices and tips for busy weekends.",
            "Food from every corner of Tokyo, with noodles, grilled fish and sweet buns, prices, hours and tips for busy weekends out.",
        )
    ):
        add(article(f"metakp-{k}", description=desc))
    for kp, slug in (
        ("tokyo food", "tokyo-food"),
        ("tokyo food", "tokyo"),
        ("tokyo food", "food-guide"),
        ("tokyo food", "eating-out"),
        ("tokyo food", ""),
        ("tokyo street food", "tokyo-street-food"),
        ("tokyo street food", "tokyo-street"),
        ("tokyo street food", "tokyo-eats"),
        ("cheap tokyo street food", "cheap-tokyo-street"),
        ("cheap tokyo street food", "cheap-tokyo"),
        ("cheap tokyo street food", "tokyo"),
        ("food", "food"),
        ("food", "tokyo-eats"),
        ("the food of tokyo", "tokyo-food"),
        ("tokyo food", "tokyo-foods"),
    ):
        sentence = (
            kp.capitalize().replace("The food of tokyo", "The food of Tokyo") + " is easy to love here."
        )
        add(article(f"slug-{kp}-{slug}", kp=kp, slug=slug, kp_sentence=sentence))
        add(
            article(
                f"slug-cs-{kp}-{slug}", kp=kp, slug=slug, kp_sentence=sentence, cornerstone=True, words=950
            )
        )
    for title in (
        "Tokyo food guide",
        "A guide to tokyo food",
        "Food guide for Tokyo",
        "A guide to the city",
        "The tokyo food guide",
        "Tokyo: a food guide",
        "Eat well in Tokyo",
    ):
        add(article(f"seotitle-{title}", title=title))
    add(article("intro-split", intro="split"))
    add(article("intro-none", intro="none"))
    for kp in (
        "",
        "food",
        "tokyo food",
        "best tokyo street food",
        "best cheap tokyo street food stalls",
        "best cheap tokyo street food stalls near shinjuku station",
        "how to eat in tokyo",
        "the",
        "how to",
        "best cheap tokyo street food stalls near shinjuku station open late at night",
    ):
        add(
            article(
                f"kplength-{kp or 'empty'}",
                kp=kp,
                kp_sentence=(kp.capitalize() + " is easy to love here.") if kp else "Dinner is easy here.",
            )
        )
    for h in ("start", "middle", "two"):
        add(article(f"h1-{h}", h1=h))
    for lp in (12, 15, 16, 19, 20, 21, 26):
        add(article(f"paragraph-{lp}", long_paragraph=lp, words=700))
    for share in (0.0, 0.2, 0.25, 0.27, 0.3, 0.32, 0.5):
        add(article(f"long-{share}", long=share))
        add(article(f"long-cs-{share}", long=share, cornerstone=True, words=950))
    for share in (0.0, 0.05, 0.1, 0.12, 0.15, 0.17, 0.3):
        add(article(f"passive-{share}", passive=share))
    for share in (0.0, 0.1, 0.19, 0.2, 0.25, 0.29, 0.3, 0.4):
        add(article(f"transition-{share}", transition=share))
        add(article(f"transition-short-{share}", transition=share, words=150, subheadings=0))
    for r in (2, 3, 4):
        add(article(f"starts-{r}", repeat_starts=r))
    for n_items in (2, 3, 5):
        add(article(f"list-{n_items}", list_items=n_items))
    add(article("exact-kp", kp='"tokyo food"'))
    add(article("exact-kp-miss", kp='"food tokyo"'))
    for seed in range(2, 12):
        add(
            article(
                f"mixed-{seed}",
                seed=seed,
                words=300 + 90 * seed,
                passive=0.04 * (seed % 4),
                transition=0.1 * (seed % 5),
                long=0.07 * (seed % 5),
                subheadings=seed % 5,
                sub_matches=seed % 3,
            )
        )
    provider = OfflineProvider()
    for k, (title, kws, structure, words) in enumerate(
        (
            (
                "How to Plan a Content Calendar for Small Teams",
                ["content calendar", "editorial planning"],
                "article",
                1200,
            ),
            ("Tokyo Food: A Beginner's Guide", ["tokyo food"], "guide", 1500),
            ("Best Running Shoes for Flat Feet", ["running shoes"], "listicle", 900),
            ("Why Small Bakeries Win", ["small bakeries"], "article", 600),
            ("Email Marketing Checklist", ["email marketing"], "how_to", 800),
            ("Home Office Lighting", ["office lighting"], "landing_page", 700),
            # The demo's drafts (writer_app/services/demo.py): its task titles at DEMO_DRAFT_WORDS.
            ("The complete guide to sourdough baking", ["sourdough baking"], "guide", 900),
            ("Trail running: 7 mistakes beginners make", ["trail running"], "listicle", 900),
            ("How to get started with composting", ["composting"], "article", 900),
            ("Budget travel compared: what actually works", ["budget travel"], "comparison", 900),
        )
    ):
        brief = ArticleBrief(
            title=title,
            description="",
            keywords=kws,
            content_structure=structure,
            word_count=words,
            cluster_name="",
            cluster_keywords=[],
        )
        draft = provider.generate_article(brief, "")
        add(
            {
                "id": f"offline-{k}",
                "html": draft.html,
                "keyphrase": draft.primary_keyword,
                "title": draft.meta_title,
                "title_width": title_width(draft.meta_title),
                "description": draft.meta_description,
                "slug": draft.slug,
                "permalink": f"https://{SITE}/{draft.slug}/",
                "cornerstone": structure in ("guide", "landing_page"),
                "site_domain": SITE,
            }
        )
    out.extend(probes())
    ids = [p["id"] for p in out]
    assert len(ids) == len(set(ids)), "duplicate ids"
    return out


if __name__ == "__main__":
    corpus = pieces()
    OUT.write_text(json.dumps(corpus, indent=0, ensure_ascii=False) + "\n")
    print(f"{len(corpus)} pieces -> {OUT}")
