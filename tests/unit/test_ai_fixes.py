"""Fixers and the offline provider's fixes: each failing check is fixed by one targeted call that sees
only what it is about, and the rounds keep the better version."""

from __future__ import annotations

import dataclasses
import re

import pytest

from tests.support.openai_payloads_fixes import failing_article
from writer_app.integrations.ai_fixes import FixAnswer, FixRequest, render_fix_prompt, request_from_prompt
from writer_app.integrations.ai_offline import OfflineProvider
from writer_app.services.ai_fixes.blocks import join_blocks, split_blocks
from writer_app.services.ai_fixes.fixers import Link, plan
from writer_app.services.ai_fixes.rounds import failing, fix_rounds
from writer_app.services.validation import ContentInput, analyze

TOO_WIDE = "Meal prep explained: what it costs, what it saves and how to choose the right containers"


class OfflineCaller:
    """The offline provider, free of charge (the paid caller is tested with the database)."""

    def __init__(self) -> None:
        self.provider = OfflineProvider()
        self.requests: list[FixRequest] = []

    def reserve(self, request: FixRequest) -> bool:
        self.requests.append(request)
        return True

    def call(self, request: FixRequest) -> FixAnswer:
        return self.provider.fix_content(request)

    def settle(self, request: FixRequest, answer: FixAnswer | None, error: str) -> None:
        pass


def _draft(**changes: str) -> ContentInput:
    fields = failing_article("meal prep", set())
    draft = ContentInput(
        html=fields["html"],
        title=fields["title"],
        seo_title=fields["meta_title"],
        meta_description=fields["meta_description"],
        slug=fields["slug"],
        keyphrase="meal prep",
        site_domain="example.com",
    )
    return dataclasses.replace(draft, **changes)


def test_the_baseline_draft_passes() -> None:
    assert failing(analyze(_draft())) == []


def test_blocks_split_and_join_back_to_the_same_body() -> None:
    html = '<p>One <a href="/x">link</a>.</p><h2>Two</h2><ul><li>a</li><li><em>b</em></li></ul><img src="x.png">tail'
    blocks = split_blocks(html)
    assert [b.tag for b in blocks] == ["p", "h2", "ul", "img", ""]
    assert join_blocks(blocks, {}) == html
    assert join_blocks(blocks, {"b1": "<h2>New</h2>"}) == html.replace("<h2>Two</h2>", "<h2>New</h2>")


def _plain(html: str) -> str:
    for word in ("For example, ", "However, ", "Also, ", "Then ", "Because of this, "):
        html = html.replace(word, "")
    return html


PASSIVE = (
    "<p>The meals were cooked by the team. The boxes were packed by hand. Labels were written in advance.</p>"
)


@pytest.mark.parametrize(
    ("check", "changes"),
    [
        ("seo_title_length", {"seo_title": TOO_WIDE}),
        ("keyphrase_in_seo_title", {"seo_title": "A weekly guide"}),
        ("meta_description_length", {"meta_description": "Meal prep, briefly."}),
        ("keyphrase_in_slug", {"slug": "weekly-guide"}),
        (
            "keyphrase_in_introduction",
            {"html": _draft().html.replace("explains meal prep", "explains it", 1)},
        ),
        ("image_alt_attributes", {"html": _draft().html.replace('alt="Meal prep on a kitchen table"', "")}),
        ("outbound_links", {"html": _draft().html.split("<p>See the")[0]}),
        ("passive_voice", {"html": _draft().html.replace("</p>", "</p>" + PASSIVE, 1) + PASSIVE}),
        ("keyphrase_in_subheadings", {"html": _draft().html.replace("Planning meal prep", "Planning")}),
        ("transition_words", {"html": _plain(_draft().html)}),
        ("subheading_distribution", {"html": re.sub(r"<h2>[^<]*</h2>", "", _draft().html)}),
        (
            "paragraph_length",
            {
                "html": _draft().html.replace(
                    "</p><h2>", " " + "More words to read here. " * 40 + "</p><h2>", 1
                )
            },
        ),
    ],
)
def test_one_offline_fix_makes_the_check_pass(check: str, changes: dict[str, str]) -> None:
    draft = _draft(**changes)
    assert check in failing(analyze(draft))
    caller = OfflineCaller()
    allowed = [Link("https://www.usda.gov/", "usda.gov", outbound=True)]  # the site's allowed source

    result = fix_rounds(draft, {}, caller, allowed, max_rounds=1)

    assert check not in result.failed_after, result.failed_after
    assert len(caller.requests) == len(plan(draft, failing(analyze(draft)), allowed))


def test_a_body_fix_sends_only_the_affected_blocks() -> None:
    draft = _draft(html=_draft().html.replace("explains meal prep", "explains it", 1))
    [(checks, request)] = plan(draft, ["keyphrase_in_introduction"])
    assert checks == ("keyphrase_in_introduction",) and [b.id for b in request.blocks] == ["b0"]
    assert request_from_prompt(render_fix_prompt(request)) == request


def test_internal_links_only_to_the_sites_own_pages() -> None:
    draft = _draft(html=_draft().html.replace("https://example.com/pantry/", "https://elsewhere.org/"))
    assert plan(draft, ["internal_links"]) == []  # nothing to link to: no call, nothing invented
    result = fix_rounds(draft, {}, OfflineCaller(), [("https://example.com/ramen/", "Ramen at home")])
    assert "internal_links" not in result.failed_after
    assert 'href="https://example.com/ramen/"' in result.draft.html


def test_outbound_links_only_to_the_sources_the_site_allows() -> None:
    draft = _draft(html=_draft().html.split("<p>See the")[0])
    assert plan(draft, ["outbound_links"], [Link("https://example.com/ramen/", "Ramen")]) == []
    allowed = [Link("https://www.usda.gov/", "usda.gov", outbound=True)]
    [(_, request)] = plan(draft, ["outbound_links"], allowed)
    assert request.links == (("https://www.usda.gov/", "usda.gov"),)


def test_a_fix_that_does_not_help_is_not_kept() -> None:
    class Worse(OfflineCaller):
        def call(self, request: FixRequest) -> FixAnswer:
            return FixAnswer(value="x", model="worse")

    draft = _draft(meta_description="Meal prep, briefly.")
    result = fix_rounds(draft, {}, Worse())
    assert result.calls == 2 and result.draft == draft and result.failed_after == result.failed_before
