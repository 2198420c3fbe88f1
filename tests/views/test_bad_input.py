"""Bad input on HTML routes (issue #13 item 4): each probe of the outside review, as a regression test.

NUL and other control characters, numbers beyond the column range, dates out of range, job ids with
extra characters, bodies over the size limit, deeply nested JSON: a field error or a 4xx, never a 500.
"""

from __future__ import annotations

import io
import logging
import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from tests.api.conftest import Api, error_fields
from tests.api.conftest import api as api  # the API client fixture
from tests.support import factories
from writer_app.models import Job, JobStatus, Role, Site, Task, db
from writer_app.services import generation

HUGE = "99999999999999999999"


@pytest.fixture
def admin(client: FlaskClient, tenant: factories.Tenant, login) -> FlaskClient:
    return login(tenant.admin)


def _text(response) -> str:
    return response.get_data(as_text=True)


# -- query strings -------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "/tasks/?search=a%00b",
        "/tasks/export.csv?search=a%00b",
        "/content/?search=a%00b",
        "/content/export.csv?search=a%00b",
        "/taxonomies/?search=a%01b",
        "/images/?status=%1b[31m",
        "/clusters/?search=line%0Abreak",
        "/settings/audit/?action=a%00",
        "/tasks/?a%00b=1",
    ],
)
def test_control_characters_in_a_query_are_a_400_naming_the_parameter(admin, url) -> None:
    response = admin.get(url)
    assert response.status_code == 400
    assert "must not contain control characters" in _text(response)
    assert "text/html" in response.content_type  # the error page, not a broken CSV stream


def test_the_query_guard_answers_the_api_in_its_error_shape(api: Api) -> None:
    response = api.get("/writer/tasks/?search=a%00b")
    assert response.status_code == 400
    assert response.get_json()["error"]["code"] == "validation_error"
    assert "search" in error_fields(response)


def test_unicode_and_emoji_in_a_query_still_work(admin, tenant) -> None:
    factories.make_task(tenant.cluster, "Café ☀️ guide")
    db.session.commit()
    response = admin.get("/tasks/?search=Café ☀️")
    assert response.status_code == 200
    assert "Café ☀️ guide" in _text(response)


@pytest.mark.parametrize(
    "url",
    [
        f"/tasks/?page={HUGE}",
        "/tasks/?page=1e20",
        f"/tasks/?cluster_id={HUGE}",
        "/tasks/?cluster_id=1e20",
        f"/content/?page={HUGE}",
        f"/content/?cluster_id={HUGE}",
        f"/images/?content_id={HUGE}",
        f"/images/?page={HUGE}",
        f"/taxonomies/?site_id={HUGE}",
        f"/clusters/?site_id={HUGE}",
        f"/review?site_id={HUGE}",
        "/review?site_id=%C2%B2",  # a Unicode digit (str.isdigit() says yes, int() says no)
        f"/calendar?site_id={HUGE}",
        f"/settings/audit/?user_id={HUGE}",
        f"/settings/audit/?page={HUGE}",
    ],
)
def test_numbers_beyond_the_column_range_in_a_query_are_refused(admin, url) -> None:
    response = admin.get(url)
    assert response.status_code in (400, 422), _text(response)[:500]
    assert "less" in _text(response) or "whole number" in _text(response)


@pytest.mark.parametrize("value", ["9999-12-31", "0001-01-01", "1899-12-31"])
def test_audit_dates_out_of_range_are_a_field_error(admin, value) -> None:
    for name in ("date_from", "date_to"):
        response = admin.get(f"/settings/audit/?{name}={value}")
        assert response.status_code == 422, _text(response)[:500]
        assert f"{name} must be between 1900-01-01 and 9998-12-31." in _text(response)


def test_audit_dates_in_range_still_filter(admin) -> None:
    assert admin.get("/settings/audit/?date_from=2020-01-01&date_to=9998-12-31").status_code == 200


# -- ids in paths ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "method,url",
    [
        ("get", f"/tasks/{HUGE}/edit"),
        ("get", f"/tasks/{2**31}/edit"),
        ("post", f"/tasks/{HUGE}/cancel"),
        ("get", f"/content/{HUGE}"),
        ("post", f"/content/{HUGE}"),  # the path of another method's rule too: 404, not 405
        ("post", f"/content/1/revisions/{HUGE}/restore"),
        ("post", f"/clusters/{HUGE}/delete"),
        ("get", f"/images/{HUGE}"),
        ("get", f"/taxonomies/{HUGE}"),
        ("post", f"/settings/members/{HUGE}/remove"),
        ("get", f"/settings/sites/{HUGE}/wordpress"),
    ],
)
def test_path_ids_beyond_the_column_range_are_404(admin, method, url) -> None:
    assert getattr(admin, method)(url).status_code == 404


