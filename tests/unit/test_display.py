"""The pieces of HTML the lists repeat per row (views/display.py) say what humanize and the data say."""

from __future__ import annotations

from datetime import timedelta

import humanize
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup, escape

from writer_app.models import TaskStatus
from writer_app.views.display import ago, options, text

TEN_YEARS = timedelta(days=3653)


@given(st.timedeltas(min_value=-TEN_YEARS, max_value=TEN_YEARS))
def test_kept_day_answers_are_humanizes_own(delta):
    assert ago(delta) == humanize.naturaltime(delta)


def test_ago_keeps_the_tense_of_days():
    assert ago(timedelta(days=3, hours=5)) == "3 days ago"
    assert ago(-timedelta(days=3, hours=5)) == "3 days from now"
    assert ago(timedelta(hours=5, minutes=10)) == "5 hours ago"


def test_options_escape_values_and_labels_and_mark_the_chosen_one():
    html = options([(1, "Alpha"), (2, "<b>Beta</b> & co", {"data-x": 1}), ('"3', "Gamma")], "2")
    assert isinstance(html, Markup)
    assert html == (
        '<option value="1">Alpha</option>'
        '<option value="2" selected>&lt;b&gt;Beta&lt;/b&gt; &amp; co</option>'
        '<option value="&#34;3">Gamma</option>'
    )
    assert "selected" not in options([(1, "Alpha")], None)


@given(st.text())
def test_text_is_escaped_as_markupsafe_escapes_it(value):
    assert text(value) == str(escape(value))
    assert type(text(value)) is str  # plain text to build markup from, not Markup


def test_text_takes_enum_members_as_their_values():
    assert text(TaskStatus.IN_PROGRESS) == "in_progress"
    assert (
        text('<a href="x">Tom & Jerry\'s</a>') == "&lt;a href=&#34;x&#34;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;"
    )
