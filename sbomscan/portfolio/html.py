"""The changes of a portfolio run as one self-contained HTML page: the HTML report's own
stylesheet and safety rules (autoescaping, SBOM text through the report's ``text`` filter,
a Content-Security-Policy that allows that stylesheet and nothing else), read only from
the :class:`~sbomscan.portfolio.changes.ProductChanges` given."""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any

from ..report.glossary import DISCLAIMER
from ..report.html.page import SEVERITY_LOOK, text

if TYPE_CHECKING:
    import jinja2

__all__ = ["render_changes_html"]


@cache
def _environment() -> tuple[jinja2.Environment, str, str]:
    import jinja2
    from markupsafe import Markup

    env = jinja2.Environment(
        loader=jinja2.PackageLoader("sbomscan.portfolio", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["t"] = text
    css = (resources.files("sbomscan.report.html") / "templates" / "report.css").read_text(encoding="utf-8")
    digest = base64.b64encode(hashlib.sha256(css.encode("utf-8")).digest()).decode("ascii")
    csp = f"default-src 'none'; style-src 'sha256-{digest}'; base-uri 'none'; form-action 'none'"
    return env, Markup(css), csp


def render_changes_html(items: Sequence[Any]) -> str:
    """The page: per product (:class:`~sbomscan.portfolio.changes.ProductChanges`, typed
    loosely here so that this module imports nothing of the changes it draws), the runs on
    both sides and a table of the findings that changed."""
    env, css, csp = _environment()
    return env.get_template("changes.html.j2").render(
        items=items, css=css, csp=csp, severity_look=SEVERITY_LOOK, disclaimer=DISCLAIMER
    )
