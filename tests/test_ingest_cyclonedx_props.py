"""Property tests for CycloneDX ingest.

- BOMs written by cyclonedx-python-lib (the CycloneDX project's own library) from generated
  component trees and dependencies read back to the same components and the same edges,
  in JSON and XML and in several spec versions.
- Arbitrary JSON objects that claim to be CycloneDX, and damaged XML, never raise
  anything but :class:`~sbomscan.errors.SbomscanError`.
"""

from __future__ import annotations

import contextlib
import copy
import warnings
from typing import Any, NamedTuple

import orjson
from conftest import FIXTURES
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component as CdxComponent
from cyclonedx.model.component import ComponentType, Pedigree
from cyclonedx.model.contact import OrganizationalEntity
from cyclonedx.model.service import Service
from cyclonedx.output import make_outputter
from cyclonedx.schema import OutputFormat, SchemaVersion
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from packageurl import PackageURL

import sbomscan
from sbomscan.errors import SbomscanError
from sbomscan.ingest.cyclonedx.json import read_cyclonedx_json
from sbomscan.model import Document

NAMES = st.text(alphabet="abcdefghijklmnopqrstuvwxyz0123456789-_.", min_size=1, max_size=10).filter(
    lambda s: s[0].isalnum()
)
SUPPLIERS = st.sampled_from(
    [None, "Acme Widgets GmbH", "Blue Meridian Software Ltd", "Лаборатория Касперского"]
)


class Item(NamedTuple):
    name: str
    version: str
    supplier: str | None
    purl: str | None
    ancestor: str | None  # name of a pedigree ancestor, if any


class Product(NamedTuple):
    items: list[Item]
    parent: list[int | None]
    deps: list[tuple[int, int]]
    services: list[str | None]  # provider of each top-level service


@st.composite
def products(draw: st.DrawFn) -> Product:
    n = draw(st.integers(min_value=1, max_value=10))
    items = []
    for _ in range(n):
        name = draw(NAMES)
        version = f"{draw(st.integers(0, 9))}.{draw(st.integers(0, 20))}"
        purl = draw(st.sampled_from([None, f"pkg:npm/{name}@{version}", f"pkg:maven/org.x/{name}@{version}"]))
        ancestor = draw(st.one_of(st.none(), NAMES))
        items.append(Item(name, version, draw(SUPPLIERS), purl, ancestor))
    parent = [None if i == 0 else draw(st.one_of(st.none(), st.integers(0, i - 1))) for i in range(n)]
    deps = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.integers(0, n - 1)).filter(lambda t: t[0] != t[1]),
            max_size=2 * n,
            unique=True,
        )
    )
    services = draw(st.lists(SUPPLIERS, max_size=3))
    return Product(items, parent, deps, services)


def write(p: Product, fmt: OutputFormat, version: SchemaVersion) -> str:
    bom = Bom()
    root = CdxComponent(name="product", version="1", type=ComponentType.APPLICATION, bom_ref="root")
    bom.metadata.component = root
    comps = []
    for i, it in enumerate(p.items):
        comps.append(
            CdxComponent(
                name=it.name,
                version=it.version,
                type=ComponentType.LIBRARY,
                bom_ref=f"c{i}",
                purl=PackageURL.from_string(it.purl) if it.purl else None,
                supplier=OrganizationalEntity(name=it.supplier) if it.supplier else None,
                pedigree=Pedigree(
                    ancestors=[
                        CdxComponent(
                            name=it.ancestor, version="0", bom_ref=f"a{i}", type=ComponentType.LIBRARY
                        )
                    ]
                )
                if it.ancestor
                else None,
            )
        )
    for j, provider in enumerate(p.services):
        bom.services.add(
            Service(
                name=f"service-{j}",
                bom_ref=f"s{j}",
                provider=OrganizationalEntity(name=provider) if provider else None,
            )
        )
    for i, par in enumerate(p.parent):
        if par is None:
            bom.components.add(comps[i])
        else:
            comps[par].components.add(comps[i])
    targets: dict[int, list[int]] = {}
    for a, b in p.deps:
        targets.setdefault(a, []).append(b)
    for a, bs in targets.items():
        bom.register_dependency(comps[a], [comps[b] for b in bs])
    bom.register_dependency(root, [comps[i] for i, par in enumerate(p.parent) if par is None])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return make_outputter(bom, fmt, version).output_as_string()


def check(doc: Document, p: Product) -> None:
    comps = {c.ref: c for c in doc.components}
    ancestors = {f"a{i}": it.ancestor for i, it in enumerate(p.items) if it.ancestor}
    services = {f"s{j}": provider for j, provider in enumerate(p.services)}
    assert set(comps) == {"root"} | {f"c{i}" for i in range(len(p.items))} | set(ancestors) | set(services)
    for i, it in enumerate(p.items):
        c = comps[f"c{i}"]
        supplier = next((x.name for x in c.parties if x.role == "supplier"), None)
        assert (c.name, c.version, supplier, c.purl) == (it.name, it.version, it.supplier, it.purl)
    for ref, name in ancestors.items():
        assert (comps[ref].name, comps[ref].origin) == (name, "pedigree.ancestors")
    for ref, provider in services.items():
        svc = comps[ref]
        assert (svc.type, [x.name for x in svc.parties if x.role == "supplier"]) == (
            "service",
            [provider] if provider else [],
        )
    got = sorted((e.source.split("#")[1], e.target.split("#")[1], e.kind.value) for e in doc.edges)
    want = [(f"c{par}", f"c{i}", "contains") for i, par in enumerate(p.parent) if par is not None]
    want += [(f"c{a}", f"c{b}", "depends_on") for a, b in p.deps]
    want += [("root", f"c{i}", "depends_on") for i, par in enumerate(p.parent) if par is None]
    want += [(f"c{ref[1:]}", ref, "derived_from") for ref in ancestors]
    assert got == sorted(want)
    assert doc.roots == (comps["root"].id,)
    assert doc.declared_components == len(p.items) + 1 + len(ancestors) + len(services)
    assert not [d for d in doc.diagnostics if d.code != "bad-purl"]


