"""Values from WordPress answers are cleaned to fit Writer's columns (services/wordpress/fields.py)."""

from __future__ import annotations

import pytest

from writer_app.integrations.wordpress import WordPressError
from writer_app.services.wordpress.fields import remote_count, remote_id, remote_link, remote_text


@pytest.mark.parametrize(
    "link",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        " javascript:alert(1)",
        "data:text/html,x",
        "vbscript:x",
        "//evil.example/",
        "/relative/path",
        "http://",
        "https://a.example/\x00",
        "https://a.example/ x",
        "https://a.example/" + "a" * 1000,
        None,
        12,
    ],
)
def test_only_fitting_http_links_are_kept(link: object) -> None:
    assert remote_link(link) == ""


def test_http_links_are_kept() -> None:
    assert remote_link("https://blog.example.com/2026/01/post/") == "https://blog.example.com/2026/01/post/"
    assert remote_link("HTTP://blog.example.com/?p=5") == "HTTP://blog.example.com/?p=5"


@pytest.mark.parametrize("value", [None, "", "abc", "1.5", 0, -3, 2**31, "9" * 120, True])
def test_ids_must_be_positive_integers_that_fit(value: object) -> None:
    with pytest.raises(WordPressError, match="valid post id"):
        remote_id(value)


def test_text_and_counts_fit() -> None:
    assert remote_id("42") == 42 and remote_id(7) == 7
    assert remote_text("a\x00b\x1fc\td\ne", 4) == "abc\t"
    assert remote_count("x") == 0 and remote_count(-5) == 0 and remote_count(10**12) == 2**31 - 1
