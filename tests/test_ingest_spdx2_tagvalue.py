"""SPDX 2 tag-value: sbomscan's line-based reader reads what spdx-tools reads.

Lenient mode reads tag-value with :mod:`sbomscan.ingest.spdx2.tagvalue`; strict mode, and
the reference here, is spdx-tools' parser and JSON converter
(:func:`~sbomscan.ingest.spdx2.tools.read_tag_value_spdx_tools`). For every document
spdx-tools accepts, both must give the same :class:`~sbomscan.model.Document` — every field
of every component, edge, root, link, party and diagnostic, in order:

- every tag-value file of the developer corpus;
- documents built with spdx-tools' own model from generated data (the strategies of
  ``test_ingest_spdx2_props``) and written by its tag-value writer;
- generated tag-value text (packages, files, snippets, relationships anywhere, annotations,
  extracted licences, ``<text>`` blocks holding tag-like lines, odd spacing, duplicates,
  junk lines) — compared whenever spdx-tools accepts it; otherwise the fast reader must
  still read it and say what it skipped.

The fast reader's own diagnostics (``unreadable-line``, ``unknown-tag``, ...) concern only
what spdx-tools refuses, so no diagnostic is excepted from the comparison:
:data:`ONLY_ONE_PATH` is empty, and the tests check that it may stay so.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import importlib
import io
from pathlib import Path
from typing import Any

import pytest
from conftest import CORPUS, FIXTURES, corpus_files, requires_corpus
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st
from test_ingest_spdx2_props import NAMES, SUPPLIERS, products, spdx_tools_document

import sbomscan
from sbomscan.errors import MalformedSbomError, SbomscanError
from sbomscan.ingest.spdx2 import tools as spdx2_tools
from sbomscan.ingest.spdx2.tagvalue import parse
from sbomscan.ingest.spdx2.tools import read_tag_value_fast, read_tag_value_spdx_tools, tag_value_text
from sbomscan.model import Document, PartyKind

SHA = "0" * 64

ONLY_ONE_PATH: frozenset[str] = frozenset()
"""Diagnostic codes that only one of the two paths can produce for a document spdx-tools
accepts, left out of the comparison. None: the fast reader's notes are about what
spdx-tools refuses (its own parse errors never reach a Document)."""

FAST_NOTES = frozenset(
    {
        "unreadable-line",
        "unterminated-text",
        "unknown-tag",
        "tag-out-of-scope",
        "bad-relationship",
        "bad-external-ref",
        "bad-checksum",
        "bad-external-document-ref",
    }
)


def fast(text: str) -> Document:
    return read_tag_value_fast(text, source="t.spdx", sha256=SHA)


def tools(text: str) -> Document | None:
    """spdx-tools' reading, or ``None`` when spdx-tools refuses the document."""
    try:
        return read_tag_value_spdx_tools(text, source="t.spdx", sha256=SHA, strict=False)
    except MalformedSbomError:
        return None


def comparable(doc: Document) -> Document:
    return doc._replace(diagnostics=tuple(d for d in doc.diagnostics if d.code not in ONLY_ONE_PATH))


def assert_same(text: str) -> bool:
    """Both paths read ``text`` to the same Document; False when spdx-tools refuses it (the
    fast reader must still read it). "Accepts" means without a syntax error as well: the
    spdx-tools path refuses a document its grammar had to recover from, since the recovery
    drops lines silently, depending on the tokens around the error."""
    got = fast(text)
    want = tools(text)
    if want is None:
        return False
    assert parse(text).notes == ()
    assert comparable(got) == comparable(want)
    return True


def assert_lines_point_at_spdxids(text: str, doc: Document) -> None:
    """``line N`` pointers are the line where the element's SPDXID is written (checked on the
    text, not with the reader's own map)."""
    lines = text.split("\n")
    for c in doc.components:
        if c.pointer and c.pointer.startswith("line "):
            tag, _, value = lines[int(c.pointer[5:]) - 1].partition(":")
            assert tag.strip() in ("SPDXID", "SnippetSPDXID") and value.strip() == c.ref, (c.ref, c.pointer)


# -- the corpus ---------------------------------------------------------------------------


def _tag_value_files() -> list[Path]:
    out = []
    for p in corpus_files():
        if "/invalid/" in p.as_posix():
            continue
        head = p.read_bytes()[:65536]
        if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"[", b"<") or head[:2] == b"PK":
            continue
        if any(line.strip().startswith(b"SPDXVersion") for line in head.splitlines()):
            out.append(p)
    return out


TAG_VALUE_FILES = _tag_value_files()


@requires_corpus
def test_corpus_has_tag_value_files() -> None:
    assert len(TAG_VALUE_FILES) >= 25


@requires_corpus
@pytest.mark.parametrize("path", TAG_VALUE_FILES, ids=[str(p.relative_to(CORPUS)) for p in TAG_VALUE_FILES])
def test_corpus_file_reads_the_same_both_ways(path: Path) -> None:
    text = tag_value_text(path.read_bytes(), str(path))
    if not assert_same(text):
        pytest.skip("spdx-tools refuses this file; nothing to compare with")
    doc = fast(text)
    assert doc.diagnostics == tools(text).diagnostics  # type: ignore[union-attr]
    assert len(doc.components) >= (doc.declared_components or 0)
    assert_lines_point_at_spdxids(text, doc)


@requires_corpus
@pytest.mark.parametrize("path", TAG_VALUE_FILES, ids=[str(p.relative_to(CORPUS)) for p in TAG_VALUE_FILES])
def test_corpus_file_dict_is_spdx_tools_dict(path: Path) -> None:
    """Stronger than the Document: the dict itself is spdx-tools' converted dict, but for
    extracted licences, which the model does not keep, and annotations, of which only the
    comments of package and file annotations are kept."""
    text = tag_value_text(path.read_bytes(), str(path))
    try:
        want = spdx2_tools._to_dict(spdx2_tools._parse_tag_value(text, "t"), "t")
    except MalformedSbomError:
        pytest.skip("spdx-tools refuses this file")
    got = parse(text).obj
    assert _without(got, {"annotations"}) == _without(want, {"annotations", "hasExtractedLicensingInfos"})
    assert _annotation_comments(got) == _annotation_comments(want)


def _annotation_comments(obj: dict[str, Any]) -> list[tuple[str, str]]:
    """(element id, comment) of the annotations of packages and files: the part of the
    annotations the reader keeps (matching reads them)."""
    return sorted(
        (el.get("SPDXID", ""), a.get("comment", ""))
        for key in ("packages", "files")
        for el in obj.get(key, ())
        for a in el.get("annotations", ())
    )


