"""In-article images in the published HTML: Writer's image URLs point at WordPress media, images the
text does not show yet are placed between paragraphs."""

from __future__ import annotations

from writer_app.services.publishing_steps import place_images

URLS = {7: "http://wp.test/uploads/a.png", 8: "http://wp.test/uploads/b.png"}
ALTS = {7: "An inverter", 8: 'Panels "on" a roof'}


def test_writer_image_urls_and_known_urls_are_rewritten() -> None:
    html = (
        '<p>One</p><p><img alt="x" src="/images/7/file?thumb=1"></p><p><img src="https://cdn.test/b.png"></p>'
    )
    out = place_images(html, URLS, ALTS, {"https://cdn.test/b.png": 8})
    assert 'src="http://wp.test/uploads/a.png"' in out and 'src="http://wp.test/uploads/b.png"' in out
    assert "/images/7/file" not in out and "cdn.test" not in out
    assert out.count("<img") == 2  # nothing added: both were shown already


def test_images_not_in_the_text_are_spread_after_paragraphs() -> None:
    html = "<p>1</p><p>2</p><p>3</p><p>4</p>"
    out = place_images(html, URLS, ALTS, {})
    figure = '<figure class="wp-block-image"><img src="http://wp.test/uploads/{}.png" alt="{}"></figure>'
    a, b = figure.format("a", "An inverter"), figure.format("b", "Panels &quot;on&quot; a roof")
    assert out == f"<p>1</p>{a}<p>2</p><p>3</p>{b}<p>4</p>"
    assert 'alt="Panels &quot;on&quot; a roof"' in out


def test_other_images_are_left_alone_and_no_paragraphs_appends() -> None:
    html = '<img src="https://elsewhere.test/x.png">'
    out = place_images(html, {7: URLS[7]}, ALTS, {})
    assert out.startswith('<img src="https://elsewhere.test/x.png">')
    assert out.endswith(
        '<figure class="wp-block-image"><img src="http://wp.test/uploads/a.png" alt="An inverter"></figure>'
    )
    assert place_images(html, {}, {}, {}) == html
