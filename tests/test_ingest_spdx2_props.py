"""SPDX 2 ingest, by property and over the corpus.

- Documents written by spdx-tools' own JSON and tag-value writers, from generated packages
  and relationships, read back to the same packages (name, version, supplier) and edges.
- The actor parser never crashes and round-trips what SPDX's writers produce.
- Arbitrary dicts that claim ``spdxVersion`` never raise anything but ``SbomscanError``.
- Every SPDX 2 file of the developer corpus loads leniently with at least as many
  components as it declares, read as SPDX 2 (``tests/test_corpus.py`` checks every
  file's strict and invalid outcomes through the MANIFEST).
"""

from __future__ import annotations

import contextlib
import copy
import datetime as dt
import importlib
import io
import math
from pathlib import Path
from typing import Any, NamedTuple

import orjson
import pytest
from conftest import corpus_files, requires_corpus
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import sbomscan
from sbomscan.errors import SbomscanError
from sbomscan.ingest.spdx2.actor import Actor, format_actor, parse_actor
from sbomscan.ingest.spdx2.dict import read_spdx2_dict
from sbomscan.model import PartyKind

# -- generated products written by spdx-tools -----------------------------------------------

SUPPLIERS = [
    None,
    ("Organization", "Acme Widgets GmbH", None),
    ("Organization", "Huawei Technologies Co., Ltd.", "psirt@huawei.example"),
    ("Organization", "Лаборатория Касперского", None),
    ("Organization", "杭州海康威视数字技术股份有限公司 (Hikvision)", None),
    ("Person", "Zhang Wei", "zw@zte.example"),
]
REL_TYPES = [
    "CONTAINS",
    "DEPENDS_ON",
    "DEPENDENCY_OF",
    "STATIC_LINK",
    "ANCESTOR_OF",
    "BUILD_TOOL_OF",
    "COPY_OF",
]
FLIPPED = {"DEPENDENCY_OF", "ANCESTOR_OF", "BUILD_TOOL_OF"}
KIND = {
    "CONTAINS": "contains",
    "DEPENDS_ON": "depends_on",
    "DEPENDENCY_OF": "depends_on",
    "STATIC_LINK": "static_link",
    "ANCESTOR_OF": "derived_from",
    "BUILD_TOOL_OF": "depends_on",
    "COPY_OF": "copy_of",
}


class Pkg(NamedTuple):
    name: str
    version: str | None
    supplier: tuple[str, str, str | None] | None


class Product(NamedTuple):
    packages: list[Pkg]
    rels: list[tuple[int, str, int]]


NAMES = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=12,
).filter(lambda s: s.strip() == s and s.upper() not in ("NONE", "NOASSERTION"))


@st.composite
def products(draw: st.DrawFn) -> Product:
    n = draw(st.integers(1, 8))
    packages = [
        Pkg(
            draw(NAMES),
            draw(st.one_of(st.none(), st.from_regex(r"[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True))),
            draw(st.sampled_from(SUPPLIERS)),
        )
        for _ in range(n)
    ]
    rels = draw(
        st.lists(
            st.tuples(st.integers(0, n - 1), st.sampled_from(REL_TYPES), st.integers(0, n - 1)).filter(
                lambda r: r[0] != r[2]
            ),
            max_size=2 * n,
            unique_by=lambda r: (r[0], r[2]),
        )
    )
    return Product(packages, rels)


def spdx_tools_document(p: Product) -> Any:
    m: Any = importlib.import_module("spdx_tools.spdx.model")
    ToolsActor, ActorType, CreationInfo, Document = m.Actor, m.ActorType, m.CreationInfo, m.Document
    Package, Relationship, RelationshipType, SpdxNoAssertion = (
        m.Package,
        m.Relationship,
        m.RelationshipType,
        m.SpdxNoAssertion,
    )

    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name="generated",
        document_namespace="https://sbomscan.example/generated",
        creators=[ToolsActor(ActorType.TOOL, "sbomscan-tests")],
        created=dt.datetime(2026, 11, 22),
    )
    packages = []
    for i, pk in enumerate(p.packages):
        supplier: Any = SpdxNoAssertion()
        if pk.supplier:
            kind, name, email = pk.supplier
            supplier = ToolsActor(ActorType[kind.upper()], name, email)
        packages.append(
            Package(
                spdx_id=f"SPDXRef-p{i}",
                name=pk.name,
                download_location=SpdxNoAssertion(),
                version=pk.version,
                supplier=supplier,
                files_analyzed=False,
            )
        )
    rels = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, "SPDXRef-p0")]
    rels += [Relationship(f"SPDXRef-p{a}", RelationshipType[t], f"SPDXRef-p{b}") for a, t, b in p.rels]
    return Document(creation_info=info, packages=packages, relationships=rels)


