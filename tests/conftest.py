"""Shared fixtures: where the developer corpus lives (it is not shipped with the project)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
CORPUS = Path(os.environ.get("SBOMSCAN_CORPUS", ROOT.parent / "shared" / "corpus"))


def corpus_files(*parts: str) -> list[Path]:
    """Every file below ``CORPUS/parts`` (sorted), or ``[]`` when the corpus is absent."""
    base = CORPUS.joinpath(*parts)
    if not base.is_dir():
        return []
    return sorted(p for p in base.rglob("*") if p.is_file() and p.name != "MANIFEST.md")


requires_corpus = pytest.mark.skipif(
    not CORPUS.is_dir(),
    reason=f"the developer SBOM corpus is not at {CORPUS} (set SBOMSCAN_CORPUS); "
    "it is not distributed with sbomscan",
)