def _without(obj: Any, keys: set[str]) -> Any:
    if isinstance(obj, dict):
        return {k: _without(v, keys) for k, v in obj.items() if k not in keys}
    if isinstance(obj, list):
        return [_without(x, keys) for x in obj]
    return obj


def test_router_fixture_reads_the_same_both_ways() -> None:
    text = (FIXTURES / "spdx2" / "router.spdx").read_text(encoding="utf-8")
    assert assert_same(text)


# -- documents built with spdx-tools' model, written by its tag-value writer -----------------

_m: Any = importlib.import_module("spdx_tools.spdx.model")
LICENSES = [
    "MIT",
    "mit",
    "Apache-2.0 OR MIT",
    "(BSD-3-Clause AND MIT)",
    "GPL-2.0+",
    "GPL-2.0-only WITH Classpath-exception-2.0",
    "LicenseRef-acme-eula",
    "licenseref-lower",
]
TEXT_LINES = st.sampled_from(
    [
        "PackageName: not-a-package",
        "SPDXID: SPDXRef-not-an-element",
        "Relationship: SPDXRef-p0 CONTAINS SPDXRef-p1",
        "FileName: ./not/a/file",
        "# not a comment",
        "",
        "  indented: text",
        "Copyright (c) 2026 Huawei Technologies Co., Ltd.",
        "plain words",
    ]
)
KEYWORDS = frozenset(importlib.import_module("spdx_tools.spdx.parser.tagvalue.lexer").SPDXLexer.reserved)
"""Tag names, NOASSERTION and NONE: spdx-tools' lexer reads a value spelt like one as that
keyword, so its parser refuses e.g. ``PackageComment: Annotator`` that its writer wrote."""
SAFE_TEXT = st.text(
    alphabet=st.characters(
        codec="utf-8", exclude_categories=("Cc", "Cs", "Zl", "Zp"), exclude_characters="<>"
    ),
    min_size=1,
    max_size=20,
).filter(lambda s: s.strip() == s and s not in KEYWORDS)


def keyword_value_line(text: str) -> str | None:
    """A line whose value is a keyword of spdx-tools' lexer (see :data:`KEYWORDS`)."""
    for line in text.split("\n"):
        _tag, sep, value = line.partition(":")
        if sep and value.strip() in KEYWORDS - {"NOASSERTION", "NONE"}:
            return line
    return None


TEXTS = st.one_of(
    SAFE_TEXT,
    st.lists(st.one_of(TEXT_LINES, SAFE_TEXT), min_size=2, max_size=5).map(
        lambda ls: "\n".join(ls).strip() or "x"
    ),
)
HEX = st.from_regex(r"[0-9a-f]{40}", fullmatch=True)
DATES = st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2100, 1, 1)).map(
    lambda d: d.replace(microsecond=0)
)


def _parsed_licences() -> list[Any]:
    from spdx_tools.common.spdx_licensing import spdx_licensing

    return [spdx_licensing.parse(x) for x in LICENSES]


PARSED_LICENCES = _parsed_licences()


def _licence(draw: st.DrawFn) -> Any:
    choice = draw(st.sampled_from([*PARSED_LICENCES, None, "NOASSERTION", "NONE"]))
    if choice == "NOASSERTION":
        return _m.SpdxNoAssertion()
    if choice == "NONE":
        return _m.SpdxNone()
    return choice


def _actor(draw: st.DrawFn, *, tool: bool = False) -> Any:
    s = draw(st.sampled_from(SUPPLIERS))
    if s is None:
        return _m.SpdxNoAssertion() if draw(st.booleans()) else None
    kind, name, email = s
    if tool and draw(st.booleans()):
        kind = "Tool"
    return _m.Actor(_m.ActorType[kind.upper()], name, email)


def _checksums(draw: st.DrawFn) -> list[Any]:
    algs = draw(
        st.lists(st.sampled_from(["SHA1", "SHA256", "MD5", "BLAKE2B_256", "SHA3_512", "ADLER32"]), max_size=3)
    )
    return [_m.Checksum(_m.ChecksumAlgorithm[a], draw(HEX)) for a in algs]


def _text_or_none(draw: st.DrawFn) -> str | None:
    return draw(st.one_of(st.none(), TEXTS))


