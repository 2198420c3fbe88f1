"""Form widgets write their attributes with writer_app.forms.attributes: the same text as WTForms."""

from __future__ import annotations

import wtforms.widgets
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import Markup
from wtforms import Form, StringField, TextAreaField
from wtforms.validators import Length

from writer_app.forms import attributes
from writer_app.forms.base import FlaskForm  # noqa: F401  (importing the forms installs the writer)

KEYS = st.one_of(
    st.text(alphabet="abcdefghijklmnopqrstuvwxyz_-:0123456789", min_size=1, max_size=12),
    st.sampled_from(["class_", "for_", "data_rich_editor", "aria_describedby", "hx-post", "x<y", 'q"']),
)
VALUES = st.one_of(
    st.text(max_size=30),
    st.builds(Markup, st.text(max_size=30)),
    st.integers(),
    st.booleans(),
    st.none(),
    st.floats(allow_nan=False),
)


@given(st.dictionaries(KEYS, VALUES, max_size=8))
def test_attributes_are_written_as_wtforms_writes_them(kwargs):
    ours, theirs = attributes.html_params(**kwargs), attributes.ORIGINAL(**kwargs)
    assert ours == theirs
    assert isinstance(ours, Markup)


def test_every_widget_writes_with_it():
    class Sample(Form):
        title = StringField("Title", validators=[Length(max=20)])
        body = TextAreaField("Body")

    form = Sample(data={"title": 'Say "hi" <b>', "body": "x < y"})
    assert form.title(class_="big", data_hint="a_b") == Markup(
        '<input class="big" data-hint="a_b" id="title" maxlength="20" name="title" type="text" '
        'value="Say &#34;hi&#34; &lt;b&gt;">'
    )
    assert form.body(rows=2) == Markup('<textarea id="body" name="body" rows="2">\r\nx &lt; y</textarea>')
    assert form.title.label(class_="l") == Markup('<label class="l" for="title">Title</label>')
    assert wtforms.widgets.core.Input.html_params is attributes.html_params
    assert wtforms.widgets.core.html_params is attributes.html_params
