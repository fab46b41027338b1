"""Every input accounted for (issue 8 item 1): folders walked in full, detection by content
with no fixed window, one record per input, read or not read with the reason.

Each test builds a bundle from the real fixture documents and checks what
:func:`sbomscan.scan.load_bundle` says about every file in it.
"""

from __future__ import annotations

import gzip
import io
import os
import tarfile
import zipfile
from pathlib import Path

import pytest

from sbomscan.errors import UsageError
from sbomscan.model import INPUT_REASONS, InputRecord
from sbomscan.scan import load_bundle

FIXTURES = Path(__file__).parent / "fixtures"
KASPERSKY = FIXTURES / "e2e" / "oem" / "gateway.cdx.json"
SPDX2 = FIXTURES / "spdx2"
CDX_XML = FIXTURES / "cyclonedx" / "full-1.6.xml"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x02\x00\x00\x00"


def records(*sources: object, exclude: tuple[str, ...] = ()) -> dict[str, InputRecord]:
    _, inputs, _ = load_bundle(list(sources), exclude=exclude)  # type: ignore[arg-type]
    out = {r.path: r for r in inputs}
    assert len(out) == len(inputs), "an input appears twice"
    return out


def by_name(recs: dict[str, InputRecord]) -> dict[str, InputRecord]:
    return {Path(p).name: r for p, r in recs.items()}


def test_suffix_never_decides(tmp_path: Path) -> None:
    data = KASPERSKY.read_bytes()
    for name in ("gateway.sbom", "gateway.json.bak", "GATEWAY", "notes.txt", "bom.md"):
        (tmp_path / name).write_bytes(data)
    recs = records(tmp_path)
    assert {Path(p).name: r.status for p, r in recs.items()} == dict.fromkeys(
        ("gateway.sbom", "gateway.json.bak", "GATEWAY", "notes.txt", "bom.md"), "read"
    )
    assert all(r.sha256 is not None and len(r.sha256) == 64 for r in recs.values())


