"""Properties of the verdict (issue 8, "Done when"): for any bundle and any subset of its
files corrupted or renamed, the outcome is never ``pass``, and every input appears exactly
once in the report, as read or not read.

A corrupted file here is a damaged SBOM: bytes put before it, after it or over part of it,
or its end cut off. Each damage keeps the document's own SBOM markers (``bomFormat``,
``spdxVersion``, the schema namespaces — see :func:`sbomscan.ingest.detect.sbom_markers`):
a file cut or overwritten until no sign of an SBOM is left, and renamed as well, is
indistinguishable from a README, and is listed without counting (``--count-skipped`` makes
it count). A renamed file that is not damaged is read by its content, so renaming alone
changes nothing: not the outcome, not a finding id.

SPDX tag-value has no end: a tag-value file cut at a line boundary is a valid, shorter
document. The damage here always leaves a partial line, which the lenient reader skips with
a warning; the file is then read, and the findings left in the bundle decide.
"""

from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sbomscan import scan
from sbomscan.entities import EntityDatabase, load_entities
from sbomscan.report import Report

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
BUNDLES = {
    # a prime contractor's SBOM (prohibited Kaspersky engine) linking to a subcontractor's
    "secure-gateway": ROOT / "examples" / "secure-gateway",
    # three tiers, a review finding at tier 2 and a sub-SBOM never supplied
    "tiers": HERE / "fixtures" / "e2e" / "tiers",
    # SPDX JSON and tag-value with prohibited and review findings
    "spdx": HERE / "fixtures" / "e2e" / "spdx",
}
_MARKERS = re.compile(rb"bomFormat|spdxVersion|SPDXVersion|SPDXRef-|cyclonedx\.org/schema|spdx\.org/rdf")
_NAMES = st.from_regex(r"[a-z][a-z0-9_-]{0,10}(\.(bak|sbom|txt|json|old|xml|spdx))?", fullmatch=True)


@pytest.fixture(scope="module")
def db() -> EntityDatabase:
    return load_entities()


def _sbom_files(bundle: Path) -> list[Path]:
    return sorted(p for p in bundle.iterdir() if p.is_file() and p.suffix != ".md")


def _safe_spans(data: bytes) -> list[tuple[int, int]]:
    """Where bytes may be damaged without touching a marker: the gaps between them."""
    spans, pos = [], 0
    for m in _MARKERS.finditer(data):
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    spans.append((pos, len(data)))
    return [s for s in spans if s[1] - s[0] >= 2]


