"""What the templates are given: the Report, and the few things derived from it for the
page — documents in tier order, the diagrams' geometry, which links may be links.

Nothing here decides anything the Report does not hold; it only arranges it.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Iterator, Mapping
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from .. import escape
from ..glossary import DISCLAIMER, GLOSSARY, product_name, split_note, verdict_sentence
from ..model import SEVERITIES, DocumentInfo, Finding, PathStep, Report, ReportDiagnostic
from ..text import format_path, listed_only_note
from .diagram import Diagram, layout

if TYPE_CHECKING:
    import jinja2
    from markupsafe import Markup

__all__ = ["HTML_MAX_PATHS", "environment", "iter_html", "safe_url"]

HTML_MAX_PATHS = 20
"""The most paths of one finding drawn as diagrams; the page says how many more there are
(the JSON report lists every one). A finding with 100,000 paths stays a readable page."""

MAX_DIAGNOSTICS = 50
"""Diagnostics listed (warnings and errors); the rest are counted."""

OUTCOME_LOOK = {
    "fail": ("FAIL", "✖"),
    "incomplete": ("INCOMPLETE", "◼"),
    "pass-with-gaps": ("PASS WITH GAPS", "◐"),
    "pass": ("PASS", "✔"),
}
"""Each outcome's banner: a word and a symbol, so the colour is never the only sign."""

SEVERITY_LOOK = {"prohibited": "✖ PROHIBITED", "review": "⚠ REVIEW", "notice": "ℹ NOTICE"}
"""Each severity's badge text: a symbol and a word beside its colour and border style."""


def text(value: object) -> str:
    """A value as the page shows it: controls written visibly, cut at
    :data:`~sbomscan.report.escape.MAX_SHOWN` characters (autoescaping does the rest);
    ``None`` or empty as ``—``.

    >>> text("a\\u202eb"), text(None), text(3)
    ('a\\\\u202eb', '—', '3')
    """
    if value is None or value == "":
        return "—"
    return escape.visible_controls(escape.shorten(str(value)))


def safe_url(url: str | None) -> str | None:
    """``url`` when it may be a link on the page (``https``/``http`` with a host), else
    ``None`` — an overlay's source written as ``javascript:...`` is shown as text.

    >>> safe_url("https://www.ecfr.gov/x"), safe_url("javascript:alert(1)"), safe_url("http:/x")
    ('https://www.ecfr.gov/x', None, None)
    """
    if not url or any(c.isspace() or not c.isprintable() for c in url):
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("https", "http") and parts.hostname else None


class _View:
    """The report's parts as the page arranges them."""

    def __init__(self, report: Report) -> None:
        self.report = report
        self.documents_by_path: Mapping[str, DocumentInfo] = {d.path: d for d in report.documents}

    @property
    def documents(self) -> list[DocumentInfo]:
        """Documents by tier (the product's first), then path."""
        return sorted(self.report.documents, key=lambda d: (d.tier, d.path))

    @property
    def product_documents(self) -> list[DocumentInfo]:
        top = min((d.tier for d in self.report.documents), default=0)
        return [d for d in self.documents if d.tier == top]

    def diagram(self, path: tuple[PathStep, ...]) -> Diagram:
        return layout(path, self.documents_by_path)

    def path_text(self, path: tuple[PathStep, ...]) -> str:
        return format_path(path, self.documents_by_path)

    @staticmethod
    def listed_note(f: Finding) -> str:
        note = listed_only_note(f.paths[0] if f.paths else (), f.component.id)
        return note[:1].upper() + note[1:] + "."

    @property
    def notable_diagnostics(self) -> list[ReportDiagnostic]:
        r = self.report
        return [
            d
            for d in (*r.diagnostics, *(x for doc in r.documents for x in doc.diagnostics))
            if d.severity != "info"
        ]

    @property
    def inputs_not_read(self) -> list[object]:
        return [i for i in self.report.inputs if i.status != "read"]


@cache
def environment(templates: str = "sbomscan.report.html") -> tuple[jinja2.Environment, Markup, str]:
    """The Jinja2 environment for the templates of the package ``templates`` (autoescaping
    on for every template, SBOM text through the ``t`` filter, addresses through ``url``),
    the report's stylesheet and the Content-Security-Policy that allows exactly that
    stylesheet and nothing else — one set of safety rules for every page sbomscan writes
    (the portfolio's changes page uses it too). Jinja2 is imported here, on the first HTML
    page, not by every command that imports the report package (it is a twentieth of the
    CLI's start-up)."""
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader(templates, "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["t"] = text
    env.filters["url"] = safe_url
    css = (resources.files(__package__) / "templates" / "report.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    return env, Markup(css), csp


def iter_html(report: Report) -> Iterator[str]:
    """The page in pieces, as the templates make them."""
    env, css, csp = environment()
    template = env.get_template("report.html.j2")
    yield from template.generate(
        r=report,
        view=_View(report),
        css=css,
        csp=csp,
        product=product_name(report),
        sentence=verdict_sentence(report),
        glossary=GLOSSARY,
        disclaimer=DISCLAIMER,
        split_note=split_note,
        outcome_look=OUTCOME_LOOK,
        severity_look=SEVERITY_LOOK,
        severities=SEVERITIES,
        max_paths=HTML_MAX_PATHS,
        max_diagnostics=MAX_DIAGNOSTICS,
    )
