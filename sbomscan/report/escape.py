r"""Text from an SBOM made safe for where it is shown: one function per target.

Every field of an SBOM is written by someone else — a supplier, possibly one with something
to hide, or an attacker who sends an officer a crafted file. Shown raw, such text can act
instead of being read: an escape sequence clears or rewrites a terminal, a right-to-left
override shows a name in another order than it is written, a bare URL or ``@name`` becomes
a link or a notification on a code-hosting site, ``[text](url)`` becomes a link in a SARIF
viewer, a backslash sequence changes a Graphviz label. So every renderer passes each value
from an SBOM through the function for its target, at the point where the value is written:

==============  =====================================================================
:func:`terminal`  text report and CLI messages: controls shown as ``\x1b``, long values cut
:func:`markdown`  Markdown report: the above, plus Markdown syntax escaped and links defanged
:func:`sarif`     SARIF ``message.text``: the above for plain text, embedded-link syntax escaped
:func:`dot`       the inside of a Graphviz double-quoted string
:func:`json_text` a whole JSON document: invisible characters written as ``\uXXXX``
==============  =====================================================================

"Controls" are the characters of Unicode categories Cc (C0, DEL, C1 — ESC and BEL among
them), Cf (format: bidirectional overrides and isolates, zero-width characters, the soft
hyphen, tag characters), Zl, Zp (line and paragraph separators) and Cs (lone surrogates).
The category of each character comes from Python's :mod:`unicodedata`, not from a table
kept here. Each one is shown *visibly*, the way Python writes it (``\x1b``, ``\u202e``,
``\U000e0041``): a person sees that it is there, and no character of the value is lost.

Every function is linear in the length of its input: a 15 MB name costs one pass.

>>> terminal("name\x1b[2J\u202eevil")
'name\\x1b[2J\\u202eevil'
>>> markdown("@octocat see https://example.com/x *now*")
'\\[@\\]octocat see https\\[:\\]//example.com/x \\*now\\*'
>>> dot('a"b\\n')
'a\\"b\\\\n'
"""

from __future__ import annotations

import codecs
import re
import unicodedata

__all__ = [
    "MAX_SHOWN",
    "OUTPUT_ERRORS",
    "dot",
    "json_text",
    "markdown",
    "sarif",
    "shorten",
    "terminal",
    "visible_controls",
]

MAX_SHOWN = 2000
"""The longest value (in characters) a human-facing format shows in full; longer values are
cut with a note saying how much was left out (the JSON report keeps every value whole)."""

_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs"})


