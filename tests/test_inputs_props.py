"""Property: for any bundle — real documents under any names, some damaged, some not SBOMs at
all, some inside a ZIP — every file appears exactly once among the inputs, read or not read;
a document is read whatever its name; a damaged SBOM that is not read counts."""

from __future__ import annotations

import hashlib
import io
import tempfile
import zipfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomscan.errors import UsageError
from sbomscan.model import INPUT_REASONS
from sbomscan.scan import load_bundle

FIXTURES = Path(__file__).parent / "fixtures"
DOCUMENTS = [
    FIXTURES / "e2e" / "oem" / "gateway.cdx.json",
    FIXTURES / "spdx2" / "router.spdx",
    FIXTURES / "spdx2" / "router.spdx.yaml",
    FIXTURES / "spdx2" / "router.spdx.rdf.xml",
    FIXTURES / "cyclonedx" / "full-1.6.xml",
    FIXTURES / "spdx3" / "product.spdx3.json",
    FIXTURES / "spdx2" / "router.spdx.json",
]
OTHERS = [
    b"# Release notes\n\nNothing to see.\n",
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR",
    b'{"name": "app", "version": "1.0.0"}',
    b"",
]
NAMES = st.text("abcxyz-_.", min_size=1, max_size=8).filter(
    lambda n: not n.startswith(".") and n not in {".", ".."}
)
DAMAGES = st.sampled_from(["none", "prefix", "truncate", "nul"])


def _damage(data: bytes, how: str) -> bytes:
    if how == "prefix":
        return b"abcdef" + data
    if how == "truncate":
        return data[: len(data) // 3]
    if how == "nul":
        return b"\x00" * 6 + data
    return data


FILES = st.lists(
    st.tuples(
        st.lists(NAMES, min_size=1, max_size=3),  # path below the bundle folder
        st.one_of(
            st.tuples(st.just("doc"), st.sampled_from(range(len(DOCUMENTS))), DAMAGES),
            st.tuples(st.just("other"), st.sampled_from(range(len(OTHERS))), st.just("none")),
        ),
        st.booleans(),  # inside bundle.zip rather than the folder
    ),
    min_size=1,
    max_size=8,
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(FILES)
def test_every_file_appears_exactly_once(files: list[tuple[list[str], tuple[str, int, str], bool]]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "bundle"
        root.mkdir()
        expected: dict[str, tuple[str, str, bytes]] = {}  # label -> (kind, damage, content)
        members: dict[str, bytes] = {}
        taken: set[str] = set()
        for parts, (kind, index, damage), zipped in files:
            rel = "/".join(parts)
            # a path that is a prefix folder of another (a/b and a) cannot be both file and folder
            if any(rel == t or rel.startswith(t + "/") or t.startswith(rel + "/") for t in taken):
                continue
            taken.add(rel)
            content = _damage(DOCUMENTS[index].read_bytes(), damage) if kind == "doc" else OTHERS[index]
            if zipped:
                members[rel] = content
                expected[f"{root / 'bundle.zip'}!{rel}"] = (kind, damage, content)
            else:
                (root / rel).parent.mkdir(parents=True, exist_ok=True)
                (root / rel).write_bytes(content)
                expected[str(root / rel)] = (kind, damage, content)
        if members:
            buf = io.BytesIO()
            with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
                for name, content in members.items():
                    zf.writestr(name, content)
            (root / "bundle.zip").write_bytes(buf.getvalue())
        try:
            _, inputs, _ = load_bundle([root])
        except UsageError:
            # nothing read and nothing that counts: only files with no sign of an SBOM
            assert all(kind == "other" for kind, _, _ in expected.values())
            return
        paths = [r.path for r in inputs]
        assert len(paths) == len(set(paths)), "an input is listed twice"
        assert set(paths) == set(expected)
        for r in inputs:
            kind, damage, content = expected[r.path]
            if r.status == "read":
                assert r.sha256 == hashlib.sha256(content).hexdigest()
                continue
            assert r.reason in INPUT_REASONS and "\n" not in r.message
            if kind == "doc":
                assert damage != "none", f"an intact document was not read: {r}"
                assert r.counts, f"a damaged SBOM was not read but does not count: {r}"
            else:
                assert r.reason == "not-sbom"
