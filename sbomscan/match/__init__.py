"""Matching: SBOM components against the covered-entity database.

:mod:`.evidence` (the records evidence is made of), :mod:`.index` (the entity index, filled
from the table of identifier kinds), :mod:`.rules` (the one table of rules, each row with its
quick test) and :mod:`.matcher` (:class:`Matcher`: both paths built from that table).
"""

from .evidence import Confidence, Evidence, Match, is_former, is_unverified
from .matcher import Matcher, mixed_script_parties

__all__ = ["Confidence", "Evidence", "Match", "Matcher", "is_former", "is_unverified", "mixed_script_parties"]
