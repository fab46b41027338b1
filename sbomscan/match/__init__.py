"""Matching: SBOM components against the covered-entity database (see :mod:`.matcher`)."""

from .matcher import Confidence, Evidence, Match, Matcher, is_former, is_unverified, mixed_script_parties

__all__ = ["Confidence", "Evidence", "Match", "Matcher", "is_former", "is_unverified", "mixed_script_parties"]