def write_json(p: Product) -> bytes:
    from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

    out = io.StringIO()
    write_document_to_stream(spdx_tools_document(p), out, validate=False)
    return out.getvalue().encode()


def write_tag_value(p: Product) -> bytes:
    from spdx_tools.spdx.writer.tagvalue.tagvalue_writer import write_document_to_stream

    out = io.StringIO()
    write_document_to_stream(spdx_tools_document(p), out, validate=False)
    return out.getvalue().encode()


def expected(p: Product) -> tuple[list[Any], set[tuple[str, str, str]]]:
    pkgs = sorted(
        (f"SPDXRef-p{i}", pk.name, pk.version, (pk.supplier[1], pk.supplier[2]) if pk.supplier else None)
        for i, pk in enumerate(p.packages)
    )
    edges = set()
    for a, t, b in p.rels:
        s, d = (b, a) if t in FLIPPED else (a, b)
        edges.add((f"SPDXRef-p{s}", KIND[t], f"SPDXRef-p{d}"))
    return pkgs, edges


def got(doc: Any) -> tuple[list[Any], set[tuple[str, str, str]]]:
    pkgs = []
    for c in doc.components:
        sup = next(
            ((x.name, x.emails[0] if x.emails else None) for x in c.parties if x.role == "supplier"), None
        )
        pkgs.append((c.ref, c.name, c.version, sup))
    edges = {(e.source.split("#")[1], e.kind.value, e.target.split("#")[1]) for e in doc.edges}
    return sorted(pkgs), edges


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products())
def test_spdx_tools_json_reads_back(p: Product) -> None:
    doc = sbomscan.load(write_json(p), name="<generated.json>")
    assert got(doc) == expected(p)
    assert doc.roots == (f"{doc.key}#SPDXRef-p0",)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(products())
def test_spdx_tools_tag_value_reads_back(p: Product) -> None:
    doc = sbomscan.load(write_tag_value(p), name="<generated.spdx>")
    assert doc.encoding == "tag-value"
    assert got(doc) == expected(p)


# -- the actor parser -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("Organization: Acme Inc (sales@acme.com)", (PartyKind.ORGANIZATION, "Acme Inc", "sales@acme.com")),
        ("Organisation: Acme Ltd", (PartyKind.ORGANIZATION, "Acme Ltd", None)),
        ("organization:Acme", (PartyKind.ORGANIZATION, "Acme", None)),
        ("Person: Jane Doe ()", (PartyKind.PERSON, "Jane Doe", None)),
        ("Tool: syft-1.0", (PartyKind.TOOL, "syft-1.0", None)),
        (
            "Organization: Huawei Technologies Co., Ltd. (Shenzhen) (psirt@huawei.com)",
            (PartyKind.ORGANIZATION, "Huawei Technologies Co., Ltd. (Shenzhen)", "psirt@huawei.com"),
        ),
        ("Organization: ZTE (China)", (PartyKind.ORGANIZATION, "ZTE (China)", None)),
        (
            "Organization: «Лаборатория Касперского»",
            (PartyKind.ORGANIZATION, "«Лаборатория Касперского»", None),
        ),
        ("Organization: 华为技术有限公司", (PartyKind.ORGANIZATION, "华为技术有限公司", None)),
        ("Acme Widgets", (PartyKind.UNKNOWN, "Acme Widgets", None)),
        (
            "Organization: (only@mail.example)",
            (PartyKind.ORGANIZATION, "only@mail.example", "only@mail.example"),
        ),
    ],
)
def test_parse_actor(text: str, want: tuple[PartyKind, str, str | None]) -> None:
    assert parse_actor(text) == Actor(*want)


