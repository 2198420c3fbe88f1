"""Row links built once per page are the links url_for would build."""

from __future__ import annotations

from flask import url_for

from writer_app.views.row_urls import fixed_url_for, row_url


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


def test_fixed_links_equal_url_for_under_each_root(app):
    for root in ("", "/writer"):
        with app.test_request_context("/tasks/", base_url=f"http://localhost{root}/"):
            for _ in range(2):  # built, then kept
                assert fixed_url_for("tasks.index") == url_for("tasks.index") == f"{root}/tasks/"
                assert fixed_url_for("static", filename="css/app.css") == f"{root}/static/css/app.css"
                assert fixed_url_for("static", filename="js/app.js") == url_for(
                    "static", filename="js/app.js"
                )
                assert fixed_url_for("tasks.index", page=2) == f"{root}/tasks/?page=2"


def test_links_with_one_id_equal_url_for(app):
    with app.test_request_context("/content/7"):
        for content_id in (7, 8, 918273645):
            assert fixed_url_for("content.terms", content_id=content_id) == url_for(
                "content.terms", content_id=content_id
            )
        assert fixed_url_for("tasks.index", page=3) == url_for("tasks.index", page=3)
        assert fixed_url_for("tasks.index", trash=True) == url_for("tasks.index", trash=True)
