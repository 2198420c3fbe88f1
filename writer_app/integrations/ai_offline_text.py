"""Words for the offline provider: section plans per content structure and the sentences it draws on.

Placeholders: {kw} primary keyword, {Kw} the same capitalised, {sec} a secondary keyword (rotating),
{cluster} the cluster name, {kind} what the piece is ("guide", "page"...).
"""

from __future__ import annotations

# A section: (H2 heading or "" for the opening, paragraph role, block). Blocks: "" (paragraphs only),
# "ul:<list>" / "ol:<list>" (a list after the paragraphs), "h3:steps" / "h3:faq" / "h3:keywords"
# (H3 subsections, each with its own paragraphs).
Section = tuple[str, str, str]

_ARTICLE: list[Section] = [
    ("", "intro", ""),
    ("What {kw} really means", "basics", ""),
    ("Why {kw} matters", "benefits", "ul:benefits"),
    ("How to get started with {kw}", "steps", "h3:steps"),
    ("Common mistakes to avoid", "mistakes", "ul:mistakes"),
    ("Final thoughts on {kw}", "conclusion", ""),
]
_GUIDE: list[Section] = [
    ("", "intro", ""),
    ("Before you start", "basics", "ul:checklist"),
    ("Step by step: {kw} in practice", "steps", "h3:steps"),
    ("Tips that make {kw} easier", "tips", "ol:tips"),
    ("Troubleshooting and common mistakes", "mistakes", "ul:mistakes"),
    ("Wrapping up", "conclusion", ""),
]
PLANS: dict[str, list[Section]] = {
    "article": _ARTICLE,
    "blog_post": _ARTICLE,
    "guide": _GUIDE,
    "how_to": _GUIDE,
    "tutorial": _GUIDE,
    "listicle": [
        ("", "intro", ""),
        ("Ideas worth trying for {kw}", "tips", "h3:keywords"),
        ("How to choose what fits you", "basics", "ul:checklist"),
        ("The bottom line", "conclusion", ""),
    ],
    "landing_page": [
        ("", "pitch", ""),
        ("Why teams choose {kw}", "benefits", "ul:benefits"),
        ("How it works", "steps", "h3:steps"),
        ("What you get", "features", "ul:features"),
        ("Frequently asked questions", "faq", "h3:faq"),
        ("Get started today", "cta", ""),
    ],
    "product_page": [
        ("", "pitch", ""),
        ("Key features", "features", "ul:features"),
        ("Who it is for", "benefits", ""),
        ("Frequently asked questions", "faq", "h3:faq"),
        ("Ready when you are", "cta", ""),
    ],
    "review": [
        ("", "intro", ""),
        ("{Kw} at a glance", "basics", "ul:features"),
        ("What we liked", "benefits", "ul:benefits"),
        ("What could be better", "mistakes", "ul:drawbacks"),
        ("Our verdict", "conclusion", ""),
    ],
    "comparison": [
        ("", "intro", ""),
        ("What to compare when choosing {kw}", "basics", "ul:checklist"),
        ("The options side by side", "tips", "h3:keywords"),
        ("Which one is right for you", "benefits", ""),
        ("Conclusion", "conclusion", ""),
    ],
    "faq": [
        ("", "intro", ""),
        ("Frequently asked questions about {kw}", "faq", "h3:faq"),
        ("Still have questions?", "conclusion", ""),
    ],
    "pillar": [
        ("", "intro", ""),
        ("{Kw}: the essentials", "basics", ""),
        ("Topics in {cluster}", "tips", "h3:keywords"),
        ("How to put it together", "steps", "ol:tips"),
        ("Where to go next", "conclusion", ""),
    ],
    "news": [
        ("", "intro", ""),
        ("What happened", "basics", ""),
        ("Why it matters for {kw}", "benefits", "ul:benefits"),
        ("What to watch next", "tips", ""),
    ],
    "category": [
        ("", "intro", ""),
        ("What you will find here", "basics", "h3:keywords"),
        ("How to choose", "tips", "ul:checklist"),
        ("Explore more", "conclusion", ""),
    ],
}
PLANS["hub"] = PLANS["pillar"]
PLANS["taxonomy"] = PLANS["category"]
PLANS["product"] = PLANS["product_page"]
PLANS["page"] = PLANS["landing_page"]

