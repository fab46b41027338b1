"""The verdict, end to end through the CLI (issue 8 §2-4, §6): coverage, the four outcomes
and their exit statuses, the ``notice`` tier, and the entity data's provenance — each in
every format (text, JSON, Markdown, SARIF) and in the attestation."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
from pathlib import Path
from typing import Any

import jsonschema_rs
import pytest

from sbomscan.cli import main
from sbomscan.entities import default_data_path
from sbomscan.report.markdown import escape

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
E2E = HERE / "fixtures" / "e2e"
REPORT_VALIDATOR = jsonschema_rs.validator_for(json.loads((ROOT / "docs" / "report.schema.json").read_text()))
FORMATS = ("text", "json", "markdown", "sarif")


class Run:
    """One bundle scanned once per format and attested, with the same options: the exit
    status of each, and each output parsed where it is JSON."""

    def __init__(self, tmp: Path, paths: list[str], *options: str) -> None:
        self.status: dict[str, int] = {}
        self.out: dict[str, str] = {}
        for fmt in FORMATS:
            target = tmp / f"report.{fmt}"
            err = io.StringIO()
            self.status[fmt] = main(
                ["scan", *paths, *options, "--format", fmt, "-o", str(target)],
                stdout=io.StringIO(),
                stderr=err,
            )
            self.out[fmt] = target.read_text(encoding="utf-8")
        target = tmp / "attestation.json"
        self.status["attest"] = main(
            ["attest", *paths, *options, "--format", "record", "-o", str(target)],
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
        self.attestation: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
        target = tmp / "statement.json"
        self.status["attest-in-toto"] = main(
            ["attest", *paths, *options, "-o", str(target)], stdout=io.StringIO(), stderr=io.StringIO()
        )
        self.statement: dict[str, Any] = json.loads(target.read_text(encoding="utf-8"))
        self.text = " ".join(self.out["text"].split())
        """The text report with its wrapping undone."""
        self.json: dict[str, Any] = json.loads(self.out["json"])
        self.sarif: dict[str, Any] = json.loads(self.out["sarif"])["runs"][0]
        errors = [e.message for e in REPORT_VALIDATOR.iter_errors(self.json)]
        assert errors == [], errors

    def exits(self, code: int) -> None:
        assert set(self.status.values()) == {code}, self.status

    def outcome(self, outcome: str) -> None:
        """The same outcome in every format and the attestation."""
        assert f"outcome: {outcome.upper()} " in self.text
        assert f"**Outcome: {outcome}**" in self.out["markdown"]
        assert self.json["verdict"]["outcome"] == outcome
        assert self.sarif["properties"]["outcome"] == outcome
        assert self.attestation["result"]["status"] == outcome
        assert self.attestation["verdict"]["outcome"] == outcome
        assert self.statement["predicate"]["outcome"] == outcome


def _bom(path: Path, components: list[dict[str, Any]], **extra: Any) -> Path:
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "metadata": {
            "supplier": {"name": "Northwind Systems Inc"},
            "component": {"bom-ref": "root", "name": "product", "version": "1.0"},
        },
        "components": components,
        "dependencies": [{"ref": "root", "dependsOn": [c["bom-ref"] for c in components]}],
        **extra,
    }
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def _lib(ref: str, **fields: Any) -> dict[str, Any]:
    return {"bom-ref": ref, "type": "library", "name": ref, "version": "1.0", **fields}


# ---------------------------------------------------------------------- outcomes and coverage


def test_pass_only_when_everything_was_read_and_checkable(tmp_path: Path) -> None:
    bom = _bom(
        tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0"), _lib("x", cpe="cpe:2.3:a:x:x:1")]
    )
    r = Run(tmp_path, [str(bom)])
    r.exits(0)
    r.outcome("pass")
    assert r.json["coverage"]["checked"] == r.json["coverage"]["components"] == 3
    assert r.json["verdict"]["reasons"] == []


def test_opaque_components_make_pass_with_gaps_and_require_complete_fails(tmp_path: Path) -> None:
    bom = _bom(tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0"), _lib("mystery-blob")])
    r = Run(tmp_path, [str(bom)])
    r.exits(0)
    r.outcome("pass-with-gaps")
    cov = r.json["coverage"]
    assert (cov["components"], cov["checked"], cov["opaque"], cov["missing_sboms"]) == (3, 2, 1, 0)
    assert cov["documents"] == [
        {"path": str(bom), "key": cov["documents"][0]["key"], "components": 3, "checked": 2, "opaque": 1,
         "missing_sboms": 0}
    ]  # fmt: skip
    assert "2 of 3 components checked, 1 opaque" in r.text
    assert "| **Total** | 3 | 2 | 1 | 0 |" in r.out["markdown"]
    assert r.sarif["properties"]["coverage"]["opaque"] == 1
    assert r.attestation["coverage"]["opaque"] == 1
    assert "1 of 3 components opaque" in r.attestation["result"]["reasons"][0]

    strict = Run(tmp_path, [str(bom)], "--require-complete")
    strict.exits(1)
    strict.outcome("fail")
    assert strict.json["verdict"]["require_complete"] is True
    assert any("--require-complete" in x for x in strict.attestation["result"]["reasons"])


def test_a_sub_sbom_never_supplied_is_never_a_pass(tmp_path: Path) -> None:
    """tiers/appliance refers to camera-driver-pack's SBOM, which the bundle lacks: the
    attestation used to say "pass"."""
    r = Run(tmp_path, [str(E2E / "tiers")], "--entities", str(HERE / "fixtures/entities/base.json"))
    r.exits(0)
    r.outcome("pass-with-gaps")
    assert r.json["coverage"]["missing_sboms"] == 1
    per = {Path(d["path"]).name: d["missing_sboms"] for d in r.json["coverage"]["documents"]}
    assert per == {"appliance.cdx.json": 1, "camera-module.cdx.json": 0, "codec-vendor.cdx.json": 0}
    assert "1 sub-SBOM referenced but not supplied" in r.text
    assert r.attestation["coverage"]["missing_sboms"] == 1
    assert "1 referenced sub-SBOM not supplied" in r.attestation["result"]["reasons"]
    Run(tmp_path, [str(E2E / "tiers")], "--require-complete").exits(1)


def test_findings_fail_and_say_so_everywhere(tmp_path: Path) -> None:
    r = Run(tmp_path, [str(E2E / "oem")], "--entities", str(HERE / "fixtures/entities/base.json"))
    r.exits(1)
    r.outcome("fail")
    assert r.json["verdict"]["reasons"][0] == "2 unwaived findings at or above prohibited"


def test_skipped_files_are_listed_and_count_on_request(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # short paths: the text report wraps long ones
    bundle = Path("bundle")
    bundle.mkdir()
    _bom(bundle / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0")])
    (bundle / "README.txt").write_text("release notes, not an SBOM\n")
    r = Run(tmp_path, [str(bundle)])
    r.exits(0)
    r.outcome("pass")
    not_read = [i for i in r.json["inputs"] if i["status"] == "not-read"]
    assert [(Path(i["path"]).name, i["reason"], i["counts"]) for i in not_read] == [
        ("README.txt", "not-sbom", False)
    ]
    assert [Path(i["path"]).name for i in r.json["inputs"] if i["status"] == "read"] == ["bom.json"]
    assert "Inputs not read (1):" in r.text and "README.txt (not-sbom)" in r.text
    assert "## Inputs not read" in r.out["markdown"] and "README.txt | not-sbom | no |" in r.out["markdown"]
    assert [Path(i["path"]).name for i in r.sarif["properties"]["inputsNotRead"]] == ["README.txt"]
    assert [Path(i["path"]).name for i in r.attestation["inputs_not_read"]] == ["README.txt"]

    counted = Run(tmp_path, [str(bundle)], "--count-skipped")
    counted.exits(2)  # and every report was written before exiting
    counted.outcome("incomplete")
    assert counted.json["coverage"]["inputs_not_read_counting"] == 1
    assert "makes the scan incomplete" not in counted.text  # the file itself does not count...
    assert "1 input not read: the bundle was not checked in full" in counted.json["verdict"]["reasons"]


def test_a_damaged_sbom_makes_the_scan_incomplete_in_every_format(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Six bytes before the Kaspersky SBOM used to make it vanish and the scan pass."""
    monkeypatch.chdir(tmp_path)
    shutil.copytree(ROOT / "examples" / "secure-gateway", "bundle", ignore=shutil.ignore_patterns("*.md"))
    target = Path("bundle/gateway-appliance.cdx.json")
    target.write_bytes(b"JUNK\r\n" + target.read_bytes())
    r = Run(tmp_path, ["bundle"])
    r.exits(2)  # after writing every report
    r.outcome("incomplete")
    (record,) = [i for i in r.json["inputs"] if i["status"] == "not-read"]
    assert (record["path"], record["reason"], record["counts"]) == (str(target), "malformed", True)
    assert r.json["coverage"]["inputs_not_read_counting"] == 1
    assert f"{target} (malformed) [makes the scan incomplete]" in r.text
    assert f"| {escape(str(target))} | malformed | yes |" in r.out["markdown"]
    assert [i["path"] for i in r.sarif["properties"]["inputsNotRead"]] == [str(target)]
    assert [i["path"] for i in r.attestation["inputs_not_read"]] == [str(target)]
    # the one-line error on stderr, after the report on stdout
    out, err = io.StringIO(), io.StringIO()
    assert main(["scan", "bundle"], stdout=out, stderr=err) == 2
    assert "outcome: INCOMPLETE" in out.getvalue()
    assert err.getvalue().startswith(f"sbomscan: error: {target}: not read (malformed): ")
    assert err.getvalue().count("\n") == 1


