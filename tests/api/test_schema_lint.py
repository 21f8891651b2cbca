"""The schema passes what partners' tools check: Spectral's spectral:oas ruleset (run when spectral is installed)
and, always, the rules it used to fail: declared tags, servers, valid example links, no unused components."""

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def schema_text(django_db_blocker) -> str:
    from django.test import Client

    with django_db_blocker.unblock():
        return Client().get("/api/schema/").content.decode()


def walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk(value)


def test_tags_servers_contact_examples_and_components_are_as_linters_expect(schema_text):
    schema = yaml.safe_load(schema_text)
    used = {tag for path in schema["paths"].values() for op in path.values() for tag in op.get("tags", [])}
    assert used and used <= {tag["name"] for tag in schema["tags"]}
    assert schema["servers"] and not schema["servers"][0]["url"].endswith("/")
    assert schema["info"]["contact"]
    for node in walk(schema):
        if node.get("format") == "uri" and "example" in node:
            parts = urlsplit(node["example"])
            assert parts.scheme in ("http", "https") and parts.netloc, node
            assert not set(node["example"]) & set("\"' <>"), node
    text = json.dumps(schema)
    unused = [name for name in schema["components"]["schemas"] if f'"#/components/schemas/{name}"' not in text]
    assert unused == []


@pytest.mark.skipif(shutil.which("spectral") is None, reason="needs spectral (npm install -g @stoplight/spectral-cli)")
def test_spectral_reports_no_errors_and_no_warnings(schema_text, tmp_path):
    path = tmp_path / "schema.yaml"
    path.write_text(schema_text)
    result = subprocess.run(  # noqa: S603 - our own schema file and the repository's ruleset
        [
            "spectral",
            "lint",
            "--ruleset",
            str(ROOT / ".spectral.yaml"),
            "--fail-severity",
            "warn",
            "-f",
            "json",
            str(path),
        ],  # noqa: S607
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
