"""Strict mode's refusals read the same on every run.

spdx-tools' type checker lists the types a field accepts in a set's order, which follows
the hash seed: the same file gave a different refusal, and so a different report, from one
run to the next (a corpus file showed three orders in four runs). These tests run a real
document under several hash seeds, in separate processes, and the message normaliser over
every order of a type list.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from random import Random

from hypothesis import given
from hypothesis import strategies as st

from sbomscan.ingest.spdx2.strict import stable_message

ROOT = Path(__file__).resolve().parent.parent

# A package whose downloadLocation is null: spdx-tools' setter refuses it with a type-check
# message listing the three types the field accepts.
_DOCUMENT = {
    "spdxVersion": "SPDX-2.3",
    "dataLicense": "CC0-1.0",
    "SPDXID": "SPDXRef-DOCUMENT",
    "name": "null-download-location",
    "documentNamespace": "https://example.com/null-download-location",
    "creationInfo": {"created": "2024-01-01T00:00:00Z", "creators": ["Tool: test"]},
    "packages": [{"SPDXID": "SPDXRef-p", "name": "p", "downloadLocation": None}],
}

_LOAD = """
import sys, sbomscan
try:
    sbomscan.load(sys.argv[1], strict=True)
except sbomscan.SbomscanError as exc:
    print(exc)
"""


def test_a_strict_refusal_is_the_same_under_every_hash_seed(tmp_path: Path) -> None:
    path = tmp_path / "null-download.spdx.json"
    path.write_text(json.dumps(_DOCUMENT), encoding="utf-8")
    messages = set()
    for seed in range(8):
        env = {**os.environ, "PYTHONHASHSEED": str(seed), "PYTHONPATH": str(ROOT)}
        out = subprocess.run(
            [sys.executable, "-c", _LOAD, str(path)], env=env, capture_output=True, text=True, check=True
        ).stdout
        assert "download_location" in out, out
        messages.add(out)
    assert len(messages) == 1, messages
    (message,) = messages
    # the types in sorted order, the form stable_message gives
    assert (
        'not <class "spdx_tools.spdx.model.spdx_no_assertion.SpdxNoAssertion">, '
        '<class "spdx_tools.spdx.model.spdx_none.SpdxNone">, or str.'
    ) in message


_TYPES = st.lists(
    st.one_of(
        st.from_regex(r'<class "[a-z][a-z_.]{0,20}">', fullmatch=True),
        st.from_regex(r"[A-Za-z_][A-Za-z0-9_.]{0,12}", fullmatch=True),
    ),
    min_size=2,
    max_size=6,
    unique=True,
)


def _listed(types: list[str]) -> str:
    if len(types) == 2:
        return f"{types[0]} or {types[1]}"
    return ", ".join(types[:-1]) + ", or " + types[-1]


@given(_TYPES, st.randoms(use_true_random=False))
def test_every_order_of_a_type_list_reads_the_same(types: list[str], random: Random) -> None:
    shuffled = list(types)
    random.shuffle(shuffled)
    before = 'parameter x="None" violates type hint, as <class "builtins.NoneType"> "None" not '
    a = stable_message(before + _listed(types) + ".: None")
    b = stable_message(before + _listed(shuffled) + ".: None")
    assert a == b
    assert a == before + _listed(sorted(types)) + ".: None"


@given(st.text(alphabet=st.characters(blacklist_characters='<>"', blacklist_categories=("Cs",))))
def test_text_without_a_type_list_is_left_alone(text: str) -> None:
    if " not " in text and " or " in text:
        return
    assert stable_message(text) == text