def test_a_named_path_that_cannot_be_read_is_incomplete(tmp_path: Path) -> None:
    bom = _bom(tmp_path / "bom.json", [_lib("zlib", purl="pkg:generic/zlib@1.0")])
    r = Run(tmp_path, [str(bom), str(tmp_path / "missing.cdx.json")])
    r.exits(2)
    r.outcome("incomplete")
    assert [(i["status"], i["counts"]) for i in r.json["inputs"]] == [("read", False), ("not-read", True)]
    assert r.json["coverage"]["checked"] == 2  # what was read is still reported


# ---------------------------------------------------------------------- notice


_DESCRIPTION = (
    "Find covered-vendor (Kaspersky, Huawei, ZTE, Hytera, Hikvision, Dahua, FCC Covered List) code "
    "anywhere in an SBOM's supply chain, with the path to it."
)


def test_a_ci_venv_sbom_holding_sbomscan_is_a_notice_not_a_review(tmp_path: Path) -> None:
    bom = _bom(
        tmp_path / "venv.cdx.json",
        [
            _lib("sbomscan", version="0.1.0", purl="pkg:pypi/sbomscan@0.1.0", description=_DESCRIPTION),
            _lib("orjson", purl="pkg:pypi/orjson@3.10.0"),
        ],
    )
    r = Run(tmp_path, [str(bom)], "--fail-on", "review")
    r.exits(0)
    r.outcome("pass")
    severities = {f["severity"] for f in r.json["findings"]}
    assert severities == {"notice"} and r.json["summary"]["notice"] == len(r.json["findings"]) >= 5
    assert all(e["confidence"] == "low" for f in r.json["findings"] for e in f["evidence"])
    assert "NOTICE " in r.text and "PROHIBITED" not in r.text and "REVIEW " not in r.text
    assert "| ℹ NOTICE |" in r.out["markdown"]
    assert {x["level"] for x in r.sarif["results"]} == {"note"}
    assert {f["severity"] for f in r.attestation["findings"]} == {"notice"}

    strict = Run(tmp_path, [str(bom)], "--fail-on", "notice")
    strict.exits(1)
    strict.outcome("fail")


