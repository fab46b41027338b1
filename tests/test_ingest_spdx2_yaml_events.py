"""SPDX 2 YAML is built from the parser's events (issue 9: memory), and gives exactly what
PyYAML's safe loader gives: the same values (compared by ``repr`` too, so ``1`` is not
``True`` and a date is not a string) or the same error, on every YAML file of the fixtures
and the corpus and on generated documents — plain, quoted and block scalars of every
implicit type, and what only the loader decides (tags, merge keys, complex keys, aliases,
several documents, a timestamp that is no date)."""

from __future__ import annotations

from typing import Any

import pytest
import yaml
from conftest import CORPUS, FIXTURES
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.errors import MalformedSbomError
from sbomscan.ingest.spdx2 import yaml as spdx_yaml


def _old(data: bytes) -> str:
    """The node loader's way (the path every document took before)."""
    try:
        return repr(spdx_yaml._load_nodes(data, "x.yaml"))
    except MalformedSbomError as exc:
        return f"error: {exc}"


def _new(data: bytes) -> str:
    try:
        return repr(spdx_yaml.load_yaml(data, source="x.yaml"))
    except MalformedSbomError as exc:
        return f"error: {exc}"


def _same(data: bytes) -> None:
    assert _new(data) == _old(data), data


def test_every_yaml_file_loads_as_the_safe_loader_loads_it() -> None:
    paths = [
        p for ext in ("yaml", "yml") for root in (FIXTURES, CORPUS) for p in sorted(root.rglob(f"*.{ext}"))
    ]
    built = 0
    for path in paths:
        data = path.read_bytes()
        _same(data)
        try:
            spdx_yaml._from_events(data)
            built += 1
        except (spdx_yaml._Unusual, yaml.YAMLError):
            pass
    assert built >= 3


_PLAIN = st.sampled_from(
    [
        "yes",
        "No",
        "on",
        "OFF",
        "true",
        "~",
        "null",
        "",
        "0x1F",
        "0o17",
        "017",
        "0b101",
        "1_000",
        "-12",
        "+3",
        "1e3",
        "1.5",
        ".inf",
        "-.Inf",
        ".NaN",
        "12:30:15",
        "190:20:30.15",
        "2001-12-14",
        "2001-12-14t21:59:43.10-05:00",
        "2001-12-14 21:59:43.10",
        "2023-13-45",
        "NOASSERTION",
        "SPDXRef-DOCUMENT",
        "Apache-2.0 OR MIT",
        "<<",
        "=",
        "-",
        "1.2.3",
        "0.",
        "._",
    ]
)
_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.text(max_size=12) | _PLAIN,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | _PLAIN, inner, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200)
@given(_VALUES, st.booleans())
def test_dumped_values_load_as_the_safe_loader_loads_them(value: Any, flow: bool) -> None:
    _same(yaml.safe_dump(value, default_flow_style=flow, allow_unicode=True).encode())


@settings(max_examples=200)
@given(st.lists(st.tuples(_PLAIN, _PLAIN), min_size=1, max_size=5))
def test_plain_scalars_written_by_hand_load_as_the_safe_loader_loads_them(
    pairs: list[tuple[str, str]],
) -> None:
    """Keys and values as a person writes them, unquoted: every implicit type, a merge key,
    the ``=`` value key, a timestamp with month 13 (which the constructor refuses)."""
    _same("".join(f"k{i}{k}: {v}\n" for i, (k, v) in enumerate(pairs)).encode())
    _same("".join(f"{k}: {v}\n" for k, v in pairs).encode())


@pytest.mark.parametrize(
    "text",
    [
        "a: !!str 1\n",
        "a: !custom x\n",
        "a: ! 1\n",
        "a: !!binary aGk=\n",
        "base: &b {x: 1}\nc:\n  <<: *b\n",
        "c:\n  <<: {x: 1}\n  y: 2\n",
        "? [a, b]\n: c\n",
        "a: 1\n---\nb: 2\n",
        "",
        "---\n",
        "a: 2023-13-45\n",
        "a: [1, 2\n",
        "a: b: c\n",
        "x: " + "[" * 300 + "]" * 300 + "\n",
        "a: 1\na: 2\n",
        "a: |\n  line\n  two\nb: >\n  folded\n",
        "a: 'q'\nb: \"1\"\nc: 1\n",
        "!!set {a, b}\n",
        "!!omap [a: 1]\n",
    ],
)
def test_what_only_the_loader_decides(text: str) -> None:
    _same(text.encode())


def test_the_tree_is_built_without_nodes() -> None:
    """The fast path does build a real SPDX document (not a fallback to the node loader)."""
    data = (FIXTURES / "spdx2" / "router.spdx.yaml").read_bytes()
    got = spdx_yaml._from_events(data)
    assert isinstance(got, dict) and got["spdxVersion"].startswith("SPDX-2")
