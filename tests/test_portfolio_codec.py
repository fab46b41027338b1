"""The store keeps documents field for field: what a rescan rebuilds is what was read.

Every Document of the developer corpus (the wild SBOMs and a quarter of the specification
examples, every encoding) and generated components go into a real SQLite store and come back
equal — so matching, tracing and the report see the same model a scan of the file sees.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import corpus_files, requires_corpus
from hypothesis import given
from hypothesis import strategies as st

from sbomscan.errors import IngestError, PortfolioError
from sbomscan.ingest import load
from sbomscan.model import (
    Component,
    Diagnostic,
    Document,
    Edge,
    EdgeKind,
    ExternalLink,
    ExternalRef,
    Hash,
    LinkKind,
    Party,
    PartyKind,
    Severity,
    Swid,
)
from sbomscan.portfolio import codec
from sbomscan.portfolio.store import Portfolio, insert_document, load_document

SAMPLE = [p for p in corpus_files("wild")] + corpus_files("cyclonedx")[::4] + corpus_files("spdx")[::4]


def _round_trip(store: Portfolio, doc: Document) -> Document:
    with store.transaction() as con:
        con.execute(
            "INSERT INTO submissions (product, received, added, inputs, clean_outcome)"
            " VALUES ('p', '2026-01-01', '2026-01-01', '[]', 'pass')"
        )
        sid = con.execute("SELECT max(id) FROM submissions").fetchone()[0]
        insert_document(con, sid, 0, doc)
        did, head = con.execute("SELECT id, head FROM documents WHERE submission = ?", (sid,)).fetchone()
    return load_document(store.con, did, head)


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Portfolio:
    return Portfolio(tmp_path_factory.mktemp("codec") / "store.db")


@requires_corpus
@pytest.mark.parametrize("path", SAMPLE, ids=lambda p: str(p.relative_to(p.parents[2])))
def test_corpus_documents_come_back_equal(store: Portfolio, path: Path) -> None:
    try:
        doc = load(path)
    except IngestError as refusal:
        # which files are refused is test_corpus.py's question; here the refusal names its file
        assert path.name in str(refusal)
        return
    back = _round_trip(store, doc)
    assert back == doc
    assert [type(c) for c in back.components] == [Component] * len(doc.components)


def test_sample_covers_every_encoding() -> None:
    if not SAMPLE:
        pytest.skip("no corpus")
    names = {p.suffix for p in SAMPLE}
    assert {".json", ".xml"} <= names
    assert any(p.name.endswith((".spdx", ".tv")) or p.suffix == ".spdx" for p in SAMPLE) or any(
        "tag" in p.name for p in SAMPLE
    )


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=12)
opt = st.none() | text
strs = st.lists(text, max_size=3).map(tuple)
parties = st.lists(
    st.builds(Party, text, text, st.sampled_from(list(PartyKind)), strs, strs), max_size=2
).map(tuple)
components = st.builds(
    Component,
    id=text,
    ref=text,
    document=text,
    name=text,
    version=opt,
    type=opt,
    group=opt,
    purl=opt,
    cpes=strs,
    swid=st.none() | st.builds(Swid, opt, opt, opt, opt),
    parties=parties,
    copyright=strs,
    licenses=strs,
    hashes=st.lists(st.builds(Hash, text, text), max_size=2).map(tuple),
    external_refs=st.lists(st.builds(ExternalRef, text, text, opt, opt), max_size=2).map(tuple),
    description=opt,
    properties=st.lists(st.tuples(text, text), max_size=2).map(tuple),
    identities=st.lists(st.tuples(text, text), max_size=2).map(tuple),
    occurrences=strs,
    omnibor_ids=strs,
    swhids=strs,
    origin=opt,
    pointer=opt,
)


@given(components, text)
def test_any_component_comes_back_equal(c: Component, key: str) -> None:
    assert codec.decode_component(codec.encode_component(c, key), key) == c


@given(st.lists(st.tuples(components, st.booleans()), max_size=4), text)
def test_msgspec_and_field_by_field_decoding_agree(cs: list[tuple[Component, bool]], key: str) -> None:
    """The chunk decoder hands msgspec the usual rows and decodes the rest (a component
    with an ``id`` or ``document`` of its own, here one in two) field by field: both give
    the stored components, records of the model's types, in order."""
    stored = [c if own else c._replace(id=f"{key}#{c.ref}", document=key) for c, own in cs]
    rows = [codec.encode_component(c, key) for c in stored]
    back = codec.decode_components(rows, key)
    assert back == stored == [codec._decode_row(r, key) for r in rows]
    for c in back:
        assert type(c.swid) in (Swid, type(None))
        assert all(type(p) is Party and type(p.kind) is PartyKind for p in c.parties)
        assert all(type(h) is Hash for h in c.hashes) and all(type(r) is ExternalRef for r in c.external_refs)
        assert all(type(v) is tuple for v in (c.cpes, c.licenses, c.properties, *c.properties))


@given(
    st.builds(
        Document,
        key=text,
        source=text,
        format=text,
        encoding=text,
        spec_version=text,
        sha256=text,
        serial=opt,
        version=st.none() | st.integers(-(2**62), 2**62),
        name=opt,
        parties=parties,
        roots=strs,
        links=st.lists(
            st.builds(
                ExternalLink,
                text,
                st.sampled_from(list(LinkKind)),
                text,
                text,
                st.none() | st.integers(0, 2**40),
                opt,
                st.none() | st.builds(Hash, text, text),
            ),
            max_size=2,
        ).map(tuple),
        diagnostics=st.lists(
            st.builds(Diagnostic, st.sampled_from(list(Severity)), text, text, opt), max_size=2
        ).map(tuple),
        synthetic_root=st.booleans(),
        declared_components=st.none() | st.integers(0, 10**7),
        sha1=opt,
        components=st.just(()),
        edges=st.just(()),
    ),
    st.lists(st.builds(Edge, text, text, st.sampled_from(list(EdgeKind)), opt), max_size=3),
)
def test_any_document_head_and_edges_come_back_equal(doc: Document, edges: list[Edge]) -> None:
    assert codec.decode_head(codec.encode_head(doc)) == doc
    assert [codec.decode_edge(codec.encode_edge(e)) for e in edges] == edges
    assert codec.decode_edges([codec.encode_edge(e) for e in edges]) == tuple(edges)
    assert all(
        type(e) is Edge and type(e.kind) is EdgeKind
        for e in codec.decode_edges(map(codec.encode_edge, edges))
    )


def test_a_stored_field_this_version_does_not_know_is_refused() -> None:
    row = ("r", "n", None, None, None, None, b'{"colour": "red"}')
    with pytest.raises(PortfolioError, match="'colour'"):
        codec.decode_component(row, "k")
