"""The changes of a portfolio run as one self-contained HTML page: the HTML report's own
stylesheet and safety rules (autoescaping, SBOM text through the report's ``text`` filter,
a Content-Security-Policy that allows that stylesheet and nothing else — the same
environment, :func:`sbomscan.report.html.page.environment`), read only from the
:class:`~sbomscan.portfolio.changes.ProductChanges` given."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ..report.glossary import DISCLAIMER
from ..report.html.page import SEVERITY_LOOK, environment

__all__ = ["KIND_WORDS", "render_changes_html"]

KIND_WORDS = {"waived": "became waived", "waiver-lapsed": "waiver lapsed"}
"""How the page names a change kind where the kind's own word would not read as English."""


def render_changes_html(items: Sequence[Any]) -> str:
    """The page: per product (:class:`~sbomscan.portfolio.changes.ProductChanges`, typed
    loosely here so that this module imports nothing of the changes it draws), the runs on
    both sides and a table of the findings that changed."""
    env, css, csp = environment("sbomscan.portfolio")
    return env.get_template("changes.html.j2").render(
        items=items,
        css=css,
        csp=csp,
        severity_look=SEVERITY_LOOK,
        kind_words=KIND_WORDS,
        disclaimer=DISCLAIMER,
    )