KIND = {
    "landing_page": "page", "product_page": "page", "product": "page", "page": "page", "guide": "guide",
    "how_to": "guide", "tutorial": "tutorial", "listicle": "list", "review": "review",
    "comparison": "comparison", "faq": "FAQ", "pillar": "overview", "hub": "overview", "news": "update",
    "category": "overview", "taxonomy": "overview",
}  # fmt: skip

SENTENCES: dict[str, list[str]] = {
    "intro": [
        "If you have been wondering how {kw} fits into your plans, this {kind} walks through what matters "
        "and what you can safely skip.",
        "{Kw} comes up in almost every conversation about {cluster}, yet clear, practical advice on it is "
        "surprisingly hard to find.",
        "This {kind} covers {kw} in plain language, with the steps that work and the mistakes that cost "
        "the most time.",
        "By the end you will know where {kw} helps, where it does not, and how {sec} fits into the picture.",
        "You do not need a large budget or a specialist team to make progress here.",
        "What you need is a clear goal, a simple routine and the patience to measure before you change "
        "course.",
    ],
    "pitch": [
        "{Kw} should not take up your whole week, and with the right approach it does not have to.",
        "We built this around one idea: {kw} should be simple, predictable and easy to explain to your team.",
        "Everything here is designed to help you get results from {kw} faster, with less guesswork.",
        "You keep full control, and you can see at every step what is happening and why.",
    ],
    "basics": [
        "At its core, {kw} is about making deliberate choices instead of relying on habit.",
        "The simplest way to think about {kw} is as a series of small decisions that add up over time.",
        "Most people first look into {kw} when {sec} stops giving them the results they expect.",
        "It helps to separate the goal from the method: the goal stays the same, while the method depends "
        "on your situation.",
        "Good results rarely come from one big change; they come from consistent, measurable steps.",
        "Before changing anything, write down what success looks like and how you will measure it.",
        "Context matters as well, because what works for a large team can be overkill for a small one.",
    ],
    "benefits": [
        "The most obvious benefit of {kw} is time: fewer surprises means less rework later.",
        "Teams that take {kw} seriously also find it easier to agree on priorities.",
        "There is a quality benefit too, since a clear process leaves less room for careless errors.",
        "Over a few months these gains compound, and {sec} becomes easier to plan around.",
        "Just as important, the people you work for can see the progress instead of taking it on trust.",
    ],
    "steps": [
        "Start small, with a part of the work you can finish and review within a week.",
        "Keep notes as you go, because the details you forget are usually the ones that matter later.",
        "Check the result against the goal you wrote down, not against how busy you felt.",
        "If something does not work, change one thing at a time so you can see what made the difference.",
        "Once the routine feels natural, extend it to the next area, such as {sec}.",
        "Share what you learned with your team, since a process only one person understands is fragile.",
    ],
    "tips": [
        "A short checklist beats a long manual, because people actually use it.",
        "Block regular time for {kw} in your calendar rather than fitting it in when things are quiet.",
        "Use the tools you already have before buying new ones; most of the value is in the habit.",
        "Look at what the best examples of {sec} have in common, then adapt the pattern to your case.",
        "Review your results every month and drop anything that no longer earns its place.",
        "When in doubt, choose the option that is easier to explain and easier to undo.",
    ],
    "mistakes": [
        "The most common mistake is trying to do everything at once and finishing nothing.",
        "Another is copying what a competitor does without knowing whether it works for them.",
        "Many teams also measure activity instead of outcomes, which hides real problems around {kw}.",
        "Ignoring {sec} until late in the process tends to make it more expensive to fix.",
        "Finally, skipping the review step means the same issues come back again and again.",
    ],
    "features": [
        "Every part of {kw} is built to be clear at a glance, so nobody has to guess what comes next.",
        "Sensible defaults get you started in minutes, and every setting can be changed later.",
        "It works with the tools your team already uses, including the way you handle {sec}.",
        "Support from people who know the subject is included, not sold as an extra.",
    ],
    "faq": [
        "In most cases, yes, as long as you start with a clear goal and a realistic timeline.",
        "The honest answer is that it depends on where you start, but most teams see a difference within "
        "a few weeks.",
        "You can begin with a small pilot and expand once you have results to point to.",
        "It works best alongside {sec}, rather than as a replacement for it.",
        "Keep it simple at first; the advanced options are there when you need them.",
    ],
    "cta": [
        "Getting started with {kw} takes a few minutes, and you can stop at any time.",
        "Try it on one project first, see the difference for yourself, then decide how far to take it.",
        "If you have questions, our team is happy to help you plan the first steps.",
    ],
    "conclusion": [
        "{Kw} is not complicated, but it does reward steady attention.",
        "Start with one small step from this {kind}, measure what changes, and build from there.",
        "Over time, the habits you form now will make {sec} easier as well.",
        "Come back to this {kind} whenever you plan your next round of work on {kw}.",
    ],
    "general": [
        "A useful test is to ask whether a newcomer could follow the process without asking for help.",
        "Small improvements made every week usually beat a big overhaul planned for next quarter.",
        "It is worth writing down the reasons behind each decision, since they are easy to forget.",
        "Feedback from the people affected is often the fastest way to spot what is not working.",
        "Where possible, compare before and after with real numbers rather than impressions.",
        "Simple solutions are easier to maintain, and maintenance is where most of the cost hides.",
        "Be realistic about the time involved and protect it from less important work.",
        "When results are slow to appear, check the basics before adding anything new.",
        "Most setbacks come from unclear ownership, so make sure every step has a name next to it.",
        "A shared template saves more time than any clever shortcut.",
        "It pays to keep a short log of what changed and when, so later reviews are based on facts.",
        "Resist the urge to add process for its own sake; every step should earn its place.",
        "The first version will not be perfect, and it does not need to be.",
        "Asking one more question at the start often saves a week of rework at the end.",
        "Clear naming and tidy files make it easier for anyone to pick up the work.",
        "Celebrate the small wins, because they keep the routine going when things get busy.",
        "If two approaches look equally good, pick the one your team already understands.",
        "A quick weekly check-in keeps everyone aligned without turning into another long meeting.",
    ],
}