def rich_document(draw: st.DrawFn) -> Any:
    """A product of ``test_ingest_spdx2_props.products()`` built by spdx-tools, with every
    package field, files (inside packages and not), snippets, references to another
    document, relationships to NONE / NOASSERTION / other documents, annotations and
    extracted licences. (Built in the test's body, from ``st.data()``: spdx-tools' type checks
    use ``random``, which hypothesis does not want inside a strategy.)"""
    p = draw(products())
    doc = spdx_tools_document(p)
    ext = _m.ExternalDocumentRef(
        "DocumentRef-ext", "https://sbomscan.example/other", _m.Checksum(_m.ChecksumAlgorithm.SHA1, draw(HEX))
    )
    creator = _actor(draw, tool=True)
    info = dataclasses.replace(
        doc.creation_info,
        external_document_refs=[ext] if draw(st.booleans()) else [],
        creators=[*doc.creation_info.creators, *([creator] if isinstance(creator, _m.Actor) else [])],
    )
    packages = []
    for pkg in doc.packages:
        refs = [
            _m.ExternalPackageRef(
                _m.ExternalPackageRefCategory[cat],
                rtype,
                loc,
                _text_or_none(draw) if draw(st.booleans()) else None,
            )
            for cat, rtype, loc in draw(
                st.lists(
                    st.sampled_from(
                        [
                            ("PACKAGE_MANAGER", "purl", "pkg:npm/left-pad@1.3.0"),
                            ("PACKAGE_MANAGER", "purl", "pkg:maven/com.huawei/hms@6.1"),
                            ("PACKAGE_MANAGER", "purl", "not-a-purl"),
                            ("SECURITY", "cpe23Type", "cpe:2.3:a:hikvision:firmware:5.7:*:*:*:*:*:*:*"),
                            ("SECURITY", "cpe22Type", "cpe:/a:zte:radio:1.0"),
                            ("SECURITY", "advisory", "https://nvd.example/CVE-2026-0001"),
                            ("PERSISTENT_ID", "swh", "swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2"),
                            ("OTHER", "LocationRef-acmeforge", "acmecorp/acmenator/4.1.3-alpha"),
                        ]
                    ),
                    max_size=3,
                )
            )
        ]
        purpose = draw(st.one_of(st.none(), st.sampled_from(list(_m.PackagePurpose))))
        packages.append(
            dataclasses.replace(
                pkg,
                originator=_actor(draw),
                checksums=_checksums(draw),
                homepage=draw(
                    st.sampled_from([None, "https://acme.example", _m.SpdxNone(), _m.SpdxNoAssertion()])
                ),
                source_info=_text_or_none(draw),
                license_concluded=_licence(draw),
                license_declared=_licence(draw),
                license_info_from_files=[x for x in (_licence(draw), _licence(draw)) if x is not None],
                license_comment=_text_or_none(draw),
                copyright_text=draw(st.one_of(st.none(), TEXTS, st.just(_m.SpdxNone()))),
                summary=_text_or_none(draw),
                description=_text_or_none(draw),
                comment=_text_or_none(draw),
                external_references=refs,
                attribution_texts=draw(st.lists(TEXTS, max_size=2)),
                primary_package_purpose=purpose,
                file_name=draw(st.one_of(st.none(), NAMES)),
                built_date=draw(st.one_of(st.none(), DATES)),
                release_date=draw(st.one_of(st.none(), DATES)),
                valid_until_date=draw(st.one_of(st.none(), DATES)),
                files_analyzed=draw(st.booleans()),
            )
        )
    files = []
    rels = list(doc.relationships)
    for k in range(draw(st.integers(0, 3))):
        f = _m.File(
            name=f"./src/{draw(NAMES)}",
            spdx_id=f"SPDXRef-f{k}",
            checksums=_checksums(draw) or [_m.Checksum(_m.ChecksumAlgorithm.SHA1, draw(HEX))],
            file_types=draw(st.lists(st.sampled_from(list(_m.FileType)), max_size=2, unique=True)),
            license_concluded=_licence(draw),
            license_info_in_file=[x for x in (_licence(draw),) if x is not None],
            copyright_text=draw(st.one_of(st.none(), TEXTS)),
            comment=_text_or_none(draw),
            notice=_text_or_none(draw),
            contributors=draw(st.lists(SAFE_TEXT, max_size=2)),
        )
        files.append(f)
        owner = draw(st.one_of(st.none(), st.integers(0, len(packages) - 1)))
        if owner is not None:  # the writer puts the file after its package
            rels.append(_m.Relationship(packages[owner].spdx_id, _m.RelationshipType.CONTAINS, f.spdx_id))
    snippets = [
        _m.Snippet(
            spdx_id=f"SPDXRef-s{k}",
            file_spdx_id=draw(st.sampled_from([f.spdx_id for f in files])),
            byte_range=(1, draw(st.integers(2, 900))),
            line_range=draw(st.one_of(st.none(), st.just((1, 9)))),
            license_concluded=_licence(draw),
            copyright_text=draw(st.one_of(st.none(), TEXTS)),
            comment=_text_or_none(draw),
            name=draw(st.one_of(st.none(), NAMES)),
        )
        for k in range(draw(st.integers(0, 2) if files else st.just(0)))
    ]
    ids = [x.spdx_id for x in (*packages, *files, *snippets)]
    for _ in range(draw(st.integers(0, 4))):
        rels.append(
            _m.Relationship(
                draw(st.sampled_from(ids)),
                draw(st.sampled_from(list(_m.RelationshipType))),
                draw(
                    st.sampled_from([*ids, _m.SpdxNone(), _m.SpdxNoAssertion(), "DocumentRef-ext:SPDXRef-x"])
                ),
                _text_or_none(draw),
            )
        )
    annotations = [
        _m.Annotation(
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(list(_m.AnnotationType))),
            _m.Actor(_m.ActorType.PERSON, "Jane Doe", None),
            draw(DATES),
            draw(TEXTS),
        )
        for _ in range(draw(st.integers(0, 2)))
    ]
    licences = [
        _m.ExtractedLicensingInfo("LicenseRef-acme-eula", draw(TEXTS), "Acme EULA", [], draw(TEXTS))
        for _ in range(draw(st.integers(0, 1)))
    ]
    return _m.Document(info, packages, files, snippets, annotations, rels, licences)


def write_tag_value(document: Any) -> str:
    from spdx_tools.spdx.writer.tagvalue.tagvalue_writer import write_document_to_stream

    out = io.StringIO()
    write_document_to_stream(document, out, validate=False, drop_duplicates=False)
    return out.getvalue()


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(st.data())
def test_spdx_tools_written_documents_read_the_same_both_ways(data: st.DataObject) -> None:
    document = rich_document(data.draw)  # type: ignore[arg-type]
    text = write_tag_value(document)
    if not assert_same(text):
        # a generated name that is a tag name: spdx-tools' own writer and parser disagree
        assert keyword_value_line(text) is not None, "spdx-tools refuses what its own writer wrote"
    doc = fast(text)
    assert doc.declared_components == len(document.packages) + len(document.files) + len(document.snippets)
    assert_lines_point_at_spdxids(text, doc)


# -- generated tag-value text -----------------------------------------------------------------

REL_TYPES = [
    "DESCRIBES",
    "CONTAINS",
    "DEPENDS_ON",
    "DEPENDENCY_OF",
    "GENERATED_FROM",
    "STATIC_LINK",
    "OTHER",
    "dependency_of",
    "NOT_A_TYPE",
]
VALUE_CHARS = st.characters(codec="utf-8", exclude_characters="\n\r")
ODD = st.text(alphabet=VALUE_CHARS, max_size=12)


