"""Shared fixtures: where the developer corpus lives (it is not shipped with the project)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

# Under CI (the CI variable set, as .ci/run and most CI services do) hypothesis runs the same
# examples on every run of the same code: a commit that passed passes again, and anything it
# finds reproduces from the commit alone. Everywhere else each run explores new examples, which
# is how the properties keep finding new cases. SBOMSCAN_HYPOTHESIS_PROFILE=ci|dev chooses.
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
settings.register_profile("dev", print_blob=True)
settings.load_profile(
    os.environ.get("SBOMSCAN_HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() not in ("", "0", "false", "no") else "dev")
)

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
