"""The HTML report: one self-contained page for a procurement officer to look at, print
and file.

The page carries everything it shows — inline CSS, inline SVG path diagrams, no script,
font, image or other file from anywhere — so it opens the same on an air-gapped machine
and a year later in a case file. Its Content-Security-Policy allows nothing to be fetched
or run (``default-src 'none'``; only its own stylesheet, by hash), so even a browser that
followed a crafted link in it would load nothing.

It is written by Jinja2 templates (``templates/``, package data) with autoescaping on:
every value from an SBOM, a waiver file or an entity-data overlay is text, never markup —
a component named ``<script>`` shows as those characters. Controls and bidirectional
overrides are shown visibly and long values cut, as in the other human formats
(:mod:`sbomscan.report.escape`). Like every renderer it reads only the
:class:`~sbomscan.report.model.Report`; the officer wording (verdict sentence, glossary,
disclaimer) is :mod:`sbomscan.report.glossary`'s, shared with the text and Markdown reports.

>>> from datetime import date
>>> from sbomscan.report.model import Report, ToolInfo
>>> page = render_html(Report(2, ToolInfo("sbomscan", "0.1.0"), "t", date(2026, 1, 2), (), ()))
>>> page.startswith("<!DOCTYPE html>") and "Pass" in page and "<script" not in page
True
"""

from __future__ import annotations

from collections.abc import Callable

from ..model import Report
from .page import HTML_MAX_PATHS, iter_html

__all__ = ["HTML_MAX_PATHS", "render_html", "write_html"]


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page."""
    return "".join(iter_html(report))


def write_html(report: Report, write: Callable[[str], object]) -> None:
    """The page handed to ``write`` in pieces as the templates make them (the same text as
    :func:`render_html`)."""
    for chunk in iter_html(report):
        write(chunk)
