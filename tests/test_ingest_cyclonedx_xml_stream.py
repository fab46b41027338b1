"""The streaming CycloneDX XML read (issue 9: memory) reads exactly what the whole-tree read
reads: the same ``Document`` (``repr``: components, edges, links, diagnostics and their
order) or the same error, on every CycloneDX XML file of the fixtures and the corpus, on
generated documents whose blocks come in any order (the XSD's order is not enforced in
lenient mode), and on damaged ones.

``_read_tree`` is the whole-tree read strict mode still uses; lenient reads stream
(``_Stream``), and leave to ``_read_tree`` only what they cannot settle (a parse error, a
DTD, a root that is not ``<bom>``), so the comparison is of two real paths.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import CORPUS, FIXTURES
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomscan.errors import MalformedSbomError
from sbomscan.ingest.cyclonedx import xml as cdx_xml
from sbomscan.ingest.detect import detect

SHA = "cd" * 32
DG = "http://cyclonedx.org/schema/ext/dependency-graph/1.0"


def _outcome(read: object, data: bytes) -> str:
    try:
        return repr(read(data, source="t.xml", sha256=SHA, strict=False))  # type: ignore[operator]
    except MalformedSbomError as exc:
        return f"error: {exc}"


def _streamed(data: bytes) -> str:
    """What the lenient read gives, and that it gave it by streaming (not the fallback)."""
    doc = cdx_xml._Stream("t.xml", SHA).read(data)
    assert doc is not None
    return repr(doc)


def _cyclonedx_xml_files() -> list[Path]:
    paths = sorted(FIXTURES.rglob("*.xml")) + sorted(CORPUS.rglob("*.xml"))
    out = []
    for path in paths:
        try:
            key, _ = detect(path.read_bytes(), source=str(path))
        except MalformedSbomError:
            continue
        if key == "cyclonedx-xml":
            out.append(path)
    return out


def test_every_cyclonedx_xml_file_streams_to_the_whole_tree_document() -> None:
    streamed = 0
    for path in _cyclonedx_xml_files():
        data = path.read_bytes()
        want = _outcome(cdx_xml._read_tree, data)
        assert _outcome(cdx_xml.read_cyclonedx_xml, data) == want, path
        if not want.startswith("error:"):
            assert _streamed(data) == want, path
            streamed += 1
    assert streamed >= 10  # the fixtures alone; with the corpus, about 400


_NS = "http://cyclonedx.org/schema/bom/1.4"


def _component(ref: str, nested: str = "", dg: str = "") -> str:
    return (
        f'<component type="library" bom-ref="{ref}"><name>n-{ref}</name><version>1</version>'
        f"<purl>pkg:npm/n-{ref}@1</purl>{nested}{dg}</component>"
    )


@st.composite
def _boms(draw: st.DrawFn) -> bytes:
    """A CycloneDX 1.4 XML document made of blocks in a drawn order, some repeated (only the
    first of each is read), with duplicate refs, refs without targets, dependencies of both
    namespaces mixed in one block, 1.1 extension dependencies inside components, and
    elements of other namespaces. Items sit on lines of their own, so that diagnostics in
    a different order read differently."""
    refs = draw(st.lists(st.sampled_from("abcdefg"), min_size=0, max_size=6))

    def comp(i: int, ref: str) -> str:
        nested = ""
        if draw(st.booleans()):
            nested = f"<components>{_component(ref + 'n' + str(i))}</components>"
        dg = ""
        if draw(st.booleans()):
            target = draw(st.sampled_from([*refs, "", "zz"]))
            dg = f'<dg:dependencies>\n<dg:dependency ref="{target}"/></dg:dependencies>'
        return _component(ref, nested, dg) + "\n"

    def dependency() -> str:
        kind = draw(st.sampled_from(["dependency", "dg:dependency"]))
        inner = "\n".join(
            f'<{kind} ref="{t}"/>' if t else f"<{kind}/>"
            for t in draw(st.lists(st.sampled_from([*refs, "", "urn:cdx:x/1#y"]), max_size=3))
        )
        ref = draw(st.sampled_from([*refs, None]))
        attr = f' ref="{ref}"' if ref is not None else ""
        return f"<{kind}{attr}>\n{inner}</{kind}>\n"

    blocks = {
        "metadata": '<metadata><component type="application" bom-ref="root"><name>p</name></component></metadata>',
        "components": "<components>"
        + "".join(comp(i, r) for i, r in enumerate(refs))
        + '<x:component xmlns:x="urn:other"/></components>',
        "services": "<services>"
        + "".join(f'<service bom-ref="s{r}"><name>s{r}</name></service>' for r in refs[:2])
        + "</services>",
        "dependencies": "<dependencies>" + "".join(dependency() for _ in range(3)) + "</dependencies>",
        "dg": "<dg:dependencies>" + "".join(dependency() for _ in range(2)) + "</dg:dependencies>",
        "refs": '<externalReferences><reference type="bom"><url>urn:cdx:'
        "3e671687-395b-41f5-a30f-a58921a69b79/1</url></reference></externalReferences>",
        "other": "<vulnerabilities><vulnerability/></vulnerabilities>",
    }
    order = draw(st.lists(st.sampled_from(sorted(blocks)), max_size=9))
    body = "\n".join(blocks[k] for k in order)  # one line each: the diagnostics' lines tell them apart
    return f'<bom xmlns="{_NS}" xmlns:dg="{DG}" serialNumber="urn:uuid:1" version="2">{body}</bom>'.encode()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(_boms())
def test_blocks_in_any_order_stream_to_the_whole_tree_document(data: bytes) -> None:
    assert _streamed(data) == _outcome(cdx_xml._read_tree, data)


_BASE = (FIXTURES / "cyclonedx" / "full-1.6.xml").read_bytes()


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.integers(0, len(_BASE)),
    st.integers(0, 40),
    st.sampled_from([b"", b"<", b"&foo;", b"</bom>", b"<!DOCTYPE x>", b"\xff", b"<component>", b"x"]),
)
def test_damaged_documents_read_or_fail_as_the_whole_tree_read_does(at: int, cut: int, insert: bytes) -> None:
    data = _BASE[:at] + insert + _BASE[at + cut :]
    assert _outcome(cdx_xml.read_cyclonedx_xml, data) == _outcome(cdx_xml._read_tree, data)


def test_a_doctype_past_the_first_64_kib_is_still_refused() -> None:
    """The byte check sees only the head; the parser's own record of a DOCTYPE is the rest."""
    data = b"<!--" + b" " * 70_000 + b"-->" + b'<!DOCTYPE bom><bom xmlns="' + _NS.encode() + b'"/>'
    got = _outcome(cdx_xml.read_cyclonedx_xml, data)
    assert got.startswith("error:") and "DOCTYPE" in got, got


def test_the_read_is_the_same_wherever_the_input_is_cut(monkeypatch: pytest.MonkeyPatch) -> None:
    """The stream reads what each fed chunk completed, from a tree lxml is still building:
    a chunk ending anywhere — inside a tag, a text, an item, between blocks — reads the same
    document (one byte at a time on the fixtures, odd sizes on every file)."""
    files = _cyclonedx_xml_files()
    fixtures = [p for p in files if FIXTURES in p.parents]
    for chunk, paths in ((1, fixtures), (97, files), (4099, files)):
        monkeypatch.setattr(cdx_xml, "_CHUNK", chunk)
        for path in paths:
            data = path.read_bytes()
            want = _outcome(cdx_xml._read_tree, data)
            if not want.startswith("error:"):
                assert _streamed(data) == want, (chunk, path)
