"""Where generated images go in the body, which images a body shows, and their alt texts."""

from __future__ import annotations

from flask import Flask, url_for

from writer_app.services.media import body_images
from writer_app.text.html import sanitize_html

SECTIONS = (
    "<p>intro</p><h2>A</h2><p>a1</p><p>a2</p><h2>B</h2><p>b1</p><h2>C</h2><h3>c</h3><h2>D</h2><p>d1</p>"
)


def test_the_file_path_is_the_file_route(app: Flask) -> None:
    with app.test_request_context():
        assert body_images.image_src(12) == url_for("images.file", image_id=12)


def test_image_n_goes_after_the_first_paragraph_of_its_h2_section() -> None:
    # s = 4 sections, k = 2 images: sections ⌊0·4/2⌋+1 = 1 and ⌊1·4/2⌋+1 = 3.
    out = body_images.place(SECTIONS, ["[1]", "[2]"])
    assert (
        out
        == "<p>intro</p><h2>A</h2><p>a1</p>[1]<p>a2</p><h2>B</h2><p>b1</p><h2>C</h2><h3>c</h3>[2]<h2>D</h2><p>d1</p>"
    )
    # as many images as sections: one each; a section without a paragraph gets it at its end
    out = body_images.place(SECTIONS, ["[1]", "[2]", "[3]", "[4]"])
    assert out == (
        "<p>intro</p><h2>A</h2><p>a1</p>[1]<p>a2</p><h2>B</h2><p>b1</p>[2]<h2>C</h2><h3>c</h3>[3]"
        "<h2>D</h2><p>d1</p>[4]"
    )


def test_more_images_than_sections_spread_between_paragraphs() -> None:
    out = body_images.place("<p>1</p><p>2</p><p>3</p><p>4</p>", ["[a]", "[b]"])
    assert out == "<p>1</p><p>2</p>[a]<p>3</p>[b]<p>4</p>"
    assert body_images.place("<h3>no paragraphs</h3>", ["[a]"]) == "<h3>no paragraphs</h3>[a]"
    assert body_images.place(SECTIONS, []) == SECTIONS


def test_figures_survive_sanitizing_and_alt_texts_are_read_and_set() -> None:
    figure = body_images.figure_html(5, 'Panels "on" a <roof>')
    html = sanitize_html(f"<p>x</p>{figure}<p><img src='/images/6/file'></p><img src='https://e.test/7.png'>")
    assert body_images.ids_in_body(html) == [5, 6]
    assert body_images.alts_in_body(html) == {5: 'Panels "on" a <roof>', 6: ""}
    changed = body_images.set_alt(html, 6, "A & B")
    assert body_images.alts_in_body(changed) == {5: 'Panels "on" a <roof>', 6: "A & B"}
    assert sanitize_html(changed) == changed


def test_unsafe_sources_do_not_survive_sanitizing() -> None:
    html = sanitize_html(
        '<figure><img src="javascript:alert(1)" alt="a"><img src="data:image/png;base64,AA"></figure>'
    )
    assert "javascript" not in html and "data:" not in html and body_images.ids_in_body(html) == []
