"""``sbomscan --version``: which sbomscan this is, and with which entity data."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import Any

from ..errors import SbomscanError
from .options import EXIT_OK

__all__ = ["DISTRIBUTION", "VersionAction", "foreign_sbomscan", "version_text"]

#: The name this project is (to be) published under. ``sbomscan`` on PyPI is an unrelated
#: project that also installs a ``sbomscan`` package and command (README, "Installing").
DISTRIBUTION = "sbomscan-covered-vendors"


def version_text() -> str:
    """What ``--version`` prints: tool, distribution and entity-data versions (a result
    depends on both), plus a warning when the unrelated PyPI ``sbomscan`` is installed too.

    >>> version_text()  # doctest: +ELLIPSIS
    'sbomscan ... (distribution sbomscan-covered-vendors), entity data ...'
    """
    from .. import __version__
    from ..entities import load_entities

    try:
        data = f"entity data {load_entities().version}"
    except SbomscanError as exc:
        data = f"entity data unreadable: {exc.diagnostic()}"
    text = f"sbomscan {__version__} (distribution {DISTRIBUTION}), {data}"
    foreign = foreign_sbomscan()
    if foreign:
        text += (
            f"\nwarning: the unrelated PyPI package {foreign} is installed in this environment; it "
            "writes its own files into the same 'sbomscan' package folder. Uninstall it "
            "('python -m pip uninstall sbomscan') or use a separate virtual environment."
        )
    return text


def foreign_sbomscan() -> str | None:
    """The PyPI distribution named ``sbomscan`` when one is installed, as "name version".

    Only this project's own development installs made before the rename carry that name
    *and* this project's summary; anything else under that name is the other project.
    """
    from importlib import metadata

    try:
        dist = metadata.distribution("sbomscan")
    except metadata.PackageNotFoundError:
        return None
    if "covered-vendor" in (dist.metadata["Summary"] or ""):
        return None
    return f"'sbomscan' {dist.version}"


class VersionAction(argparse.Action):
    """``--version``: computed only when asked (it reads the entity data)."""

    def __init__(self, option_strings: Sequence[str], dest: str, **kwargs: Any) -> None:
        super().__init__(option_strings, dest=argparse.SUPPRESS, nargs=0, help=kwargs.get("help"))

    def __call__(self, parser: argparse.ArgumentParser, *args: Any, **kwargs: Any) -> None:
        sys.stdout.write(version_text() + "\n")
        parser.exit(EXIT_OK)
