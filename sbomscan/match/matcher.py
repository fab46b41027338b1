"""Match SBOM components against the covered-entity database.

A :class:`Matcher` builds its index once — phrase tables of normalised alias / product /
licensed-product token sequences, and exact tables for CPE vendors, purl patterns,
domains, e-mail domains, forge organisations, SWID regids and hashes — and then looks
each identity field of a component up in them. Text is scanned for alias token n-grams
by dictionary lookup, so the cost per component does not grow with the number of aliases,
and nothing ever matches a raw substring: "aztec-barcode" is not ZTE.

Confidence (see ``docs/entities.md``, "How matching works"):

* ``HIGH``: an exact identifier (CPE vendor, purl namespace/pattern, SWID regid, hash, forge
  organisation, domain or e-mail domain in a party or external reference); an entity's
  name or alias, of any kind, as the *whole* of a party's name (normalised: "HUAWEI
  TECHNOLOGIES CO.,LTD" is "Huawei Technologies Co., Ltd."); or an entity's legal name
  written *with its legal form* inside a longer party name ("Zhejiang Dahua Technology
  Co., Ltd. Hangzhou Branch").
* ``MEDIUM``: any other name or alias inside a longer party name — "Honor" in "Honor Guard
  Security LLC", "Pacific Network" in "Pacific Network Solutions Ltd"; an alias in
  copyright text; a product or SDK name as a component's whole name when the component has
  no supplier and no identity of someone else's.
* ``MEDIUM``, rule ``obfuscated-name``: a name found only once the text is folded
  (:mod:`sbomscan.identifiers.fold`: look-alike letters of other scripts, invisible characters, combining
  marks, a right-to-left override, letters spelled one by one), in any field — a disguised
  vendor name is a red flag, never below review and never by itself prohibited.
* ``LOW``: a mention in a component's name, group or description only. A mention is
  dropped altogether when the component's own supplier, purl namespace or forge
  organisation is someone else's: "hikvision-unofficial-client" by github.com/someone is
  not Hikvision.

>>> from sbomscan.entities import load_entities
>>> from sbomscan.model import Component, Party
>>> db = load_entities([{"schema_version": 1, "version": "t", "sources": {"s": {"title": "t"}},
...     "authorities": [], "entities": [{"id": "zte", "name": "ZTE Corporation",
...     "aliases": [{"value": "ZTE"}], "identifiers": {"cpe_vendors": [{"value": "zte"}]}}]}],
...     include_default=False)
>>> m = Matcher(db)
>>> [e.rule for x in m.match_component(Component("d#1", "1", "d", "f660",
...     cpes=("cpe:2.3:h:zte:f660:-:*:*:*:*:*:*:*",))) for e in x.evidence]
['cpe-vendor']
>>> m.match_component(Component("d#2", "2", "d", "aztec-barcode", parties=(Party("Aztec Inc", "supplier"),)))
()
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import date
from enum import Enum
from operator import itemgetter
from typing import Any, NamedTuple

from ..entities import EntityDatabase, LicensedProduct, kinds
from ..identifiers.cpe import parse_cpe
from ..identifiers.fold import fold_text, has_spaced_letters, mixes_scripts
from ..identifiers.hosts import email_domain, look_alike_host, normalize_host, url_host, vcs_org
from ..identifiers.purl import name_key, parse_purl, purl_head, split_purl
from ..identifiers.text import LEADING_LEGAL_FORMS, LEGAL_FORMS, name_tokens, normalize_text
from ..memory import make_room
from ..model import Component, Diagnostic, Document, ExternalRef, Hash, Party, PartyKind, Severity, Swid

__all__ = ["Confidence", "Evidence", "Match", "Matcher", "is_former", "is_unverified", "mixed_script_parties"]


class Confidence(str, Enum):
    """How strongly one piece of evidence ties a component to an entity."""

    HIGH = "high"
    MEDIUM = "medium"
    LOW = "low"


_RANK = {Confidence.HIGH: 0, Confidence.MEDIUM: 1, Confidence.LOW: 2}


class Evidence(NamedTuple):
    """One field of a component that names an entity.

    ``via`` holds the control chain(s) by which the entity is covered, and notes that the
    scan stage reads: an entry starting with ``"former: "`` (an ended relation, a name no
    longer used, a licence period over) or ``"unverified: "`` (the fact is unverified).
    """

    field: str
    value: str
    matched: str
    rule: str
    confidence: Confidence
    via: tuple[str, ...]


class Match(NamedTuple):
    """All the evidence tying one component to one entity (or to one licensed product)."""

    component_id: str
    entity_id: str
    kind: str
    evidence: tuple[Evidence, ...]
    licensed_product: str | None


def mixed_script_parties(graph: Any) -> list[tuple[Diagnostic, str]]:
    """A warning (``mixed-script-name``) for each party name of an ``SbomGraph`` that mixes
    Latin letters with look-alike letters of another script or hides invisible characters
    (:func:`sbomscan.identifiers.fold.mixes_scripts`), once per name, with the source of the document it
    is first met in. Such a name is a sign of disguise whether or not it names a covered
    vendor. ASCII names are passed over at the cost of one ``isascii`` call."""
    seen: set[str] = set()
    out: list[tuple[Diagnostic, str]] = []
    for doc in graph.documents.values():
        places = [(p.name, "document") for p in doc.parties]
        places += [
            (p.name, c.pointer or c.ref) for c in doc.components for p in c.parties if not p.name.isascii()
        ]
        for name, where in places:
            if name.isascii() or name in seen:
                continue
            seen.add(name)
            if mixes_scripts(name):
                folded = fold_text(name)
                message = f"party name {name!a} mixes scripts or hides invisible characters" + (
                    f" (reads as {folded!r})" if folded else ""
                )
                out.append((Diagnostic(Severity.WARNING, "mixed-script-name", message, where), doc.source))
    return out


def is_former(evidence: Evidence) -> bool:
    """The evidence only links through something that has ended (review, not prohibited)."""
    return any(v.startswith("former: ") for v in evidence.via)


def is_unverified(evidence: Evidence) -> bool:
    """The evidence rests on a fact marked unverified (never prohibited by itself)."""
    return any(v.startswith("unverified: ") for v in evidence.via)


class _Target(NamedTuple):
    """What an index key points at: an entity (or licensed product) and notes for ``via``."""

    entity: str
    matched: str
    notes: tuple[str, ...]
    strong_name: bool = False
    """A legal name written with its legal form (the entity's own name, or a legal, former or
    native alias, e.g. "Zhejiang Dahua Technology Co., Ltd."): HIGH even inside a longer
    party name, when the party name contains it legal form included."""
    lp: str | None = None
    full: str = ""
    """The alias normalised *with* its legal form, padded with spaces: when two entities
    share a key ("Kaspersky Lab" and "Kaspersky Lab, Inc."), the text decides."""


class _Hit(NamedTuple):
    kind: str  # "alias", "product", "lp"
    target: _Target
    exact: bool  # the key is the whole of the scanned text
    folded: bool = False  # found only once the text was folded (sbomscan.identifiers.fold): obfuscated


_PurlOutcome = tuple[str, tuple[tuple[str | None, str, _Target], ...], bool]
"""A purl namespace's outcome: the purl type, the patterns (name pattern, rule, target) the
namespace admits, and whether the purl has a namespace."""
_NamePatterns = tuple[frozenset[str], tuple[str, ...], frozenset[str], str]
"""Name patterns a namespace admits, for the quick test: exact names, name prefixes, the
first characters a matching name can have, and the purl type (for name_key)."""


# Roles and the highest confidence their name evidence can give. Licensee and purchaser
# are the buyer of a thing, not its maker or provider, and are never matched.
_ROLE_CAP: dict[str, Confidence] = {
    "supplier": Confidence.HIGH,
    "manufacturer": Confidence.HIGH,
    "author": Confidence.HIGH,
    "publisher": Confidence.HIGH,
    "originator": Confidence.HIGH,
    "licensor": Confidence.HIGH,
    "creator": Confidence.HIGH,
    "contributor": Confidence.MEDIUM,
    "tool": Confidence.LOW,
}
_MAKER_ROLES = frozenset({"supplier", "manufacturer", "author", "publisher", "originator"})
_STRONG_ALIAS_KINDS = frozenset({"legal", "former", "native"})
_VCS_PURL_TYPES = frozenset({"github", "gitlab", "bitbucket"})
_VCS_PURL_HOST = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}
_CPE_REF_TYPES = frozenset({"cpe22type", "cpe23type", "cpe"})
_PURL_REF_TYPES = frozenset({"purl"})
_NO_HITS: tuple[_Hit, ...] = ()
# ASCII text, as bytes: upper to lower case and punctuation to space in one C-level pass
# (``bytes.translate`` is several times faster than ``str.translate``). Pre-filter only.
# "." is kept here and handled in _ascii_miss, because normalisation joins dotted
# abbreviations ("Z.T.E." -> "zte") but splits other dots ("zte.com.cn").
_PUNCT = frozenset(b"!\"#$%&'()*+,-/:;<=>?@[\\]^_`{|}~")
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else 32 if c in _PUNCT else c for c in range(256))
# One-letter tokens: a word spelled letter by letter (sbomscan.identifiers.fold) is made of them.
_LETTERS = frozenset(bytes([c]) for c in range(97, 123))


# Legal forms written straight after a CJK name, split off a CJK run after a known name.
_CJK_LEGAL_HEADS = ("股份有限公司", "有限责任公司", "有限公司", "有限會社", "株式会社")
_CJK_START = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")
_CACHED_TEXT = 4096
"""Scanned texts longer than this are not kept in the cache (a 100 MB name would be)."""


def _text_miss(text: str, first: frozenset[bytes]) -> bool:
    """:func:`_ascii_miss`, and no word spelled letter by letter either (``K a s p e r s k y``
    reaches the full rules, which fold it: see :mod:`sbomscan.identifiers.fold`)."""
    return _ascii_miss(text, first) and not has_spaced_letters(text)


def _ascii_miss(text: str, first: frozenset[bytes]) -> bool:
    """True when ``text`` is ASCII and certainly names no alias: none of its tokens — with
    dots as separators, and with dots removed (for dotted abbreviations) — is a first token
    of any key. A cheap superset test; a ``False`` only means "look properly"."""
    if not text.isascii():
        return False
    folded = text.encode().translate(_ASCII_FOLD)
    if 46 not in folded:  # b"." (an int is found by memchr; a bytes operand costs a buffer export)
        return first.isdisjoint(folded.split())
    return first.isdisjoint(folded.replace(b".", b" ").split()) and first.isdisjoint(
        folded.replace(b".", b"").split()
    )


# The record fields the matching loop reads, fetched with one C call each instead of a
# dozen attribute lookups; by name, so that a new field in the model cannot shift them.
_ComponentFields = tuple[
    str,  # name
    str | None,  # group
    str | None,  # purl
    tuple[str, ...],  # cpes
    Swid | None,  # swid
    tuple[Party, ...],  # parties
    tuple[str, ...],  # copyright
    tuple[Hash, ...],  # hashes
    tuple[ExternalRef, ...],  # external_refs
    str | None,  # description
    tuple[tuple[str, str], ...],  # identities
    tuple[str, ...],  # licenses
    tuple[tuple[str, str], ...],  # properties
]
_component_fields: Callable[[Component], _ComponentFields] = itemgetter(
    *(
        Component._fields.index(f)
        for f in (
            "name",
            "group",
            "purl",
            "cpes",
            "swid",
            "parties",
            "copyright",
            "hashes",
            "external_refs",
            "description",
            "identities",
            "licenses",
            "properties",
        )
    )
)
_party_fields: Callable[[Party], tuple[str, str, PartyKind, tuple[str, ...], tuple[str, ...]]] = itemgetter(
    *(Party._fields.index(f) for f in ("name", "role", "kind", "emails", "urls"))
)
_ref_fields: Callable[[ExternalRef], tuple[str, str]] = itemgetter(
    ExternalRef._fields.index("type"), ExternalRef._fields.index("url")
)
if ExternalRef._fields[1] != "url" or ExternalRef._fields[3] != "comment":  # read as ref[1], ref[3]
    raise ImportError("sbomscan.match expects ExternalRef.url and .comment as the second and fourth fields")


def _free_text(
    name: str,
    group: str | None,
    desc: str | None,
    copyright: tuple[str, ...],
    licenses: tuple[str, ...],
    props: tuple[tuple[str, str], ...],
    comments: Sequence[str],
) -> str:
    """All the free text of a component joined by newlines, for one token pre-filter: the
    joined text has exactly the union of the texts' tokens (a newline separates tokens and
    is never part of a letter-by-letter spelling). Both paths of the Matcher use this one
    function, so a text field read by the full rules is always seen by the quick test
    (``comments``: the external references' comments, :func:`_ref_comments`)."""
    if not (group or desc or copyright or licenses or props or comments):
        return name
    parts = [name, group or "", desc or ""]
    if copyright:
        parts += copyright
    if licenses:
        parts += licenses
    if props:
        parts += [v for _, v in props]
    if comments:
        parts += comments
    return "\n".join(parts)


def _ref_comments(refs: tuple[ExternalRef, ...]) -> list[str]:
    return [r[3] for r in refs if r[3]]


def _prop_field(name: str) -> str:
    """The evidence field of a property: SPDX comments and annotations, kept by the readers
    as ``spdx:comment`` / ``spdx:annotation`` properties, are ``comment`` / ``annotation``."""
    return name[5:] if name.startswith("spdx:") else "property." + name


def _url_confidence(rule: str) -> Confidence:
    """URL evidence is high (an exact domain or forge organisation), but a look-alike host
    (rule ``obfuscated-name``) is medium, like every name found only by folding."""
    return Confidence.MEDIUM if rule == "obfuscated-name" else Confidence.HIGH


def _mention_rule(field: str) -> str:
    if field.startswith("property."):
        return "property-mention"
    return field.rsplit(".", 1)[-1] + "-mention"


# reference types that are identifiers rather than URLs, in the spellings the formats use
_SPECIAL_REF_TYPES = frozenset(
    {"cpe22Type", "cpe23Type", "cpe", "purl", "CPE22TYPE", "CPE23TYPE", "PURL", "CPE"}
)
# first characters of URLs that can only be URLs (http, https, git, git+ssh...): see _match
_PLAIN_URL_FIRST = frozenset("hHgG")
_NO_NAME = frozenset({"", "noassertion", "none", "unknown", "n/a", "-"})


def _has_legal_form(name: str) -> bool:
    """The name is written with a legal form ("Sepura plc", "АО «Лаборатория Касперского»"):
    normalised, it has more tokens than its key, which drops legal forms."""
    return len(normalize_text(name).split()) > len(name_tokens(name))


def _cap(conf: Confidence, cap: Confidence) -> Confidence:
    return conf if _RANK[conf] >= _RANK[cap] else cap


def _norm_ns(ns: str | None) -> str | None:
    return ns.lstrip("@").lower() if ns else None


def _pattern_ok(pattern: str | None, value: str | None) -> bool:
    if pattern is None or pattern == "*":
        return True
    if value is None:
        return False
    if pattern.endswith("*"):
        return value.startswith(pattern[:-1])
    return value == pattern


def _disambiguate(hits: list[_Hit], padded: str) -> list[_Hit]:
    """Several aliases share a normalised key (legal forms are dropped): prefer those whose
    full written form is in the text, longest first, and of entities, only those with the
    longest such form ("Kaspersky Lab, Inc." over "Kaspersky Lab"); if none is, keep all."""
    present = sorted(
        (h for h in hits if h.target.full and h.target.full in padded), key=lambda h: -len(h.target.full)
    )
    if not present:
        return hits
    longest = len(present[0].target.full)
    keep = {h.target.entity for h in present if len(h.target.full) == longest}
    return [h for h in present if h.target.entity in keep] + [
        h for h in hits if h.target.entity in keep and h not in present
    ]


def _app_values(
    name: str, purl: str | None, swid: Swid | None, props: tuple[tuple[str, str], ...]
) -> list[tuple[str, str, str]]:
    """The (field, text shown, value compared) triples where an SBOM states an application
    id, each compared as a whole value: the component name (what generators write for an
    app, e.g. an APK's package name), the purl's name (``pkg:generic/com.zhiliaoapp.musically@44.1.3``,
    as the purl reader gives it), the SWID tag id, and property values. The full rules use this
    function and the quick test (:meth:`Matcher._match`) reads the same fields, the purl's
    name through the same :func:`~sbomscan.identifiers.purl.parse_purl`. Whole values only: a rule about an application must not reach
    its maker's other software, nor an id that merely starts the same."""
    out = [("name", name, name.strip())]
    parsed = parse_purl(purl) if purl else None
    if parsed is not None and parsed.name.strip():
        out.append(("purl", purl or "", parsed.name.strip()))
    if swid is not None and swid.tag_id:
        out.append(("swid.tag_id", swid.tag_id, swid.tag_id.strip()))
    out.extend((_prop_field(k), v, v.strip()) for k, v in props if v)
    return out


_MakeTarget = Callable[..., "_Target"]
"""``tgt(matched, unverified)``: an entity's target for one identifier (see Matcher.__init__)."""


def _hash_key(algorithm: str, value: str) -> tuple[str, str]:
    return algorithm.upper().replace("-", "").replace("_", ""), value.strip().lower()


class Matcher:
    """The entity index, built once per database and date; then match components.

    A Matcher keeps caches keyed on field values that repeat across components (party
    names, URL prefixes, purl namespaces, scanned texts): each entry is a pure function of
    its key and the index, so a cached answer is the cold one, and one Matcher can be
    reused for any number of documents. Each cache holds at most 100,000 entries (the
    scanned texts 200,000) and is emptied when full, which bounds memory. Sharing a Matcher between threads is safe in
    the same sense: two threads may compute the same entry twice, never a different one.
    """

    def __init__(self, db: EntityDatabase, *, as_of: date | None = None) -> None:
        self.db = db
        self.as_of = as_of or date.today()
        on = self.as_of
        # The control chain(s) shown in evidence: none when an authority in effect names the
        # entity itself; else the current chains that rest on verified facts; only when every
        # current chain rests on something unverified, those, marked "unverified: ..."; only
        # when nothing covers it now, the ended ("former: ...") ones — a former or unverified
        # link must never mask current, verified coverage.
        self._via: dict[str, tuple[str, ...]] = {}
        for eid in db.entities:
            covs = db.coverage(eid, on)
            current = [c for c in covs if not c.former]
            verified = [c for c in current if not c.unverified]
            if any(not c.chain for c in current):
                via: list[str] = []
            elif verified:
                via = [c.text for c in verified]
            elif current:
                via = ["unverified: " + c.text for c in current]
            else:
                via = ["former: " + c.text for c in covs if c.chain]
            self._via[eid] = tuple(dict.fromkeys(via))

        self._phrases: dict[tuple[str, ...], list[_Hit]] = {}
        self._fold_phrases: dict[tuple[str, ...], list[_Hit]] = {}
        """The same keys, folded (sbomscan.identifiers.fold), for texts that need folding."""
        self._cpe_vendor: dict[str, list[_Target]] = {}
        self._lp_cpe: dict[tuple[str, str | None], list[_Target]] = {}
        self._purl: dict[str, list[tuple[str | None, str | None, str, _Target]]] = {}
        self._domain: dict[str, list[_Target]] = {}
        self._email_dom: dict[str, list[_Target]] = {}
        self._vcs: dict[tuple[str, str], list[_Target]] = {}
        self._regid: dict[str, list[_Target]] = {}
        self._hash: dict[tuple[str, str], list[_Target]] = {}
        self._app_ids: dict[str, list[_Target]] = {}
        """Application ids, lower-cased -> targets: a whole-value lookup (see _app_values)."""
        mirror_hosts: set[str] = set()

        for eid in sorted(db.entities):
            ent = db.entities[eid]
            base: tuple[str, ...] = ("unverified: entity " + ent.name,) if ent.unverified else ()
            if ent.until is not None and ent.until <= on:
                base += (f"former: {ent.name} ceased {ent.until.isoformat()}",)

            def tgt(
                matched: str,
                unverified: bool,
                extra: tuple[str, ...] = (),
                *,
                strong_name: bool = False,
                eid: str = eid,
                base: tuple[str, ...] = base,
            ) -> _Target:
                notes = base + ((f"unverified: {matched}",) if unverified else ()) + extra
                return _Target(eid, matched, notes, strong_name, None, f" {normalize_text(matched)} ")

            self._phrase(
                ent.name,
                "alias",
                tgt(ent.name, False, strong_name=_has_legal_form(ent.name) and ent.kind != "brand"),
            )
            for al in ent.aliases:
                extra: tuple[str, ...] = ()
                # A former *name* of the same entity still names it; an alias that stopped
                # applying (a brand sold, say) gives former evidence.
                if al.until is not None and al.until <= on and al.kind != "former":
                    extra = (f"former: {al.value} until {al.until.isoformat()}",)
                strong = al.kind in _STRONG_ALIAS_KINDS and _has_legal_form(al.value)
                self._phrase(al.value, "alias", tgt(al.value, al.unverified, extra, strong_name=strong))
            # every identifier kind of the data feeds the lookup its row names (kinds.KINDS)
            ids = ent.identifiers
            for kind in kinds.KINDS:
                index = _INDEXERS[kind.lookup]
                for rec in ids[kind.name]:
                    index(self, rec, tgt, mirror_hosts)

        for lp in db.licensed_products:
            notes = self._lp_notes(lp)
            for name in lp.names:
                self._phrase(
                    name, "lp", _Target(lp.licensor, name, notes, lp=lp.id, full=f" {normalize_text(name)} ")
                )
            for pair in lp.cpes:
                vendor, _, product = pair.lower().partition(":")
                self._lp_cpe.setdefault((vendor, product or None), []).append(
                    _Target(lp.licensor, pair, notes, lp=lp.id)
                )

        self._mirror_hosts: frozenset[str] = frozenset(mirror_hosts)
        """Hosts that serve other people's content: the domain walk stops at them."""
        self._first: set[str] = {k[0] for k in self._phrases}
        self._maxlen: dict[str, int] = {}
        for key in self._phrases:
            self._maxlen[key[0]] = max(self._maxlen.get(key[0], 0), len(key))
        self._fold_first: set[str] = {k[0] for k in self._fold_phrases}
        self._fold_maxlen: dict[str, int] = {}
        for key in self._fold_phrases:
            self._fold_maxlen[key[0]] = max(self._fold_maxlen.get(key[0], 0), len(key))
        # CJK first tokens, found also as the start of a longer CJK run (see _tokens)
        self._cjk_first = frozenset(t for t in self._first if _CJK_START.match(t) and len(t) > 1)
        self._cjk_maxlen = max((len(t) for t in self._cjk_first), default=0)
        # Fast ASCII pre-filter (see _ascii_miss): the first tokens of every key, as bytes.
        self._fast_first: frozenset[bytes] = frozenset(t.encode() for t in self._first if t.isascii())
        self._scan_cache: dict[str, tuple[_Hit, ...]] = {}
        self._url_cache: dict[str, tuple[tuple[tuple[str, _Target], ...], bool]] = {}
        self._url_alias: dict[str, tuple[tuple[tuple[str, _Target], ...], bool]] = {}
        """URL up to its last "/" -> the same answers as _url_cache (see _url_info)."""
        """URL prefix (scheme://host/first-segment) -> (hits, is a forge repository)."""
        self._host_cache: dict[str, tuple[tuple[str, _Target], ...]] = {}
        self._url_slow_cache: dict[str, tuple[tuple[str, _Target], ...]] = {}
        self._party_cache: dict[str, tuple[_Hit, ...]] = {}
        self._purl_cache: dict[str | tuple[str, str | None], _PurlOutcome] = {}
        """The purl patterns a namespace admits, by the text before a plain purl's name
        (:func:`~sbomscan.identifiers.purl.split_purl`) or by (type, namespace)."""
        self._purl_maybe: dict[str, bool | _NamePatterns] = {}
        self._quiet_licenses: set[tuple[str, ...]] = set()
        """Licence lists that name nobody by the free-text pre-filter (see _quiet)."""
        # every vendor a CPE can match by (see _cpe_maybe)
        self._cpe_vendors = frozenset(self._cpe_vendor) | frozenset(v for v, _ in self._lp_cpe)
        self._purl_vcs_types = (frozenset(_VCS_PURL_HOST) | {"golang"}) if self._vcs else frozenset()
        self._vcs_hosts = frozenset({h for h, _ in self._vcs} | {"www." + h for h, _ in self._vcs})
        self._hash_values = frozenset(v for _, v in self._hash) | frozenset(v.upper() for _, v in self._hash)

    # ------------------------------------------------------------------ index: one adder per lookup
    # Each files one identifier record (of any kind whose row names the lookup, see
    # sbomscan.entities.kinds) under the key its lookup compares; ``tgt(matched, unverified)``
    # makes the entity's target, ``mirrors`` collects the hosts the domain walk stops at.

    def _index_product(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        self._phrase(v.value, "product", tgt(v.value, v.unverified))

    def _index_cpe_vendor(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        self._cpe_vendor.setdefault(v.value.lower(), []).append(tgt(v.value, v.unverified))

    def _index_purl(self, p: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        text = "pkg:" + p.type + ("/" + p.namespace if p.namespace else "") + "/" + (p.name or "*")
        pname = name_key(p.type.lower(), p.name) if p.name else None
        self._purl.setdefault(p.type.lower(), []).append(
            (_norm_ns(p.namespace), pname, text, tgt(text, p.unverified))
        )

    def _index_domain(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        self._domain.setdefault(v.value.lower().rstrip("."), []).append(tgt(v.value, v.unverified))

    def _index_email_domain(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        self._email_dom.setdefault(v.value.lower().rstrip("."), []).append(tgt(v.value, v.unverified))

    def _index_vcs_org(self, o: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        host = o.host.lower().removeprefix("www.")
        self._vcs.setdefault((host, o.org.casefold()), []).append(tgt(f"{host}/{o.org}", o.unverified))

    def _index_swid_regid(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        self._regid.setdefault(v.value.strip().casefold(), []).append(tgt(v.value, v.unverified))

    def _index_app_id(self, a: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        self._app_ids.setdefault(a.value.lower(), []).append(tgt(f"{a.platform} app {a.value}", a.unverified))

    def _index_hash(self, h: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        shown = f"{h.algorithm}:{h.value}" + (f" ({h.description})" if h.description else "")
        self._hash.setdefault(_hash_key(h.algorithm, h.value), []).append(tgt(shown, h.unverified))

    def _index_mirror_host(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        mirrors.add(v.value.lower().rstrip("."))

    # ------------------------------------------------------------------ index helpers

    def _phrase(self, text: str, kind: str, target: _Target) -> None:
        folded = fold_text(text)
        for table, key in (
            (self._phrases, name_tokens(text)),
            (self._fold_phrases, name_tokens(folded) if folded is not None else name_tokens(text)),
        ):
            if not key:
                continue
            hits = table.setdefault(key, [])
            if not any(h.kind == kind and h.target == target for h in hits):
                hits.append(_Hit(kind, target, False))

    def _lp_notes(self, lp: LicensedProduct) -> tuple[str, ...]:
        ent = self.db.entities.get(lp.licensor)
        who = ent.name if ent else lp.licensor
        period = ""
        if lp.since or lp.until:
            period = f" ({lp.since.isoformat() if lp.since else '?'} to {lp.until.isoformat() if lp.until else '?'})"
        notes = [
            f"licensed product {lp.id}: {lp.vendor} {lp.product}, engine by {who}{period}; "
            f"sources: {', '.join(lp.sources) or 'none'}"
        ]
        if lp.until is not None and lp.until <= self.as_of:
            notes.append(f"former: licensing ended {lp.until.isoformat()}")
        if lp.unverified:
            notes.append(f"unverified: licensed product {lp.id}")
        if ent is not None and ent.unverified:
            notes.append("unverified: entity " + ent.name)
        return tuple(notes)

    def _scan(self, text: str) -> tuple[_Hit, ...]:
        """Every alias/product/licensed-product key found as whole tokens in ``text``; the
        longest hit per (kind, entity, product) wins. Hits found only once the text is folded
        (:mod:`sbomscan.identifiers.fold`: invisible characters, confusables, letter-by-letter spelling)
        are marked ``folded``."""
        if _text_miss(text, self._fast_first):
            return _NO_HITS
        cached = self._scan_cache.get(text)
        if cached is not None:
            return cached
        result = self._scan_tokens(self._tokens(text), self._phrases, self._first, self._maxlen)
        folded = fold_text(text)
        if folded is not None:
            more = self._scan_tokens(
                self._tokens(folded), self._fold_phrases, self._fold_first, self._fold_maxlen
            )
            seen = {(h.kind, h.target.entity, h.target.lp) for h in result}
            extra = tuple(
                h._replace(folded=True) for h in more if (h.kind, h.target.entity, h.target.lp) not in seen
            )
            if extra:
                result += extra
        if len(text) <= _CACHED_TEXT:
            make_room(self._scan_cache, 200_000)
            self._scan_cache[text] = result
        return result

    def _tokens(self, text: str) -> list[str]:
        """The normalised tokens of a text, with a CJK run that starts with a known CJK name
        split after it ("华为技术有限公司深圳分公司" -> 华为技术 有限公司 深圳分公司)."""
        tokens = normalize_text(text).split()
        if text.isascii() or not self._cjk_first:
            return tokens
        out: list[str] = []
        for tok in tokens:
            if tok in self._first or tok.isascii():
                out.append(tok)
            else:
                out.extend(self._cjk_split(tok))
        return out

    def _cjk_split(self, tok: str) -> list[str]:
        """A CJK token cut after the longest known CJK name it starts with, and after a legal
        form that follows; the token unchanged when it starts with none."""
        for n in range(min(len(tok) - 1, self._cjk_maxlen), 1, -1):
            head = tok[:n]
            if head in self._cjk_first:
                rest = tok[n:]
                for form in _CJK_LEGAL_HEADS:
                    if rest.startswith(form) and len(rest) > len(form):
                        return [head, form, rest[len(form) :]]
                return [head, rest]
        return [tok]

    @staticmethod
    def _scan_tokens(
        tokens: list[str],
        phrases: dict[tuple[str, ...], list[_Hit]],
        first: set[str],
        maxlen: dict[str, int],
    ) -> tuple[_Hit, ...]:
        """The phrase keys in a token list, in one left-to-right pass (linear in the tokens,
        however often a key repeats).

        An alias inside a longer alias names the more specific entity only: an alias span
        is dropped when an alias span starting at or before it reaches at least as far and
        is longer. Spans are met in order of their start, so that test needs only the
        longest alias span starting at this token and the furthest end reached by those
        that started earlier. Several aliases sharing a key are told apart once per key."""
        n_tok = len(tokens)
        start, end = 0, n_tok  # the whole text as a name (legal forms trimmed): exact hits
        while end > 1 and tokens[end - 1] in LEGAL_FORMS:
            end -= 1
        while end - start > 1 and tokens[start] in LEADING_LEGAL_FORMS:
            start += 1
        padded = ""
        chosen: dict[tuple[str, ...], list[_Hit]] = {}
        best: dict[tuple[str, str, str | None], tuple[int, _Hit]] = {}
        reach = 0  # the furthest end of an alias span that started before token i
        for i, tok in enumerate(tokens):
            if tok not in first:
                continue
            found: list[tuple[int, list[_Hit]]] = []
            longest_alias = 0
            for n in range(1, min(maxlen[tok], n_tok - i) + 1):
                key = tuple(tokens[i : i + n])
                hits = phrases.get(key)
                if not hits:
                    continue
                if len(hits) > 1:
                    picked = chosen.get(key)
                    if picked is None:
                        if not padded:
                            padded = f" {' '.join(tokens)} "
                        picked = chosen[key] = _disambiguate(hits, padded)
                    hits = picked
                found.append((n, hits))
                if any(h.kind == "alias" for h in hits):
                    longest_alias = n
            for n, hits in found:
                exact = i == start and i + n == end
                for hit in hits:
                    if hit.kind == "alias" and (n < longest_alias or reach >= i + n):
                        continue
                    k = (hit.kind, hit.target.entity, hit.target.lp)
                    if k not in best or best[k][0] < n:
                        best[k] = (n, hit._replace(exact=True) if exact else hit)
            if longest_alias:
                reach = max(reach, i + longest_alias)
        return tuple(h for _, h in best.values())

    def _url(self, url: str) -> tuple[tuple[str, _Target], ...]:
        """Domain-suffix and forge-organisation hits for one URL."""
        return self._url_info(url)[0]

    def _url_info(self, url: str) -> tuple[tuple[tuple[str, _Target], ...], bool]:
        """(hits, whether the URL is a repository on a known forge). The common
        ``scheme://host/path`` form is split by hand and cached on its ``scheme://host/org``
        prefix (the "key"), which is all the answer depends on; anything else goes the
        careful way.

        The answer is also filed under the URL up to its last "/" (the "alias"), which is
        one ``rfind`` away: whenever that is at least as long as the key, every URL with
        the same alias has the same key (they share everything up to and including the
        key's end). A key is its own key, so a URL found among the keys is answered too.
        Aliases are filed only for URLs starting "h" or "g" (http, https, git...), which
        :meth:`_match` relies on; it looks both tables up inline.
        """
        info = self._url_alias.get(url[: url.rfind("/")]) or self._url_cache.get(url)
        if info is not None:
            return info
        s = url.find("://")
        if s < 0:
            return self._url_slow(url), vcs_org(url) is not None
        j = url.find("/", s + 3)
        k = url.find("/", j + 1) if j >= 0 else -1
        key = url[:k] if k >= 0 else url
        result = self._url_cache.get(key)
        if result is None:
            result = (self._url_parts(key, s), vcs_org(key) is not None)
            make_room(self._url_cache)
            self._url_cache[key] = result
        if k >= 0 and url[0] in _PLAIN_URL_FIRST:  # the last "/" is at k or later: the alias holds the key
            make_room(self._url_alias)
            self._url_alias[url[: url.rfind("/")]] = result
        return result

    def _url_parts(self, url: str, s: int) -> tuple[tuple[str, _Target], ...]:
        rest = url[s + 3 :]
        end = len(rest)
        for ch in "/?#":
            i = rest.find(ch, 0, end)
            if i >= 0:
                end = i
        host = rest[:end]
        if (
            "@" in host
            or ":" in host
            or "%" in host
            or "\\" in host
            or "xn--" in host.lower()
            or not host.isascii()
        ):
            return self._url_slow(url)  # user info, port, escapes, backslashes, IDN: hosts.py
        host = host.lower().rstrip(".")
        hits = self._host_hits(host)
        if host in self._vcs_hosts:
            path = rest[end + 1 :] if end < len(rest) and rest[end] == "/" else ""
            org = path.split("/", 1)[0]
            if org:
                org = org.removesuffix(".git").lstrip("~").casefold()
                found = self._vcs.get((host.removeprefix("www."), org))
                if found:
                    hits = hits + tuple(("vcs-org", t) for t in found)
        return hits

    def _host_hits(self, host: str) -> tuple[tuple[str, _Target], ...]:
        cached = self._host_cache.get(host)
        if cached is not None:
            return cached
        out: list[tuple[str, _Target]] = []
        h: str | None = host
        mirrors = self._mirror_hosts
        while h:
            if h in mirrors:
                # a public mirror (repo.huaweicloud.com): what it serves is not the operator's
                break
            out.extend(("domain", t) for t in self._domain.get(h, ()))
            dot = h.find(".")
            h = h[dot + 1 :] if dot >= 0 else None
        result = tuple(out)
        make_room(self._host_cache)
        self._host_cache[host] = result
        return result

    def _url_slow(self, url: str) -> tuple[tuple[str, _Target], ...]:
        cached = self._url_slow_cache.get(url)
        if cached is not None:
            return cached
        out: list[tuple[str, _Target]] = []
        host = url_host(url)
        if host is not None:
            out.extend(self._host_hits(host))
            if not out and (not url.isascii() or "xn--" in host):
                # an IDN homograph (kаspersky.com, Cyrillic а) resolves elsewhere, but
                # imitating a covered vendor's domain is a disguise: obfuscated-name
                imitated = look_alike_host(url)
                if imitated is not None:
                    out.extend(("obfuscated-name", t) for _, t in self._host_hits(imitated))
            if self._vcs:
                org = vcs_org(url)
                if org is not None:
                    out.extend(("vcs-org", t) for t in self._vcs.get(org, ()))
        result = tuple(out)
        make_room(self._url_slow_cache)
        self._url_slow_cache[url] = result
        return result

    def _email_hits(self, email: str) -> list[_Target]:
        dom = email_domain(email)
        if dom is None or not dom.isascii() or "%" in dom:  # ideographic full stop, escapes...
            _, at, rest = email.strip().rstrip(">").rpartition("@")
            if at and (not email.isascii() or "%" in rest):
                dom = normalize_host(rest.split("?", 1)[0])
        if dom is None:
            return []
        out: list[_Target] = []
        h: str | None = dom
        while h:
            out.extend(self._email_dom.get(h, ()))
            out.extend(self._domain.get(h, ()))
            dot = h.find(".")
            h = h[dot + 1 :] if dot >= 0 else None
        return out

    # ------------------------------------------------------------------ matching

    def match_document(self, doc: Document) -> list[Match]:
        """Match every component of one document; document-level parties count on its roots."""
        roots = frozenset(doc.roots)
        parties = doc.parties
        match = self._match
        out: list[Match] = []
        for comp in doc.components:
            found = match(comp, parties if parties and comp.id in roots else ())
            if found:
                out.extend(found)
        return out

    def match_graph(self, graph: Any) -> list[Match]:
        """Match every component of an ``SbomGraph`` (in its load order)."""
        root_parties: dict[str, tuple[Party, ...]] = {}
        for doc in graph.documents.values():
            if doc.parties:
                for r in doc.roots:
                    root_parties[r] = doc.parties
        match = self._match
        out: list[Match] = []
        if root_parties:
            for comp in graph.components.values():
                found = match(comp, root_parties.get(comp.id, ()))
                if found:
                    out.extend(found)
        else:
            for comp in graph.components.values():
                found = match(comp, ())
                if found:
                    out.extend(found)
        return out

    def match_component(
        self, component: Component, *, document_parties: Sequence[Party] = ()
    ) -> tuple[Match, ...]:
        """Every entity (and licensed product) this component's fields name, one :class:`Match`
        per (entity, kind, licensed product), evidence merged and sorted."""
        return self._match(component, document_parties)

    def _match(self, c: Component, document_parties: Sequence[Party]) -> tuple[Match, ...]:
        """:meth:`match_component`: a quick test that nothing can match, else :meth:`_match_full`.

        Matching runs once per component of every document, and almost every component names
        nobody, so the question asked first is the cheap one: could any rule hit at all? Each
        field is looked up in the Matcher's caches (party names, URL prefixes, purl
        namespaces), the free text goes through one token pre-filter, and anything unusual —
        CPEs, SWID tags, evidence identities, e-mail addresses, URLs that are not plain
        ``http(s)``/``git`` ones, odd purls, document-level parties — simply says "maybe".
        A component that answers "no" everywhere has no evidence, whatever else it carries
        (the "foreign" test of a mention only matters when something hit), so ``()`` is its
        exact result; any "maybe" runs the full rules. The test reads as few of the record's
        objects as it can: on a large document each one is a cache miss.
        """
        name, group, purl, cpes, swid, parties, copyright, hashes, refs, desc, identities, licenses, props = (
            _component_fields(c)
        )
        if swid is not None or identities or document_parties:
            return self._match_full(c, document_parties)
        for text in cpes:
            if self._cpe_maybe(text):
                return self._match_full(c, document_parties)
        url_cache = self._url_cache
        url_alias = self._url_alias
        for p in parties:
            pname, role, _kind, emails, urls = _party_fields(p)
            if role not in _ROLE_CAP:
                continue
            if emails:
                return self._match_full(c, document_parties)
            hits = self._party_cache.get(pname)
            if hits is None:
                hits = self._party_hits(pname)
            if hits:
                return self._match_full(c, document_parties)
            for url in urls:
                # _url_info's caches, looked up here (a party's URL is often a home page:
                # its own key)
                info = url_cache.get(url) or url_alias.get(url[: url.rfind("/")]) or self._url_info(url)
                if info[0]:
                    return self._match_full(c, document_parties)
        comments = False
        for ref in refs:
            if ref[3]:
                comments = True
            url = ref[1]
            if not url:
                continue
            # A URL starting "h" or "g" with "://" is neither a CPE, a purl nor an e-mail
            # address, whatever the reference's type says: only the URL rules apply. The
            # aliases are only filed for such URLs, so a URL found there is one.
            found = url_alias.get(url[: url.rfind("/")])
            if found is None:
                if url[0] not in _PLAIN_URL_FIRST or "://" not in url:
                    return self._match_full(c, document_parties)
                found = url_cache.get(url) or self._url_info(url)
            if found[0]:
                return self._match_full(c, document_parties)
        apps = self._app_ids
        if apps:  # every app id has a dot (validated): most values are ruled out by that
            if "." in name and name.strip().lower() in apps:
                return self._match_full(c, document_parties)
            for _, v in props:
                if "." in v and v.strip().lower() in apps:
                    return self._match_full(c, document_parties)
        if purl:
            split = split_purl(purl)
            if split is None:  # qualifiers, escapes in the name, odd shapes: the full rules
                return self._match_full(c, document_parties)
            head, pname, _version = split
            if apps and "." in pname:  # the purl's name, as _app_values reads it
                parsed = parse_purl(purl)
                if parsed is not None and parsed.name.strip().lower() in apps:
                    return self._match_full(c, document_parties)
            maybe = self._purl_maybe.get(head)
            if maybe is None:
                maybe = self._purl_maybe_key(head)
            if maybe is True:
                return self._match_full(c, document_parties)
            # name patterns only (a PyPI "huaweicloudsdk*"): the name decides, and most names
            # are ruled out by their first character (folding never changes it but to "-")
            if maybe and pname[:1].lower() in maybe[2]:
                lname = name_key(maybe[3], pname)
                if lname in maybe[0] or lname.startswith(maybe[1]):  # _pattern_ok on each, at once
                    return self._match_full(c, document_parties)
        if self._hash_values and hashes:
            hv = self._hash_values
            if any(h.value in hv for h in hashes):
                return self._match_full(c, document_parties)
        # One pre-filter for all free text (_text_miss, inlined): the texts joined by
        # newlines have exactly the union of their tokens.
        if licenses and licenses in self._quiet_licenses:
            licenses = ()  # a licence list seen before that names nobody ("MIT", "Apache-2.0"...)
        if group or desc or copyright or licenses or props or comments:
            texts = _free_text(
                name, group, desc, copyright, licenses, props, _ref_comments(refs) if comments else ()
            )
        else:
            texts = name  # what _free_text gives then, without the call
        if not texts.isascii():
            return self._match_full(c, document_parties)
        folded = texts.encode().translate(_ASCII_FOLD)
        first = self._fast_first
        if 46 not in folded:  # b"."
            tokens = folded.split()
            if not first.isdisjoint(tokens):
                return self._match_full(c, document_parties)
        else:
            tokens = folded.replace(b".", b" ").split()
            if not (first.isdisjoint(tokens) and first.isdisjoint(folded.replace(b".", b"").split())):
                return self._match_full(c, document_parties)
        # a word spelled letter by letter has one-letter tokens (a superset test first)
        if not _LETTERS.isdisjoint(tokens) and has_spaced_letters(texts):
            return self._match_full(c, document_parties)
        if licenses:
            self._quiet(licenses)
        return ()

    def _quiet(self, licenses: tuple[str, ...]) -> None:
        """Remember a licence list that, on its own, passes the free-text pre-filter (and so
        cannot change its answer for any component): the quick test leaves it out of the
        joined text next time. Only called when the whole joined text passed, so the list
        is checked alone here (bounded like the other caches)."""
        if _text_miss("\n".join(licenses), self._fast_first):
            make_room(self._quiet_licenses)
            self._quiet_licenses.add(licenses)

    def _cpe_maybe(self, text: str) -> bool:
        """Whether a CPE may name a CPE vendor of the data (a superset test of
        :meth:`_match_cpe`): a plain ``cpe:2.3:`` string is decided by its vendor field;
        anything else (escapes, the 2.2 URI form) is left to the full rules."""
        vendors = self._cpe_vendors
        if not vendors:
            return False
        text = text.strip()
        if "\\" in text or text[:8].lower() != "cpe:2.3:":
            return True
        fields = text.split(":", 4)
        return len(fields) > 3 and fields[3].lower() in vendors

    def _purl_maybe_key(self, head: str) -> bool | _NamePatterns:
        """Whether a plain purl whose text before its name is ``head`` may match: ``True``
        when its namespace admits a pattern for any name; the name patterns when it admits
        only those (the caller tries the purl's name on them, as :meth:`_match_purl` does);
        ``False`` when it admits none."""
        maybe: bool | _NamePatterns
        ptype, candidates, _has_ns = self._purl_cache.get(head) or self._purl_outcome(head)
        names = [pname for pname, _rule, _t in candidates if pname is not None and pname != "*"]
        if not candidates:
            maybe = False
        elif len(names) < len(candidates):
            maybe = True  # some pattern takes any name
        else:  # what _pattern_ok tests, as one set and one tuple of prefixes; and the
            # first characters a matching name can have ("-_.": PEP 503)
            exact = frozenset(n for n in names if not n.endswith("*"))
            firsts = frozenset(n[:1] for n in names if n[:1] != "*") | frozenset("-_.")
            maybe = (exact, tuple(n[:-1] for n in names if n.endswith("*")), firsts, ptype)
        make_room(self._purl_maybe)
        self._purl_maybe[head] = maybe
        return maybe

    def _match_full(self, c: Component, document_parties: Sequence[Party]) -> tuple[Match, ...]:
        """Every rule, for a component that may match (see :meth:`_match`).

        Party names, URL prefixes and purl namespaces are looked up in the Matcher's caches,
        and the free text passes one pre-filter together before each text is scanned. The
        order in which raw hits are collected is the order of the rules below and must stay
        so: evidence is merged per (entity, licensed product) in that order.
        """
        name, group, purl, cpes, swid, parties, copyright, hashes, refs, desc, identities, licenses, props = (
            _component_fields(c)
        )
        raw: list[tuple[str, str, str, Confidence, _Target]] = []
        foreign = False

        for p in parties:
            pname, role, _kind, emails, urls = _party_fields(p)
            cap = _ROLE_CAP.get(role)
            if cap is None:
                continue
            hits = self._party_cache.get(pname)
            if hits is None:
                hits = self._party_hits(pname)
            hit_any = bool(hits) and self._party_names(p, hits, role, cap, raw)
            if emails:
                for email in emails:
                    for t in self._email_hits(email):
                        raw.append((role + ".email", email, "email-domain", _cap(Confidence.HIGH, cap), t))
                        hit_any = True
            for url in urls:
                info = self._url_info(url)
                if info[0]:
                    for rule, t in info[0]:
                        raw.append((role + ".url", url, rule, _cap(_url_confidence(rule), cap), t))
                    hit_any = True
            if not hit_any and role in _MAKER_ROLES and pname.lower() not in _NO_NAME:
                foreign = True
        for p in document_parties:
            cap = _ROLE_CAP.get(p.role)
            if cap is not None:
                self._party(p, "document." + p.role, cap, raw)

        # One pre-filter for all free text (see _free_text): when the joined text misses,
        # every one of them does; otherwise each is looked at on its own.
        texts = _free_text(name, group, desc, copyright, licenses, props, _ref_comments(refs))
        look = not _text_miss(texts, self._fast_first)
        miss = _text_miss
        first = self._fast_first
        scan = self._scan

        if look:
            # copyright holders and licence names: the rights holder, medium
            for fld, rule, values in (
                ("copyright", "copyright-alias", copyright),
                ("license", "license-alias", licenses),
            ):
                for text in values:
                    if text and not miss(text, first):
                        hits = scan(text)
                        if hits:
                            raw.extend(
                                (
                                    fld,
                                    text,
                                    "obfuscated-name" if h.folded else rule,
                                    Confidence.MEDIUM,
                                    h.target,
                                )
                                for h in hits
                                if h.kind == "alias" or h.folded
                            )

        if purl:
            found, has_ns = self._match_purl("purl", purl, raw)
            if has_ns and not found:
                foreign = True
        for text in cpes:
            self._match_cpe("cpe", text, raw)

        for ref in refs:
            rtype, url = _ref_fields(ref)
            if not url:
                continue
            if rtype in _SPECIAL_REF_TYPES:
                low = rtype.lower()
                if low in _CPE_REF_TYPES:
                    self._match_cpe("cpe", url, raw)
                    continue
                if low in _PURL_REF_TYPES:
                    if url != purl:
                        self._match_purl("external_ref.purl", url, raw)
                    continue
            if "@" in url and (url[:7].lower() == "mailto:" or ("/" not in url and ":" not in url)):
                # an e-mail address (support, mailing list): its domain, like a party's e-mail
                field = "external_ref." + rtype
                raw.extend((field, url, "email-domain", Confidence.HIGH, t) for t in self._email_hits(url))
                continue
            urlhits, forge = self._url_info(url)
            if urlhits:
                field = "external_ref." + rtype
                raw.extend((field, url, rule, _url_confidence(rule), t) for rule, t in urlhits)
            elif forge and rtype == "vcs":
                foreign = True

        if swid is not None and swid.regid and self._regid:
            for t in self._regid.get(swid.regid.strip().casefold(), ()):
                raw.append(("swid", swid.regid, "swid-regid", Confidence.HIGH, t))
        if self._app_ids:
            apps = self._app_ids
            for fld, shown, val in _app_values(name, purl, swid, props):
                for t in apps.get(val.lower(), ()):
                    raw.append((fld, shown, "app-id", Confidence.HIGH, t))
        if hashes and self._hash_values:
            hv = self._hash_values
            for h in hashes:
                if h.value in hv:
                    for t in self._hash.get(_hash_key(h.algorithm, h.value), ()):
                        raw.append(("hash." + h.algorithm, h.value, "hash", Confidence.HIGH, t))

        # names and descriptions: the weakest evidence, kept apart until the end
        mentions: list[tuple[str, str, _Hit]] = []
        if look:
            if name and not miss(name, first):
                hits = scan(name)
                if hits:
                    mentions.extend(("name", name, h) for h in hits)
            if group and not miss(group, first):
                hits = scan(group)
                if hits:
                    mentions.extend(("group", group, h) for h in hits)
            if desc and not miss(desc, first):
                hits = scan(desc)
                if hits:
                    mentions.extend(("description", desc, h) for h in hits)
            # properties (CycloneDX; SPDX comments and annotations) and reference comments: low
            for pname, value in props:
                if value and not miss(value, first):
                    hits = scan(value)
                    if hits:
                        fld = _prop_field(pname)
                        mentions.extend((fld, value, h) for h in hits)
            for ref in refs:
                note = ref[3]
                if note and not miss(note, first):
                    hits = scan(note)
                    if hits:
                        fld = f"external_ref.{ref[0]}.comment"
                        mentions.extend((fld, note, h) for h in hits)
        if swid is not None and swid.name and swid.name != name:
            mentions.extend(("swid.name", swid.name, h) for h in scan(swid.name))
        if identities:
            for fld, val in identities:
                f = fld.lower()
                if f == "cpe":
                    self._match_cpe("identity.cpe", val, raw)
                elif f == "purl" and val != purl:
                    self._match_purl("identity.purl", val, raw)
                elif f == "name" and val and val != name:
                    mentions.extend(("identity.name", val, h) for h in scan(val))

        if not raw and not mentions:
            return ()
        return self._assemble(c, raw, mentions, foreign, document_parties)

    def _assemble(
        self,
        c: Component,
        raw: list[tuple[str, str, str, Confidence, _Target]],
        mentions: list[tuple[str, str, _Hit]],
        foreign: bool,
        document_parties: Sequence[Party],
    ) -> tuple[Match, ...]:
        """Turn raw hits into merged, sorted matches (only reached when something hit)."""
        strong = {t.entity for _, _, _, conf, t in raw if t.lp is None and conf is not Confidence.LOW}
        if mentions:
            has_supplier = any(p.role in _MAKER_ROLES for p in c.parties) or any(
                p.role in _MAKER_ROLES for p in document_parties
            )
            explained = {
                (fld, hit.target.entity) for fld, _, hit in mentions if hit.kind != "alias" and not hit.folded
            }
            for fld, text, hit in mentions:
                t = hit.target
                if hit.folded:
                    # a disguised name is a red flag whoever the component claims to be
                    raw.append((fld, text, "obfuscated-name", Confidence.MEDIUM, t))
                elif hit.kind == "alias":
                    # a product or licensed-product name explains the mention; a component that
                    # is someone else's by its own identity is not the vendor's by its name
                    if (fld, t.entity) in explained or (foreign and t.entity not in strong):
                        continue
                    raw.append((fld, text, _mention_rule(fld), Confidence.LOW, t))
                elif hit.kind == "product":
                    # a component someone else makes (its own supplier, purl namespace or
                    # repository) is not the vendor's product by a name inside its own name,
                    # and by its whole name it is a hint at most
                    whole = hit.exact and fld == "name"
                    theirs = foreign and t.entity not in strong
                    if theirs and not whole:
                        continue
                    exact = whole and not has_supplier and not theirs
                    raw.append((fld, text, "product-name", Confidence.MEDIUM if exact else Confidence.LOW, t))
                elif fld in ("name", "identity.name", "swid.name"):
                    conf = Confidence.MEDIUM if hit.exact else Confidence.LOW
                    raw.append((fld, text, "licensed-product-name", conf, t))
        found: dict[tuple[str, str | None], set[Evidence]] = {}
        for field, value, rule, conf, t in raw:
            ev = Evidence(field, value, t.matched, rule, conf, t.notes + self._via.get(t.entity, ()))
            found.setdefault((t.entity, t.lp), set()).add(ev)
        out = [
            Match(
                c.id,
                eid,
                "licensed-product" if lp else "entity",
                tuple(sorted(evs, key=lambda e: (_RANK[e.confidence], e.field, e.value, e.matched, e.rule))),
                lp,
            )
            for (eid, lp), evs in found.items()
        ]
        # entity matches first, then licensed products, each by entity id
        out.sort(key=lambda m: (m.kind != "entity", m.entity_id, m.licensed_product or ""))
        return tuple(out)

    def _party_hits(self, name: str) -> tuple[_Hit, ...]:
        """The name keys found in a party's name, cached per name (suppliers repeat)."""
        hits = self._scan(name) if name else _NO_HITS
        make_room(self._party_cache)
        self._party_cache[name] = hits
        return hits

    def _party(
        self, p: Party, field: str, cap: Confidence, raw: list[tuple[str, str, str, Confidence, _Target]]
    ) -> bool:
        """Evidence from one party (a document-level one; :meth:`_match` inlines the same
        steps for a component's own parties): its name, e-mails and URLs, in that order."""
        hit_any = False
        if p.name:
            hits = self._party_cache.get(p.name)
            if hits is None:
                hits = self._party_hits(p.name)
            hit_any = bool(hits) and self._party_names(p, hits, field, cap, raw)
        for email in p.emails:
            for t in self._email_hits(email):
                raw.append((field + ".email", email, "email-domain", _cap(Confidence.HIGH, cap), t))
                hit_any = True
        for url in p.urls:
            for rule, t in self._url(url):
                raw.append((field + ".url", url, rule, _cap(_url_confidence(rule), cap), t))
                hit_any = True
        return hit_any

    def _party_names(
        self,
        p: Party,
        hits: tuple[_Hit, ...],
        field: str,
        cap: Confidence,
        raw: list[tuple[str, str, str, Confidence, _Target]],
    ) -> bool:
        """Evidence from the name keys found in a party's name; whether there was any."""
        hit_any = False
        padded = ""
        for hit in hits:
            if hit.folded:
                # a name disguised by look-alike or invisible characters: a red flag, review
                raw.append((field, p.name, "obfuscated-name", Confidence.MEDIUM, hit.target))
                hit_any = True
                continue
            if hit.kind != "alias":
                continue
            t = hit.target
            # the legal name as written, legal form included ("Zhejiang Dahua Technology
            # Co., Ltd."): that legal entity, even in a person's slot or inside a longer
            # name (a branch or division: "... Co., Ltd. Hangzhou Branch")
            if t.strong_name and not padded:
                padded = f" {' '.join(self._tokens(p.name))} "
            legal = t.strong_name and t.full in padded
            if hit.exact:
                conf, rule = Confidence.HIGH, "party-name"
            elif legal:
                conf, rule = Confidence.HIGH, "party-alias"
            else:
                # any other name inside a longer one: "Honor" in "Honor Guard Security LLC"
                conf, rule = Confidence.MEDIUM, "party-alias"
            if p.kind is PartyKind.PERSON and not legal:
                # "Eugene Kaspersky" as an author is a hint, not the company
                conf = _cap(conf, Confidence.MEDIUM)
            raw.append((field, p.name, rule, _cap(conf, cap), t))
            hit_any = True
        return hit_any

    def _match_cpe(self, field: str, text: str, raw: list[tuple[str, str, str, Confidence, _Target]]) -> None:
        if not (self._cpe_vendor or self._lp_cpe):
            return
        cpe = parse_cpe(text)
        if cpe is None or cpe.vendor is None:
            return
        for t in self._cpe_vendor.get(cpe.vendor, ()):
            raw.append((field, text, "cpe-vendor", Confidence.HIGH, t))
        if self._lp_cpe:
            for key in ((cpe.vendor, cpe.product), (cpe.vendor, None)):
                for t in self._lp_cpe.get(key, ()):
                    raw.append((field, text, "licensed-product-cpe", Confidence.HIGH, t))

    def _match_purl(
        self, field: str, text: str, raw: list[tuple[str, str, str, Confidence, _Target]]
    ) -> tuple[bool, bool]:
        """Purl patterns and forge organisations; returns (matched, has a namespace).

        A plain purl is read by the purl module's fast path and its namespace's outcome
        cached on the text before its name, so the common case is one regular-expression
        split and one dict lookup; any other is read by :func:`parse_purl` in full.
        """
        split = split_purl(text)
        if split is not None:
            head, name, _version = split
            ptype, candidates, has_ns = self._purl_cache.get(head) or self._purl_outcome(head)
        else:
            parsed = parse_purl(text)
            if parsed is None:
                return False, False
            ptype, candidates, has_ns = self._purl_outcome((parsed.type, parsed.namespace))
            name = parsed.name
        if not candidates:
            return False, has_ns
        lname = name_key(ptype, name)
        matched = False
        for pname, rule, t in candidates:
            if _pattern_ok(pname, lname):
                raw.append((field, text, rule, Confidence.HIGH, t))
                matched = True
        return matched, has_ns

    def _purl_outcome(self, key: str | tuple[str, str | None]) -> _PurlOutcome:
        """For the text before a plain purl's name, or a (type, namespace) pair: the type,
        the patterns (name pattern, rule, target) the namespace admits, and whether there is
        a namespace; cached (bounded)."""
        cached = self._purl_cache.get(key)
        if cached is not None:
            return cached
        head = purl_head(key) if isinstance(key, str) else key
        ptype, ns_raw = head if head is not None else ("", None)
        out: list[tuple[str | None, str, _Target]] = []
        ns = _norm_ns(ns_raw)
        for pns, pname, _text, t in self._purl.get(ptype, ()):
            if _pattern_ok(pns, ns):
                out.append((pname, "purl-namespace" if pns else "purl-name", t))
        if ns_raw and ptype in self._purl_vcs_types:
            if ptype == "golang":
                parts = ns_raw.split("/")
                vkey = (parts[0].lower(), parts[1].casefold()) if len(parts) > 1 else None
            else:
                vkey = (_VCS_PURL_HOST[ptype], ns_raw.casefold())
            out.extend((None, "purl-vcs-org", t) for t in (self._vcs.get(vkey, ()) if vkey else ()))
        outcome = (ptype, tuple(out), ns_raw is not None)
        make_room(self._purl_cache)
        self._purl_cache[key] = outcome
        return outcome


_INDEXERS: dict[str, Callable[[Matcher, Any, _MakeTarget, set[str]], None]] = {
    "product-name": Matcher._index_product,
    "cpe-vendor": Matcher._index_cpe_vendor,
    "purl": Matcher._index_purl,
    "domain": Matcher._index_domain,
    "email-domain": Matcher._index_email_domain,
    "vcs-org": Matcher._index_vcs_org,
    "swid-regid": Matcher._index_swid_regid,
    "hash": Matcher._index_hash,
    "mirror-host": Matcher._index_mirror_host,
    "app-id": Matcher._index_app_id,
}
"""Every lookup of :data:`sbomscan.entities.kinds.LOOKUPS` and how a record is filed for it
(a test keeps the two key sets equal): an identifier kind's row names one of these."""
