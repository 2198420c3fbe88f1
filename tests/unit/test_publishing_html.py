"""Images in the published HTML: Writer's image URLs point at WordPress media; Writer images that were
not uploaded are dropped rather than sent as links WordPress visitors cannot open; others stay."""

from __future__ import annotations

from writer_app.services.media.body_images import rewrite_sources

URLS = {7: "http://wp.test/uploads/a.png", 8: "http://wp.test/uploads/b.png"}


def test_writer_image_urls_are_rewritten_and_nothing_is_added() -> None:
    html = (
        '<p>One</p><figure><img src="/images/7/file" alt="An inverter"></figure>'
        '<p><img alt="x" src="https://writer.example/images/8/file?thumb=1"></p>'
    )
    out = rewrite_sources(html, URLS)
    assert out == (
        '<p>One</p><figure><img src="http://wp.test/uploads/a.png" alt="An inverter"></figure>'
        '<p><img alt="x" src="http://wp.test/uploads/b.png"></p>'
    )


def test_writer_images_without_an_upload_are_dropped_with_their_figure() -> None:
    html = '<p>One</p><figure><img src="/images/9/file" alt="gone"></figure><p>Two</p>'
    assert rewrite_sources(html, URLS) == "<p>One</p><p>Two</p>"


def test_other_images_are_left_alone() -> None:
    html = '<img src="https://elsewhere.test/x.png"><img src="/static/images/1/file.png">'
    assert rewrite_sources(html, URLS) == html
    assert rewrite_sources(html, {}) == html
