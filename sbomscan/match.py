"""Match SBOM components against the covered-entity database.

A :class:`Matcher` builds its index once — phrase tables of normalised alias / product /
licensed-product token sequences, and exact tables for CPE vendors, purl patterns,
domains, e-mail domains, forge organisations, SWID regids and hashes — and then looks
each identity field of a component up in them. Text is scanned for alias token n-grams
by dictionary lookup, so the cost per component does not grow with the number of aliases,
and nothing ever matches a raw substring: "aztec-barcode" is not ZTE.

Confidence (see ``docs/entities.md``, "How matching works"):

* ``HIGH``: an exact identifier (CPE vendor, purl namespace/pattern, SWID regid, hash, forge
  organisation, domain or e-mail domain in a party or external reference), or an entity's
  name/alias as the whole of a maker party's name (or a multi-word legal/former/native
  name inside it).
* ``MEDIUM``: an alias in copyright text; a one-word alias inside a party name; a product
  or SDK name as a component's whole name when no supplier is given.
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

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from enum import Enum
from typing import Any, NamedTuple

from .cpe import parse_cpe
from .entities import EntityDatabase, LicensedProduct
from .model import Component, Document, Party, PartyKind
from .normalize import email_domain, fast_tokens, host_of, name_tokens, normalize_text, vcs_org
from .purl import parse_purl

__all__ = ["Confidence", "Evidence", "Match", "Matcher", "is_former", "is_unverified"]


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
    """A multi-word legal / former / native name: HIGH even inside a longer party name."""
    lp: str | None = None
    full: str = ""
    """The alias normalised *with* its legal form, padded with spaces: when two entities
    share a key ("Kaspersky Lab" and "Kaspersky Lab, Inc."), the text decides."""


class _Hit(NamedTuple):
    kind: str  # "alias", "product", "lp"
    target: _Target
    exact: bool  # the key is the whole of the scanned text


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
_STRONG_ALIAS_KINDS = frozenset({None, "legal", "former", "native"})
_VCS_PURL_TYPES = frozenset({"github", "gitlab", "bitbucket"})
_VCS_PURL_HOST = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}
_CPE_REF_TYPES = frozenset({"cpe22type", "cpe23type", "cpe"})
_PURL_REF_TYPES = frozenset({"purl"})
_NO_HITS: tuple[_Hit, ...] = ()
_NO_NAME = frozenset({"", "noassertion", "none", "unknown", "n/a", "-"})


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


def _hash_key(algorithm: str, value: str) -> tuple[str, str]:
    return algorithm.upper().replace("-", "").replace("_", ""), value.strip().lower()


class Matcher:
    """The entity index, built once per database and date; then match components."""

    def __init__(self, db: EntityDatabase, *, as_of: date | None = None) -> None:
        self.db = db
        self.as_of = as_of or date.today()
        on = self.as_of
        self._via: dict[str, tuple[str, ...]] = {}
        for eid in db.entities:
            via: list[str] = []
            for cov in db.coverage(eid, on):
                if cov.chain:
                    text = ("former: " if cov.former else "") + cov.text
                    if text not in via:
                        via.append(text)
            self._via[eid] = tuple(via)

        self._phrases: dict[tuple[str, ...], list[_Hit]] = {}
        self._cpe_vendor: dict[str, list[_Target]] = {}
        self._lp_cpe: dict[tuple[str, str | None], list[_Target]] = {}
        self._purl: dict[str, list[tuple[str | None, str | None, str, _Target]]] = {}
        self._domain: dict[str, list[_Target]] = {}
        self._email_dom: dict[str, list[_Target]] = {}
        self._vcs: dict[tuple[str, str], list[_Target]] = {}
        self._regid: dict[str, list[_Target]] = {}
        self._hash: dict[tuple[str, str], list[_Target]] = {}
        self._lps: dict[str, LicensedProduct] = {lp.id: lp for lp in db.licensed_products}

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

            self._phrase(ent.name, "alias", tgt(ent.name, False, strong_name=True))
            for al in ent.aliases:
                extra: tuple[str, ...] = ()
                # A former *name* of the same entity still names it; an alias that stopped
                # applying (a brand sold, say) gives former evidence.
                if al.until is not None and al.until <= on and al.kind != "former":
                    extra = (f"former: {al.value} until {al.until.isoformat()}",)
                strong = al.kind in _STRONG_ALIAS_KINDS and len(name_tokens(al.value)) > 1
                self._phrase(al.value, "alias", tgt(al.value, al.unverified, extra, strong_name=strong))
            ids = ent.identifiers
            for v in ids.products:
                self._phrase(v.value, "product", tgt(v.value, v.unverified))
            for v in ids.cpe_vendors:
                self._cpe_vendor.setdefault(v.value.lower(), []).append(tgt(v.value, v.unverified))
            for p in ids.purls:
                text = "pkg:" + p.type + ("/" + p.namespace if p.namespace else "") + "/" + (p.name or "*")
                self._purl.setdefault(p.type.lower(), []).append(
                    (_norm_ns(p.namespace), p.name.lower() if p.name else None, text, tgt(text, p.unverified))
                )
            for v in ids.domains:
                self._domain.setdefault(v.value.lower().rstrip("."), []).append(tgt(v.value, v.unverified))
            for v in ids.email_domains:
                self._email_dom.setdefault(v.value.lower().rstrip("."), []).append(tgt(v.value, v.unverified))
            for o in ids.vcs_orgs:
                host = o.host.lower().removeprefix("www.")
                self._vcs.setdefault((host, o.org.casefold()), []).append(
                    tgt(f"{host}/{o.org}", o.unverified)
                )
            for v in ids.swid_regids:
                self._regid.setdefault(v.value.strip().casefold(), []).append(tgt(v.value, v.unverified))
            for h in ids.hashes:
                self._hash.setdefault(_hash_key(h.algorithm, h.value), []).append(
                    tgt(
                        f"{h.algorithm}:{h.value}" + (f" ({h.description})" if h.description else ""),
                        h.unverified,
                    )
                )

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

        self._first: set[str] = {k[0] for k in self._phrases}
        self._maxlen: dict[str, int] = {}
        for key in self._phrases:
            self._maxlen[key[0]] = max(self._maxlen.get(key[0], 0), len(key))
        # Fast ASCII pre-filter: first tokens, plus the letters that start a token which a
        # dotted abbreviation ("S.T.A.R.") would form.
        self._fast_first = frozenset(self._first | {t[0] for t in self._first if t.isascii() and t.isalpha()})
        self._scan_cache: dict[str, tuple[_Hit, ...]] = {}
        self._url_cache: dict[str, tuple[tuple[str, _Target], ...]] = {}

    # ------------------------------------------------------------------ index helpers

    def _phrase(self, text: str, kind: str, target: _Target) -> None:
        key = name_tokens(text)
        if not key:
            return
        hits = self._phrases.setdefault(key, [])
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
        longest hit per (kind, entity, product) wins."""
        fast = fast_tokens(text)
        if fast is not None and self._fast_first.isdisjoint(fast):
            return _NO_HITS
        cached = self._scan_cache.get(text)
        if cached is not None:
            return cached
        tokens = normalize_text(text).split()
        whole = name_tokens(text)
        spans: list[tuple[int, int, _Hit]] = []
        phrases, first, maxlen = self._phrases, self._first, self._maxlen
        n_tok = len(tokens)
        padded = f" {' '.join(tokens)} "
        for i, tok in enumerate(tokens):
            if tok not in first:
                continue
            for n in range(1, min(maxlen[tok], n_tok - i) + 1):
                key = tuple(tokens[i : i + n])
                hits = phrases.get(key)
                if not hits:
                    continue
                if len(hits) > 1:
                    hits = _disambiguate(hits, padded)
                exact = key == whole
                spans.extend((i, i + n, hit._replace(exact=exact) if exact else hit) for hit in hits)
        if len(spans) > 1:
            # an alias inside a longer alias names the more specific entity only
            alias_spans = [(a, b) for a, b, h in spans if h.kind == "alias"]
            spans = [
                (a, b, h)
                for a, b, h in spans
                if h.kind != "alias"
                or not any(x <= a and b <= y and (y - x) > (b - a) for x, y in alias_spans)
            ]
        best: dict[tuple[str, str, str | None], tuple[int, _Hit]] = {}
        for a, b, hit in spans:
            k = (hit.kind, hit.target.entity, hit.target.lp)
            if k not in best or best[k][0] < b - a:
                best[k] = (b - a, hit)
        result = tuple(h for _, h in best.values())
        if len(self._scan_cache) > 200_000:
            self._scan_cache.clear()
        self._scan_cache[text] = result
        return result

    def _url(self, url: str) -> tuple[tuple[str, _Target], ...]:
        """Domain-suffix and forge-organisation hits for one URL."""
        cached = self._url_cache.get(url)
        if cached is not None:
            return cached
        out: list[tuple[str, _Target]] = []
        host = host_of(url)
        if host is not None:
            dom = self._domain
            h: str | None = host
            while h:
                for t in dom.get(h, ()):
                    out.append(("domain", t))
                dot = h.find(".")
                h = h[dot + 1 :] if dot >= 0 else None
            if self._vcs:
                org = vcs_org(url)
                if org is not None:
                    out.extend(("vcs-org", t) for t in self._vcs.get(org, ()))
        result = tuple(out)
        if len(self._url_cache) > 200_000:
            self._url_cache.clear()
        self._url_cache[url] = result
        return result

    def _email_hits(self, email: str) -> list[_Target]:
        dom = email_domain(email)
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
        out: list[Match] = []
        for comp in doc.components:
            extra = doc.parties if comp.id in roots else ()
            out.extend(self.match_component(comp, document_parties=extra))
        return out

    def match_graph(self, graph: Any) -> list[Match]:
        """Match every component of an ``SbomGraph`` (in its load order)."""
        root_parties: dict[str, tuple[Party, ...]] = {}
        for doc in graph.documents.values():
            if doc.parties:
                for r in doc.roots:
                    root_parties[r] = doc.parties
        out: list[Match] = []
        for comp in graph.components.values():
            out.extend(self.match_component(comp, document_parties=root_parties.get(comp.id, ())))
        return out

    def match_component(
        self, component: Component, *, document_parties: Sequence[Party] = ()
    ) -> tuple[Match, ...]:
        """Every entity (and licensed product) this component's fields name, one :class:`Match`
        per (entity, kind, licensed product), evidence merged and sorted."""
        found: dict[tuple[str, str | None], list[Evidence]] = {}
        strong: set[str] = set()
        foreign = False
        c = component

        def add(field: str, value: str, rule: str, conf: Confidence, t: _Target) -> None:
            via = t.notes + self._via.get(t.entity, ())
            found.setdefault((t.entity, t.lp), []).append(Evidence(field, value, t.matched, rule, conf, via))
            if t.lp is None and conf is not Confidence.LOW:
                strong.add(t.entity)

        # parties (component, then document-level on roots)
        for prefix, parties in (("", c.parties), ("document.", document_parties)):
            for p in parties:
                cap = _ROLE_CAP.get(p.role)
                if cap is None:
                    continue
                hit_any = self._party(p, prefix + p.role, cap, add)
                if not hit_any and not prefix and p.role in _MAKER_ROLES and p.name.lower() not in _NO_NAME:
                    foreign = True

        for text in c.copyright:
            if text:
                for hit in self._scan(text):
                    if hit.kind == "alias":
                        add("copyright", text, "copyright-alias", Confidence.MEDIUM, hit.target)

        # CPEs (also SPDX external refs of a CPE type, and evidence identities)
        cpes = list(c.cpes)
        purls = [("purl", c.purl)] if c.purl else []
        for ref in c.external_refs:
            rtype = ref.type.lower()
            if rtype in _CPE_REF_TYPES:
                cpes.append(ref.url)
            elif rtype in _PURL_REF_TYPES and ref.url != c.purl:
                purls.append(("external_ref.purl", ref.url))
        for fld, val in c.identities:
            f = fld.lower()
            if f == "cpe":
                cpes.append(val)
            elif f == "purl" and val != c.purl:
                purls.append(("identity.purl", val))
        if cpes and (self._cpe_vendor or self._lp_cpe):
            for text in cpes:
                cpe = parse_cpe(text)
                if cpe is None or cpe.vendor is None:
                    continue
                for t in self._cpe_vendor.get(cpe.vendor, ()):
                    add("cpe", text, "cpe-vendor", Confidence.HIGH, t)
                for key in ((cpe.vendor, cpe.product), (cpe.vendor, None)):
                    for t in self._lp_cpe.get(key, ()):
                        add("cpe", text, "licensed-product-cpe", Confidence.HIGH, t)

        for fld, text in purls:
            purl_hit, has_ns = self._match_purl(fld, text, add)
            if has_ns and not purl_hit:
                foreign = True

        for ref in c.external_refs:
            url = ref.url
            if not url or ref.type.lower() in _CPE_REF_TYPES or ref.type.lower() in _PURL_REF_TYPES:
                continue
            hits = self._url(url)
            for rule, t in hits:
                add(f"external_ref.{ref.type}", url, rule, Confidence.HIGH, t)
            if not hits and ref.type.lower() == "vcs" and vcs_org(url) is not None:
                foreign = True

        if c.swid is not None and c.swid.regid and self._regid:
            for t in self._regid.get(c.swid.regid.strip().casefold(), ()):
                add("swid", c.swid.regid, "swid-regid", Confidence.HIGH, t)
        if c.hashes and self._hash:
            for h in c.hashes:
                for t in self._hash.get(_hash_key(h.algorithm, h.value), ()):
                    add(f"hash.{h.algorithm}", h.value, "hash", Confidence.HIGH, t)

        # names and descriptions: the weakest evidence
        has_supplier = any(p.role in _MAKER_ROLES for p in c.parties) or any(
            p.role in _MAKER_ROLES for p in document_parties
        )
        mentions: list[tuple[str, str, _Hit]] = []
        for fld, text in self._texts(c):
            for hit in self._scan(text):
                mentions.append((fld, text, hit))
        explained = {(fld, hit.target.entity) for fld, _, hit in mentions if hit.kind != "alias"}
        for fld, text, hit in mentions:
            t = hit.target
            if hit.kind == "alias":
                # a product or licensed-product name explains the mention; a component that
                # is someone else's by its own identity is not the vendor's by its name
                if (fld, t.entity) in explained or (foreign and t.entity not in strong):
                    continue
                add(fld, text, f"{fld.split('.')[-1]}-mention", Confidence.LOW, t)
            elif hit.kind == "product":
                conf = (
                    Confidence.MEDIUM if hit.exact and fld == "name" and not has_supplier else Confidence.LOW
                )
                add(fld, text, "product-name", conf, t)
            elif fld in ("name", "identity.name", "swid.name"):
                conf = Confidence.MEDIUM if hit.exact else Confidence.LOW
                add(fld, text, "licensed-product-name", conf, t)

        if not found:
            return ()
        out: list[Match] = []
        for (eid, lp), evs in sorted(found.items(), key=lambda kv: (kv[0][0], kv[0][1] or "")):
            uniq = sorted(set(evs), key=lambda e: (_RANK[e.confidence], e.field, e.value, e.matched, e.rule))
            out.append(Match(c.id, eid, "licensed-product" if lp else "entity", tuple(uniq), lp))
        # entity matches first, then licensed products, each by entity id
        out.sort(key=lambda m: (m.kind != "entity", m.entity_id, m.licensed_product or ""))
        return tuple(out)

    @staticmethod
    def _texts(c: Component) -> Iterator[tuple[str, str]]:
        if c.name:
            yield "name", c.name
        if c.group:
            yield "group", c.group
        if c.description:
            yield "description", c.description
        if c.swid is not None and c.swid.name and c.swid.name != c.name:
            yield "swid.name", c.swid.name
        for fld, val in c.identities:
            if fld.lower() == "name" and val and val != c.name:
                yield "identity.name", val

    def _party(self, p: Party, field: str, cap: Confidence, add: Any) -> bool:
        hit_any = False
        if p.name:
            for hit in self._scan(p.name):
                if hit.kind != "alias":
                    continue
                t = hit.target
                if hit.exact:
                    conf, rule = Confidence.HIGH, "party-name"
                elif t.strong_name:
                    conf, rule = Confidence.HIGH, "party-alias"
                else:
                    conf, rule = Confidence.MEDIUM, "party-alias"
                if p.kind is PartyKind.PERSON:
                    conf = _cap(conf, Confidence.MEDIUM)
                add(field, p.name, rule, _cap(conf, cap), t)
                hit_any = True
        for email in p.emails:
            for t in self._email_hits(email):
                add(field + ".email", email, "email-domain", _cap(Confidence.HIGH, cap), t)
                hit_any = True
        for url in p.urls:
            for rule, t in self._url(url):
                add(field + ".url", url, rule, _cap(Confidence.HIGH, cap), t)
                hit_any = True
        return hit_any

    def _match_purl(self, field: str, text: str, add: Any) -> tuple[bool, bool]:
        """Returns (matched, has a namespace)."""
        if not text.startswith("pkg:"):
            return False, False
        # cheap split first: most purl types have no pattern at all
        head = text[4:].lstrip("/").split("?", 1)[0].split("#", 1)[0]
        ptype = head.split("/", 1)[0].lower()
        patterns = self._purl.get(ptype)
        vcs = ptype in _VCS_PURL_TYPES or ptype == "golang"
        if patterns is None and not (vcs and self._vcs):
            at, slash = head.rfind("@"), head.rfind("/")
            return False, (head[:at] if at > slash else head).count("/") >= 2
        purl = parse_purl(text)
        if purl is None:
            return False, False
        ns, name = _norm_ns(purl.namespace), purl.name.lower()
        matched = False
        for pns, pname, _pattern_text, t in patterns or ():
            if _pattern_ok(pns, ns) and _pattern_ok(pname, name):
                add(field, text, "purl-namespace" if pns else "purl-name", Confidence.HIGH, t)
                matched = True
        if vcs and purl.namespace:
            if ptype == "golang":
                parts = purl.namespace.split("/")
                key = (parts[0].lower(), parts[1].casefold()) if len(parts) > 1 else None
            else:
                key = (_VCS_PURL_HOST[ptype], purl.namespace.casefold())
            for t in self._vcs.get(key, ()) if key else ():
                add(field, text, "purl-vcs-org", Confidence.HIGH, t)
                matched = True
        return matched, ns is not None

    def entities_matched(self, matches: Iterable[Match]) -> list[str]:
        """The distinct entity ids in ``matches``, sorted (a convenience for reports and tests)."""
        return sorted({m.entity_id for m in matches})
