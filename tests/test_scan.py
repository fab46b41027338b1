"""scan(): severity rules, merging, finding ids, sources and options; the library guide's
examples run as written."""

from __future__ import annotations

import os
import re
from datetime import date
from pathlib import Path

import pytest

from sbomscan.entities import load_entities
from sbomscan.errors import IngestError, UsageError
from sbomscan.scan import finding_id, scan

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BASE = HERE / "fixtures" / "entities" / "base.json"


def _bom(component: str) -> bytes:
    return (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", '
        '"metadata": {"component": {"bom-ref": "app", "name": "App", "version": "1"}}, '
        f'"components": [{component}], "dependencies": [{{"ref": "app", "dependsOn": ["c"]}}]}}'
    ).encode()


@pytest.fixture(scope="module")
def db():  # type: ignore[no-untyped-def]
    return load_entities([BASE], include_default=False)


def test_mention_only_is_review(db) -> None:  # type: ignore[no-untyped-def]
    r = scan(
        _bom('{"bom-ref": "c", "name": "kaspersky-helper", "version": "1"}'), entities=db, as_of="2026-01-01"
    )
    (f,) = r.findings
    assert (f.entity.id, f.severity, f.confidence) == ("kaspersky", "review", "low")
    assert any("low confidence" in n for n in f.notes)


def test_former_affiliate_is_review(db) -> None:  # type: ignore[no-untyped-def]
    # Honor left Huawei on 2020-11-17 (fixture data); hihonor.com names Honor
    comp = (
        '{"bom-ref": "c", "name": "x", "supplier": {"name": "Someone", "url": ["https://www.hihonor.com"]}}'
    )
    r = scan(_bom(comp), entities=db, as_of="2026-01-01")
    (f,) = r.findings
    assert f.entity.id == "honor" and f.severity == "review"
    assert any("former affiliate" in n for n in f.notes)


def test_licensed_product_is_review(db) -> None:  # type: ignore[no-untyped-def]
    r = scan(
        _bom('{"bom-ref": "c", "name": "kaspersky-lab-engine", "version": "1"}'),
        entities=db,
        as_of="2026-01-01",
    )
    (f,) = r.findings
    assert f.entity.id == "kaspersky" and f.severity == "review"
    assert "juniper-srx-kaspersky-av" in f.licensed_products


def test_unverified_regid_is_never_prohibited(db) -> None:  # type: ignore[no-untyped-def]
    comp = '{"bom-ref": "c", "name": "x", "swid": {"tagId": "t", "name": "x", "regid": "regid.1997-07.com.kaspersky"}}'
    (f,) = scan(_bom(comp), entities=db, as_of="2026-01-01").findings
    assert f.severity == "review"
    assert any("unverified" in n for n in f.notes)


def test_evidence_merged_into_one_finding(db) -> None:  # type: ignore[no-untyped-def]
    comp = (
        '{"bom-ref": "c", "name": "kav", "supplier": {"name": "AO Kaspersky Lab"}, '
        '"cpe": "cpe:2.3:a:kaspersky:anti-virus:8:*:*:*:*:*:*:*", "purl": "pkg:github/KasperskyLab/kav@1"}'
    )
    (f,) = scan(_bom(comp), entities=db, as_of="2026-01-01").findings
    assert {e.rule for e in f.evidence} >= {"party-name", "cpe-vendor"}
    assert f.severity == "prohibited"


def test_finding_id() -> None:
    a = finding_id("ab" * 32, "ref", "kaspersky")
    assert a == finding_id("ab" * 32, "ref", "kaspersky")
    assert re.fullmatch(r"[0-9a-f]{16}", a)
    assert a != finding_id("ab" * 32, "ref", "zte") != finding_id("cd" * 32, "ref", "kaspersky")


def test_bad_options_and_sources(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UsageError):
        scan(_bom('{"bom-ref": "c", "name": "x"}'), entities=db, as_of="yesterday")
    with pytest.raises(UsageError):
        scan(_bom('{"bom-ref": "c", "name": "x"}'), entities=db, max_paths=0)
    with pytest.raises(UsageError):
        scan([], entities=db)
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(IngestError, match="no SBOM files"):
        scan([empty], entities=db)


def test_directory_skips_non_sbom_files(db, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "bom.json").write_bytes(_bom('{"bom-ref": "c", "name": "x"}'))
    (tmp_path / "notes.txt").write_text("release notes, not an SBOM\n")
    r = scan([tmp_path], entities=db, as_of=date(2026, 1, 1))
    assert len(r.documents) == 1
    assert [d.code for d in r.diagnostics if d.code == "skipped-file"] == ["skipped-file"]


def test_library_guide_examples(monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    text = (ROOT / "docs" / "library-guide.md").read_text()
    blocks = re.findall(r"```python\n(.*?)```", text, re.S)
    assert len(blocks) >= 5
    monkeypatch.chdir(ROOT)
    for block in blocks:
        exec(compile(block, "docs/library-guide.md", "exec"), {"__name__": "guide"})
    assert "hikvision" in capsys.readouterr().out
    assert os.getcwd() == str(ROOT)
