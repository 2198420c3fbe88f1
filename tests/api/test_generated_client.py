"""An independent client: openapi-python-client (the dev extra) generates a typed client from the live
/api/v1/openapi.json, and a workflow that uses only that client runs against the real server: list,
create, update, generate content on the 202 path (real Redis, an RQ burst worker, the fake OpenAI
server), poll the job and read the new content id from the typed JobOut.result, images (upload and
file), taxonomy, validation, and a wrong name answered 400.

The generator warns (and drops the operation's answer) for what it cannot type: no warning allowed.
The client is generated once per module (the slow part, about 2 s)."""

from __future__ import annotations

import importlib
import io
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.request import urlopen

import pytest
from flask import Flask
from PIL import Image as PILImage

from tests.api.conftest import token_for
from tests.support import factories
from tests.support.factories import Tenant
from tests.support.workers import work_in_process
from writer_app.models import db

pytestmark = pytest.mark.redis

GENERATOR = Path(sys.executable).with_name("openapi-python-client")
PACKAGE = "writer_api_client"
# The file endpoint names its image types; the generator reads binary answers only as
# application/octet-stream, so a client maps them (its documented content_type_overrides).
CONFIG = "post_hooks: []\ncontent_type_overrides:\n" + "".join(
    f"  image/{kind}: application/octet-stream\n" for kind in ("png", "jpeg", "webp", "gif")
)


@pytest.fixture(scope="module")
def generated(live_server: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[ModuleType]:
    folder = tmp_path_factory.mktemp("client")
    spec, config = folder / "openapi.json", folder / "config.yaml"
    with urlopen(f"{live_server}/api/v1/openapi.json", timeout=10) as answer:
        spec.write_bytes(answer.read())
    config.write_text(CONFIG)
    command = [str(GENERATOR), "generate", "--path", str(spec), "--config", str(config)]
    command += ["--meta", "none", "--output-path", str(folder / PACKAGE)]
    result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False, cwd=folder)
    output = result.stdout + result.stderr
    assert result.returncode == 0 and "warning" not in output.lower(), output[-5000:]
    sys.path.insert(0, str(folder))
    try:
        yield importlib.import_module(PACKAGE)
    finally:
        sys.path.remove(str(folder))
        for name in [n for n in sys.modules if n == PACKAGE or n.startswith(PACKAGE + ".")]:
            del sys.modules[name]


def _png() -> bytes:
    out = io.BytesIO()
    PILImage.new("RGB", (64, 48), (20, 120, 200)).save(out, format="PNG")
    return out.getvalue()