@st.composite
def damage(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` made unreadable, its markers kept. Every damage puts a NUL byte into the
    document's text, which no JSON, XML, YAML or tag-value document may hold."""
    kind = draw(st.sampled_from(["prefix", "suffix", "overwrite", "truncate"]))
    junk = draw(st.binary(max_size=12)) + b"\x00" + draw(st.binary(max_size=4))
    if kind == "prefix":
        return junk + data
    if kind == "suffix":
        return data + junk
    last = max(m.end() for m in _MARKERS.finditer(data))
    if kind == "truncate":
        # cut after the last marker, before the document's last closing character
        end = len(data.rstrip())
        if end - 1 > last:
            return data[: draw(st.integers(last, end - 2))] + b"\x00"
        return data + junk
    start, stop = draw(st.sampled_from(_safe_spans(data)))
    at = draw(st.integers(start, stop - 1))
    return data[:at] + junk[: max(1, stop - at)] + data[at + 1 :]


def _scan(folder: Path, db: EntityDatabase) -> Report:
    return scan([folder], entities=db, as_of="2026-06-01", locate=False)


_BEFORE: dict[str, Report] = {}


def _before(which: str, db: EntityDatabase) -> Report:
    """The bundle as shipped, scanned once."""
    if which not in _BEFORE:
        with tempfile.TemporaryDirectory() as tmp:
            shutil.copytree(BUNDLES[which], Path(tmp) / "b", ignore=shutil.ignore_patterns("*.md"))
            _BEFORE[which] = _scan(Path(tmp) / "b", db)
    return _BEFORE[which]


def _damage_shows(report: Report, path: str) -> bool:
    """The damaged file is not read and counts, or was read with a warning about it."""
    (record,) = [i for i in report.inputs if i.path == path]
    if record.status != "read":
        return record.counts
    (doc,) = [d for d in report.documents if d.path == path]
    return any(d.severity in ("warning", "error") for d in doc.diagnostics)


def _inputs_once(report: Report, folder: Path) -> None:
    given_files = sorted(str(p) for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    assert sorted(i.path for i in report.inputs) == given_files
    assert all(i.status in ("read", "not-read") for i in report.inputs)
    assert sorted(d.path for d in report.documents) == sorted(
        i.path for i in report.inputs if i.status == "read"
    )


@settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data(), which=st.sampled_from(sorted(BUNDLES)))
def test_a_damaged_or_renamed_bundle_never_passes(
    db: EntityDatabase, data: st.DataObject, which: str
) -> None:
    files = _sbom_files(BUNDLES[which])
    chosen = data.draw(st.lists(st.sampled_from(files), min_size=1, unique=True), label="files")
    damaged = {p for p in chosen if data.draw(st.booleans(), label=f"damage {p.name}")}
    renamed = {p for p in chosen if p not in damaged} | {
        p for p in damaged if data.draw(st.booleans(), label=f"rename {p.name}")
    }
    names = data.draw(st.lists(_NAMES, min_size=len(files), max_size=len(files), unique=True), label="names")
    with tempfile.TemporaryDirectory() as tmp:
        bundle = Path(tmp) / "bundle"
        bundle.mkdir()
        for p, name in zip(files, names, strict=True):
            content = p.read_bytes()
            if p in damaged:
                content = data.draw(damage(content), label=f"damaged {p.name}")
            (bundle / (name if p in renamed else p.name)).write_bytes(content)
        before = _before(which, db)
        after = _scan(bundle, db)
        _inputs_once(after, bundle)
        if damaged:
            assert after.outcome in ("fail", "incomplete"), after.verdict
            assert after.verdict.exit_status in (1, 2)
            for p, name in zip(files, names, strict=True):
                if p in damaged:
                    assert _damage_shows(after, str(bundle / (name if p in renamed else p.name))), p
        else:  # renamed only: read by content, nothing changes
            assert after.outcome == before.outcome
            assert sorted(f.id for f in after.findings) == sorted(f.id for f in before.findings)
            assert all(i.status == "read" for i in after.inputs)


def test_the_example_with_six_bytes_before_the_kaspersky_sbom_is_incomplete(
    tmp_path: Path, db: EntityDatabase
) -> None:
    """The case of the issue: six bytes before the tier-0 SBOM used to make it vanish and
    the scan pass."""
    bundle = tmp_path / "bundle"
    shutil.copytree(BUNDLES["secure-gateway"], bundle, ignore=shutil.ignore_patterns("*.md"))
    target = bundle / "gateway-appliance.cdx.json"
    target.write_bytes(b"\x00JUNK\x00" + target.read_bytes())
    report = _scan(bundle, db)
    assert report.outcome == "incomplete" and report.verdict.exit_status == 2
    (record,) = [i for i in report.inputs if i.status == "not-read"]
    assert (Path(record.path).name, record.reason, record.counts) == (
        "gateway-appliance.cdx.json",
        "malformed",
        True,
    )
    _inputs_once(report, bundle)


@pytest.mark.parametrize("keep", [0, 1, 5, 12])
def test_an_sbom_cut_before_its_first_marker_counts_by_its_name(
    tmp_path: Path, db: EntityDatabase, keep: int
) -> None:
    """Cut so short that no marker is left, a file named like an SBOM still counts: it has
    not shown that it is not one. Renamed as well, it is listed without counting."""
    bundle = tmp_path / "bundle"
    shutil.copytree(BUNDLES["secure-gateway"], bundle, ignore=shutil.ignore_patterns("*.md"))
    target = bundle / "gateway-appliance.cdx.json"
    target.write_bytes(target.read_bytes()[:keep])
    report = _scan(bundle, db)
    assert report.outcome == "incomplete"
    (record,) = [i for i in report.inputs if i.status == "not-read"]
    assert record.counts and "named like an SBOM" in record.message
    target.rename(bundle / "notes.txt")
    report = _scan(bundle, db)
    (record,) = [i for i in report.inputs if i.status == "not-read"]
    assert not record.counts and report.outcome != "incomplete"