LISTS: dict[str, list[str]] = {
    "benefits": [
        "Less time spent on rework", "Clearer priorities for the whole team", "Fewer avoidable mistakes",
        "Progress you can measure and show", "Better results from {sec}",
    ],
    "mistakes": [
        "Trying to change everything at once", "Copying others without checking the results",
        "Measuring activity instead of outcomes", "Leaving {sec} until the end", "Skipping the review step",
    ],
    "checklist": [
        "A clear, written goal", "A realistic time budget", "A way to measure progress",
        "Someone responsible for each step", "A date to review the results",
    ],
    "tips": [
        "Keep a short checklist", "Schedule regular time for {kw}", "Use the tools you already have",
        "Learn from the best examples of {sec}", "Review monthly and drop what does not work",
    ],
    "features": [
        "Clear overview of {kw} at every step", "Sensible defaults you can change",
        "Works with your existing tools", "Help from people who know {sec}", "Simple, predictable pricing",
    ],
    "drawbacks": [
        "Takes some time to set up properly", "Advanced options need a little learning",
        "Results depend on consistent use",
    ],
}  # fmt: skip

STEP_TITLES = [
    "Define what success looks like", "Map where you are today", "Pick one area to improve first",
    "Put a simple routine in place", "Measure, review and adjust", "Extend what works to {sec}",
]  # fmt: skip

FAQ_QUESTIONS = [
    "Is {kw} worth it for a small team?", "How long does {kw} take to show results?",
    "Can we start with {kw} on a single project?", "How does {kw} relate to {sec}?",
    "Do we need special tools for {kw}?",
]  # fmt: skip

META_TAILS = [
    "Clear steps, real examples and the mistakes to avoid.",
    "Written for busy teams.",
    "Practical and easy to follow.",
    "Start today.",
    "Updated regularly.",
]
