"""The HTML report in a real browser (issue 11 §1): Debian's Chromium, headless, driven by
Playwright (the ``playwright`` package of the test extra; it drives the system browser,
so nothing is downloaded). ``.ci/run`` installs the ``chromium`` package when it is
missing; elsewhere these tests skip with a reason when there is no browser, and under CI
(``CI`` set) they fail instead, so a CI run can never pass without having opened a page.

Each page is opened from a file, as an officer opens a report they were sent, with every
request the page makes recorded and refused: the only one allowed is the page itself.
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from datetime import date
from itertools import pairwise
from pathlib import Path
from typing import Any

import orjson
import pytest
from test_output_safety import DB

import sbomscan
from sbomscan.report import render

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "secure-gateway"
WAIVERS = ROOT / "examples" / "waivers.yaml"
SCREENSHOTS = ROOT / "docs" / "screenshots"
"""Where the screenshots docs/procurement-officer.md shows are written (git-ignored)."""

CHROMIUM = os.environ.get("SBOMSCAN_CHROMIUM", "/usr/bin/chromium")
# As the machine notes advise for a closed network: no background connections, no first-run
# work, no GPU; --no-sandbox because CI runs as root.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
UNDER_CI = os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def _missing() -> str | None:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "the playwright package is not installed (pip install '.[test]')"
    if not (Path(CHROMIUM).is_file() or shutil.which(CHROMIUM)):
        return f"no Chromium at {CHROMIUM} (apt-get install chromium; .ci/run does)"
    return None


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    missing = _missing()
    if missing:
        if UNDER_CI:
            pytest.fail(f"browser tests cannot run under CI: {missing}")
        pytest.skip(missing)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield b
        b.close()


class Opened:
    """A page opened from ``path`` with every request and console message recorded."""

    def __init__(self, browser: Any, path: Path, width: int = 1280, height: int = 800) -> None:
        self.url = path.as_uri()
        self.context = browser.new_context(
            viewport={"width": width, "height": height}, java_script_enabled=True
        )
        self.requests: list[str] = []
        self.refused: list[str] = []
        self.console: list[tuple[str, str]] = []
        self.errors: list[str] = []

        def route(r: Any) -> None:
            if r.request.url == self.url:
                r.continue_()
            else:
                self.refused.append(r.request.url)
                r.abort()

        self.context.route("**/*", route)
        self.page = self.context.new_page()
        self.page.on("request", lambda req: self.requests.append(req.url))
        self.page.on("console", lambda m: self.console.append((m.type, m.text)))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.goto(self.url, wait_until="load")

    def js(self, script: str, arg: Any = None) -> Any:
        return self.page.evaluate(script, arg)

    def close(self) -> None:
        self.context.close()

    def assert_quiet(self) -> None:
        """Nothing fetched but the page itself; no console error; no script error."""
        assert self.requests == [self.url] and not self.refused, (self.requests, self.refused)
        assert [m for m in self.console if m[0] in ("error", "warning")] == [], self.console
        assert self.errors == []


def _write(tmp: Path, report: sbomscan.Report, name: str = "report.html") -> Path:
    out = tmp / name
    out.write_text(render(report, "html"), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def example(tmp_path_factory: pytest.TempPathFactory) -> tuple[sbomscan.Report, Path]:
    """The example scanned as the README does, from the checkout's root (so the report, and
    the screenshots in the docs, name its files as ``examples/secure-gateway/...``)."""
    here = Path.cwd()
    os.chdir(ROOT)
    try:
        report = sbomscan.scan(
            [EXAMPLE.relative_to(ROOT)], waivers=WAIVERS.relative_to(ROOT), as_of=date(2026, 12, 5)
        )
    finally:
        os.chdir(here)
    return report, _write(tmp_path_factory.mktemp("html"), report)


def test_example_opens_without_requests_or_errors_and_shows_the_verdict(browser: Any, example: Any) -> None:
    report, path = example
    page = Opened(browser, path)
    try:
        page.assert_quiet()
        assert page.page.title().startswith("FAIL · NW-4000 Secure Mail Gateway")
        banner = page.page.locator("section.verdict")
        assert banner.locator(".outcome").inner_text() == "✖ FAIL"
        assert "1 prohibited finding" in banner.locator(".sentence").inner_text()
        # the banner is the first thing after the title
        order = page.js("[...document.querySelectorAll('h1, section.verdict, h2')].map(e => e.tagName)")
        assert order[:2] == ["H1", "SECTION"]
        counts = page.js(
            "Object.fromEntries([...document.querySelectorAll('[data-count]')]"
            ".map(e => [e.dataset.count, Number(e.textContent)]))"
        )
        s = report.summary
        assert counts == {
            "prohibited": s.prohibited,
            "review": s.review,
            "notice": s.notice,
            "waived": s.waived,
            "documents": s.documents,
            "components": s.components,
            "unresolved": s.unresolved_links,
        }
    finally:
        page.close()


def test_one_diagram_per_path_with_supplier_boundaries_and_working_links(browser: Any, example: Any) -> None:
    report, path = example
    page = Opened(browser, path)
    try:
        findings = page.js(
            """[...document.querySelectorAll('article.finding')].map(a => ({
                id: a.dataset.finding,
                diagrams: [...a.querySelectorAll('svg.diagram')].map(s => ({
                    name: document.getElementById(s.getAttribute('aria-labelledby')).textContent,
                    boxes: [...s.querySelectorAll('g.step text')].map(t => t.textContent),
                    frames: [...s.querySelectorAll('g.boundary')].map(g => g.textContent.trim().split(/\\s+/).join(' ')),
                    crossings: [...s.querySelectorAll('g.crossing text')].map(t => t.textContent),
                    width: s.getBoundingClientRect().width,
                })),
                links: [...a.querySelectorAll('a[href]')].map(l => l.href),
            }))"""
        )
        assert [f["id"] for f in findings] == [f.id for f in report.findings]
        for shown, f in zip(findings, report.findings, strict=True):
            assert len(shown["diagrams"]) == len(f.paths)
            for d, p in zip(shown["diagrams"], f.paths, strict=True):
                assert d["boxes"] == [s.label() for s in p]
                assert len(d["frames"]) == len({s.document for s in p}) and d["name"].startswith(p[0].label())
            assert {s.url for a in f.authorities for s in a.sources} <= set(shown["links"])
        hik = findings[1]["diagrams"][0]
        assert hik["crossings"] == ["links to"]
        assert "Tier 1 SBOM · Harbor Optics LLC" in hik["frames"][1]
        # the index links to each finding, and each link's target exists
        targets = page.js(
            "[...document.querySelectorAll('a[href^=\"#\"]')].map(a => !!document.getElementById(a.hash.slice(1)))"
        )
        assert targets == [True] * len(report.findings)
        external = page.js(
            "[...document.querySelectorAll('a[href]:not([href^=\"#\"])')].map(a => a.protocol)"
        )
        assert external and set(external) == {"https:"}
    finally:
        page.close()


def _overflow(page: Opened) -> dict[str, Any]:
    return page.js(
        """({page: document.documentElement.scrollWidth - document.documentElement.clientWidth,
             wide: [...document.querySelectorAll('main *')].filter(e => {
                 const r = e.getBoundingClientRect();
                 return r.width > 0 && r.right > document.documentElement.clientWidth + 1;
             }).map(e => e.tagName + '.' + e.className).slice(0, 5)})"""
    )


def _long_values(tmp: Path) -> Path:
    """A product whose names, purl, supplier and hashes are long unbroken runs."""
    long = "x" * 400
    bom = tmp / ("very-long-file-name-" + "y" * 120 + ".cdx.json")
    bom.write_bytes(
        orjson.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "metadata": {
                    "component": {"bom-ref": "root", "name": "Root" + long, "version": "1"},
                    "supplier": {"name": "Supplier" + long},
                },
                "components": [
                    {
                        "bom-ref": "av-" + long,
                        "name": "engine-" + long,
                        "version": "9" * 80,
                        "supplier": {"name": "AO Kaspersky Lab"},
                        "purl": f"pkg:generic/kaspersky/engine-{long}@1?x={long}",
                    }
                ],
                "dependencies": [{"ref": "root", "dependsOn": ["av-" + long]}],
            }
        )
    )
    return bom


@pytest.mark.parametrize(("width", "height"), [(1280, 800), (1366, 768), (1024, 768)])
def test_fits_a_laptop_screen_without_horizontal_scrolling(
    browser: Any, example: Any, tmp_path: Path, width: int, height: int
) -> None:
    _, path = example
    long_report = sbomscan.scan([_long_values(tmp_path)], entities=DB, as_of=date(2026, 1, 1))
    assert long_report.findings
    for p in (path, _write(tmp_path, long_report)):
        page = Opened(browser, p, width, height)
        try:
            page.assert_quiet()
            assert _overflow(page) == {"page": 0, "wide": []}
            # a cut hash keeps its whole value for hover and copy
            full = page.js(
                "[...document.querySelectorAll('code.hash')].every(c => c.title === c.textContent && c.textContent.length >= 64)"
            )
            assert full
        finally:
            page.close()


HOSTILE = (
    "<img src=x onerror=\"document.title='pwned'\">",
    "<script>document.title='pwned'</script>",
    '"><svg onload="document.title=\'pwned\'"></svg>',
    "</title></svg><iframe src=https://evil.example/></iframe>",
)


@pytest.mark.parametrize("csp", [True, False], ids=["as-written", "without-its-csp"])
def test_injected_markup_executes_nothing_and_shows_as_text(browser: Any, tmp_path: Path, csp: bool) -> None:
    """Component, supplier, version and group all carry markup; the page must show it as
    text. Run once as written and once with the page's Content-Security-Policy removed, so
    the escaping is tested on its own and not only the policy behind it."""
    bom = tmp_path / "hostile.cdx.json"
    name, supplier, version, group = HOSTILE
    bom.write_bytes(
        orjson.dumps(
            {
                "bomFormat": "CycloneDX",
                "specVersion": "1.6",
                "metadata": {
                    "component": {"bom-ref": "root", "name": supplier, "version": "1"},
                    "supplier": {"name": supplier},
                },
                "components": [
                    {
                        "bom-ref": "av",
                        "name": name,
                        "version": version,
                        "group": group,
                        "supplier": {"name": "AO Kaspersky Lab"},
                        "description": name,
                    }
                ],
                "dependencies": [{"ref": "root", "dependsOn": ["av"]}],
            }
        )
    )
    report = sbomscan.scan([bom], entities=DB, as_of=date(2026, 1, 1))
    assert report.findings
    html = render(report, "html")
    if not csp:
        html, n = re.subn(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", html)
        assert n == 1
    out = tmp_path / "hostile.html"
    out.write_text(html, encoding="utf-8")
    page = Opened(browser, out)
    try:
        page.assert_quiet()
        assert page.page.title() != "pwned" and page.page.title().startswith("FAIL · ")
        markup = page.js(
            "document.querySelectorAll('img, script, iframe, svg svg svg').length"
            " + [...document.querySelectorAll('svg')].filter(s => !s.closest('svg.diagram')).length"
        )
        assert markup == 0
        text = page.js("document.body.innerText")
        for payload in HOSTILE:
            assert payload in text or payload.replace("\n", " ") in text
        diagram_text = page.js(
            "[...document.querySelectorAll('svg.diagram g.step')].map(g => g.textContent).join(' ')"
        )
        assert "<img src=x" in diagram_text
    finally:
        page.close()


def test_prints_to_pdf_on_a4_without_cutting_anything(browser: Any, example: Any) -> None:
    _, path = example
    # the printable width of A4 with the print stylesheet's 12 mm side margins, at 96 px/in
    printable = round((210 - 24) / 25.4 * 96)
    page = Opened(browser, path, printable, 1000)
    try:
        page.page.emulate_media(media="print")
        assert _overflow(page) == {"page": 0, "wide": []}
        hashes_wrap = page.js(
            "[...document.querySelectorAll('code.hash')].every(c => getComputedStyle(c).whiteSpace === 'normal')"
        )
        assert hashes_wrap  # printed in full, not cut
        pdf = page.page.pdf(format="A4", print_background=True)
        assert pdf.startswith(b"%PDF-") and len(pdf) > 20_000
        pages = len(re.findall(rb"/Type\s*/Page(?!s)", pdf))
        assert 2 <= pages <= 12, pages
        page.assert_quiet()
    finally:
        page.close()


_CONTRAST = """() => {
  const rgb = s => { const m = /rgba?\\(([^)]+)\\)/.exec(s); if (!m) return null;
    const p = m[1].split(/[\\s,\\/]+/).filter(Boolean).map(Number);
    return {r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1}; };
  const lum = c => { const f = v => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
    return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const ratio = (a, b) => { const x = lum(a), y = lum(b); return (Math.max(x, y) + 0.05) / (Math.min(x, y) + 0.05); };
  const back = el => { for (let e = el; e; e = e.parentElement) { const c = rgb(getComputedStyle(e).backgroundColor);
    if (c && c.a > 0) return c; } return {r: 255, g: 255, b: 255, a: 1}; };
  const large = cs => { const size = parseFloat(cs.fontSize), bold = parseInt(cs.fontWeight) >= 700;
    return size >= 24 || (bold && size >= 18.66); };
  const bad = []; let checked = 0;
  const walk = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walk.nextNode()) {
    const t = walk.currentNode; if (!t.textContent.trim()) continue;
    const el = t.parentElement; if (el.closest('svg')) continue;
    const cs = getComputedStyle(el); checked++;
    const r = ratio(rgb(cs.color), back(el));
    if (r < (large(cs) ? 3 : 4.5)) bad.push([el.tagName, el.className, t.textContent.slice(0, 30), r.toFixed(2)]);
  }
  // SVG text against the shape behind it: a step's box, a frame's heading band, and for a
  // relation both the frame's fill and the page (it may sit between two frames)
  const fill = sel => rgb(getComputedStyle(sel).fill);
  for (const t of document.querySelectorAll('svg.diagram text')) {
    const g = t.closest('g'); const cs = getComputedStyle(t); checked++;
    let behind = [];
    if (g.classList.contains('step')) behind = [fill(g.querySelector('rect'))];
    else if (g.classList.contains('boundary')) behind = [fill(g.querySelector('rect.frame-head'))];
    else behind = [...t.closest('svg').querySelectorAll('rect.frame')].map(fill).concat([{r: 255, g: 255, b: 255}]);
    for (const b of behind) { const r = ratio(fill(t), b); if (r < 4.5) bad.push(['svg text', g.className.baseVal, t.textContent.slice(0, 30), r.toFixed(2)]); }
  }
  return {checked, bad};
}"""


def test_accessible_headings_table_headers_names_and_contrast(browser: Any, example: Any) -> None:
    _, path = example
    page = Opened(browser, path)
    try:
        assert page.js("document.documentElement.lang") == "en"
        levels = page.js("[...document.querySelectorAll('h1,h2,h3,h4,h5,h6')].map(h => Number(h.tagName[1]))")
        assert levels.count(1) == 1 and levels[0] == 1
        assert all(b <= a + 1 for a, b in pairwise(levels)), levels  # no level skipped
        tables = page.js(
            """[...document.querySelectorAll('table')].map(t => ({
                cols: t.querySelectorAll('thead th[scope=col]').length,
                cells: t.querySelector('tbody tr') ? t.querySelector('tbody tr').children.length : 0}))"""
        )
        assert tables and all(t["cols"] >= 2 and t["cols"] == t["cells"] for t in tables), tables
        names = page.js(
            "[...document.querySelectorAll('svg.diagram')].map(s => s.getAttribute('role') + ':' +"
            " (document.getElementById(s.getAttribute('aria-labelledby')) || {}).textContent)"
        )
        assert names and all(n.startswith("img:NW-4000 Secure Mail Gateway 7.2 → ") for n in names)
        assert page.js("[...document.querySelectorAll('a')].every(a => a.textContent.trim().length > 0)")
        result = page.js(_CONTRAST)
        assert result["checked"] > 200 and result["bad"] == [], result["bad"]
    finally:
        page.close()


def test_screenshots_for_the_procurement_officer_guide(browser: Any, example: Any) -> None:
    """docs/procurement-officer.md shows these: the top of the example's report, and the
    Hikvision finding's path across the supplier boundary. Written to docs/screenshots/
    (git-ignored: made again by every run, never committed)."""
    _, path = example
    SCREENSHOTS.mkdir(exist_ok=True)
    page = Opened(browser, path, 1280, 900)
    try:
        top = SCREENSHOTS / "html-report.png"
        page.page.screenshot(path=str(top))
        figure = page.page.locator("article.finding").nth(1).locator("figure.path").first
        diagram = SCREENSHOTS / "html-report-path.png"
        figure.screenshot(path=str(diagram))
        for shot in (top, diagram):
            assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 10_000
        guide = (ROOT / "docs" / "procurement-officer.md").read_text(encoding="utf-8")
        assert all(f"](screenshots/{shot.name})" in guide for shot in (top, diagram))
    finally:
        page.close()
