"""The HTML report (issue 11 §1) read as markup, without a browser: what it shows for a
real scan, that it is self-contained (nothing to fetch, nothing to run), that no SBOM text
becomes markup, and the path diagrams' geometry. tests/test_report_html_browser.py opens
the same pages in Chromium."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from datetime import date
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import escape
from test_output_safety import DB, hostile, hostile_bom

import sbomscan
from sbomscan.report import SourceLink, render, write_report
from sbomscan.report.glossary import DISCLAIMER, GLOSSARY
from sbomscan.report.html import HTML_MAX_PATHS, render_html
from sbomscan.report.html.diagram import layout
from sbomscan.report.html.page import safe_url
from sbomscan.report.model import PathStep, Report

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "secure-gateway"
WAIVERS = ROOT / "examples" / "waivers.yaml"

# Every element and attribute the templates write. An element or attribute outside these
# sets in a page means SBOM text became markup.
TAGS = frozenset(
    [
        "html",
        "head",
        "meta",
        "title",
        "style",
        "body",
        "main",
        "header",
        "section",
        "p",
        "span",
        "ul",
        "ol",
        "li",
        "dl",
        "dt",
        "dd",
        "strong",
        "h1",
        "h2",
        "h3",
        "h4",
        "table",
        "caption",
        "colgroup",
        "col",
        "thead",
        "tbody",
        "tr",
        "th",
        "td",
        "a",
        "code",
        "time",
        "article",
        "figure",
        "figcaption",
        "br",
        "div",
        "footer",
        "svg",
        "g",
        "rect",
        "line",
        "polygon",
        "text",
    ]
)
ATTRIBUTES = frozenset(
    [
        "lang",
        "charset",
        "http-equiv",
        "content",
        "name",
        "class",
        "id",
        "aria-labelledby",
        "aria-label",
        "aria-hidden",
        "data-outcome",
        "data-count",
        "data-severity",
        "data-waived",
        "data-finding",
        "data-authority",
        "data-tier",
        "datetime",
        "href",
        "rel",
        "scope",
        "colspan",
        "title",
        "role",
        "viewbox",
        "width",
        "height",
        "xmlns",
        "x",
        "y",
        "x1",
        "y1",
        "x2",
        "y2",
        "rx",
        "points",
    ]
)


class Page(HTMLParser):
    """A page parsed: every start tag with its attributes, the text, the <style> text."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []
        self.style = ""
        self._in_style = False
        self.feed(html)
        self.close()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_style = tag == "style"

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        self._in_style = False

    def handle_data(self, data: str) -> None:
        if self._in_style:
            self.style += data
        else:
            self.text.append(data)

    def all(self, tag: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.tags if t == tag]

    def of_class(self, cls: str) -> list[tuple[str, dict[str, str | None]]]:
        return [(t, a) for t, a in self.tags if cls in (a.get("class") or "").split()]

    @property
    def words(self) -> str:
        return " ".join(" ".join(self.text).split())


@pytest.fixture(scope="module")
def example() -> tuple[Report, str, Page]:
    report = sbomscan.scan([EXAMPLE], waivers=WAIVERS, as_of=date(2026, 12, 5))
    html = render(report, "html")
    return report, html, Page(html)


def test_verdict_banner_comes_first_with_product_supplier_date_and_data(
    example: tuple[Report, str, Page],
) -> None:
    report, html, page = example
    body = html[html.index("<body>") :]
    assert body.index('class="verdict outcome-fail"') < body.index('id="findings-h"')
    words = page.words
    assert "✖ FAIL" in words and "Fail: NW-4000 Secure Mail Gateway (2 SBOMs, 13 components)" in words
    assert "Product NW-4000 Secure Mail Gateway (" in words and "gateway-appliance.cdx.json)" in words
    assert "Supplier Northwind Secure Systems, Inc." in words
    assert "As of 2026-12-05" in words and f"Entity data {report.entity_data_label}" in words
    counts = {a["data-count"]: None for a in page.all("strong") if "data-count" in a}
    assert set(counts) == {
        "prohibited",
        "review",
        "notice",
        "waived",
        "documents",
        "components",
        "unresolved",
    }
    assert re.search(r'data-count="prohibited">1<', html) and re.search(r'data-count="waived">1<', html)