GOOD: dict[str, list[str]] = {
    "name": ["app", "lib x", "a:b", "# not a comment", "Huawei HMS Core", "1.0-rc1"],
    "licence": [*LICENSES, "NOASSERTION", "NONE"],
    "actor": [
        "Organization: Acme (sales@acme.example)",
        "Organization:Acme()",
        "Organization: Huawei Device Co., Ltd. (Dongguan) ()",
        "Organization: ZTE (China) Ltd",
        "Organization: 杭州海康威视数字技术股份有限公司 (Hikvision)",
        "Person: Jane Doe ( jane@x.example )",
        "NOASSERTION",
    ],
    "checksum": [
        "SHA1: 85ed0817af83a24ad8da68c2b5094de69833983c",
        "SHA256:11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd",
        "MD5: ",
        "BLAKE2b-256: abc # note",
        "SHA3-512: 0a",
        "SHA1: abc FileComment: a tag after the digits",
    ],
    "extref": [
        "PACKAGE-MANAGER purl pkg:npm/left-pad@1.3.0",
        "PACKAGE_MANAGER purl pkg:npm/a@1",
        "PACKAGE-MANAGER purl not-a-purl",
        "SECURITY cpe23Type cpe:2.3:a:hikvision:x:1:*:*:*:*:*:*:*",
        "SECURITY cpe22Type cpe:/a:zte:x",
        "SECURITY swid swid:2df9de35-0aff-4a86-ace6-f7dddd1ade4c",
        "PERSISTENT-ID swh swh:1:cnt:94a9ed024d3859793618152ea559a168bbcbb5e2",
        "OTHER LocationRef-acmeforge acmecorp/acmenator/4.1.3-alpha",
    ],
    "purpose": ["LIBRARY", "OPERATING-SYSTEM", "OPERATING_SYSTEM", "FIRMWARE", "CONTAINER"],
    "filetype": ["SOURCE", "BINARY", "ARCHIVE", "SPDX"],
    "bool": ["true", "false"],
    "date": ["2026-11-01T00:00:00Z", "1999-12-31T23:59:59Z"],
    "range": ["1:20", "5:9"],
    "version": ["3.19", "3.09", "03.2"],
    "verification": [
        "d6a770ba38583ed4bb4525bd96e50461655d2758",
        "d6a770ba38583ed4bb4525bd96e50461655d2758 (excludes: ./package.spdx,./other)",
    ],
    "extdoc": [
        "DocumentRef-ext https://sbomscan.example/other SHA1: " + "a" * 40,
        "DocumentRef-ext https://sbomscan.example/other SHA1:" + "b" * 41,
    ],
}
BAD: dict[str, list[str]] = {
    "name": ["<text>", "Tool: x", "2026-01-01T00:00:00Z", "NOASSERTION", "SHA1: abc"],
    "licence": ["MIT OR", "MIT/X11", "(MIT"],
    "actor": ["Tool: scanner-1.0", "Acme without a type", "organization: lower", "Person: (only@x.example)"],
    "checksum": ["SHA1: ABCDEF", "SHA-256: abc", "sha1: abc", "SHA1: abc def", "nothing"],
    "extref": [
        "SECURITY  cpe23Type  cpe:2.3:a:dahua:x:1:*:*:*:*:*:*:*",
        "OTHER LocationRef-x a locator with spaces",
        "security cpe22Type cpe:/a:zte:x",
        "SECURITY cpe23Type",
    ],
    "purpose": ["firmware", "NOT_ONE"],
    "filetype": ["source", "NOT_ONE"],
    "bool": ["TRUE", "yes"],
    "date": ["2026-11-01", "2026-13-01T00:00:00Z"],
    "range": ["x:y", "3"],
    "version": ["3", "v3.1"],
    "verification": ["d6a770ba", "not a code"],
    "extdoc": [
        "DocumentRef-ext https://sbomscan.example/other SHA256: abc",
        "DocumentRef-ext https://sbomscan.example/other",
        "DocumentRef-ext",
    ],
}
REL_IDS = [
    "SPDXRef-p0",
    "SPDXRef-p1",
    "SPDXRef-f0",
    "SPDXRef-s0",
    "SPDXRef-DOCUMENT",
    "DocumentRef-ext:SPDXRef-y",
]
RELATIONSHIPS = st.tuples(
    st.sampled_from(REL_IDS),
    st.sampled_from(REL_TYPES[:7]),
    st.sampled_from([*REL_IDS, "NONE", "NOASSERTION"]),
).map(" ".join)
BAD_RELATIONSHIPS = st.tuples(
    st.sampled_from(REL_IDS),
    st.sampled_from(REL_TYPES),
    st.sampled_from(REL_IDS),
    st.sampled_from(["  ", "\t", " "]),
).map(lambda t: t[3].join(t[:3]))


def _values(kind: str) -> st.SearchStrategy[str]:
    """Mostly values spdx-tools takes (so that there is something to compare), some not."""
    if kind == "rel":
        good, bad = RELATIONSHIPS, st.one_of(BAD_RELATIONSHIPS, ODD)
    elif kind == "text":
        good = st.one_of(SAFE_TEXT, TEXT_BLOCKS, st.sampled_from(["NOASSERTION", "NONE", "a # b"]))
        bad = st.one_of(ODD, st.sampled_from(["", " "]))
    else:
        good = (
            st.one_of(st.sampled_from(GOOD[kind]), SAFE_TEXT)
            if kind == "name"
            else st.sampled_from(GOOD[kind])
        )
        bad = st.one_of(st.sampled_from(BAD[kind]), ODD, st.sampled_from(["", " ", "NONE"]))
    return st.sampled_from([good] * 15 + [bad]).flatmap(lambda s: s)


PACKAGE_TAGS = [
    ("PackageVersion", "name"),
    ("PackageFileName", "name"),
    ("PackageSupplier", "actor"),
    ("PackageOriginator", "actor"),
    ("PackageChecksum", "checksum"),
    ("PackageHomePage", "text"),
    ("PackageSourceInfo", "text"),
    ("PackageLicenseConcluded", "licence"),
    ("PackageLicenseDeclared", "licence"),
    ("PackageLicenseInfoFromFiles", "licence"),
    ("PackageLicenseComments", "text"),
    ("PackageCopyrightText", "text"),
    ("PackageSummary", "text"),
    ("PackageDescription", "text"),
    ("PackageComment", "text"),
    ("ExternalRef", "extref"),
    ("ExternalRefComment", "text"),
    ("PackageAttributionText", "text"),
    ("PrimaryPackagePurpose", "purpose"),
    ("FilesAnalyzed", "bool"),
    ("BuiltDate", "date"),
    ("ReleaseDate", "date"),
    ("ValidUntilDate", "date"),
    ("PackageVerificationCode", "verification"),
]
FILE_TAGS = [
    ("FileType", "filetype"),
    ("FileChecksum", "checksum"),
    ("LicenseConcluded", "licence"),
    ("LicenseInfoInFile", "licence"),
    ("LicenseComments", "text"),
    ("FileCopyrightText", "text"),
    ("FileComment", "text"),
    ("FileNotice", "text"),
    ("FileContributor", "name"),
    ("FileAttributionText", "text"),
]
SNIPPET_TAGS = [
    ("SnippetName", "name"),
    ("SnippetComment", "text"),
    ("SnippetCopyrightText", "text"),
    ("SnippetLicenseConcluded", "licence"),
    ("LicenseInfoInSnippet", "licence"),
    ("SnippetLicenseComments", "text"),
    ("SnippetLineRange", "range"),
]
OTHER_TAGS = [
    ("Relationship", "rel"),
    ("Relationship", "rel"),
    ("Relationship", "rel"),
    ("Creator", "actor"),
    ("ExternalDocumentRef", "extdoc"),
    ("DocumentComment", "text"),
    ("LicenseListVersion", "version"),
    ("Relationship", "rel"),
    ("RelationshipComment", "text"),
]
MULTI = frozenset(
    [
        "PackageChecksum",
        "PackageLicenseInfoFromFiles",
        "ExternalRef",
        "PackageAttributionText",
        "FileType",
        "FileChecksum",
        "LicenseInfoInFile",
        "FileContributor",
        "FileAttributionText",
        "LicenseInfoInSnippet",
    ]
)
"""Tags an element may carry more than once (spdx-tools refuses any other tag twice)."""
TEXT_BLOCKS = st.tuples(
    st.lists(st.one_of(TEXT_LINES, ODD), min_size=0, max_size=4),
    st.sampled_from(["", " ", "   # trailing comment", "PackageComment: after the block", "junk"]),
    st.sampled_from([True] * 9 + [False]),  # closed, mostly
).map(lambda t: "<text>" + "\n".join(t[0]) + ("</text>" + t[1] if t[2] else ""))
LAYOUT = st.sampled_from(["{t}: {v}"] * 6 + ["{t}:{v}", "  {t} : {v}", "\t{t}:\t{v}  ", "{t}: {v}\r"])


