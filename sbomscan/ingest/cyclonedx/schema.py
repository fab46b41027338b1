"""Strict mode for CycloneDX: validation against the official schemas.

The schemas are the ones cyclonedx-python-lib ships (``cyclonedx/schema/_res/``), read
from that installed package at run time rather than copied here. JSON is checked with
``jsonschema_rs`` — cyclonedx-python-lib's own pure-Python validator took minutes on a
10,000-component file — and XML with libxml2's XSD support through lxml. The schemas
refer to each other (``spdx``, ``jsf-0.82``, ``cryptography-defs``) by relative name;
those references are answered from the same folder, never from the network. Compiled
validators are cached per spec version.
"""

from __future__ import annotations

import importlib.util
from functools import cache
from pathlib import Path
from typing import Any

import orjson

from ...errors import MalformedSbomError

MAX_COUNTED = 1000
"""Stop counting further violations after this many (the first one is what matters)."""


def _resources() -> Path:
    spec = importlib.util.find_spec("cyclonedx")
    locations = list(spec.submodule_search_locations or ()) if spec else []
    for loc in locations:
        res = Path(loc) / "schema" / "_res"
        if res.is_dir():
            return res
    raise MalformedSbomError(
        "<schemas>", "strict mode needs cyclonedx-python-lib's bundled schemas, which are not installed"
    )


def _retrieve(uri: str) -> Any:
    """Answer a schema's ``$ref`` to a sibling schema from the bundled folder."""
    name = uri.split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    if name.endswith(".schema.json") and ".SNAPSHOT." not in name:
        name = name[: -len(".schema.json")] + ".SNAPSHOT.schema.json"
    path = _resources() / name
    if not path.is_file():
        raise ValueError(f"schema {uri} is not bundled (refusing to fetch it)")
    return orjson.loads(path.read_bytes())


@cache
def json_validator(version: str) -> Any:
    """The compiled JSON-schema validator of one spec version (1.2 and later)."""
    import jsonschema_rs

    path = _resources() / f"bom-{version}.SNAPSHOT.schema.json"
    schema = orjson.loads(path.read_bytes())
    return jsonschema_rs.validator_for(schema, retriever=_retrieve, validate_formats=True)


def _pointer(path: Any) -> str:
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in path)


def validate_json(obj: Any, version: str, source: str) -> None:
    """Raise :class:`MalformedSbomError` at the first schema violation of ``obj``."""
    if not (_resources() / f"bom-{version}.SNAPSHOT.schema.json").is_file():
        raise MalformedSbomError(
            source,
            f"no JSON schema for CycloneDX {version} (the JSON encoding exists from 1.2); "
            "cannot validate in strict mode",
            pointer="/specVersion",
        )
    validator = json_validator(version)
    first = None
    count = 0
    for err in validator.iter_errors(obj):
        if first is None:
            first = err
        count += 1
        if count >= MAX_COUNTED:
            break
    if first is None:
        return
    more = f" (and {count - 1}{'+' if count >= MAX_COUNTED else ''} more violations)" if count > 1 else ""
    raise MalformedSbomError(
        source,
        f"violates the CycloneDX {version} JSON schema: {first.message}{more}",
        pointer=_pointer(first.instance_path),
    )


@cache
def xml_schema(version: str) -> Any:
    """The compiled XSD of one spec version; its imports resolve to the bundled files."""
    from lxml import etree

    path = _resources() / f"bom-{version}.SNAPSHOT.xsd"
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False)
    return etree.XMLSchema(etree.parse(str(path), parser))


def validate_xml(tree: Any, version: str, source: str) -> None:
    """Raise :class:`MalformedSbomError` at the first XSD violation of the parsed ``tree``."""
    schema = xml_schema(version)
    if schema.validate(tree):
        return
    errors = list(schema.error_log)
    first = errors[0]
    more = f" (and {len(errors) - 1} more violations)" if len(errors) > 1 else ""
    raise MalformedSbomError(
        source,
        f"violates the CycloneDX {version} XML schema: {first.message}{more}",
        line=first.line or None,
        column=first.column or None,
    )