def test_each_finding_has_severity_evidence_authorities_with_links_waiver_and_one_diagram_per_path(
    example: tuple[Report, str, Page],
) -> None:
    report, _, page = example
    articles = page.all("article")
    assert [a["id"] for a in articles] == [f"f-{f.id}" for f in report.findings]
    # one diagram per path, each named by its whole path for screen readers
    diagrams = page.of_class("diagram")
    assert len(diagrams) == sum(len(f.paths) for f in report.findings) == 2
    assert all(a.get("role") == "img" and a.get("aria-labelledby") for _, a in diagrams)
    # the Hikvision path crosses into Harbor Optics' tier-1 SBOM: two frames, the second
    # headed with that supplier and tier
    assert "Tier 1 SBOM · Harbor Optics LLC" in page.words
    assert len([a for t, a in page.tags if t == "g" and a.get("class") == "boundary"]) == 3
    assert len(page.of_class("crossing")) == 1
    # authorities: citation, and the official text linked from the entity data's sources
    kaspersky = report.findings[0]
    for a in kaspersky.authorities:
        assert a.citation in page.words
    hrefs = [a["href"] for a in page.all("a")]
    assert "https://www.ecfr.gov/current/title-47/section-1.50002" in hrefs
    assert all(s.url in hrefs for a in kaspersky.authorities for s in a.sources)
    assert "Official text:" in page.words
    # severity by word and symbol, not colour alone; waiver state for both findings
    assert "✖ PROHIBITED" in page.words and "⚠ REVIEW — waived" in page.words
    assert "Waiver not waived" in page.words
    assert "Waived by J. Smith, Contracting Officer until 2028-06-30" in page.words
    # scope notes (what the reviewer must check)
    # the question first, the citations that ask it below
    words = page.words
    assert "What to check Check whether this component is telecommunications equipment" in words
    assert "Pub. L. 115-232, div. A, title VIII, § 889 (scope: telecom-video)" in words


def test_documents_by_tier_coverage_unresolved_waivers_glossary_disclaimer(
    example: tuple[Report, str, Page],
) -> None:
    report, html, page = example
    docs = html[html.index('id="documents-h"') : html.index('id="coverage-h"')]
    assert docs.index("Northwind Secure Systems") < docs.index("Harbor Optics LLC")  # tier 0 first
    for d in report.documents:
        assert f'title="{d.sha256}">{d.sha256}</code>' in docs  # whole hash kept, cut only by CSS
    assert "13 of 13 components checked, 0 opaque" in page.words
    assert "1 referenced sub-SBOM not supplied; 1 input not read" in page.words
    assert "README.md" in html[html.index('id="not-read-h"') :]
    assert "the SBOM of remote-admin-agent 1.9.0" in page.words  # unresolved link
    waivers = html[html.index('id="waivers-h"') : html.index('id="data-h"')]
    assert "applied" in waivers and "J. Smith" in waivers
    for term, meaning in GLOSSARY:
        assert f"<dt>{escape(term)}</dt><dd>{escape(meaning)}</dd>" in html.replace("\n", "")
    assert " ".join(DISCLAIMER.split()) in page.words