@st.composite
def tag_lines(draw: st.DrawFn, table: list[tuple[str, str]], count: int) -> list[str]:
    """Up to ``count`` lines of the tags of ``table``; a single-valued tag twice only now and then."""
    picks = draw(st.lists(st.sampled_from(table), max_size=count))
    if draw(st.sampled_from([True] * 5 + [False])):
        seen: set[str] = set()
        kept = []
        for t in picks:
            if t[0] in MULTI or t[0] == "Relationship" or t[0] not in seen:
                kept.append(t)
                seen.add(t[0])
        picks = kept
    out = []
    for tag, kind in picks:
        out.append(draw(LAYOUT).format(t=tag, v=draw(_values(kind))))
    return out


@st.composite
def tag_value_texts(draw: st.DrawFn) -> str:
    head = [
        "SPDXVersion: SPDX-2.3",
        "DataLicense: CC0-1.0",
        "SPDXID: SPDXRef-DOCUMENT",
        "DocumentName: generated",
        "DocumentNamespace: https://sbomscan.example/generated",
        "Creator: Tool: sbomscan-tests",
        "Created: 2026-11-01T00:00:00Z",
    ]
    chunks: list[list[str]] = []
    for k in range(draw(st.integers(0, 3))):
        chunks.append(
            [
                f"PackageName: {draw(_values('name'))}",
                f"SPDXID: SPDXRef-p{k}",
                "PackageDownloadLocation: NOASSERTION",
                *draw(tag_lines(PACKAGE_TAGS, 6)),
            ]
        )
    for k in range(draw(st.integers(0, 2))):
        chunks.append(
            [
                f"FileName: ./f{k}.c",
                f"SPDXID: SPDXRef-f{k}",
                "FileChecksum: SHA1: " + "0" * 40,
                *draw(tag_lines(FILE_TAGS, 4)),
            ]
        )
    for k in range(draw(st.integers(0, 1))):
        chunks.append(
            [
                f"SnippetSPDXID: SPDXRef-s{k}",
                "SnippetFromFileSPDXID: SPDXRef-f0",
                "SnippetByteRange: 1:20",
                *draw(tag_lines(SNIPPET_TAGS, 3)),
            ]
        )
    if draw(st.booleans()):
        chunks.append(
            [
                "Annotator: Person: Jane Doe",
                "AnnotationDate: 2026-11-01T00:00:00Z",
                "AnnotationType: REVIEW",
                "SPDXREF: SPDXRef-p0",
                "AnnotationComment: <text>PackageName: inside an annotation\nLicenseConcluded: MIT</text>",
            ]
        )
    if draw(st.booleans()):
        chunks.append(
            [
                "LicenseID: LicenseRef-acme",
                "ExtractedText: <text>FileName: inside a licence\nSPDXID: SPDXRef-nope</text>",
                "LicenseName: Acme licence",
                "LicenseComment: one line",
            ]
        )
    chunks = draw(st.permutations(chunks))
    body = [line for chunk in chunks for line in chunk]
    # relationships, comments, blank lines, other tags and junk anywhere
    extras = st.sampled_from(
        [
            "",
            "# a comment",
            "   ",
            "",
            "# another",
            "",
            "SPDXID: SPDXRef-stray",
            "junk without a colon",
            "Unknown: tag",
        ]
    )
    for extra in draw(tag_lines(OTHER_TAGS, 6)) + draw(st.lists(extras, max_size=3)):
        body.insert(draw(st.integers(0, len(body))), extra)
    return "\n".join(head + body) + draw(st.sampled_from(["\n", "", "\n\n"]))


@settings(
    max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)
@given(tag_value_texts())
def test_generated_tag_value_reads_the_same_when_spdx_tools_accepts(text: str) -> None:
    accepted = assert_same(text)
    event("spdx-tools accepts" if accepted else "spdx-tools refuses")
    if not accepted:  # lenient mode reads it anyway, whatever it holds
        doc = fast(text)
        assert len(doc.components) >= (doc.declared_components or 0)


@settings(max_examples=100, deadline=None)
@given(st.text(max_size=300), st.booleans())
def test_arbitrary_text_never_raises_from_the_fast_reader(text: str, strict: bool) -> None:
    parse(text)  # the reader itself never raises
    with contextlib.suppress(SbomscanError):
        sbomscan.load(("SPDXVersion: SPDX-2.3\n" + text).encode("utf-8", "surrogatepass"), strict=strict)


@settings(max_examples=100, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(
                [t for t, _ in PACKAGE_TAGS + FILE_TAGS + SNIPPET_TAGS + OTHER_TAGS]
                + ["PackageName", "FileName", "SnippetSPDXID", "SPDXID", "Annotator", "LicenseID"]
            ),
            st.one_of(ODD, TEXT_BLOCKS),
        ),
        max_size=30,
    )
)
def test_arbitrary_tags_never_raise_from_the_fast_reader(lines: list[tuple[str, str]]) -> None:
    text = "SPDXVersion: SPDX-2.3\nSPDXID: SPDXRef-DOCUMENT\n" + "".join(f"{t}: {v}\n" for t, v in lines)
    doc = sbomscan.load(text.encode("utf-8", "surrogatepass"))
    assert len(doc.components) >= (doc.declared_components or 0)


