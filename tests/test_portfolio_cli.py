"""``sbomscan portfolio``: every action on a real store file, ``--db`` and
``$SBOMSCAN_PORTFOLIO``, one-line errors with exit status 2, text escaped for a terminal."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from conftest import ROOT

from sbomscan.cli import main

GATEWAY = ROOT / "examples" / "secure-gateway"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.fixture
def db(tmp_path: Path) -> str:
    return str(tmp_path / "portfolio.db")


def _add(db: str, *extra: str) -> None:
    code, out, err = run(
        "portfolio", "add", str(GATEWAY), "--db", db, "--product", "Secure Gateway", "--version", "2.1",
        "--supplier", "Acme", "--received", "2026-11-30", "--as-of", "2026-12-01", *extra,
    )  # fmt: skip
    assert (code, err) == (0, "")
    assert out == (
        "added #1 Secure Gateway 2.1: fail (1 prohibited, 1 review, 0 notice); "
        "3 file(s), 2 document(s), 13 component(s)\n"
    )


def test_add_list_show_remove(db: str, tmp_path: Path) -> None:
    _add(db)
    code, out, _ = run("portfolio", "list", "--db", db)
    assert code == 0 and out.splitlines()[1].split() == [
        "1",
        "2026-11-30",
        "fail",
        "Secure",
        "Gateway",
        "2.1",
        "(Acme)",
    ]
    listed = json.loads(run("portfolio", "list", "--db", db, "--format", "json")[1])
    assert [(s["id"], s["outcome"], s["received"]) for s in listed["submissions"]] == [
        (1, "fail", "2026-11-30")
    ]
    code, out, _ = run("portfolio", "show", "1", "--db", db)
    assert (
        code == 0
        and "prohibited AO Kaspersky Lab: av-scan-core 8.9.2" in out
        and "findings: 1 prohibited" in out
    )
    shown = json.loads(run("portfolio", "show", "1", "--db", db, "--format", "json")[1])
    assert {f["entity"] for f in shown["findings"]} == {"kaspersky", "hikvision"}
    readme = str(GATEWAY / "README.md")
    copy = tmp_path / "copy.md"
    assert run("portfolio", "show", "1", "--db", db, "--file", readme, "-o", str(copy))[0] == 0
    assert copy.read_bytes() == (GATEWAY / "README.md").read_bytes()
    assert run("portfolio", "remove", "1", "--db", db) == (0, "removed #1\n", "")
    assert run("portfolio", "list", "--db", db, "--format", "json")[1].strip() == '{\n  "submissions": []\n}'


def test_rescan_changes_and_report(db: str, tmp_path: Path) -> None:
    _add(db)
    code, out, _ = run("portfolio", "rescan", "--db", db, "--as-of", "2018-06-01")
    assert code == 0
    assert out.startswith("run 2: 1 submission(s), 13 component(s) rescanned with data ")
    assert "1 product(s) changed" in out and "severity      prohibited -> review     AO Kaspersky Lab" in out
    changes = json.loads(run("portfolio", "changes", "--db", db, "--format", "json")[1])
    (product,) = changes["products"]
    assert (product["before"]["id"], product["after"]["id"], product["after"]["as_of"]) == (
        1,
        2,
        "2018-06-01",
    )
    assert [c["kind"] for c in product["changes"]] == ["severity", "severity"]
    first = run("portfolio", "changes", "--db", db, "--run", "1")[1]  # the add: everything is new
    assert first.splitlines()[:2] == ["#1 Secure Gateway 2.1: - -> fail", "  before: nothing before"]
    assert [line.split()[0] for line in first.splitlines()[3:]] == ["appeared", "appeared"]
    code, out, _ = run("portfolio", "report", "1", "--db", db, "--format", "json")
    report = json.loads(out)
    assert code == 0 and report["as_of"] == "2018-06-01" and report["verdict"]["outcome"] == "pass-with-gaps"
    sarif = tmp_path / "r.sarif"
    assert run("portfolio", "report", "1", "--db", db, "--format", "sarif", "-o", str(sarif))[0] == 0
    assert json.loads(sarif.read_text())["version"] == "2.1.0"


def test_waivers_with_add_rescan_and_report(db: str, tmp_path: Path) -> None:
    """``--waivers`` on add and rescan waives as ``scan --waivers`` does (the lobby camera's
    Hikvision finding); a rescan without it keeps each submission's own, ``--no-waivers``
    drops them; ``changes`` says which finding became waived or lost its waiver, in every
    format; ``report`` applies the latest result's waivers."""
    waivers = str(ROOT / "examples" / "waivers.yaml")

    def waived() -> list[tuple[str, bool]]:
        shown = json.loads(run("portfolio", "show", "1", "--db", db, "--format", "json")[1])
        return sorted((f["entity"], f["waived"]) for f in shown["findings"])

    code, out, err = run(
        "portfolio", "add", str(GATEWAY), "--db", db, "--product", "Gateway", "--as-of", "2026-06-01",
        "--waivers", waivers,
    )  # fmt: skip
    assert (code, err) == (0, "") and "fail (1 prohibited, 0 review, 0 notice)" in out  # one waived
    assert waived() == [("hikvision", True), ("kaspersky", False)]
    code, out, _ = run("portfolio", "report", "1", "--db", db, "--format", "json")
    assert code == 0 and [w["entity"] for w in json.loads(out)["waivers"]] == ["hikvision"]
    code, out, _ = run("portfolio", "show", "1", "--db", db)
    assert "waivers applied: 1 (a rescan keeps them)" in out and "ipc-firmware until 2028-06-30" in out
    # no --waivers: each submission keeps its own; nothing changed
    code, out, _ = run("portfolio", "rescan", "--db", db, "--as-of", "2026-12-01")
    assert code == 0 and "each submission's own waivers; 0 product(s) changed" in out
    assert waived() == [("hikvision", True), ("kaspersky", False)]
    # --no-waivers: none applied; the camera's finding lost its waiver
    code, out, _ = run(
        "portfolio", "rescan", "--db", db, "--as-of", "2026-12-01", "--no-waivers", "--format", "json"
    )
    body = json.loads(out)
    assert code == 0 and (body["waivers_kept"], body["waivers"]) == (False, [])
    assert [c["kind"] for c in body["products"][0]["changes"]] == ["waiver-lapsed"]
    assert waived() == [("hikvision", False), ("kaspersky", False)]
    code, out, _ = run("portfolio", "changes", "--db", db)
    assert code == 0 and "  waiver-lapsed review" in out and "fail -> fail" in out
    assert run("portfolio", "rescan", "--db", db, "--as-of", "2026-12-01")[0] == 0  # keeps none
    assert waived() == [("hikvision", False), ("kaspersky", False)]
    code, out, _ = run("portfolio", "rescan", "--db", db, "--as-of", "2026-12-01", "--waivers", waivers)
    assert code == 0 and "1 waiver(s) given; 1 product(s) changed" in out and "  waived        review" in out
    assert waived() == [("hikvision", True), ("kaspersky", False)]
    page = tmp_path / "changes.html"
    assert run("portfolio", "changes", "--db", db, "--format", "html", "-o", str(page))[0] == 0
    html = page.read_text()
    assert 'data-change="waived"' in html and "became waived" in html and "(waived)" in html
    code, out, _ = run("portfolio", "report", "1", "--db", db, "--no-waivers", "--format", "json")
    assert code == 0 and json.loads(out)["waivers"] == []
    code, _, err = run("portfolio", "rescan", "--db", db, "--waivers", waivers, "--no-waivers")
    assert code == 2 and err == "sbomscan: error: --waivers and --no-waivers exclude each other\n"
    code, _, err = run("portfolio", "rescan", "--db", db, "--waivers", str(ROOT / "README.md"))
    assert code == 2 and err.count("\n") == 1 and "README.md" in err