@pytest.mark.parametrize(
    "text", ["NOASSERTION", "NONE", "", "   ", "Organization: NOASSERTION", "Person: ()"]
)
def test_parse_actor_nothing(text: str) -> None:
    assert parse_actor(text) is None


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=80))
def test_parse_actor_never_crashes(text: str) -> None:
    actor = parse_actor(text)
    assert actor is None or actor.name.strip() == actor.name != ""


def _plain_name(name: str) -> bool:
    a = parse_actor(f"Organization: {name}")
    return a is not None and a.name == name and a.email is None


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from([PartyKind.ORGANIZATION, PartyKind.PERSON, PartyKind.TOOL]),
    NAMES.filter(_plain_name),
    st.one_of(st.none(), st.from_regex(r"[a-z0-9._-]{1,10}@[a-z0-9-]{1,10}\.[a-z]{2,4}", fullmatch=True)),
)
def test_actor_round_trips(kind: PartyKind, name: str, email: str | None) -> None:
    actor = Actor(kind, name, email)
    assert parse_actor(format_actor(actor)) == actor


# -- arbitrary dicts --------------------------------------------------------------------------

JSON_LEAF = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**63), 2**63 - 1),
    st.floats(allow_nan=False),
    st.text(max_size=12),
)
KEYS = st.sampled_from(
    [
        "SPDXID", "name", "packages", "files", "snippets", "relationships", "documentDescribes",
        "externalDocumentRefs", "creationInfo", "creators", "supplier", "originator", "externalRefs",
        "referenceType", "referenceLocator", "checksums", "algorithm", "checksumValue", "hasFiles",
        "spdxElementId", "relationshipType", "relatedSpdxElement", "snippetFromFile", "fileContributors",
        "versionInfo", "copyrightText", "externalDocumentId", "spdxDocument", "checksum",
    ]
)  # fmt: skip
JSON_VALUE = st.recursive(
    JSON_LEAF,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(KEYS, inner, max_size=5)),
    max_leaves=30,
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSON_VALUE, max_size=8), st.booleans())
def test_arbitrary_spdx_dicts_raise_only_sbomscan_errors(obj: dict[str, Any], strict: bool) -> None:
    obj = {"spdxVersion": "SPDX-2.3", **obj}
    with contextlib.suppress(SbomscanError):
        read_spdx2_dict(obj, source="x.json", sha256="0" * 64, encoding="json", strict=strict)
    with contextlib.suppress(SbomscanError):
        sbomscan.load(orjson.dumps(obj))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(KEYS, JSON_VALUE, max_size=8), products())
@example(noise={"name": math.inf}, p=Product(packages=[Pkg("0", None, None)], rels=[]))
def test_consuming_read_gives_the_same_document(noise: dict[str, Any], p: Product) -> None:
    """``consume=True`` (what sbomscan.load uses) empties the element lists as it reads and
    must read exactly what a read that leaves the dict alone reads: on arbitrary dicts
    (diagnostics included) and on well-formed generated products."""
    for obj in ({"spdxVersion": "SPDX-2.3", **noise}, orjson.loads(write_json(p))):
        kept = _read_or_error(obj, consume=False)
        assert _read_or_error(copy.deepcopy(obj), consume=True) == kept


def _read_or_error(obj: dict[str, Any], *, consume: bool) -> Any:
    try:
        return read_spdx2_dict(
            obj, source="x.json", sha256="0" * 64, encoding="json", strict=False, consume=consume
        )
    except SbomscanError as exc:
        return repr(exc)