# -- what the fast reader reads, case by case ---------------------------------------------

HEAD = (
    "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: t\n"
    "DocumentNamespace: https://sbomscan.example/tv\nCreator: Tool: t\nCreated: 2026-11-01T00:00:00Z\n"
)
PKG = "PackageName: {n}\nSPDXID: SPDXRef-{n}\nPackageDownloadLocation: NOASSERTION\n"


def by_ref(doc: Document) -> dict[str, Any]:
    return {c.ref: c for c in doc.components}


def edges(doc: Document) -> list[tuple[str, str, str, str | None]]:
    """The document's edges by ref, without those from a synthetic root."""
    out = [(e.source.split("#")[1], e.kind.value, e.target.split("#")[1], e.detail) for e in doc.edges]
    return [e for e in out if not e[0].startswith("sbomscan:")]


def codes(doc: Document) -> list[str]:
    return [d.code for d in doc.diagnostics]


def test_lenient_loading_does_not_use_spdx_tools(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: Any) -> None:
        raise AssertionError("spdx-tools' parser was called in lenient mode")

    monkeypatch.setattr(spdx2_tools, "_parse_tag_value", refuse)
    doc = sbomscan.load((FIXTURES / "spdx2" / "router.spdx").read_bytes())
    assert doc.encoding == "tag-value" and len(doc.components) == 5 and doc.diagnostics == ()
    with pytest.raises(AssertionError, match="spdx-tools"):
        sbomscan.load((FIXTURES / "spdx2" / "router.spdx").read_bytes(), strict=True)


def test_every_package_field() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + (
            "PackageVersion: 1.0\nPackageFileName: a-1.0.tgz\n"
            "PackageSupplier: Organization: Hikvision ( psirt@hikvision.example )\n"
            "PackageOriginator: Person: Li Wei ()\nPackageChecksum: SHA256: 11b6d3ee554eedf79299905a98f9b9a04e498210b59f15094c916c91d150efcd\n"
            "PackageChecksum: BLAKE2b-256: abc0\n"
            "PackageHomePage: https://hikvision.example\nPackageLicenseConcluded: mit and (apache-2.0 or gpl-2.0+)\n"
            "PackageLicenseDeclared: NOASSERTION\nPackageLicenseInfoFromFiles: MIT\nPackageLicenseInfoFromFiles: BSD-3-Clause\n"
            "PackageCopyrightText: <text>Copyright 2026\nHikvision</text>\n"
            "PackageSummary: short\nPackageDescription: <text>long\nPackageName: not a package</text>\n"
            "ExternalRef: PACKAGE-MANAGER purl pkg:maven/com.hikvision/sdk@1.0\n"
            "ExternalRef: SECURITY cpe23Type cpe:2.3:a:hikvision:sdk:1.0:*:*:*:*:*:*:*\n"
            "ExternalRef: SECURITY advisory https://nvd.example/CVE-1\nExternalRefComment: <text>see\nthis</text>\n"
            "ExternalRef: PACKAGE-MANAGER purl pkg:npm/second@2\n"
            "PrimaryPackagePurpose: OPERATING-SYSTEM\nFilesAnalyzed: false\nBuiltDate: 2026-01-01T00:00:00Z\n"
            "ReleaseDate: 2026-01-02T00:00:00Z\nValidUntilDate: 2027-01-01T00:00:00Z\n"
            "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\n"
        )
    )
    assert assert_same(text)
    (a,) = fast(text).components
    assert (a.name, a.version, a.type) == ("a", "1.0", "operating-system")
    assert [(p.name, p.role, p.kind, p.emails) for p in a.parties] == [
        ("Hikvision", "supplier", PartyKind.ORGANIZATION, ("psirt@hikvision.example",)),
        ("Li Wei", "originator", PartyKind.PERSON, ()),
    ]
    assert a.licenses == ("MIT AND (Apache-2.0 OR GPL-2.0-or-later)",)
    assert a.copyright == ("Copyright 2026\nHikvision",)
    assert a.description == "long\nPackageName: not a package"
    assert a.purl == "pkg:maven/com.hikvision/sdk@1.0"
    assert a.cpes == ("cpe:2.3:a:hikvision:sdk:1.0:*:*:*:*:*:*:*",)
    assert [h.algorithm for h in a.hashes] == ["SHA-256", "BLAKE2B-256"]
    assert [(r.type, r.url, r.comment) for r in a.external_refs] == [
        ("advisory", "https://nvd.example/CVE-1", "see\nthis"),
        ("purl", "pkg:npm/second@2", None),
        ("website", "https://hikvision.example", None),
    ]
    assert a.properties == (("packageFileName", "a-1.0.tgz"),)
    obj = parse(text).obj
    assert obj["packages"][0]["licenseInfoFromFiles"] == ["MIT", "BSD-3-Clause"]
    assert obj["packages"][0]["filesAnalyzed"] is False
    assert obj["packages"][0]["builtDate"] == "2026-01-01T00:00:00Z"


def test_files_follow_their_package_snippets_their_file() -> None:
    text = HEAD + (
        "FileName: ./top.c\nSPDXID: SPDXRef-top\nFileChecksum: SHA1: "
        + "1" * 40
        + "\n"
        + PKG.format(n="a")
        + "FileName: ./a.c\nSPDXID: SPDXRef-f\nFileChecksum: SHA1: "
        + "2" * 40
        + "\n"
        "FileContributor: Dahua Technology\nFileContributor: someone\n"
        "LicenseConcluded: MIT\nLicenseInfoInFile: Apache-2.0\nLicenseInfoInFile: MIT\nFileComment: c\n"
        "SnippetSPDXID: SPDXRef-s\nSnippetFromFileSPDXID: SPDXRef-f\nSnippetByteRange: 1:20\nSnippetLineRange: 1:2\n"
        "SnippetLicenseConcluded: MIT\nSnippetName: table\n"
        "Relationship: SPDXRef-a CONTAINS SPDXRef-f\n"
    )
    assert assert_same(text)
    doc = fast(text)
    # the snippet's file is read with the snippet; the file's package from where it stands
    assert sorted(edges(doc)) == [
        ("SPDXRef-a", "contains", "SPDXRef-f", "CONTAINS"),
        ("SPDXRef-f", "contains", "SPDXRef-s", "snippetFromFile"),
    ]
    f = by_ref(doc)["SPDXRef-f"]
    assert [(p.name, p.role) for p in f.parties] == [
        ("Dahua Technology", "contributor"),
        ("someone", "contributor"),
    ]
    assert f.licenses == ("MIT", "Apache-2.0") and f.description == "c"
    assert by_ref(doc)["SPDXRef-s"].name == "table"


