"""`next` parameters send the browser only to paths of this site, however they are disguised."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from writer_app.views.redirects import is_local_path, safe_next

REFUSED = [
    "/\t/evil.example",  # `?next=/%09/evil.example`: browsers drop the tab and read //evil.example
    "/\n/evil.example",
    "/\r\n/evil.example",
    "/\x00/evil.example",
    "/\\evil.example",  # browsers read a backslash as a slash
    "\\\\evil.example",
    "/ /evil.example",
    "/\u200b/evil.example",  # zero-width space (a format character)
    "//x",
    "///x",
    "https://x",
    "http:/x",
    "javascript:alert(1)",
    "x",
    "",
    "/%09/evil.example",  # percent-encoded twice in the query string
    "/%0d%0a",
    "/%2F%2Fevil.example",
    "/%5Cevil.example",
]
ALLOWED = ["/", "/tasks/", "/tasks/?search=a%20b&page=2", "/content/12#comments", "/images/?q=caf%C3%A9"]


@pytest.mark.parametrize("target", REFUSED)
def test_disguised_targets_are_refused(target):
    assert not is_local_path(target)
    assert safe_next(target, "/home") == "/home"


@pytest.mark.parametrize("target", ALLOWED)
def test_paths_of_this_site_are_kept(target):
    assert safe_next(target, "/home") == target


@given(st.text())
def test_an_accepted_target_is_a_plain_path_of_this_site(target):
    if is_local_path(target):
        assert target.startswith("/") and not target.startswith("//")
        assert not any(ch.isspace() or ch == "\\" or ord(ch) < 32 or ord(ch) == 127 for ch in target)
