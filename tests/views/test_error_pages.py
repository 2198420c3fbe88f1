"""404, 405 and 500 pages use the app's layout; the 500 page renders even when the database is down."""

from __future__ import annotations

from sqlalchemy.exc import OperationalError

from writer_app.services.identity import sessions


def test_unknown_url_shows_the_layout_with_the_navigation(client, login, tenant):
    login(tenant.editor)
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'aria-label="Main"' in html and 'href="/tasks/"' in html  # the header, for a logged-in user
    assert "Not found" in html and "/css/app.css" in html


def test_unknown_url_for_anonymous_visitors_is_the_layout_without_the_header(client):
    response = client.get("/no/such/page")
    html = response.get_data(as_text=True)
    assert response.status_code == 404 and "/css/app.css" in html and 'aria-label="Main"' not in html


def test_method_not_allowed_renders_the_layout(client, login, tenant):
    login(tenant.editor)
    response = client.get("/logout")
    html = response.get_data(as_text=True)
    assert response.status_code == 405 and response.headers["Allow"]
    assert 'aria-label="Main"' in html and "Not allowed here" in html


def test_500_page_renders_when_the_database_is_down(client, login, tenant, monkeypatch):
    login(tenant.editor)

    def database_down(*args, **kwargs):
        raise OperationalError("SELECT 1", {}, Exception("connection refused"))

    monkeypatch.setattr(sessions, "find", database_down)
    response = client.get("/tasks/")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Something went wrong" in html and "/css/app.css" in html  # the layout, without account parts
    assert "Traceback" not in html
