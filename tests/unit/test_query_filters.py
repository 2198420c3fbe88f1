"""List filters read from the query string: blanks are no filter, text is trimmed, flags are words."""

from __future__ import annotations

from werkzeug.datastructures import MultiDict

from writer_app.services.content_list import ContentFilters
from writer_app.services.tasks import DEFAULT_ORDERING, TaskFilters


def test_blank_values_keep_the_defaults_and_text_is_trimmed():
    filters = TaskFilters.from_args(
        MultiDict({"search": "  solar  ", "status": "", "ordering": "", "site_id": "3"})
    )
    assert filters == TaskFilters(search="solar", site_id="3", ordering=DEFAULT_ORDERING)


def test_flags_are_on_for_the_usual_words_only():
    for word in ("1", "true", "Yes", "on"):
        assert TaskFilters.from_args({"trash": word}).trash is True
    for word in ("", "0", "no", "off"):
        assert TaskFilters.from_args({"trash": word}).trash is False
    assert ContentFilters.from_args({}).all_sites is False