def _camera(tmp_path: Path) -> Path:
    cam = _lib(
        "DS-2CD2043G2-I",
        type="device",
        cpe="cpe:2.3:h:hikvision:ds-2cd2043g2-i:-:*:*:*:*:*:*:*",
        supplier={"name": "Hangzhou Hikvision Digital Technology Co., Ltd."},
    )
    return _bom(tmp_path / "camera.json", [cam])


def test_before_any_covering_law_a_match_is_at_most_a_notice(tmp_path: Path) -> None:
    r = Run(tmp_path, [str(_camera(tmp_path))], "--as-of", "2019-01-01", "--fail-on", "review")
    r.exits(0)
    r.outcome("pass")
    (f,) = r.json["findings"]
    assert (f["entity"]["id"], f["severity"], f["confidence"]) == ("hikvision", "notice", "high")
    assert "§ 889 takes effect on 2019-08-13, after the as-of date 2019-01-01" in " ".join(f["notes"])
    assert "takes effect on 2019-08-13" in r.text
    assert "**What to know:**" in r.out["markdown"] and "takes effect on 2019-08-13" in r.out["markdown"]
    assert r.sarif["results"][0]["level"] == "note"
    assert r.attestation["findings"][0]["severity"] == "notice"
    # once the law is in effect, the same camera is a review (§ 889 is limited in scope)
    later = Run(tmp_path, [str(_camera(tmp_path))], "--as-of", "2020-01-01", "--fail-on", "review")
    later.exits(1)
    assert later.json["findings"][0]["severity"] == "review"