def test_relationship_targets_none_noassertion_and_other_documents() -> None:
    text = HEAD + (
        "ExternalDocumentRef: DocumentRef-modem https://sbomscan.example/modem SHA1: "
        + "a" * 40
        + "\n"
        + PKG.format(n="a")
        + "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\n"
        "Relationship: SPDXRef-a DEPENDS_ON NONE\nRelationship: SPDXRef-a GENERATED_FROM NOASSERTION\n"
        "Relationship: SPDXRef-a DYNAMIC_LINK DocumentRef-modem:SPDXRef-fw\n"
        "RelationshipComment: <text>the modem's\nfirmware</text>\n"
    )
    assert assert_same(text)
    doc = fast(text)
    assert doc.edges == ()
    (link,) = doc.links
    assert (link.uri, link.ref, link.document) == (
        "DocumentRef-modem:SPDXRef-fw",
        "SPDXRef-fw",
        "https://sbomscan.example/modem",
    )
    assert link.checksum is not None and link.checksum.value == "a" * 40


def test_relationships_inside_a_package_do_not_end_it() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + (
            "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-a\nRelationship: SPDXRef-b DEPENDENCY_OF SPDXRef-a\n"
            "RelationshipComment: <text>two\nlines</text>\nPackageVersion: 2\n"
            + PKG.format(n="b")
            + "Relationship: SPDXRef-b CONTAINS SPDXRef-f\nFileName: ./b.c\nSPDXID: SPDXRef-f\n"
            "FileChecksum: SHA1: " + "3" * 40 + "\n"
        )
    )
    assert assert_same(text)
    doc = fast(text)
    assert by_ref(doc)["SPDXRef-a"].version == "2"
    assert [e[:3] for e in edges(doc)] == [
        ("SPDXRef-b", "contains", "SPDXRef-f"),
        ("SPDXRef-a", "depends_on", "SPDXRef-b"),
    ]


def test_text_blocks_crlf_and_tag_like_lines() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + "PackageComment: <text>\r\nSPDXID: SPDXRef-evil\r\nPackageName: evil\r\n</text>\r\n"
        "PackageDescription:   <text> kept  </text>  # a comment\r\nPackageSummary: <text></text>\r\n"
        "PackageCopyrightText:\r\n<text>on the next line</text>\r\n"
    )
    data = text.encode()
    t = tag_value_text(data, "t")
    assert assert_same(t)
    a = by_ref(sbomscan.load(data))["SPDXRef-a"]
    assert a.description == " kept  " and a.copyright == ("on the next line",)
    assert parse(t).obj["packages"][0]["comment"] == "\nSPDXID: SPDXRef-evil\nPackageName: evil\n"
    assert parse(t).obj["packages"][0]["summary"] == "<text></text>"  # as spdx-tools keeps it
    assert "SPDXRef-evil" not in parse(t).lines


def test_annotations_and_extracted_licences_do_not_leak() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + "PackageVersion: 1\n"
        + (
            "Annotator: Person: Jane\nAnnotationDate: 2026-11-01T00:00:00Z\nAnnotationType: REVIEW\nSPDXREF: SPDXRef-a\n"
            "AnnotationComment: <text>PackageVersion: 9\nSPDXID: SPDXRef-x</text>\n"
            "LicenseID: LicenseRef-a\nExtractedText: <text>PackageName: x</text>\nLicenseName: A\n"
            "LicenseComment: LicenseConcluded: MIT\nLicenseCrossReference: https://x.example\n"
        )
    )
    assert assert_same(text)
    doc = fast(text)
    assert [(c.ref, c.version, c.licenses) for c in doc.components if c.origin != "synthetic-root"] == [
        ("SPDXRef-a", "1", ())
    ]


def test_spdx_tools_normalisations_are_followed() -> None:
    text = (
        HEAD
        + "LicenseListVersion: 3.09\nCreator: Organization:Acme()\n"
        + PKG.format(n="a")
        + (
            "PackageSupplier: Organization: Huawei Device Co., Ltd. (Dongguan) ()\n"
            "PackageLicenseConcluded: GPL-2.0\nExternalRef: PACKAGE_MANAGER purl pkg:npm/a@1\n"
            "PrimaryPackagePurpose: OPERATING_SYSTEM\nPackageChecksum: SHA1: abc # a comment\n"
        )
    )
    assert assert_same(text)
    tv = parse(text)
    assert tv.obj["creationInfo"]["licenseListVersion"] == "3.9"
    assert tv.obj["creationInfo"]["creators"] == ["Tool: t", "Organization: Acme"]
    pkg = tv.obj["packages"][0]
    assert pkg["supplier"] == "Organization: Huawei Device Co., Ltd. (Dongguan)"
    assert pkg["licenseConcluded"] == "GPL-2.0-only"
    assert pkg["checksums"] == [{"algorithm": "SHA1", "checksumValue": "abc"}]


def test_what_spdx_tools_refuses_is_still_read() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + (
            "PackageSupplier: Acme without a type\n"
            "ExternalRef: OTHER LocationRef-forge a locator with spaces\n"
            "ExternalRef: SECURITY  cpe23Type  cpe:2.3:a:dahua:x:1:*:*:*:*:*:*:*\n"
            "PackageChecksum: SHA-256: ABCDEF\nPackageLicenseDeclared: MIT/X11\n"
            + PKG.format(n="b")
            + "Relationship: SPDXRef-a\tDEPENDS_ON\tSPDXRef-b\nRelationship: SPDXRef-b dependency-of SPDXRef-a\n"
        )
    )
    assert tools(text) is None
    doc = fast(text)
    a = by_ref(doc)["SPDXRef-a"]
    assert [(p.name, p.kind) for p in a.parties] == [("Acme without a type", PartyKind.UNKNOWN)]
    assert a.cpes == ("cpe:2.3:a:dahua:x:1:*:*:*:*:*:*:*",)
    assert ("LocationRef-forge", "a locator with spaces") in [(r.type, r.url) for r in a.external_refs]
    assert [(h.algorithm, h.value) for h in a.hashes] == [("SHA-256", "abcdef")]
    assert a.licenses == ("MIT/X11",)
    assert {e[:3] for e in edges(doc)} == {("SPDXRef-a", "depends_on", "SPDXRef-b")}
    assert "spdx-tools-refused" not in codes(doc)
    assert parse(text).notes == ()  # everything was read: nothing to say


