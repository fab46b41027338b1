"""Strict mode for SPDX 2: spdx-tools, the SPDX project's own Python library, decides.

The lenient reader never touches spdx-tools' object model (it is far too slow for large
documents); strict mode pays for it on purpose: the document is parsed into that model —
which refuses wrong types, malformed actors, unknown enum values, bad SPDXIDs — and then
checked by ``validate_full_spdx_document``, which applies the SPDX 2.x rules (required
fields, relationships to elements that exist, licence expressions, checksums...). The
first messages become one :class:`~sbomscan.errors.MalformedSbomError`.
"""

from __future__ import annotations

import re
from typing import Any

from ...errors import MalformedSbomError

__all__ = ["raise_parsing_error", "stable_message", "validate_dict", "validate_model"]

_LINE = re.compile(r"\b[Ll]ine:?\s*(\d+)")
_MAX_MESSAGES = 3
# A type in a type checker's "... not <class "A">, <class "B">, or str." list.
_TYPE = r'(?:<class "[^"]*">|[A-Za-z_][\w.]*)'
_ALTERNATIVES = re.compile(rf"\bnot ((?:{_TYPE}, )+or {_TYPE}|{_TYPE} or {_TYPE})(?=\.)")
_SEPARATOR = re.compile(r", or |, | or ")


def _sorted_alternatives(match: re.Match[str]) -> str:
    types = sorted(_SEPARATOR.split(match.group(1)))
    if len(types) == 2:
        return f"not {types[0]} or {types[1]}"
    return "not " + ", ".join(types[:-1]) + ", or " + types[-1]


def stable_message(message: str) -> str:
    """Put the type lists of spdx-tools' type-check messages in one order.

    spdx-tools' type checker lists the types a field would accept ("not <class "A">,
    <class "B">, or str.") in the order of a set, which changes with the hash seed, so the
    same file gave a different refusal, and a different report, from one run to the next.
    Sorting them makes the message, and every report quoting it, the same on every run.

    >>> stable_message('x not <class "b.B">, <class "a.A">, or str.')
    'x not <class "a.A">, <class "b.B">, or str.'
    """
    return _ALTERNATIVES.sub(_sorted_alternatives, message)


def _first(messages: list[str]) -> str:
    shown = "; ".join(stable_message(m.strip()) for m in messages[:_MAX_MESSAGES])
    more = f" (and {len(messages) - _MAX_MESSAGES} more)" if len(messages) > _MAX_MESSAGES else ""
    return shown + more


def raise_parsing_error(messages: list[Any], *, source: str, what: str) -> None:
    """Turn spdx-tools' ``SPDXParsingError`` messages into a MalformedSbomError, with the
    line number when a message names one."""
    texts = [str(m) for m in messages] or ["spdx-tools could not parse the document"]
    m = _LINE.search(texts[0])
    raise MalformedSbomError(source, f"{what}: {_first(texts)}", line=int(m.group(1)) if m else None)


def validate_model(document: Any, *, source: str) -> None:
    """Validate an spdx-tools ``Document`` against the SPDX 2 rules."""
    from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

    try:
        messages = validate_full_spdx_document(document)
    except Exception as exc:  # spdx-tools' own bug on odd input: still a refusal, not a crash
        raise MalformedSbomError(
            source, f"spdx-tools validation failed: {type(exc).__name__}: {stable_message(str(exc))}"
        ) from None
    if messages:
        texts = [f"{m.validation_message} ({_context(m.context)})" for m in messages]
        raise MalformedSbomError(source, f"SPDX validation: {_first(texts)}")


def _context(context: Any) -> str:
    spdx_id = getattr(context, "spdx_id", None)
    element = getattr(context, "element_type", None)
    name = getattr(element, "name", None)
    return " ".join(x for x in (name, spdx_id) if x) or "document"


def validate_dict(obj: dict[str, Any], *, source: str) -> None:
    """Parse a JSON/YAML dict with spdx-tools and validate it."""
    from spdx_tools.spdx.parser.error import SPDXParsingError
    from spdx_tools.spdx.parser.jsonlikedict.json_like_dict_parser import JsonLikeDictParser

    parser: Any = JsonLikeDictParser
    try:
        document = parser().parse(obj)
    except SPDXParsingError as exc:
        raise_parsing_error(list(exc.messages), source=source, what="spdx-tools refused the document")
        raise AssertionError("unreachable") from None
    except Exception as exc:  # spdx-tools trips over some wrong types itself
        raise MalformedSbomError(
            source,
            f"spdx-tools could not parse the document: {type(exc).__name__}: {stable_message(str(exc))}",
        ) from None
    validate_model(document, source=source)
