"""locate._positions counts lines and columns in one pass; it must give what counting
from the start of the text for every offset gives (the definition)."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.locate import _positions, json_positions


def _from_start(text: bytes, offset: int) -> tuple[int, int]:
    line = text.count(b"\n", 0, offset) + 1
    start = text.rfind(b"\n", 0, offset) + 1
    return line, len(text[start:offset].decode("utf-8", "replace")) + 1


_pieces = st.lists(
    st.one_of(
        st.sampled_from(
            [b"{", b"[", b"\n", b"\r\n", b" ", b'"a"', b"\xc3\xa9", b"\xe2\x82\xac", b"\xf0\x9f\x98\x80"]
        ),
        st.sampled_from([b"\xe2\x82", b"\xff", b"\x80", b"\xc3"]),  # invalid UTF-8 too
        st.binary(max_size=3).filter(lambda b: b"{" not in b and b"[" not in b),
    ),
    max_size=60,
)


@given(_pieces, st.data())
@settings(max_examples=400, deadline=None)
def test_positions_are_those_counted_from_the_start(pieces: list[bytes], data: st.DataObject) -> None:
    text = b"".join(pieces)
    brackets = [i for i, c in enumerate(text) if c in b"{["]
    chosen = data.draw(st.lists(st.sampled_from(brackets), unique=True) if brackets else st.just([]))
    offsets = {f"/p{i}": off for i, off in enumerate(chosen)}
    got = _positions(text, offsets)
    assert got == {p: _from_start(text, off) for p, off in offsets.items()}


def test_many_findings_on_one_long_line() -> None:
    comps = b",".join(b'{"name": "\xc3\xa9%d"}' % i for i in range(2000))
    text = b'{"components": [' + comps + b"]}"
    pointers = [f"/components/{i}" for i in range(0, 2000, 97)]
    got = json_positions(text, pointers)
    assert got == {
        p: _from_start(text, text.index(b'{"name": "\xc3\xa9%d"}' % int(p.rsplit("/", 1)[1])))
        for p in pointers
    }