def test_non_sboms_are_listed_without_counting_and_without_quoting(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_bytes(KASPERSKY.read_bytes())
    (tmp_path / "README.md").write_text("root:x:0:0:root:/root:/bin/bash\n")
    (tmp_path / "logo.png").write_bytes(PNG)
    (tmp_path / "package.json").write_text('{"secret-key-name": "hunter2"}')
    recs = by_name(records(tmp_path))
    assert recs["bom.json"].status == "read"
    for name in ("README.md", "logo.png", "package.json"):
        r = recs[name]
        assert (r.status, r.reason, r.counts) == ("not-read", "not-sbom", False), r
        for secret in ("root:x", "hunter2", "secret-key-name", "PNG'", "\\x89"):
            assert secret not in r.message
    assert "PNG image" in recs["logo.png"].message


def test_six_bytes_before_an_sbom_make_it_count_not_vanish(tmp_path: Path) -> None:
    (tmp_path / "gateway.cdx.json").write_bytes(b"\x00JUNK\n" + KASPERSKY.read_bytes())
    (tmp_path / "camera.cdx.json").write_bytes(b"abcdef" + KASPERSKY.read_bytes())
    docs, inputs, notes = load_bundle([tmp_path])
    assert docs == []
    assert [(r.status, r.reason, r.counts) for r in inputs] == [("not-read", "malformed", True)] * 2
    assert all("CycloneDX markers" in r.message for r in inputs)
    assert [n.code for n in notes] == ["input-not-read"] * 2


def test_one_bad_file_never_stops_the_others(tmp_path: Path) -> None:
    good = KASPERSKY.read_bytes()
    for i in range(97):
        (tmp_path / f"bom-{i:02}.json").write_bytes(good.replace(b"Secure", f"Secure{i}".encode(), 1))
    (tmp_path / "bom-50-broken.json").write_bytes(good[: len(good) // 2])
    docs, inputs, _ = load_bundle([tmp_path])
    assert len(inputs) == 98 and len(docs) == 97
    (bad,) = [r for r in inputs if r.status == "not-read"]
    assert bad.path.endswith("bom-50-broken.json") and bad.reason == "malformed" and bad.counts


@pytest.mark.parametrize(
    "name",
    ["json-late", "tag-value-late", "yaml-last-key", "rdf-late-namespace", "cdx-xml-long-prolog"],
)
def test_a_late_deciding_token_is_still_found(tmp_path: Path, name: str) -> None:
    if name == "json-late":
        data = b" \n" * 3000 + KASPERSKY.read_bytes()
    elif name == "tag-value-late":
        data = (
            b"".join(b"# comment line %d\n" % i for i in range(5000)) + (SPDX2 / "router.spdx").read_bytes()
        )
        assert data.index(b"SPDXVersion") > 65536
    elif name == "yaml-last-key":
        text = (SPDX2 / "router.spdx.yaml").read_text()
        lines = text.splitlines()
        version = [line for line in lines if line.startswith("spdxVersion:")]
        assert version
        data = (
            "\n".join(line for line in lines if not line.startswith("spdxVersion:"))
            + "\n"
            + version[0]
            + "\n"
        ).encode()
    elif name == "rdf-late-namespace":
        raw = (SPDX2 / "router.spdx.rdf.xml").read_bytes()
        data = raw.replace(b"<rdf:RDF", b"<!--" + b"x" * 9000 + b"-->\n<rdf:RDF", 1)
        assert data.index(b"spdx.org/rdf/terms") > 8192
    else:
        raw = CDX_XML.read_bytes()
        data = raw.replace(b"<bom ", b"<!-- " + b"prolog " * 20000 + b"-->\n<bom ", 1)
    for where in ("named", "folder"):
        path = tmp_path / where / "input.bin"
        path.parent.mkdir()
        path.write_bytes(data)
        src = path if where == "named" else path.parent
        docs, inputs, _ = load_bundle([src])
        assert [r.status for r in inputs] == ["read"], inputs
        assert docs[0].components


def test_hidden_and_excluded_files_are_not_considered(tmp_path: Path) -> None:
    data = KASPERSKY.read_bytes()
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "bom.json").write_bytes(data)
    (tmp_path / ".hidden.json").write_bytes(data)
    (tmp_path / "vendor").mkdir()
    (tmp_path / "vendor" / "bom.json").write_bytes(data)
    (tmp_path / "build.log").write_text("log")
    (tmp_path / "bom.json").write_bytes(data)
    recs = records(tmp_path, exclude=("*.log", "vendor"))
    assert [Path(p).relative_to(tmp_path).as_posix() for p in recs] == ["bom.json"]


def test_named_paths_that_cannot_be_read_count(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello")
    recs = records(tmp_path / "missing.json", tmp_path / "README.md", KASPERSKY)
    assert [(r.status, r.reason, r.counts) for r in recs.values()] == [
        ("not-read", "unreadable", True),
        ("not-read", "not-sbom", True),
        ("read", None, False),
    ]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.json"
    os.mkfifo(fifo)
    (rec,) = records(fifo).values()
    assert (rec.status, rec.reason, rec.counts) == ("not-read", "not-regular", True)
    assert "FIFO" in rec.message
    (tmp_path / "bom.json").write_bytes(KASPERSKY.read_bytes())
    recs = by_name(records(tmp_path))
    assert (recs["pipe.json"].reason, recs["pipe.json"].counts) == ("not-regular", False)
    assert recs["bom.json"].status == "read"


def test_links_never_lead_out_of_the_folder(tmp_path: Path) -> None:
    secret = tmp_path / "outside.txt"
    secret.write_text("root:x:0:0:root:/root:/bin/bash\n")
    folder = tmp_path / "bundle"
    folder.mkdir()
    (folder / "bom.json").write_bytes(KASPERSKY.read_bytes())
    (folder / "passwd.json").symlink_to(secret)
    (folder / "etc").symlink_to("/etc")
    (folder / "again.json").symlink_to(folder / "bom.json")
    recs = by_name(records(folder))
    for name in ("passwd.json", "etc"):
        assert (recs[name].reason, recs[name].counts) == ("link-outside", True)
        assert "root:x" not in recs[name].message
    assert recs["again.json"].status == "read" and recs["bom.json"].status == "read"


def test_zip_and_tar_bundles_are_read_as_folders(tmp_path: Path) -> None:
    data = KASPERSKY.read_bytes()
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("sboms/gateway.cdx.json", data)
        zf.writestr("sboms/router.spdx", (SPDX2 / "router.spdx").read_bytes())
        zf.writestr("README.md", "about")
        zf.writestr("__MACOSX/._gateway.cdx.json", b"\x00\x05\x16\x07")
    (tmp_path / "bundle.zip").write_bytes(buf.getvalue())
    tbuf = io.BytesIO()
    with tarfile.open(fileobj=tbuf, mode="w") as tf:
        info = tarfile.TarInfo("a/gateway.cdx.json")
        info.size = len(data)
        tf.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("a/passwd")
        link.type = tarfile.SYMTYPE
        link.linkname = "/etc/passwd"
        tf.addfile(link)
    (tmp_path / "bundle.tar.gz").write_bytes(gzip.compress(tbuf.getvalue()))
    recs = records(tmp_path / "bundle.zip", tmp_path / "bundle.tar.gz")
    zip_label, tar_label = str(tmp_path / "bundle.zip"), str(tmp_path / "bundle.tar.gz")
    assert {p: (r.status, r.reason, r.counts) for p, r in recs.items()} == {
        f"{zip_label}!README.md": ("not-read", "not-sbom", False),
        f"{zip_label}!sboms/gateway.cdx.json": ("read", None, False),
        f"{zip_label}!sboms/router.spdx": ("read", None, False),
        f"{tar_label}!a/gateway.cdx.json": ("read", None, False),
        f"{tar_label}!a/passwd": ("not-read", "not-regular", False),
    }


def test_no_sbom_at_all_is_a_usage_error(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello")
    with pytest.raises(UsageError, match="no SBOM to scan"):
        load_bundle([tmp_path])
    with pytest.raises(UsageError):
        load_bundle([])


def test_reasons_are_the_documented_ones(tmp_path: Path) -> None:
    (tmp_path / "README.md").write_text("hello")
    (tmp_path / "bom.json").write_bytes(b"{" + KASPERSKY.read_bytes())
    for r in records(tmp_path).values():
        assert r.reason in INPUT_REASONS and "\n" not in r.message


def test_a_path_given_twice_is_one_input(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_bytes(KASPERSKY.read_bytes())
    docs, inputs, _ = load_bundle([tmp_path / "bom.json", tmp_path, str(tmp_path / "bom.json")])
    assert len(docs) == 1 and [r.path for r in inputs] == [str(tmp_path / "bom.json")]


def test_a_damaged_zip_counts_and_says_so(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_bytes(KASPERSKY.read_bytes())
    (tmp_path / "bundle.zip").write_bytes(b"PK\x03\x04" + b"\x00" * 40 + b"damaged")
    recs = by_name(records(tmp_path))
    assert (recs["bundle.zip"].reason, recs["bundle.zip"].counts) == ("malformed", True)
    assert "ZIP archive" in recs["bundle.zip"].message and "XLSX" not in recs["bundle.zip"].message


def _cli(*argv: str) -> tuple[int, str, str]:
    from sbomscan.cli import main

    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_cli_says_what_a_png_and_a_zip_are(tmp_path: Path) -> None:
    png = tmp_path / "diagram.png"
    png.write_bytes(PNG)
    code, _, err = _cli("scan", str(png))
    assert code == 2 and "looks like a PNG image" in err
    assert "text starting" not in err and "\\x89" not in err and "PNG'" not in err
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("sboms/gateway.cdx.json", KASPERSKY.read_bytes())
    bundle = tmp_path / "sboms.zip"
    bundle.write_bytes(buf.getvalue())
    code, out, err = _cli("scan", str(bundle), "--format", "json")
    assert code == 1 and "XLSX" not in err
    assert "sboms.zip!sboms/gateway.cdx.json" in out and "kav-sdk" in out


def test_cli_exclude_and_max_bytes(tmp_path: Path) -> None:
    (tmp_path / "bom.json").write_bytes(KASPERSKY.read_bytes())
    (tmp_path / "huge.log").write_bytes(b"x" * 5000)
    (tmp_path / "broken.cdx.json").write_bytes(b"{" + KASPERSKY.read_bytes())
    code, _, err = _cli("scan", str(tmp_path), "--exclude", "*.log", "--exclude", "broken*")
    assert code == 1 and err == ""
    code, _, err = _cli("scan", str(tmp_path), "--exclude", "broken*", "--max-bytes", "1K")
    assert code == 2 and "not read (too-large)" in err and "bom.json" in err


def test_archive_members_never_leave_the_archive_and_nest(tmp_path: Path) -> None:
    data = KASPERSKY.read_bytes()
    inner = io.BytesIO()
    with zipfile.ZipFile(inner, "w") as zf:
        zf.writestr("deep/gateway.cdx.json", data)
    outer = io.BytesIO()
    with zipfile.ZipFile(outer, "w") as zf:
        zf.writestr("../escape.cdx.json", data)
        zf.writestr("/abs.cdx.json", data)
        zf.writestr("inner.zip", inner.getvalue())
        zf.writestr("sub/gateway.cdx.json.gz", gzip.compress(data))
    (tmp_path / "outer.zip").write_bytes(outer.getvalue())
    label = str(tmp_path / "outer.zip")
    recs = records(tmp_path / "outer.zip")
    assert {p: (r.status, r.reason, r.counts) for p, r in recs.items()} == {
        f"{label}!../escape.cdx.json": ("not-read", "unsupported", True),
        f"{label}!/abs.cdx.json": ("not-read", "unsupported", True),
        f"{label}!inner.zip!deep/gateway.cdx.json": ("read", None, False),
        f"{label}!sub/gateway.cdx.json.gz": ("read", None, False),
    }