def test_self_contained_nothing_to_fetch_or_run(example: tuple[Report, str, Page]) -> None:
    _, _, page = example
    assert {t for t, _ in page.tags} <= TAGS
    assert {k for _, attrs in page.tags for k in attrs} <= ATTRIBUTES
    # no script, no external anything: links only to the page itself or to official texts
    assert not page.all("script") and not page.all("link") and not page.all("img")
    assert all(
        a["href"] and (a["href"].startswith("#f-") or a["href"].startswith("https://")) for a in page.all("a")
    )
    assert "url(" not in page.style and "@import" not in page.style and "@font-face" not in page.style
    # the CSP allows exactly this stylesheet, by hash, and nothing else
    (csp,) = [m["content"] for m in page.all("meta") if m.get("http-equiv") == "Content-Security-Policy"]
    digest = base64.b64encode(hashlib.sha256(page.style.encode()).digest()).decode()
    assert csp == f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"


def test_same_scan_same_bytes_and_streamed_pieces_equal_render(example: tuple[Report, str, Page]) -> None:
    report, html, _ = example
    chunks: list[str] = []
    write_report(report, "html", chunks.append)
    assert len(chunks) > 10 and "".join(chunks) == html == render_html(report)


@pytest.mark.parametrize(
    ("root", "outcome", "banner", "none"),
    [
        ({"purl": "pkg:generic/clean-app@1"}, "pass", "✔ PASS", "No covered-vendor components found."),
        (
            {},
            "pass-with-gaps",
            "◐ PASS WITH GAPS",
            "No covered-vendor components found in what could be checked",
        ),
    ],
)
def test_a_clean_product_says_so(
    tmp_path: Path, root: dict[str, str], outcome: str, banner: str, none: str
) -> None:
    bom = tmp_path / "clean.cdx.json"
    bom.write_bytes(
        orjson.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "metadata": {"component": {"bom-ref": "app", "name": "Clean App", "version": "1", **root}},
                "components": [{"bom-ref": "lib", "name": "lib", "version": "2", "purl": "pkg:pypi/lib@2"}],
                "dependencies": [{"ref": "app", "dependsOn": ["lib"]}],
            }
        )
    )
    r = sbomscan.scan([bom], entities=DB, as_of=date(2026, 1, 1))
    page = Page(render(r, "html"))
    assert r.outcome == outcome and banner in page.words and none in page.words
    assert page.of_class(f"outcome-{outcome}")
    assert not page.of_class("diagram")


def test_many_paths_are_drawn_up_to_the_cap_and_counted(tmp_path: Path) -> None:
    r = sbomscan.scan([EXAMPLE], waivers=WAIVERS, as_of=date(2026, 12, 5))
    f = r.findings[0]
    step = f.paths[0]
    many = tuple((*step[:-1], step[-1]._replace(id=f"{step[-1].id}{i}")) for i in range(HTML_MAX_PATHS + 7))
    r = r._replace(findings=(f._replace(paths=many), *r.findings[1:]))
    page = Page(render_html(r))
    assert len(page.of_class("diagram")) == HTML_MAX_PATHS + 1  # + the other finding's one
    assert "7 more paths not drawn here; the JSON report lists every path." in page.words
    assert f"Path {HTML_MAX_PATHS} of {HTML_MAX_PATHS + 7}" in page.words


# -- injection -------------------------------------------------------------------------

PAYLOADS = (
    '<img src=x onerror="document.title=1">',
    "<script>document.title=2</script>",
    '"><svg onload=alert(3)>',
    "</title></svg><iframe src=//evil.example>",
    "{{ 7*7 }}{% raw %}",
    "javascript:alert(4)",
    "\u202eevil\x1b[2J",
)


def _markup_of(html: str) -> Page:
    page = Page(html)
    assert {t for t, _ in page.tags} <= TAGS, {t for t, _ in page.tags} - TAGS
    assert {k for _, attrs in page.tags for k in attrs} <= ATTRIBUTES
    assert all((a["href"] or "").startswith(("#f-", "https://")) for a in page.all("a"))
    assert not re.search(
        r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069]", html
    )
    return page