@pytest.mark.parametrize(
    "method,path",
    [
        ("GET", f"/writer/tasks/{HUGE}/"),
        ("DELETE", f"/planner/clusters/{HUGE}/"),
        ("PUT", f"/writer/images/{2**31}/"),
    ],
)
def test_path_ids_beyond_the_range_are_404_in_the_api_too(api: Api, method, path) -> None:
    response = api.request(method, path, role=Role.ADMIN, json={})
    assert response.status_code == 404
    assert response.get_json()["error"]["code"] == "not_found"


def test_the_largest_storable_id_is_an_ordinary_404(admin) -> None:
    assert admin.get(f"/tasks/{2**31 - 1}/edit").status_code == 404


# -- job ids -------------------------------------------------------------------------------------------


def _queued_job(tenant: factories.Tenant) -> Job:
    factories.add_credits(tenant.account, 100)
    task = factories.make_task(tenant.cluster)
    db.session.commit()
    job = generation.start(tenant.scope(Role.EDITOR), [task.id])
    db.session.commit()
    return job


@pytest.mark.parametrize("suffix", ["EXTRA", "0", "%00", "%0A"])
def test_job_ids_must_match_exactly(admin, tenant, suffix) -> None:
    job = _queued_job(tenant)
    assert admin.get(f"/jobs/{job.id}{suffix}").status_code == 404
    assert admin.post(f"/jobs/{job.id}{suffix}/cancel").status_code == 404
    db.session.expire_all()
    assert db.session.get(Job, job.id).status == JobStatus.QUEUED
    assert admin.get(f"/jobs/{job.id}").status_code == 200


def test_job_ids_cut_or_recased_do_not_resolve(admin, api: Api, tenant) -> None:
    job = _queued_job(tenant)
    assert admin.get(f"/jobs/{job.id[:35]}").status_code == 404
    assert admin.get(f"/jobs/{job.id.upper()}").status_code == 404
    assert admin.get(f"/jobs/{job.id}{'x' * 400}").status_code == 404
    assert api.get(f"/jobs/{job.id}EXTRA/").status_code == 404
    assert api.get(f"/jobs/{job.id}/").status_code == 200


# -- form fields -----------------------------------------------------------------------------------------


def _task_form(tenant: factories.Tenant, **values: str) -> dict[str, object]:
    data: dict[str, object] = {
        "title": "Solar roofs",
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "cluster_id": tenant.cluster.id,
        "content_type": "post",
        "content_structure": "article",
        "word_count": "1000",
    }
    data.update(values)
    return data


@pytest.mark.parametrize(
    "url,data,field",
    [
        ("/settings/sites", {"name": "a\x00b"}, "name"),
        ("/settings/tokens", {"name": "a\x00b"}, "name"),
        ("/operator/credits", "credits", "note"),
        ("/clusters/new", "cluster", "name"),
        ("/taxonomies/", "taxonomy", "name"),
    ],
)
def test_nul_in_a_form_field_is_a_field_error(admin, tenant, url, data, field) -> None:
    if data == "cluster":
        data = {"name": "a\x00b", "site_id": tenant.site.id, "sector_id": tenant.sector.id}
    elif data == "taxonomy":
        data = {"name": "a\x00b", "site_id": tenant.site.id, "taxonomy_type": "category"}
    elif data == "credits":  # operators add credits; the admin is one here
        tenant.admin.is_operator = True
        db.session.commit()
        data = {"account": tenant.account.slug, "amount": "5", "note": "a\x00b"}
    response = admin.post(url, data=data)
    assert response.status_code in (200, 400, 422), _text(response)[:500]
    assert "This field must not contain control characters (found U+0000)." in _text(response)


def test_task_title_with_nul_is_a_field_error_and_nothing_is_saved(admin, tenant) -> None:
    response = admin.post("/tasks/new", data=_task_form(tenant, title="a\x00b"))
    assert response.status_code == 422
    assert "must not contain control characters" in _text(response)
    assert db.session.query(Task).count() == 0


def test_tabs_and_newlines_stay_allowed_in_multi_line_fields_only(admin, tenant) -> None:
    brief = "Line one\r\n\tindented line two ☀️"
    response = admin.post("/tasks/new", data=_task_form(tenant, title="Café ☀️", description=brief))
    assert response.status_code == 303, _text(response)[:500]
    task = db.session.query(Task).one()
    assert task.title == "Café ☀️" and task.description == brief
    response = admin.post("/tasks/new", data=_task_form(tenant, title="tab\there"))
    assert response.status_code == 422
    assert "found U+0009" in _text(response)


def test_form_integers_beyond_the_column_range_are_a_field_error(admin, tenant) -> None:
    response = admin.post("/tasks/new", data=_task_form(tenant, word_count=HUGE))
    assert response.status_code == 422
    assert "Enter a number between" in _text(response)
    response = admin.post("/tasks/new", data=_task_form(tenant, cluster_id=HUGE))
    assert response.status_code in (400, 422)