VERSIONS = [SchemaVersion.V1_4, SchemaVersion.V1_5, SchemaVersion.V1_6]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products(), st.sampled_from(VERSIONS), st.sampled_from([OutputFormat.JSON, OutputFormat.XML]))
def test_boms_written_by_cyclonedx_python_lib_read_back(
    p: Product, version: SchemaVersion, fmt: OutputFormat
) -> None:
    text = write(p, fmt, version)
    doc = sbomscan.load(text.encode(), strict=True)
    assert doc.encoding == ("json" if fmt is OutputFormat.JSON else "xml")
    assert doc.spec_version == version.to_version()
    check(doc, p)


# -- nothing but SbomscanError -----------------------------------------------------------------

KEYS = st.sampled_from(
    [
        "components", "services", "metadata", "component", "dependencies", "dependsOn", "provides", "ref",
        "bom-ref", "name", "version", "purl", "cpe", "supplier", "manufacturer", "authors", "author",
        "publisher", "licenses", "license", "licensing", "licensor", "organization", "individual",
        "expression", "id", "hashes", "alg", "content", "externalReferences", "type", "url", "pedigree",
        "ancestors", "descendants", "variants", "commits", "evidence", "identity", "occurrences",
        "copyright", "properties", "omniborId", "swhid", "swid", "tools", "contact", "email", "provider",
        "manufacture", "value", "field", "concludedValue", "methods", "text", "location",
    ]
)  # fmt: skip
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**31), 2**31),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.sampled_from(["bom", "urn:cdx:0b1c2d3e-4f50-4617-8293-a4b5c6d7e8f9/1#x", "pkg:npm/a@1", "a", "c0"]),
)
JSON = st.recursive(
    SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=6)),
    max_leaves=40,
)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.dictionaries(KEYS, JSON, max_size=6),
    st.sampled_from(["1.0", "1.2", "1.4", "1.5", "1.6", "1.7", "2.0"]),
    st.booleans(),
)
def test_arbitrary_cyclonedx_json_never_raises_anything_else(
    body: dict[str, Any], spec: str, strict: bool
) -> None:
    obj = {"bomFormat": "CycloneDX", "specVersion": spec, **body}
    with contextlib.suppress(SbomscanError):
        doc = read_cyclonedx_json(obj, source="t.json", sha256="0" * 64, strict=strict)
        assert doc.declared_components is not None
        ids = {c.id for c in doc.components}
        assert len(ids) == len(doc.components)
        assert all(e.source in ids and e.target in ids for e in doc.edges)
    with contextlib.suppress(SbomscanError):
        sbomscan.load(orjson.dumps(obj), strict=strict)


def _read_or_error(obj: dict[str, Any], *, consume: bool) -> Any:
    try:
        return read_cyclonedx_json(obj, source="t.json", sha256="0" * 64, strict=False, consume=consume)
    except SbomscanError as exc:
        return repr(exc)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSON, max_size=6), products())
def test_consuming_read_gives_the_same_document(body: dict[str, Any], p: Product) -> None:
    """``consume=True`` (what sbomscan.load uses) empties the component and dependency
    lists as it walks, and must read exactly what a read that leaves them alone reads."""
    for obj in (
        {"bomFormat": "CycloneDX", "specVersion": "1.6", **body},
        orjson.loads(write(p, OutputFormat.JSON, SchemaVersion.V1_6)),
    ):
        kept = _read_or_error(obj, consume=False)
        assert _read_or_error(copy.deepcopy(obj), consume=True) == kept


def test_consuming_read_empties_the_lists() -> None:
    obj = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "components": [{"bom-ref": "a", "name": "a", "components": [{"bom-ref": "b", "name": "b"}]}],
        "dependencies": [{"ref": "a", "dependsOn": ["b"]}],
    }
    doc_in = orjson.loads(orjson.dumps(obj))
    doc = read_cyclonedx_json(doc_in, source="t.json", sha256="0" * 64, strict=False, consume=True)
    assert [c.ref for c in doc.components] == ["a", "b", "sbomscan:root"]
    assert [(e.kind.value, e.target[-1]) for e in doc.edges] == [
        ("contains", "b"),
        ("depends_on", "b"),
        ("describes", "a"),
    ]
    assert doc_in["components"] == [] and doc_in["dependencies"] == [None]
    read_cyclonedx_json(obj, source="t.json", sha256="0" * 64, strict=False)
    assert obj["components"][0]["name"] == "a" and obj["dependencies"][0]["ref"] == "a"


XML = (FIXTURES / "cyclonedx" / "full-1.6.xml").read_bytes()


@settings(max_examples=150, deadline=None)
@given(st.integers(0, len(XML)), st.integers(0, 200), st.binary(max_size=12), st.booleans())
def test_damaged_xml_never_raises_anything_else(at: int, cut: int, insert: bytes, strict: bool) -> None:
    data = XML[:at] + insert + XML[at + cut :]
    with contextlib.suppress(SbomscanError):
        sbomscan.load(data, strict=strict)