_SHORT = {0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"}


def _visible(cp: int) -> str:
    if cp in _SHORT:
        return _SHORT[cp]
    if cp < 0x100:
        return f"\\x{cp:02x}"
    if cp < 0x10000:
        return f"\\u{cp:04x}"
    return f"\\U{cp:08x}"


class _Table(dict[int, "int | str"]):
    """A ``str.translate`` table filled on demand: each code point is classified once (its
    Unicode category), then looked up by the C loop of ``translate``."""

    def __init__(self, keep: str = "") -> None:
        super().__init__()
        self.keep = frozenset(map(ord, keep))

    def __missing__(self, cp: int) -> int | str:
        if cp not in self.keep and unicodedata.category(chr(cp)) in _ESCAPED_CATEGORIES:
            value: int | str = _visible(cp)
        else:
            value = cp
        if len(self) < 65536:  # bounded: a text of random code points cannot grow it forever
            self[cp] = value
        return value


_ALL = _Table()
_KEEP_LINES = _Table("\n")


def visible_controls(text: str, keep: str = "") -> str:
    r"""``text`` with every control, format, separator and surrogate character written as a
    visible escape, except those in ``keep`` (only ``"\n"`` is supported besides none).

    >>> visible_controls("a\x07b\u200bc\n")
    'a\\x07b\\u200bc\\n'
    >>> visible_controls("a\nb", keep="\n")
    'a\nb'
    """
    if text.isprintable():  # C speed; false for every character this escapes (and for spaces other than " ")
        return text
    return text.translate(_KEEP_LINES if keep == "\n" else _ALL)


def shorten(text: str, limit: int = MAX_SHOWN) -> str:
    """``text`` cut to ``limit`` characters, saying how many were left out.

    >>> shorten("x" * 30, 10)
    'xxxxxxxxxx… (20 more characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text) - limit:,} more characters)"


def terminal(text: str, limit: int | None = MAX_SHOWN) -> str:
    r"""For a terminal: cut to ``limit`` characters (``None``: never cut), then every control
    character written visibly — a component named ``"x\x1b[2J"`` cannot clear the screen,
    nor a right-to-left override reorder a supplier's name, nor a newline forge a line.

    >>> terminal("ok\x1b]0;title\x07 \u2066x\u2069")
    'ok\\x1b]0;title\\x07 \\u2066x\\u2069'
    """
    return visible_controls(text if limit is None else shorten(text, limit))


# -- Markdown ----------------------------------------------------------------------------

_MD_PUNCT = {
    **{c: "\\" + c for c in "\\`*_{}[]()|~!#"},
    "<": "&lt;",
    ">": "&gt;",
    "&": "&amp;",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}
_MD_SPECIAL = re.compile("[" + re.escape("".join(_MD_PUNCT)) + "]")
_MD_TRIGGERS = ("://", "@", "#", "www", "WWW", "GH-")  # cheap tests before the defanging regex
# What a code-hosting site turns into a link or a notification, after Markdown: a URL
# scheme, "www.", an @mention or e-mail address, an issue reference (#12, GH-12). Every
# "://" is defanged, whatever stands before it: a scheme written after another character
# ("urn:cdx:://1", "x.://") must not keep a live "://" either (issue 9).
_MD_DEFANG = re.compile(r"(:)(?=//)|(?i:\b(www))(\.)|(@)|(?<!\w)(GH-|#)(?=\d)", re.ASCII)
_MD_BLOCK_START = re.compile(r"[-+](?=[ \t]|$)|>|=+[ \t]*$|\d{1,9}[.)](?=[ \t]|$)")


def _defang(m: re.Match[str]) -> str:
    if m.group(1):
        return "[:]"
    if m.group(2):
        return m.group(2) + "[.]"
    if m.group(4):
        return "[@]"
    return "[" + m.group(5) + "]"


def markdown(text: str | None, limit: int | None = MAX_SHOWN) -> str:
    r"""Inline Markdown (GitHub-flavoured) that shows ``text`` as written and does nothing
    else: no emphasis, link, HTML, table cell break or block; controls shown as escapes;
    URLs, ``@mentions``, e-mail addresses and issue references *defanged* the way security
    reports write hostile indicators (``https[:]//``, ``www[.]``, ``[@]``, ``[#]12``), so the
    site neither links them nor notifies anyone. ``None`` or empty is shown as ``—``.

    >>> markdown("a|b <x> **y** [z](http://e.vil)")
    'a\\|b &lt;x&gt; \\*\\*y\\*\\* \\[z\\]\\(http\\[:\\]//e.vil\\)'
    >>> markdown("- item"), markdown("1. first"), markdown(None)
    ('\\- item', '1\\. first', '—')
    >>> markdown("fix #12, ping @team, mail a@b.org")
    'fix \\[\\#\\]12, ping \\[@\\]team, mail a\\[@\\]b.org'
    """
    if not text:
        return "—"
    if limit is not None:
        text = shorten(text, limit)
    out = visible_controls(text)
    if any(t in out for t in _MD_TRIGGERS) or "www" in out.lower():
        out = _MD_DEFANG.sub(_defang, out)
    out = _MD_SPECIAL.sub(lambda m: _MD_PUNCT[m.group()], out)
    start = _MD_BLOCK_START.match(out)
    if start:  # a list marker, heading underline or quote at the start: escape its punctuation
        at = start.end() - 1
        out = f"{out[:at]}\\{out[at:]}"
    return out


# -- SARIF, DOT, JSON --------------------------------------------------------------------

_SARIF_SPECIAL = str.maketrans({"[": "\\[", "]": "\\]"})


def sarif(text: str, limit: int | None = MAX_SHOWN) -> str:
    r"""For a SARIF ``message.text``: plain text in which ``[text](target)`` is an embedded
    link (SARIF 2.1.0 §3.11.6), so square brackets are escaped with ``\``; controls are
    shown visibly and long values cut, as viewers display the message as it is.

    >>> sarif("[click](https://e.vil)\u202e")
    '\\[click\\](https://e.vil)\\u202e'
    """
    if limit is not None:
        text = shorten(text, limit)
    return visible_controls(text.translate(_SARIF_SPECIAL))


def dot(text: str) -> str:
    r"""The inside of a Graphviz double-quoted string that shows ``text`` as written:
    controls visible, then ``\`` and ``"`` escaped — so Graphviz's label escapes (``\N``,
    ``\G``, ``\l``...) in an SBOM are shown, not acted on.

    >>> dot("a\\Nb\x1b[31m")
    'a\\\\Nb\\\\x1b[31m'
    """
    return visible_controls(text).replace("\\", "\\\\").replace('"', '\\"')


_NON_ASCII_RUN = re.compile(r"[^\x00-\x7e]+")  # and DEL, which JSON serialisers leave raw


def _json_run(m: re.Match[str]) -> str:
    run = m.group()
    if run.isprintable():
        return run
    out = []
    for c in run:
        if unicodedata.category(c) in _ESCAPED_CATEGORIES:
            cp = ord(c)
            if cp >= 0x10000:
                cp -= 0x10000
                out.append(f"\\u{0xD800 + (cp >> 10):04x}\\u{0xDC00 + (cp & 0x3FF):04x}")
            else:
                out.append(f"\\u{cp:04x}")
        else:
            out.append(c)
    return "".join(out)


def json_text(text: str) -> str:
    r"""A JSON document (as serialised) with every invisible or reordering character inside
    its strings written as a ``\uXXXX`` escape — parsing gives the same values, but a person
    paging through the file, or a terminal it is printed to, sees them. ASCII controls are
    already escaped by any JSON serialiser; this handles the rest (C1, format, separators).

    >>> json_text('{"n": "a\u202eb\u0085"}')
    '{"n": "a\\u202eb\\u0085"}'
    """
    if text.isascii() and "\x7f" not in text:
        return text
    return _NON_ASCII_RUN.sub(_json_run, text)


# -- output encodings ---------------------------------------------------------------------

OUTPUT_ERRORS = "sbomscan-fallback"
"""The name of a codec error handler (registered on import) for an output stream whose
encoding cannot write every character — cp1252 when Windows redirects output, ASCII in a
bare locale: sbomscan's own symbols get ASCII stand-ins (``→`` ``->``, ``⇒`` ``=>``, ``·``
``-``, ``—`` ``--``, ``…`` ``...``) and anything else is written as its escape (``\u534e``),
so a report is always written, and readable, instead of stopping with a traceback.

>>> "Product → contains → 华为 · 1.0".encode("ascii", OUTPUT_ERRORS)
b'Product -> contains -> \\u534e\\u4e3a - 1.0'
"""

_STAND_INS = {
    "→": "->",
    "⇒": "=>",
    "·": "-",
    "—": "--",
    "–": "-",
    "…": "...",
    "‘": "'",
    "’": "'",
    "“": '"',
    "”": '"',
    "§": "S.",
    "~": "~",
}


def _output_fallback(exc: UnicodeError) -> tuple[str, int]:
    if not isinstance(exc, UnicodeEncodeError):
        raise exc
    chunk = exc.object[exc.start : exc.end]
    return "".join(_STAND_INS.get(c) or _visible(ord(c)) for c in chunk), exc.end


codecs.register_error(OUTPUT_ERRORS, _output_fallback)