def test_what_cannot_be_read_is_said_once_per_kind_with_the_first_line() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + (
            "a continuation line\nanother one\n"  # lines 11, 12
            "PackageVendor: Acme\n"  # 13: no such tag
            "FileChecksum: SHA1: " + "0" * 40 + "\n"  # 14: no file open
            "Relationship: SPDXRef-a DEPENDS_ON\n"  # 15
            "ExternalRef: SECURITY cpe23Type\n"  # 16
            "PackageChecksum: nothing\n"  # 17
            "ExternalDocumentRef: DocumentRef-x\n"  # 18
            "PackageComment: <text>never closed\nPackageVersion: 1\n"  # 19
        )
    )
    doc = fast(text)
    notes = {d.code: d for d in parse(text).notes}
    assert doc.diagnostics[: len(notes)] == tuple(notes.values())  # the notes come first
    assert {k: (d.location, d.severity.value) for k, d in notes.items()} == {
        "unreadable-line": ("line 11", "warning"),
        "unknown-tag": ("line 13", "info"),
        "tag-out-of-scope": ("line 14", "warning"),
        "bad-relationship": ("line 15", "warning"),
        "bad-external-ref": ("line 16", "warning"),
        "bad-checksum": ("line 17", "warning"),
        "bad-external-document-ref": ("line 18", "warning"),
        "unterminated-text": ("line 19", "warning"),
    }
    assert notes["unreadable-line"].message.startswith("2 lines ")
    assert "PackageVendor" in notes["unknown-tag"].message
    assert by_ref(doc)["SPDXRef-a"].version == "1"  # read on after the unterminated <text>
    assert tools(text) is None


def test_strict_mode_is_spdx_tools() -> None:
    text = HEAD + PKG.format(n="a") + "PackageSupplier: Acme without a type\n"
    with pytest.raises(MalformedSbomError) as info:
        sbomscan.load(text.encode(), name="bad.spdx", strict=True)
    assert info.value.line == 11
    assert sbomscan.load(text.encode(), name="bad.spdx").components


@pytest.mark.parametrize(
    ("body", "field", "want"),
    [
        # spdx-tools' lexer is token-based, not line-based: these are what it makes of them
        ("PackageVersion\n# between\n: 2.0\n", "versionInfo", "2.0"),
        (
            "PackageSupplier:\n\n  Organization: Dahua (x@dahua.example)\n",
            "supplier",
            "Organization: Dahua (x@dahua.example)",
        ),
        ("PackageComment: <text>one</text>PackageVersion: 3\n", "versionInfo", "3"),
        ("PackageChecksum: SHA1: abc0 PackageVersion: 4\n", "versionInfo", "4"),
        ("PackageVersion: \n", "versionInfo", ""),
        ("PackageChecksum: SHA1:\n\n  abc0 PackageVersion: 5\n", "versionInfo", "5"),
        ("SPDXID: SPDXRef-again\n", "SPDXID", "SPDXRef-again"),
    ],
)
def test_spdx_tools_lexer_quirks_are_followed(body: str, field: str, want: str) -> None:
    text = HEAD + PKG.format(n="a") + body
    assert assert_same(text)
    assert parse(text).obj["packages"][0][field] == want


def test_a_stray_spdxid_names_the_next_package_as_in_spdx_tools() -> None:
    text = HEAD + "SPDXID: SPDXRef-stray\nPackageName: a\nPackageDownloadLocation: NONE\n"
    assert assert_same(text)
    assert [c.ref for c in fast(text).components if c.origin != "synthetic-root"] == ["SPDXRef-stray"]


def test_unterminated_text_is_read_on() -> None:
    text = HEAD + PKG.format(n="a") + "PackageComment: <text>never closed\n" + PKG.format(n="b")
    assert tools(text) is None  # spdx-tools' grammar recovers by dropping the rest: refused
    got = fast(text)
    assert {"SPDXRef-a", "SPDXRef-b"} <= set(by_ref(got)) and codes(got)[0] == "unterminated-text"


def test_a_syntax_error_spdx_tools_recovers_from_is_refused_in_strict_mode() -> None:
    text = HEAD + "RelationshipComment: stray\n" + PKG.format(n="a") + "junk\n"
    with pytest.raises(MalformedSbomError, match="RELATIONSHIP_COMMENT"):
        sbomscan.load(text.encode(), strict=True)
    doc = sbomscan.load(text.encode())
    assert "SPDXRef-a" in by_ref(doc) and "unreadable-line" in codes(doc)


def test_an_spdxid_after_an_annotation_is_the_annotations() -> None:
    text = (
        HEAD
        + PKG.format(n="a")
        + (
            "Annotator: Person: Jane\nAnnotationDate: 2026-11-01T00:00:00Z\nAnnotationType: OTHER\n"
            "SPDXREF: SPDXRef-a\nAnnotationComment: c\nSPDXID: SPDXRef-annotated\n"
        )
    )
    assert assert_same(text)  # spdx-tools sets the annotation's id twice and keeps the package's
    assert "SPDXRef-a" in by_ref(fast(text)) and "SPDXRef-annotated" not in parse(text).lines


@pytest.mark.parametrize(
    "middle",
    [
        "Relationship : SPDXRef-a DEPENDS_ON SPDXRef-b\n",  # a space before the ':'
        "PackageComment: x <text> y\nRelationship: SPDXRef-a DEPENDS_ON SPDXRef-b\n",  # <text> not a value
        "PackageComment:\n<text>y\nRelationship: SPDXRef-a DEPENDS_ON SPDXRef-b\n</text>\n",  # text
        "PackageComment: <text>a\x85Relationship: SPDXRef-a DEPENDS_ON SPDXRef-b</text>\n",  # NEL is no line end
    ],
)
def test_relationships_inside_packages_are_told_apart_as_the_lexer_does(middle: str) -> None:
    """The spdx-tools path moves relationships to the end before parsing; it must find the
    same lines the lexer reads as relationships, or the two paths order edges differently."""
    text = HEAD + PKG.format(n="a") + middle + PKG.format(n="b") + "FileName: ./f\nSPDXID: SPDXRef-f\n"
    assert assert_same(text + "FileChecksum: SHA1: " + "0" * 40 + "\n")