def test_an_ended_authority_says_so_and_is_a_notice(tmp_path: Path) -> None:
    overlay = tmp_path / "ended.json"
    overlay.write_text(
        json.dumps(
            {
                "schema_version": 1,
                "version": "ended-1",
                "sources": {"s": {"title": "fictional, for a test"}},
                "authorities": [
                    {
                        "id": "old-ban",
                        "title": "A ban that has ended",
                        "scope": "all",
                        "citations": ["Old Ban Act § 1"],
                        "effective": [{"date": "2000-01-01"}],
                        "until": "2010-01-01",
                        "sources": ["s"],
                    }
                ],
                "entities": [
                    {"id": "oldco", "name": "Oldco Widgets Ltd", "authorities": ["old-ban"], "sources": ["s"]}
                ],
            }
        )
    )
    bom = _bom(tmp_path / "bom.json", [_lib("widget", supplier={"name": "Oldco Widgets Ltd"})])
    r = Run(tmp_path, [str(bom)], "--entities", str(overlay), "--as-of", "2020-01-01", "--fail-on", "review")
    r.exits(0)
    (f,) = r.json["findings"]
    assert f["severity"] == "notice" and f["notes"][0] == "Old Ban Act § 1 ended on 2010-01-01"
    assert "ended on 2010-01-01" in r.text and "ended on 2010-01-01" in r.out["markdown"]
    assert "ended on 2010-01-01" in r.sarif["results"][0]["message"]["text"]
    during = Run(tmp_path, [str(bom)], "--entities", str(overlay), "--as-of", "2005-01-01")
    during.exits(1)
    assert during.json["findings"][0]["severity"] == "prohibited"


# ---------------------------------------------------------------------- entity-data provenance


def test_every_format_names_the_shipped_data_and_each_overlay(tmp_path: Path) -> None:
    overlay = ROOT / "examples" / "entities-overlay.json"
    shipped_sha = hashlib.sha256(default_data_path().read_bytes()).hexdigest()
    overlay_sha = hashlib.sha256(overlay.read_bytes()).hexdigest()
    r = Run(tmp_path, [str(E2E / "overlay")], "--entities", str(overlay), "--as-of", "2026-12-01")
    version = r.json["entity_data"]["version"]
    expected = {
        "version": version,
        "shipped": {"version": version, "sha256": shipped_sha},
        "overlays": [{"path": str(overlay), "version": "example-2026.11.22", "sha256": overlay_sha}],
    }
    assert r.json["entity_data"] == expected
    assert r.sarif["properties"]["entityData"] == expected
    assert r.attestation["entity_data"] == expected
    assert f"entity data {version} + 1 overlay · as of 2026-12-01" in r.text
    assert f"**entity data:** {version} + 1 overlay" in r.out["markdown"]
    for fmt in ("text", "markdown"):
        assert shipped_sha in r.out[fmt] and overlay_sha in r.out[fmt]
    assert not any(d["code"] == "stale-entity-data" for d in r.json["diagnostics"])


def test_an_as_of_date_long_after_the_data_is_warned_about(tmp_path: Path) -> None:
    r = Run(tmp_path, [str(E2E / "flat")], "--as-of", "2027-06-01")
    version = r.json["entity_data"]["version"]
    day = version.replace(".", "-")
    message = f"laws after {day} are not in this data"
    (stale,) = [d for d in r.json["diagnostics"] if d["code"] == "stale-entity-data"]
    assert stale["severity"] == "warning" and stale["message"].endswith(message)
    assert message in r.text
    assert message in r.out["markdown"]
    assert any(
        message in n["message"]["text"] for n in r.sarif["invocations"][0]["toolExecutionNotifications"]
    )


@pytest.mark.parametrize("fail_on", ["prohibited", "review", "notice", "never"])
def test_fail_on_choices(tmp_path: Path, fail_on: str) -> None:
    bom = _bom(tmp_path / "bom.json", [_lib("kaspersky-helper", purl="pkg:generic/kaspersky-helper@1")])
    code = main(["scan", str(bom), "--fail-on", fail_on, "-o", str(tmp_path / "r.txt")], stderr=io.StringIO())
    assert code == (1 if fail_on == "notice" else 0)


def test_a_disguised_name_is_at_least_a_review() -> None:
    """Evidence of rule ``obfuscated-name`` (a vendor's name hidden by look-alike letters or
    invisible characters) is never a mere notice, however weak its confidence; a plain
    low-confidence mention is."""
    from datetime import date

    from sbomscan.entities import load_entities
    from sbomscan.match import Confidence, Evidence
    from sbomscan.policy import SeverityPolicy

    policy = SeverityPolicy(load_entities(), date(2026, 1, 1))
    mention = Evidence("name", "kaspersky-helper", "Kaspersky", "name-mention", Confidence.LOW, ())
    disguised = Evidence("name", "kаspersky-helper", "Kaspersky", "obfuscated-name", Confidence.LOW, ())
    assert policy.decide("kaspersky", [mention], [mention], []).severity == "notice"
    assert policy.decide("kaspersky", [mention, disguised], [mention, disguised], []).severity == "review"
    # before any law covers the vendor, even a disguised name is at most a notice
    early = SeverityPolicy(load_entities(), date(2016, 1, 1))
    assert early.decide("kaspersky", [disguised], [disguised], []).severity == "notice"