@pytest.mark.parametrize("payload", PAYLOADS)
def test_sbom_text_never_becomes_markup(tmp_path: Path, payload: str) -> None:
    bom = tmp_path / "bom.json"
    bom.write_bytes(hostile_bom(payload, payload, payload, payload))
    r = sbomscan.scan([bom], entities=DB, as_of=date(2026, 1, 1))
    assert r.findings
    page = _markup_of(render_html(r))
    shown = sbomscan.report.escape.visible_controls(payload)
    assert shown in page.words.replace(" ", "") or shown.replace(" ", "") in page.words.replace(" ", "")
    assert "49" not in page.words.split()  # the template syntax was not evaluated


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=hostile, version=hostile, group=hostile, other=hostile)
def test_hostile_documents_render_as_text_only(
    tmp_path: Path, name: str, version: str, group: str, other: str
) -> None:
    bom = tmp_path / "bom.json"
    bom.write_bytes(hostile_bom(name, version, group, other))
    r = sbomscan.scan([bom], entities=DB, as_of=date(2026, 1, 1))
    _markup_of(render_html(r))


def test_only_web_addresses_become_links() -> None:
    r = sbomscan.scan([EXAMPLE], waivers=WAIVERS, as_of=date(2026, 12, 5))
    f = r.findings[0]
    bad = (SourceLink("evil", "javascript:alert(1)", True), SourceLink("ok", "https://example.org/x", True))
    a = f.authorities[0]._replace(sources=bad)
    r = r._replace(findings=(f._replace(authorities=(a,)),))
    page = _markup_of(render_html(r))
    assert [x["href"] for x in page.all("a") if not x["href"].startswith("#")] == ["https://example.org/x"]
    assert "evil javascript:alert(1)" in page.words
    assert safe_url("https://a.example/") and not safe_url("data:text/html,x") and not safe_url("https://a b")


# -- diagram geometry ---------------------------------------------------------------------

docs = st.sampled_from(["p.json", "cam.json", "fw.spdx.json", None])
steps = st.builds(
    PathStep,
    id=st.text(min_size=1, max_size=5),
    name=st.text(max_size=90),
    version=st.none() | st.text(max_size=12),
    relation=st.sampled_from(["depends_on", "contains", "links to", "listed", "variant_of"]),
    document=docs,
    tier=st.none() | st.integers(0, 4),
)


def _runs(path: tuple[PathStep, ...]) -> Iterator[int]:
    """Where the path enters another SBOM than the one it is in (the frames' starts); a
    step that names no SBOM stays where the path is."""
    current = None
    for i, s in enumerate(path):
        if i == 0 or (s.document is not None and current is not None and s.document != current):
            yield i
            current = None
        current = current or s.document


@given(st.lists(steps, min_size=1, max_size=12).map(tuple))
def test_diagram_one_box_per_step_frames_at_every_boundary_nothing_overlaps(
    path: tuple[PathStep, ...],
) -> None:
    d = layout(path, {})
    assert len(d.boxes) == len(path) and len(d.arrows) == len(path) - 1
    assert [b.role for b in d.boxes][-1] == "target" and (len(path) == 1 or d.boxes[0].role == "root")
    starts = list(_runs(path))
    if any(s.document for s in path):
        assert len(d.frames) == len(starts)
        # an arrow crosses exactly where the path enters another SBOM
        assert [i + 1 for i, a in enumerate(d.arrows) if a.crosses] == starts[1:]
        for f, (a, b) in zip(d.frames, pairwise([*starts, len(path)]), strict=True):
            inside = d.boxes[a:b]
            assert all(
                f.y + 40 < x.y and x.y + x.h < f.y + f.h and f.x < x.x and x.x + x.w < f.x + f.w
                for x in inside
            )
        assert all(f1.y + f1.h < f2.y for f1, f2 in pairwise(d.frames))
    else:
        assert not d.frames
    assert all(b1.y + b1.h < b2.y for b1, b2 in pairwise(d.boxes))
    assert all(b.x >= 0 and b.x + b.w <= d.width and b.y + b.h <= d.height for b in d.boxes)
    assert all(len(b.text) <= 60 for b in d.boxes)