def test_consuming_read_frees_the_elements_as_it_goes() -> None:
    doc = {
        "spdxVersion": "SPDX-2.3",
        "SPDXID": "SPDXRef-DOCUMENT",
        "packages": [{"SPDXID": "SPDXRef-a", "name": "a"}, {"SPDXID": "SPDXRef-b", "name": "b"}],
        "files": [{"SPDXID": "SPDXRef-f", "fileName": "f"}],
        "snippets": [{"SPDXID": "SPDXRef-s", "snippetFromFile": "SPDXRef-f"}],
        "relationships": [
            {
                "spdxElementId": "SPDXRef-a",
                "relationshipType": "DEPENDS_ON",
                "relatedSpdxElement": "SPDXRef-b",
            }
        ],
    }
    read_spdx2_dict(doc, source="x.json", sha256="0" * 64, encoding="json", strict=False, consume=True)
    assert [doc[k] for k in ("packages", "files", "snippets", "relationships")] == [
        [None, None],
        [None],
        [None],
        [None],
    ]
    kept = orjson.loads(orjson.dumps(doc | {"packages": [{"SPDXID": "SPDXRef-a", "name": "a"}]}))
    read_spdx2_dict(kept, source="x.json", sha256="0" * 64, encoding="json", strict=False)
    assert kept["packages"] == [{"SPDXID": "SPDXRef-a", "name": "a"}]


# -- the corpus -------------------------------------------------------------------------------

_SPDX2_MARKERS = (b"spdxVersion", b"SPDXVersion", b"SPDX-2.", b"SPDX Version")


def _is_spdx2(path: Path) -> bool:
    if path.suffix in (".xlsx", ".xls"):
        return "/spdx/2." in path.as_posix()
    data = path.read_bytes()
    return any(m in data for m in _SPDX2_MARKERS) and b"spdx.org/rdf/3" not in data[:20000]


def _spdx2_files() -> list[Path]:
    files = [
        *corpus_files("spdx", "2.1"),
        *corpus_files("spdx", "2.2"),
        *corpus_files("spdx", "2.3"),
        *corpus_files("wild"),
    ]
    return [p for p in files if "/invalid/" not in p.as_posix() and _is_spdx2(p)]


VALID = _spdx2_files()


def _id(p: Path) -> str:
    return "/".join(p.parts[-3:])


@requires_corpus
def test_corpus_has_spdx2_files() -> None:
    assert len(VALID) >= 85


@requires_corpus
@pytest.mark.parametrize("path", VALID, ids=[_id(p) for p in VALID])
def test_corpus_spdx2_loads(path: Path) -> None:
    doc = sbomscan.load(path)  # the legacy .xls included: read with xlrd
    assert doc.format == "spdx" and doc.spec_version.startswith("2"), "read as SPDX 2"
    assert doc.declared_components is not None
    assert len(doc.components) >= doc.declared_components
    ids = {c.id for c in doc.components}
    assert len(ids) == len(doc.components)
    assert all(e.source in ids and e.target in ids for e in doc.edges)
    assert doc.roots or not doc.components


# -- tag-value: spdx-tools or the forgiving reader, never a crash -----------------------------

TAGS = st.sampled_from(
    [
        "SPDXID", "PackageName", "PackageVersion", "PackageSupplier", "PackageOriginator", "FileName",
        "FileContributor", "SnippetSPDXID", "SnippetFromFileSPDXID", "Relationship", "ExternalRef",
        "PackageChecksum", "FileChecksum", "ExternalDocumentRef", "LicenseID", "Creator", "PackageCopyrightText",
    ]
)  # fmt: skip
TV_VALUES = st.one_of(
    st.text(alphabet=st.characters(codec="utf-8", exclude_characters="\r\n"), max_size=30),
    st.sampled_from(
        ["SPDXRef-a", "SPDXRef-a CONTAINS SPDXRef-b", "<text>multi", "line</text>", "NOASSERTION"]
    ),
)


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.tuples(TAGS, TV_VALUES), max_size=25), st.booleans())
def test_arbitrary_tag_value_raises_only_sbomscan_errors(lines: list[tuple[str, str]], strict: bool) -> None:
    text = "SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n" + "".join(f"{t}: {v}\n" for t, v in lines)
    with contextlib.suppress(SbomscanError):
        doc = sbomscan.load(text.encode(), strict=strict)
        assert len(doc.components) >= (doc.declared_components or 0)
