"""Row links built once per page are the links url_for would build."""

from __future__ import annotations

from flask import url_for

from writer_app.views.row_urls import row_url


def test_row_links_equal_url_for(app):
    with app.test_request_context("/tasks/"):
        edit = row_url("tasks.edit", "task_id", next="/tasks/?search=solar panels&page=2")
        for task_id in (1, 42, 918273645):
            assert edit(task_id) == url_for(
                "tasks.edit", task_id=task_id, next="/tasks/?search=solar panels&page=2"
            )


def test_a_value_that_looks_like_the_marker_still_gives_the_right_link(app):
    with app.test_request_context("/tasks/"):
        cancel = row_url("tasks.edit", "task_id", next="/tasks/?search=918273645")
        assert cancel(7) == url_for("tasks.edit", task_id=7, next="/tasks/?search=918273645")
