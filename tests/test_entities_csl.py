"""``sbomscan entities import`` (the Consolidated Screening List export as an overlay) and
``sbomscan entities diff`` (issue 10 §4, §5), on fixtures written in the export's own format."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from sbomscan.cli import main
from sbomscan.entities import load_entities
from sbomscan.entities.csl import import_csl, read_csl
from sbomscan.entities.diff import diff_data, render_text
from sbomscan.errors import EntityDataError
from sbomscan.scan import scan

HERE = Path(__file__).resolve().parent
CSL = HERE / "fixtures" / "csl"
ROOT = HERE.parent
DAY = date(2026, 12, 1)


def _import(name: str = "consolidated.json", **kw: object):  # type: ignore[no-untyped-def]
    path = CSL / name
    return import_csl(read_csl(str(path), path.read_bytes()), exported=DAY, base=load_entities(), **kw)  # type: ignore[arg-type]


def _bom(supplier: str) -> bytes:
    return (
        '{"bomFormat": "CycloneDX", "specVersion": "1.6", '
        '"metadata": {"component": {"bom-ref": "app", "name": "App", "version": "1"}}, '
        f'"components": [{{"bom-ref": "c", "name": "part", "version": "1", "supplier": {{"name": "{supplier}"}}}}], '
        '"dependencies": [{"ref": "app", "dependsOn": ["c"]}]}'
    ).encode()


def _entity(overlay: dict, name: str) -> dict:  # type: ignore[type-arg]
    [e] = [e for e in overlay["entities"] if e.get("name") == name]
    return e


def test_csv_and_json_exports_give_the_same_overlay() -> None:
    a, b = _import("consolidated.json"), _import("consolidated.csv")
    assert a.overlay == b.overlay
    assert (a.records, a.organisations, a.left_out) == (8, 6, 2)


def test_organisations_only_each_name_an_alias_tied_to_its_list() -> None:
    ov = _import().overlay
    names = {e.get("name") for e in ov["entities"]}
    assert "EXAMPLE, Person" not in names and "EXAMPLE STAR" not in names  # individual, vessel
    ep = _entity(ov, "Example Photonics Co., Ltd.")
    # "Example Photonics" is the name without its legal form: the name already matches it
    assert [a["value"] for a in ep["aliases"]] == ["EPC Optics Co."]
    assert all(a["sources"] == ["csl-el"] for a in ep["aliases"])
    # one entity on two lists: two listings, each with its own list and date
    assert [(li["authority"], li["since"]) for li in ep["listings"]] == [
        ("csl-el", "2025-03-25"),
        ("csl-meu", "2024-01-01"),
    ]
    assert ep["country"] == "CN"
    esh = _entity(ov, "Example Shipping Holdings Limited")
    assert [a["value"] for a in esh["aliases"]] == ["ESH Limited"]  # "EX" is too short to be a name
    assert "entity number 90001" in esh["listings"][0]["note"]


def test_lists_are_screening_authorities_binding_us_persons() -> None:
    ov = _import().overlay
    auth = {a["id"]: a for a in ov["authorities"]}
    assert set(auth) == {"csl-el", "csl-meu", "csl-sdn"}
    for a in auth.values():
        assert (a["scope"], a["binds"], a["control"]) == ("screening-list", ["us-persons"], [])
    assert auth["csl-el"]["effective"][0]["date"] == "2019-05-16"  # the earliest entry
    assert set(ov["sources"]) == set(auth)
    assert ov["sources"]["csl-el"]["url"] == "https://www.bis.gov/entity-list"


def test_dates_end_dates_and_missing_start_dates() -> None:
    ov = _import().overlay
    [li] = _entity(ov, "Example Removed Trading Ltd")["listings"]
    assert (li["since"], li["until"]) == ("2020-01-01", "2023-06-01")
    [li] = _entity(ov, "Example Aero Institute")["listings"]
    assert li["since"] == "2026-12-01" and "no start date" in li["note"]
    assert li["entry"] == "Example Aero Institute (programs: MEU)"


def test_a_known_entity_gets_the_listing_not_a_duplicate() -> None:
    result = _import()
    assert result.existing == ("huawei",)
    hw = next(e for e in result.overlay["entities"] if e["id"] == "huawei")
    assert "name" not in hw and hw["aliases"] == []  # "Huawei" is already its alias
    assert [(li["authority"], li["since"]) for li in hw["listings"]] == [("csl-el", "2019-05-16")]


def test_a_screening_list_match_is_at_most_review(tmp_path: Path) -> None:
    overlay = tmp_path / "csl.json"
    overlay.write_text(json.dumps(_import().overlay), encoding="utf-8")
    db = load_entities([overlay])
    (f,) = scan([_bom("Example Photonics Co., Ltd.")], entities=db, as_of="2026-12-04").findings
    assert f.severity == "review" and {a.id for a in f.authorities} == {"csl-el", "csl-meu"}
    assert all(a.binds == ("us-persons",) and a.scope == "screening-list" for a in f.authorities)
    # removed from the list in 2023: nothing covers it now
    (f,) = scan([_bom("Example Removed Trading Ltd")], entities=db, as_of="2026-12-04").findings
    assert f.severity == "notice"
    # a procurement law still decides for an entity it covers (Kaspersky is not in the export)
    (f,) = scan([_bom("AO Kaspersky Lab")], entities=db, as_of="2026-12-04").findings
    assert f.severity == "prohibited"
    (f,) = scan([_bom("Huawei Technologies Co., Ltd.")], entities=db, as_of="2027-07-01").findings
    assert f.severity == "prohibited" and "csl-el" in {a.id for a in f.authorities}


def test_only_some_lists() -> None:
    ov = _import(sources=["MEU"]).overlay
    assert [a["id"] for a in ov["authorities"]] == ["csl-meu"]


@pytest.mark.parametrize(
    ("content", "why"),
    [
        (b"name,country\nx,CN\n", "no 'name' and 'source' columns"),
        (b'{"results": 3}', "not a CSL export"),
        (b"\xff\xfe", "not UTF-8"),
        (b"{", "invalid JSON"),
    ],
)
def test_a_file_that_is_not_an_export_is_refused(content: bytes, why: str) -> None:
    with pytest.raises(EntityDataError, match=why):
        read_csl("f", content)


def test_cli_import_then_check_and_scan(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "csl-overlay.json"
    rc = main(["entities", "import", str(CSL / "consolidated.csv"), "--date", "2026-12-01", "-o", str(out)])
    assert rc == 0
    err = capsys.readouterr().err
    assert "6 organisations from 8 records (2 individuals, vessels or aircraft left out)" in err
    assert main(["entities", "check", str(out)]) == 0
    sbom = tmp_path / "bom.json"
    sbom.write_bytes(_bom("EPC Optics Co."))
    capsys.readouterr()
    assert main(["scan", str(sbom), "--entities", str(out), "--as-of", "2026-12-04", "--format", "json"]) == 0
    [f] = json.loads(capsys.readouterr().out)["findings"]
    assert f["severity"] == "review" and f["entity"]["name"] == "Example Photonics Co., Ltd."
    assert main(["entities", "import", str(CSL / "README.md")]) == 2
    assert "not a CSL export" in capsys.readouterr().err


# ------------------------------------------------------------------ diff


def test_diff_names_what_changed() -> None:
    old = {
        "version": "a",
        "authorities": [{"id": "law", "title": "Law", "effective": [{"date": "2020-01-01"}]}],
        "entities": [
            {
                "id": "s",
                "name": "Sub",
                "relations": [{"type": "subsidiary_of", "target": "p", "until": None}],
            },
            {"id": "gone", "name": "Gone Corp"},
        ],
    }
    new = {
        "version": "b",
        "authorities": [
            {"id": "law", "title": "Law", "effective": [{"date": "2021-01-01"}], "binds": ["dod"]}
        ],
        "entities": [
            {
                "id": "s",
                "name": "Sub",
                "aliases": [{"value": "Sub Ltd"}],
                "relations": [{"type": "subsidiary_of", "target": "p", "until": "2022-07-15"}],
                "identifiers": {"domains": [{"value": "sub.example"}]},
            },
            {"id": "new", "name": "New Corp"},
        ],
    }
    d = diff_data(old, new)
    assert [x["id"] for x in d["entities"]["added"]] == ["new"]
    assert [x["id"] for x in d["entities"]["removed"]] == ["gone"]
    [ch] = d["entities"]["changed"]
    fields = {c["field"] for c in ch["changes"]}
    assert fields == {"aliases", "relations", "identifiers.domains"}
    text = render_text(d)
    assert "+ entity new (New Corp)" in text and "− entity gone (Gone Corp)" in text
    assert "relation subsidiary_of p: until None → 2022-07-15" in text
    assert "alias + Sub Ltd" in text and "identifiers.domains + sub.example" in text
    assert "~ authority law (Law): effective + 2021-01-01, − 2020-01-01; binds + dod" in text
    assert render_text(diff_data(new, new)).endswith("no differences")


def test_cli_diff_text_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    old = tmp_path / "old.json"
    data = json.loads((ROOT / "data" / "entities.json").read_text(encoding="utf-8"))
    for e in data["entities"]:
        if e["id"] == "sepura":
            e["relations"][0]["until"] = None
    old.write_text(json.dumps(data), encoding="utf-8")
    assert main(["entities", "diff", str(old), str(ROOT / "data" / "entities.json")]) == 0
    out = capsys.readouterr().out
    assert "~ entity sepura (Sepura plc): relation subsidiary_of hytera: until None → 2022-07-15" in out
    assert main(["entities", "diff", str(old), str(ROOT / "data" / "entities.json"), "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert [c["id"] for c in d["entities"]["changed"]] == ["sepura"]
    assert main(["entities", "diff", str(old), str(tmp_path / "missing.json")]) == 2
