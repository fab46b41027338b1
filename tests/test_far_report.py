"""FAR 52.204-23(c) / 52.204-25(d) report drafts from a real scan of the bundled example."""

from __future__ import annotations

import io
import json
from datetime import date
from pathlib import Path

from sbomscan import scan
from sbomscan.cli import main
from sbomscan.report.far import CLAUSES, ContractDetails, far_dict, render_far_markdown

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "secure-gateway"


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_one_draft_per_finding_and_clause() -> None:
    report = scan(EXAMPLE, as_of="2026-01-01")
    details = ContractDetails(
        "W912-26-C-0001", ("0003",), {"Harbor Optics LLC": "HARB0PT1CS12"}, {"": "1ABC2"}
    )
    data = far_dict(report, details)
    by_brand = {d["fields"]["brand"]: d for d in data["reports"]}
    k = by_brand["AO Kaspersky Lab"]
    assert k["clause"] == "FAR 52.204-23 (DEC 2023)" and k["paragraph"] == "(c)(2)(i)"
    assert k["deadline"].startswith("within 3 business days")
    assert k["fields"]["contract_number"] == "W912-26-C-0001" and k["fields"]["order_numbers"] == ["0003"]
    assert k["fields"]["supplier_name"] == "Northwind Secure Systems, Inc."
    assert k["fields"]["model_number"]["name"] == "av-scan-core"
    assert "supplier_uei" not in k["fields"]  # 52.204-23 does not ask for it
    assert k["fields"]["mitigation"].startswith("TO BE FILLED IN")
    assert k["confirmed"] and k["support"]["paths"] and k["support"]["evidence"]
    h = by_brand["Hangzhou Hikvision Digital Technology Co., Ltd."]
    assert h["clause"] == "FAR 52.204-25 (NOV 2021)" and h["paragraph"] == "(d)(2)(i)"
    assert h["deadline"].startswith("within one business day")
    assert h["fields"]["supplier_name"] == "Harbor Optics LLC"  # the sub-supplier's SBOM
    assert (h["fields"]["supplier_uei"], h["fields"]["supplier_cage"]) == ("HARB0PT1CS12", "1ABC2")
    assert h["fields"]["model_number"]["cpe"][0].startswith("cpe:2.3:o:hikvision:")
    assert not h["confirmed"]  # a review finding: to be confirmed
    assert [c["clause"] for c in data["clauses"]] == ["FAR 52.204-23 (DEC 2023)", "FAR 52.204-25 (NOV 2021)"]


def test_kaspersky_deadline_before_the_2023_amendment() -> None:
    """Before FAC 2023-06 took effect (Dec. 4, 2023) the clause said 1 business day."""
    data = far_dict(scan(EXAMPLE, as_of="2023-06-01"))
    k = next(d for d in data["reports"] if d["clause"].startswith("FAR 52.204-23"))
    assert k["clause"] == "FAR 52.204-23 (JUL 2018)" and k["deadline"].startswith("within 1 business day")
    assert CLAUSES["52.204-23"].date == "DEC 2023"


def test_nothing_to_report_before_the_laws() -> None:
    data = far_dict(scan(EXAMPLE, as_of="2017-01-01"))
    assert data["reports"] == [] and data["findings_not_drafted"] >= 1
    assert "nothing to report" in render_far_markdown(scan(EXAMPLE, as_of="2017-01-01"))


def test_markdown_and_cli(tmp_path: Path) -> None:
    code, out, err = run(
        "far-report",
        str(EXAMPLE),
        "--as-of",
        "2026-01-01",
        "--contract",
        "W912-26-C-0001",
        "--order",
        "0003",
        "--uei",
        "Harbor Optics LLC=HARB0PT1CS12",
    )
    assert code == 1, err  # the scan's outcome: fail
    assert out.startswith("# Draft contractor reports: FAR 52.204-23(c) and 52.204-25(d)")
    assert (
        "| Contract number | W912\\-26\\-C\\-0001 |" in out or "| Contract number | W912-26-C-0001 |" in out
    )
    assert "| Supplier unique entity identifier | HARB0PT1CS12 |" in out
    assert "**Deadline:** within 3 business days" in out and "**to be confirmed**" in out
    assert "## Clause text used: FAR 52.204-25 (NOV 2021), (d)(2)(i)" in out
    assert out.count("TO BE FILLED IN BY THE CONTRACTOR") == 2
    target = tmp_path / "far.json"
    code, _, _ = run(
        "far-report", str(EXAMPLE), "--as-of", "2026-01-01", "--format", "json", "-o", str(target)
    )
    data = json.loads(target.read_text(encoding="utf-8"))
    assert code == 1 and data["draft"] is True and len(data["reports"]) == 2
    assert data["reports"][0]["fields"]["contract_number"].startswith("TO BE FILLED IN")
    code, _, err = run("far-report", str(EXAMPLE), "--uei", "=")
    assert code == 2 and "--uei" in err


def test_markdown_escapes_sbom_text() -> None:
    report = scan(EXAMPLE, as_of="2026-01-01")
    f = report.findings[0]
    hostile = f._replace(component=f.component._replace(name="x|<script>[a](http://e.vil)"))
    text = render_far_markdown(report._replace(findings=(hostile,)))
    assert "<script>" not in text and "](http://" not in text and "x\\|&lt;script&gt;" in text
    assert date.fromisoformat(far_dict(report)["as_of"]) == date(2026, 1, 1)