def test_waiver_text_from_the_file_is_escaped(db: str, tmp_path: Path) -> None:
    """A waivers file is text someone typed: ``show`` writes its fields escaped for a terminal."""
    bad = tmp_path / "w.yaml"
    bad.write_text(
        "- entity: hikvision\n  bom_ref: ipc-firmware\n  justification: ok\n"
        '  approver: "J. Smith\\e[2J\\u202e"\n  expiry: 2028-06-30\n'
    )
    code, _, err = run("portfolio", "add", str(GATEWAY), "--db", db, "--product", "G", "--waivers", str(bad))
    assert (code, err) == (0, "")
    out = run("portfolio", "show", "1", "--db", db)[1]
    assert "approved by J. Smith" in out and "\x1b" not in out and "\u202e" not in out
    assert "\\u202e" in out  # shown, visibly


def test_errors_are_one_line_exit_2(db: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SBOMSCAN_PORTFOLIO", raising=False)
    code, out, err = run("portfolio", "list")
    assert (code, out) == (
        2,
        "",
    ) and err == "sbomscan: error: no portfolio store: give --db PATH or set SBOMSCAN_PORTFOLIO\n"
    code, _, err = run("portfolio", "show", "3", "--db", db)
    assert code == 2 and err.count("\n") == 1 and "no such portfolio store" in err
    _add(db)
    code, _, err = run("portfolio", "show", "3", "--db", db)
    assert code == 2 and err == f"sbomscan: error: {db}: no submission 3\n"
    code, _, err = run("portfolio", "show", "1", "--db", db, "--file", "nope.json")
    assert code == 2 and "has no file 'nope.json'" in err
    code, _, err = run("portfolio", "add", str(tmp_path / "absent.json"), "--db", db, "--product", "x")
    assert code == 2 and err.count("\n") == 1 and "absent.json" in err
    notes = tmp_path / "notes.txt"
    notes.write_text("not a database\n" * 50)
    code, _, err = run("portfolio", "list", "--db", str(notes))
    assert code == 2 and err.count("\n") == 1 and "notes.txt" in err and "Traceback" not in err


def test_text_output_escapes_what_the_submitter_wrote(db: str, tmp_path: Path) -> None:
    folder = tmp_path / "b"
    folder.mkdir()
    bom = {
        "bomFormat": "CycloneDX", "specVersion": "1.6", "version": 1,
        "metadata": {"component": {"bom-ref": "r", "name": "box\x1b[31m", "version": "1", "purl": "pkg:generic/box@1"}},
        "components": [{"bom-ref": "c", "type": "library", "name": "av\u202eevil", "supplier": {"name": "AO Kaspersky Lab"}}],
        "dependencies": [{"ref": "r", "dependsOn": ["c"]}],
    }  # fmt: skip
    (folder / "b.cdx.json").write_bytes(orjson.dumps(bom))
    code, _, _ = run(
        "portfolio", "add", str(folder), "--db", db, "--product", "x\x1b]0;t\x07", "--supplier", "s\x1b[2J"
    )
    assert code == 0
    for argv in (("list",), ("show", "1"), ("rescan", "--as-of", "2018-06-01"), ("changes",)):
        text = run("portfolio", *argv, "--db", db)[1]
        assert "\x1b" not in text and "\x07" not in text and "\u202e" not in text, argv
    assert "\\u202eevil" in run("portfolio", "show", "1", "--db", db)[1]


def test_the_environment_variable_names_the_store(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SBOMSCAN_PORTFOLIO": str(tmp_path / "env.db")}
    add = [sys.executable, "-m", "sbomscan", "portfolio", "add", str(GATEWAY), "--product", "G"]
    assert subprocess.run(add, env=env, capture_output=True, text=True, timeout=300).returncode == 0
    listed = subprocess.run(
        [sys.executable, "-m", "sbomscan", "portfolio", "list"],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert listed.returncode == 0 and " G" in listed.stdout and (tmp_path / "env.db").is_file()
