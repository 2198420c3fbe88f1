"""Schemathesis against the live API: examples, coverage, fuzzing and stateful (links) phases, every
check but positive_data_acceptance (valid-looking ids of nothing are rightly 400/404). Zero 5xx and
every response must conform to the OpenAPI document. Bounded: a fixed example count and max time."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from flask import Flask

from tests.api.conftest import token_for
from tests.support import factories
from writer_app.models import ImageType, TaxonomyType, db
from writer_app.services import taxonomies
from writer_app.services.media import images

ST = Path(sys.executable).with_name("st")


def _seed(tenant: factories.Tenant) -> None:
    """Something for every GET to find (ids start at 1, which the generators try first)."""
    scope = tenant.scope()
    task = factories.make_task(tenant.cluster)
    content = factories.make_content(tenant.cluster, task_id=task.id)
    images.create_image(scope, image_type=ImageType.FEATURED.value, content_id=content.id)
    taxonomies.create_taxonomy(
        scope, site_id=tenant.site.id, name="News", taxonomy_type=TaxonomyType.CATEGORY
    )
    db.session.commit()


def test_api_conforms_to_its_openapi_document(app: Flask, live_server: str, tenant, tmp_path: Path) -> None:
    _seed(tenant)
    token = token_for(tenant.admin, tenant.account.id)
    limit = app.config["API_RATE_LIMIT"]
    app.config["API_RATE_LIMIT"] = "1000000 per minute"  # throttling has its own test
    # Multipart fields are strings on the wire: a negative "not an integer" mutation of `site_id` arrives
    # as "176", a valid value, and Schemathesis then reports the accepted upload as schema-violating.
    # The upload is fuzzed with valid data only; its bad input has tests of its own (test_media_upload).
    config = tmp_path / "schemathesis.toml"
    config.write_text(
        '[[operations]]\ninclude-path = "/api/v1/writer/images/upload/"\ngeneration.mode = "positive"\n'
    )
    command = [
        str(ST),
        "--config-file",
        str(config),
        "run",
        f"{live_server}/api/v1/openapi.json",
        "--header",
        f"Authorization: Bearer {token}",
        "--phases",
        "examples,coverage,fuzzing,stateful",
        "--checks",
        "all",
        "--exclude-checks",
        "positive_data_acceptance",
        "--max-examples",
        "25",
        "--max-time",
        "50",
        "--workers",
        "1",
        "--seed",
        "20261124",
        "--generation-allow-x00",
        "false",
        "--generation-database",
        "none",
        "--suppress-health-check",
        "all",
        "--request-timeout",
        "10",
        "--no-color",
        "--report",
        "junit",
        "--report-dir",
        str(tmp_path),
    ]
    try:
        # cwd: Schemathesis keeps a .schemathesis/ folder where it runs; not in the repository.
        result = subprocess.run(
            command, capture_output=True, text=True, timeout=150, check=False, cwd=tmp_path
        )
    finally:
        app.config["API_RATE_LIMIT"] = limit
    output = result.stdout + result.stderr
    assert result.returncode == 0, output[-15000:]
    assert "No issues found" in output or "passed" in output, output[-3000:]