def workflow(base_url: str, token: str, place: dict[str, int], drain: Callable[[], None]) -> dict[str, Any]:
    """What a client of the API does, with the generated package alone (`drain` runs the job queue)."""

    def mod(name: str) -> Any:
        return importlib.import_module(f"{PACKAGE}.{name}")

    client = mod("client").AuthenticatedClient(
        base_url=base_url, token=token, raise_on_unexpected_status=True
    )
    models, types = mod("models"), mod("types")

    def call(operation: str, **arguments: Any) -> Any:
        """The operation's typed answer; a documented error answer fails the test with its body."""
        answer = mod(f"api.{operation}").sync_detailed(client=client, **arguments)
        assert answer.status_code < 300, (operation, answer.status_code, answer.content[:500])
        return answer.parsed

    site_id, sector_id, cluster_id = place["site_id"], place["sector_id"], place["cluster_id"]
    assert call("tasks.tasks_list_tasks").count == 0
    new_task = models.TaskCreate(
        title="How solar batteries work",
        cluster_id=cluster_id,
        content_type=models.ContentType.POST,
        content_structure=models.ContentStructure.GUIDE,
        site_id=site_id,
        sector_id=sector_id,
        keywords="solar battery, home storage",
        word_count=600,
    )
    task = call("tasks.tasks_create_task", body=new_task)
    patch = models.TaskPatch(title="Solar batteries, explained")
    assert call("tasks.tasks_patch_task", task_id=task.id, body=patch).title == "Solar batteries, explained"
    by_alias = call("tasks.tasks_list_tasks", cluster=cluster_id, structure=models.ContentStructure.GUIDE)
    assert [t.id for t in by_alias.results] == [task.id]

    # Generation on the 202 path: queued, a worker runs it, the job says which content it made.
    accepted = call("tasks.generation_auto_generate_content", body=models.IdsBody(ids=[task.id]))
    assert isinstance(accepted, models.JobAccepted)
    drain()
    deadline = time.monotonic() + 15
    job = call("jobs.jobs_get_job", job_id=accepted.task_id)
    while (
        job.status not in (models.JobStatus.FINISHED, models.JobStatus.FAILED) and time.monotonic() < deadline
    ):
        time.sleep(0.1)
        job = call("jobs.jobs_get_job", job_id=accepted.task_id)
    assert job.status == models.JobStatus.FINISHED, job.error
    assert isinstance(job.result, models.GenerationResult)
    outcome = job.result.tasks[0]
    assert outcome.task_id == task.id and outcome.status == models.TaskOutcomeStatus.COMPLETED
    content = call("content.content_get_content", content_id=outcome.content_id)
    assert content.task_id == task.id and content.word_count > 0
    listed = call("content.content_list_content", site_id=site_id, sector_id=sector_id)
    assert [c.id for c in listed.results] == [content.id]

    # Images: a record for the content, an uploaded file, and the file itself.
    record = models.ImageCreate(image_type=models.ImageType.FEATURED, content_id=content.id, task_id=task.id)
    image = call("images.images_create_image", body=record)
    assert image.content_id == content.id
    png = types.File(payload=io.BytesIO(_png()), file_name="roof.png", mime_type="image/png")
    upload = call(
        "images.images_upload_image",
        body=models.ImageUpload(file=png, content_id=content.id, alt_text="A roof"),
    )
    assert call("images.images_image_file", image_id=upload.id).payload.read().startswith(b"\x89PNG")
    grouped = call("content.content_images", content_id=content.id)
    assert grouped.featured_image.id == image.id and [i.id for i in grouped.in_article_images] == [upload.id]

    # Taxonomy: a category of the site, put on the content.
    kind = models.TaxonomyType.CATEGORY
    category = call(
        "taxonomies.taxonomies_create_taxonomy",
        body=models.TaxonomyCreate(site_id=site_id, name="Buying guides", taxonomy_type=kind),
    )
    changes = models.TermChanges(add=[category.id])
    tagged = call("content.content_taxonomy_terms", content_id=content.id, body=changes)
    assert tagged.categories == ["Buying guides"]

    # Validation of the saved content.
    checked = call("validation.validation_get_validation", content_id=content.id)
    assert checked.content_id == content.id and checked.checks

    # A wrong name is a 400 naming it (sent through the generated client's own HTTP client).
    http = client.get_httpx_client()
    refused = http.patch(f"/api/v1/writer/content/{content.id}/", json={"taxonomy_terms": [category.id]})
    error = models.Error.from_dict(refused.json())
    assert refused.status_code == 400 and error.error.code == "validation_error"
    assert "taxonomy_terms" in error.error.fields.additional_properties
    unknown = http.get("/api/v1/writer/tasks/", params={"clusterid": cluster_id})
    assert unknown.status_code == 400 and "clusterid" in unknown.json()["error"]["fields"]
    return {"task_id": task.id, "content_id": content.id}


def test_the_generated_client_runs_a_whole_workflow(
    app: Flask,
    generated: ModuleType,
    live_server: str,
    tenant: Tenant,
    redis_url: str,
    openai_config: dict[str, Any],
) -> None:
    factories.add_credits(tenant.account, 100)
    db.session.commit()
    token = token_for(tenant.admin, tenant.account.id)  # admins also manage taxonomies
    place = {"site_id": tenant.site.id, "sector_id": tenant.sector.id, "cluster_id": tenant.cluster.id}
    saved = {key: app.config.get(key) for key in [*openai_config, "API_RATE_LIMIT"]}
    app.config.update(openai_config, API_RATE_LIMIT="1000 per minute")
    try:
        done = workflow(live_server, token, place, lambda: work_in_process(redis_url, "ai"))
    finally:
        app.config.update(saved)
    assert done["content_id"] > 0
