"""POST /api/v1/writer/images/upload/ (multipart): library and content uploads; every bad file is a 400
naming `file`, never a 500; roles and tenancy as everywhere."""

from __future__ import annotations

import io

import pytest

from tests.api.conftest import error_fields
from tests.support import factories, image_files
from writer_app.models import Image, Role, db

URL = "/writer/images/upload/"


def upload(api, data: bytes, name: str = "roof.png", role: Role = Role.EDITOR, **fields):
    form = {"file": (io.BytesIO(data), name), **{k: str(v) for k, v in fields.items()}}
    return api.post(URL, data=form, content_type="multipart/form-data", role=role)


def test_a_library_upload_belongs_to_the_site_and_is_served(api, tenant, app):
    response = upload(
        api, image_files.encoded("JPEG"), "Roof at dusk.JPG", site_id=tenant.site.id, alt_text="A roof"
    )
    assert response.status_code == 201, response.get_json()
    image = response.get_json()
    assert image["source"] == "upload" and image["original_filename"] == "Roof at dusk.JPG"
    assert image["content_id"] is None and image["task_id"] is None and image["site_id"] == tenant.site.id
    assert image["status"] == "generated" and image["alt_text"] == "A roof" and image["width"] == 64
    stored = db.session.get(Image, image["id"]).image_path
    assert "roof" not in stored.lower() and stored.endswith(".jpg")  # a random name, the sniffed type
    served = api.get(image["file_url"])
    assert served.status_code == 200 and served.mimetype == "image/jpeg"
    found = api.get("/writer/images/?q=DUSK&source=upload").get_json()
    assert [i["id"] for i in found["results"]] == [image["id"]]


def test_an_upload_for_content_is_one_of_its_images(api, tenant):
    content = factories.make_content(tenant.cluster, "Guide")
    db.session.commit()
    response = upload(api, image_files.encoded("WEBP"), "x.webp", content_id=content.id)
    assert response.status_code == 201, response.get_json()
    assert response.get_json()["content_id"] == content.id


@pytest.mark.parametrize(
    ("data", "name", "message"),
    [
        (b"plain text pretending " * 20, "fake.png", "not a complete"),
        (image_files.truncated_png(), "cut.png", "not a complete"),
        (image_files.png_claiming(9000, 9000), "bomb.png", "pixels"),
        (image_files.animated_gif(120), "long.gif", "frames"),
        (image_files.encoded("BMP"), "bitmap.png", "not a complete"),
        (b"", "empty.png", "empty"),
    ],
)
def test_bad_files_are_field_errors(api, tenant, data, name, message):
    response = upload(api, data, name, site_id=tenant.site.id)
    assert response.status_code == 400, response.get_data(as_text=True)
    assert message in " ".join(error_fields(response)["file"])


def test_an_oversized_file_is_a_field_error(api, tenant, app, monkeypatch):
    monkeypatch.setitem(app.config, "IMAGE_UPLOAD_MAX_BYTES", 50_000)
    response = upload(
        api, image_files.encoded("PNG", size=(400, 400)) + b"\0" * 60_000, site_id=tenant.site.id
    )
    assert response.status_code == 400 and "larger than" in error_fields(response)["file"][0]
    # far past the limit: refused while reading the request, still as a field error
    response = upload(api, b"\0" * 2_000_000, site_id=tenant.site.id)
    assert response.status_code == 400 and "file" in error_fields(response)


def test_a_missing_file_wrong_media_type_roles_and_other_accounts(api, tenant, other_tenant):
    response = api.post(URL, data={"site_id": str(tenant.site.id)}, content_type="multipart/form-data")
    assert response.status_code == 400 and "file" in error_fields(response)
    assert api.post(URL, json={"site_id": tenant.site.id}).status_code == 415
    assert upload(api, image_files.encoded(), role=Role.VIEWER, site_id=tenant.site.id).status_code == 403
    response = upload(api, image_files.encoded(), site_id=other_tenant.site.id)
    assert response.status_code == 400 and "site_id" in error_fields(response)
    foreign = factories.make_content(other_tenant.cluster)
    db.session.commit()
    response = upload(api, image_files.encoded(), content_id=foreign.id)
    assert response.status_code == 400 and "content_id" in error_fields(response)


def test_the_upload_is_in_the_openapi_document(api):
    doc = api.get("/openapi.json", role=None).get_json()
    operation = doc["paths"]["/api/v1/writer/images/upload/"]["post"]
    schema_ref = operation["requestBody"]["content"]["multipart/form-data"]["schema"]["$ref"]
    schema = doc["components"]["schemas"][schema_ref.rsplit("/", 1)[-1]]
    assert schema["properties"]["file"]["format"] == "binary" and "file" in schema["required"]
    assert {"201", "400", "413", "415"} <= set(operation["responses"])
