"""An SBOM holding a NUL character is refused naming where, on SQLite as on PostgreSQL.

PostgreSQL cannot store NUL in text: before, the upload reached the database
and answered an HTML 500 there (and stored it on SQLite).
"""

from __future__ import annotations

import json
from typing import Any

import pytest

from medvigil.sbom.models import SbomDocument
from tests.conftest import shared_data_directory
from tests.sbom.test_api import as_user, problem, upload, world  # noqa: F401 - fixture

pytestmark = pytest.mark.django_db
TAG_VALUE = shared_data_directory() / "sbom/spdx/spdx-examples/software/example4/spdx2.2"


def cyclonedx_with(name: str) -> bytes:
    component = {"type": "library", "name": name, "bom-ref": "a", "version": "1.0"}
    document = {"bomFormat": "CycloneDX", "specVersion": "1.6", "components": [component]}
    return json.dumps(document).encode()  # json writes NUL as the escape \u0000


def test_a_json_escape_of_nul_in_a_component_name_is_refused(world: dict[str, Any]) -> None:  # noqa: F811
    client, version = as_user(world["engineer"]), world["version"]
    content = cyclonedx_with("zlib\x00")
    assert b"\\u0000" in content
    body = problem(upload(client, version.pk, content), 422)
    assert body["detail"] == (
        "bom.json: $.components[0].name contains a NUL character, which cannot be stored"
    )
    assert SbomDocument.objects.count() == 0


def test_a_raw_nul_in_spdx_tag_value_is_refused_with_its_line(world: dict[str, Any]) -> None:  # noqa: F811
    client, version = as_user(world["engineer"]), world["version"]
    text = (TAG_VALUE / "example4-bin.spdx").read_text()
    content = text.replace("PackageName: main-bin", "PackageName: main\x00bin").encode()
    body = problem(upload(client, version.pk, content, "bin.spdx"), 422)
    assert body["detail"] == "bin.spdx: line 14 contains a NUL character, which cannot be stored"
    assert SbomDocument.objects.count() == 0
    assert upload(client, version.pk, text.encode(), "bin.spdx").status_code == 201
