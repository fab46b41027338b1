"""Pieces of CycloneDX reading shared by the JSON and XML readers.

The XML reader turns each ``<bom>`` into the same nested-dict shape as the JSON encoding
and both then go through :mod:`sbomscan.ingest.cyclonedx.walk`, so field mapping lives in
one place. What is here is format knowledge that both need: spec versions, BOM-Link
parsing and how a CycloneDX organisation or contact becomes a :class:`~sbomscan.model.Party`.

>>> parse_bom_link("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/2#pkg%3Anpm%2Fa%401.0")
('urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', 2, 'pkg:npm/a@1.0')
>>> parse_bom_link("urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1")
('urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', 1, None)
>>> parse_bom_link("https://example.com/bom.json") is None
True
>>> parse_uuid_bom_link("urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79/2#a")
('urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79', 2, 'a')
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote

from ...model import Party, PartyKind

SPEC_VERSIONS = ("1.0", "1.1", "1.2", "1.3", "1.4", "1.5", "1.6", "1.7")
"""Every CycloneDX version this package reads."""

XML_NS_PREFIX = "http://cyclonedx.org/schema/bom/"
XML_NAMESPACES = {XML_NS_PREFIX + v: v for v in SPEC_VERSIONS}
"""XML namespace -> spec version; the namespace is the only place XML says its version."""

DEPGRAPH_NS = "http://cyclonedx.org/schema/ext/dependency-graph/1.0"
"""The dependency-graph extension used by CycloneDX 1.1 XML (built into the core from 1.2)."""

BOM_LINK_PREFIX = "urn:cdx:"
_BOM_LINK = re.compile(
    r"urn:cdx:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"/([1-9][0-9]{0,17})(?:#(.*))?\Z",
    re.DOTALL,
)


_UUID_BOM_LINK = re.compile(
    r"urn:uuid:([0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12})"
    r"/([1-9][0-9]{0,17})(?:#(.*))?\Z",
    re.DOTALL | re.IGNORECASE,
)


def parse_uuid_bom_link(uri: str) -> tuple[str, int, str | None] | None:
    """Like :func:`parse_bom_link`, for a BOM-Link miswritten with the serial's own prefix:
    ``urn:uuid:<uuid>/<version>#<bom-ref>``. Real generators write this form; it names the
    document with that serial as plainly as ``urn:cdx:`` does, so it is resolved, with a
    warning, rather than left as an unresolvable URL."""
    m = _UUID_BOM_LINK.match(uri)
    if m is None:
        return None
    frag = m.group(3)
    return f"urn:uuid:{m.group(1)}", int(m.group(2)), (unquote(frag) if frag else None)


def parse_bom_link(uri: str) -> tuple[str, int, str | None] | None:
    """``(document serial, version, bom-ref or None)`` for a BOM-Link, else ``None``.

    The serial is given as ``urn:uuid:<uuid>`` so that it compares equal to the
    ``serialNumber`` (:attr:`Document.serial`) of the document it names; the bom-ref is
    URL-decoded, as the BOM-Link specification encodes it.
    """
    m = _BOM_LINK.match(uri)
    if m is None:
        return None
    frag = m.group(3)
    return f"urn:uuid:{m.group(1)}", int(m.group(2)), (unquote(frag) if frag else None)


def _strs(value: Any) -> tuple[str, ...]:
    """A tuple of the non-empty strings in ``value`` (a string or a list of them)."""
    if isinstance(value, str):
        return (value,) if value else ()
    if isinstance(value, list):
        return tuple(v for v in value if isinstance(v, str) and v)
    return ()


def contact_party(obj: Any, role: str) -> Party | None:
    """An ``organizationalContact`` (name, email, phone) as a person, or ``None`` if empty."""
    if not isinstance(obj, dict):
        return None
    name = obj.get("name")
    emails = _strs(obj.get("email"))
    if not isinstance(name, str) or not name:
        if not emails:
            return None
        name = ""
    return Party(name, role, PartyKind.PERSON, emails)


def entity_parties(obj: Any, role: str) -> list[Party]:
    """An ``organizationalEntity`` (name, url, contact) as parties.

    The organisation itself carries its urls and the e-mail addresses of its contacts
    (a domain is evidence of who the supplier is). Without an organisation name, each
    named contact stands in as a person, so nothing identifying is lost.
    """
    if not isinstance(obj, dict):
        return []
    name = obj.get("name")
    urls = _strs(obj.get("url"))
    contacts = obj.get("contact")
    emails: tuple[str, ...] = ()
    people: list[Party] = []
    if isinstance(contacts, list):
        for contact in contacts:
            p = contact_party(contact, role)
            if p is not None:
                emails += p.emails
                if p.name:
                    people.append(p)
    if isinstance(name, str) and name:
        return [Party(name, role, PartyKind.ORGANIZATION, emails, urls)]
    if people:
        return people
    if urls or emails:
        return [Party("", role, PartyKind.ORGANIZATION, emails, urls)]
    return []


def licensing_parties(licensing: Any) -> list[Party]:
    """``licensing.licensor/licensee/purchaser``: each an ``organization`` or an ``individual``."""
    out: list[Party] = []
    if not isinstance(licensing, dict):
        return out
    for role in ("licensor", "licensee", "purchaser"):
        holder = licensing.get(role)
        if not isinstance(holder, dict):
            continue
        org = holder.get("organization")
        if org is not None:
            out.extend(entity_parties(org, role))
        person = contact_party(holder.get("individual"), role)
        if person is not None:
            out.append(person)
    return out


def tool_parties(tools: Any) -> list[Party]:
    """``metadata.tools`` in either shape — the legacy list of ``{vendor, name, version}``
    or the 1.5+ object of ``components`` and ``services`` — as parties with role ``tool``.

    The tool itself is a :attr:`PartyKind.TOOL`; whoever makes it (vendor, supplier,
    manufacturer, publisher, author, provider) is a further party with role ``tool``.
    """
    out: list[Party] = []
    items: list[Any] = []
    if isinstance(tools, list):
        items = tools
    elif isinstance(tools, dict):
        for key in ("components", "services"):
            part = tools.get(key)
            if isinstance(part, list):
                items.extend(part)
    for t in items:
        if not isinstance(t, dict):
            continue
        name = t.get("name")
        if isinstance(name, str) and name:
            out.append(Party(name, "tool", PartyKind.TOOL))
        for key in ("vendor", "publisher", "author"):
            v = t.get(key)
            if isinstance(v, str) and v:
                out.append(Party(v, "tool", PartyKind.ORGANIZATION if key == "vendor" else PartyKind.UNKNOWN))
        for key in ("supplier", "manufacturer", "provider"):
            out.extend(entity_parties(t.get(key), "tool"))
    return out