def test_wordpress_username_and_alt_text_refuse_nul(admin, tenant) -> None:
    response = admin.post(
        f"/settings/sites/{tenant.site.id}/wordpress",
        data={"url": "https://wp.example.com", "username": "ed\x00itor", "app_password": "x"},
    )
    assert response.status_code in (200, 422)
    assert "must not contain control characters" in _text(response)
    assert db.session.get(Site, tenant.site.id).wp_username == ""


@pytest.mark.parametrize("context", ["1e20:1", f"{HUGE}:1", f"1:{HUGE}", "\x00:1"])
def test_the_context_switcher_ignores_impossible_ids(admin, context) -> None:
    assert admin.post("/context", data={"context": context}).status_code == 303


@pytest.mark.parametrize("ids", ["1e20", HUGE])
def test_bulk_ids_beyond_the_range_are_not_a_500(admin, ids) -> None:
    response = admin.post("/tasks/bulk/delete", data={"ids": ids, "next": "/tasks/"})
    assert response.status_code in (303, 400, 404)


@pytest.mark.parametrize("action", ["preview", "import"])
def test_an_uploaded_csv_with_nul_is_a_file_error(admin, tenant, action) -> None:
    text = f"title,cluster,content_type,content_structure\na\x00b,{tenant.cluster.name},post,article\n"
    data = {
        "site_id": tenant.site.id,
        "sector_id": tenant.sector.id,
        "action": action,
        "file": (io.BytesIO(text.encode()), "tasks.csv"),
    }
    response = admin.post("/tasks/import", data=data, content_type="multipart/form-data")
    assert response.status_code in (200, 422)
    assert "The file must not contain control characters (found U+0000)." in _text(response)
    assert db.session.query(Task).count() == 0


# -- bodies ----------------------------------------------------------------------------------------------


def test_an_html_post_over_the_size_limit_renders_the_413_page(admin, app: Flask) -> None:
    too_big = "x" * (app.config["MAX_CONTENT_LENGTH"] + 1)
    response = admin.post("/settings/sites", data={"name": too_big})
    assert response.status_code == 413
    assert "Too large" in _text(response)
    json_response = admin.post(
        "/settings/sites", data={"name": too_big}, headers={"Accept": "application/json"}
    )
    assert json_response.status_code == 413
    assert json_response.get_json()["error"]["code"] == "payload_too_large"


def test_an_api_body_over_the_size_limit_is_413(api: Api, app: Flask) -> None:
    body = '{"title": "' + "x" * app.config["MAX_CONTENT_LENGTH"] + '"}'
    response = api.post("/writer/tasks/", data=body, content_type="application/json")
    assert response.status_code == 413
    assert response.get_json()["error"]["code"] == "payload_too_large"


@pytest.mark.parametrize("opening", ["[", '{"a":'])
def test_deeply_nested_json_is_a_400(api: Api, opening) -> None:
    response = api.post("/writer/tasks/", data=opening * 100_000, content_type="application/json")
    assert response.status_code == 400
    assert "body" in error_fields(response)


def test_api_text_refuses_control_characters_through_the_shared_rule(api: Api, tenant) -> None:
    response = api.post(
        "/planner/clusters/",
        json={"name": "a\x1bb", "site_id": tenant.site.id, "sector_id": tenant.sector.id},
    )
    assert response.status_code == 400
    assert "name" in error_fields(response)
    assert "control characters" in error_fields(response)["name"][0]


# -- the request log -----------------------------------------------------------------------------------


@pytest.fixture
def request_log(caplog: pytest.LogCaptureFixture):
    logger = logging.getLogger("writer.request")
    disabled, logger.disabled = logger.disabled, False  # Alembic's fileConfig disables existing loggers
    try:
        with caplog.at_level(logging.INFO, logger="writer.request"):
            yield caplog
    finally:
        logger.disabled = disabled


def test_each_request_is_logged_once_with_its_id_duration_and_client(admin, request_log) -> None:
    admin.get("/tasks/?search=solar", headers={"X-Request-ID": "abc123"})
    lines = [r.getMessage() for r in request_log.records if r.name == "writer.request"]
    assert len(lines) == 1
    assert re.fullmatch(r"GET /tasks/\?search=solar 200 \d+\.\dms id=abc123 from=127\.0\.0\.1", lines[0])


def test_the_request_log_escapes_the_decoded_path(admin, request_log) -> None:
    caplog = request_log
    admin.get("/tasks/x%0AGET%20/forged%20200%00/edit")
    lines = [r.getMessage() for r in caplog.records if r.name == "writer.request"]
    assert len(lines) == 1
    assert "\n" not in lines[0] and "\x00" not in lines[0]
    assert "/tasks/x%0AGET%20/forged%20200%00/edit" in lines[0]
