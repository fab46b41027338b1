"""SPDX 2 actors (``PackageSupplier``, ``PackageOriginator``, ``Creator``, file contributors)
parsed into who they name.

SPDX 2.3 §7.5/§7.6 write an actor as ``Organization: <name> (<email>)``, ``Person: <name>
(<email>)`` or ``Tool: <name>``, the email part optional, or the words ``NOASSERTION`` /
``NONE``. Real documents bend this: the prefix is missing or spelt ``Organisation``, the
email parentheses are empty (``()``), and the name itself carries parentheses (``Huawei
Device Co., Ltd. (Dongguan)``). Only a *last* parenthesised group that is empty or looks like
an email address is taken as the email, so a name's own parentheses are never cut off — a
vendor name is exactly what matching needs intact.

>>> parse_actor("Organization: Acme Inc (sales@acme.com)")
Actor(kind=<PartyKind.ORGANIZATION: 'organization'>, name='Acme Inc', email='sales@acme.com')
>>> parse_actor("Organization: Huawei Device Co., Ltd. (Dongguan) ()").name
'Huawei Device Co., Ltd. (Dongguan)'
>>> parse_actor("Person: Иван Петров").kind.value, parse_actor("NOASSERTION")
('person', None)
>>> format_actor(parse_actor("Organization: 华为技术有限公司 (x@huawei.com)"))
'Organization: 华为技术有限公司 (x@huawei.com)'
"""

from __future__ import annotations

import re
from typing import NamedTuple

from ...model import PartyKind

__all__ = ["Actor", "format_actor", "parse_actor"]

_PREFIX = re.compile(r"\s*(organi[sz]ation|person|tool)\s*:\s*", re.IGNORECASE)
_TRAILING_GROUP = re.compile(r"^(.*?)\s*\(([^()]*)\)\s*$", re.DOTALL)
_KINDS = {"person": PartyKind.PERSON, "tool": PartyKind.TOOL}
_NO_ACTOR = frozenset({"", "NOASSERTION", "NONE"})


class Actor(NamedTuple):
    """What an SPDX 2 actor string says: kind, name and (optional) email."""

    kind: PartyKind
    name: str
    email: str | None = None


def _looks_like_email(text: str) -> bool:
    at = text.find("@")
    return 0 < at < len(text) - 1 and not any(ch.isspace() for ch in text)


def parse_actor(text: str) -> Actor | None:
    """Parse one actor string; ``None`` for ``NOASSERTION``, ``NONE`` or nothing at all.

    Never raises: text without a known prefix is kept whole as a name of unknown kind
    (callers may note that), because a non-conforming supplier is still a supplier.
    """
    s = text.strip()
    if s.upper() in _NO_ACTOR:
        return None
    m = _PREFIX.match(s)
    if m:
        kind = _KINDS.get(m.group(1).lower(), PartyKind.ORGANIZATION)
        rest = s[m.end() :]
    else:
        kind = PartyKind.UNKNOWN
        rest = s
    email: str | None = None
    g = _TRAILING_GROUP.match(rest)
    if g is not None:
        inner = g.group(2).strip()
        if not inner or _looks_like_email(inner):
            rest = g.group(1)
            email = inner or None
    name = rest.strip()
    if not name or name.upper() in _NO_ACTOR:
        if email is None:
            return None
        name = email
    return Actor(kind, name, email)


def format_actor(actor: Actor) -> str:
    """Write an actor the way SPDX 2 does (inverse of :func:`parse_actor`)."""
    prefix = {
        PartyKind.PERSON: "Person: ",
        PartyKind.TOOL: "Tool: ",
        PartyKind.ORGANIZATION: "Organization: ",
    }
    head = prefix.get(actor.kind, "")
    return f"{head}{actor.name} ({actor.email})" if actor.email else f"{head}{actor.name}"
