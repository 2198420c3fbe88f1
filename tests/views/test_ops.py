"""Health and readiness probes."""


def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200 and response.json == {"status": "ok"}


def test_readyz_without_redis_reports_inline_jobs(client):
    body = client.get("/readyz").json
    assert body["status"] == "ok" and body["checks"]["database"] == "ok"
    assert body["checks"]["redis"].startswith("not configured")


def test_readyz_with_redis(client, redis_url):
    body = client.get("/readyz").json
    assert body["checks"] == {"database": "ok", "redis": "ok"}


def test_readyz_with_unreachable_redis_is_503(app, client):
    app.config["REDIS_URL"] = "redis://127.0.0.1:1/0"
    try:
        response = client.get("/readyz")
    finally:
        app.config["REDIS_URL"] = ""
    assert response.status_code == 503 and response.json["checks"]["redis"].startswith("error")


def test_unknown_pages_are_404_pages(client):
    response = client.get("/no/such/page")
    assert response.status_code == 404 and "Not found" in response.get_data(as_text=True)
