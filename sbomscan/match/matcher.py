"""Match SBOM components against the covered-entity database.

A :class:`Matcher` builds its index once (:mod:`.index`: phrase tables of normalised alias /
product / licensed-product token sequences, and exact tables for CPE vendors, purl patterns,
domains, e-mail domains, forge organisations, SWID regids, application ids and hashes,
filled from the table of identifier kinds) and then runs the table of rules (:mod:`.rules`)
on each component: every row's quick test first, every row's full rules only when one says
"maybe". Nothing ever matches a raw substring: "aztec-barcode" is not ZTE.

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

from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from itertools import islice
from operator import itemgetter
from typing import Any

from ..entities import EntityDatabase
from ..identifiers.fold import fold_text, mixes_scripts
from ..model import Component, Diagnostic, Document, Party, Severity
from . import rules
from .evidence import RANK, Confidence, Evidence, Hit, Match, Raw
from .index import Index, text_miss
from .rules import MAKER_ROLES, Found, mention_rule

__all__ = ["Matcher", "mixed_script_parties"]


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


_CHUNK = 1024
"""Components asked the rows' quick tests together (see :meth:`Matcher._maybe_rows`): enough
that a row's call is paid once for many components, few enough that their fields, fetched
for the rows, stay a small list however large the document."""


class Matcher(Index):
    """The entity index (:class:`~sbomscan.match.index.Index`), built once per database and
    date, and the rules (:data:`~sbomscan.match.rules.RULES`) run on components.

    A Matcher keeps caches keyed on field values that repeat across components (party
    names, URL prefixes, purl namespaces, scanned texts): each entry is a pure function of
    its key and the index, so a cached answer is the cold one, and one Matcher can be
    reused for any number of documents. Each cache holds at most 100,000 entries (the
    scanned texts 200,000) and is emptied when full, which bounds memory. Sharing a
    Matcher between threads is safe in the same sense: two threads may compute the same
    entry twice, never a different one.
    """

    def __init__(self, db: EntityDatabase, *, as_of: date | None = None) -> None:
        super().__init__(db, as_of=as_of)
        table = rules.RULES
        self._collect = tuple(r.collect for r in table)
        self._quick = tuple(dict.fromkeys(r.maybe for r in table if r.maybe is not None))
        """The quick path, derived from the rule table: each row's own quick test, once (the
        two free-text rows share theirs), in the table's order."""
        present = {f for r in table if r.maybe is None for f in r.reads}
        self._present = tuple(rules.field_position(f) for f in rules.FIELDS if f in present)
        """Fields whose mere presence sends a component to the full rules (rows without a
        quick test)."""
        self._present_of = tuple(itemgetter(i) for i in self._present)
        self._document_maybe = "document_parties" in present

    def match_document(self, doc: Document) -> list[Match]:
        """Match every component of one document; document-level parties count on its roots."""
        parties = doc.parties
        return self._match_all(doc.components, dict.fromkeys(doc.roots, parties) if parties else {})

    def match_graph(self, graph: Any) -> list[Match]:
        """Match every component of an ``SbomGraph`` (in its load order)."""
        root_parties: dict[str, tuple[Party, ...]] = {}
        for doc in graph.documents.values():
            if doc.parties:
                for r in doc.roots:
                    root_parties[r] = doc.parties
        return self._match_all(graph.components.values(), root_parties)

    def _match_all(
        self, components: Iterable[Component], root_parties: Mapping[str, Sequence[Party]]
    ) -> list[Match]:
        """:meth:`match_component` on every component, in order, the document-level parties
        (``root_parties``, by component id) counting on the roots: the rows' quick tests
        asked :data:`_CHUNK` components at a time (:meth:`_maybe_rows`), then the full rules
        on those that one of them could not rule out."""
        out: list[Match] = []
        full = self._match_full
        todo = iter(components)
        while chunk := list(islice(todo, _CHUNK)):
            picked = self._maybe_rows(chunk)  # the rows read the records by position
            if root_parties and self._document_maybe:
                picked.update(k for k, c in enumerate(chunk) if c.id in root_parties)
            for k in sorted(picked):
                c = chunk[k]
                found = full(c, root_parties.get(c.id, ()) if root_parties else ())
                if found:
                    out.extend(found)
        return out

    def _maybe_rows(self, fs: Sequence[Component]) -> set[int]:
        """The positions in ``fs`` (components) that some row cannot rule out: a
        field read by a row without a quick test is present, or a row's quick test says
        "maybe". Each quick test is one call for all of ``fs``: called per component, the
        calls alone cost a fifth of matching a document that names nobody (issue 9,
        docs/performance.md 2b)."""
        picked: set[int] = set()
        for i, field in zip(self._present, self._present_of, strict=True):
            if any(map(field, fs)):  # rare fields: a C-level pass tells whether any has them
                picked.update([k for k, f in enumerate(fs) if f[i]])
        for maybe in self._quick:
            picked.update(maybe(self, fs))
        return picked

    def match_components(
        self, components: Iterable[Component], *, root_parties: Mapping[str, Sequence[Party]] | None = None
    ) -> list[Match]:
        """Every match of many components, in their order (what :meth:`match_component` gives
        each, concatenated), ``root_parties`` giving the document-level parties of the
        components they count on, by component id. Many components at once are much
        cheaper than one at a time: the rules' quick tests are asked about a chunk together."""
        return self._match_all(components, root_parties or {})

    def match_component(
        self, component: Component, *, document_parties: Sequence[Party] = ()
    ) -> tuple[Match, ...]:
        """Every entity (and licensed product) this component's fields name, one :class:`Match`
        per (entity, kind, licensed product), evidence merged and sorted."""
        return self._match(component, document_parties)

    def _match(self, c: Component, document_parties: Sequence[Party]) -> tuple[Match, ...]:
        """:meth:`match_component`: the rows' quick tests, then, if one says "maybe", the full rules.

        Matching runs once per component of every document, and almost every component names
        nobody, so the question asked first is the cheap one: could any row of the rule table
        find anything at all? Each row answers for its own fields (party names, URL prefixes
        and purl namespaces looked up in the index's caches, one token pre-filter over all
        free text), and rows without a quick test answer "maybe" whenever their fields are
        present. A component that answers "no" everywhere has no evidence, whatever else it
        carries (the "foreign" test of a mention only matters when something hit), so ``()``
        is its exact result. Here the rows' tests are asked about a list of one
        (:meth:`_maybe_rows`); a document's components are asked a chunk at a time
        (:meth:`_match_all`). Measured with ``benchmarks/bench_match.py`` (docs/performance.md).
        """
        if (document_parties and self._document_maybe) or any(map(c.__getitem__, self._present)):
            return self._match_full(c, document_parties)
        one = (c,)
        for maybe in self._quick:
            if maybe(self, one):  # the first row that says "maybe"
                return self._match_full(c, document_parties)
        return ()

    def _match_full(self, c: Component, document_parties: Sequence[Party]) -> tuple[Match, ...]:
        """Every row's full rules, in the table's order, for a component that may match (see
        :meth:`_match`); the free text passes one pre-filter together first."""
        texts = rules.free_text_of(c)
        found = Found(look=not text_miss(texts, self._fast_first))
        for collect in self._collect:
            collect(self, c, document_parties, found)
        if not found.raw and not found.mentions:
            return ()
        return self._assemble(c, found.raw, found.mentions, found.foreign, document_parties)

    def _assemble(
        self,
        c: Component,
        raw: list[Raw],
        mentions: list[tuple[str, str, Hit]],
        foreign: bool,
        document_parties: Sequence[Party],
    ) -> tuple[Match, ...]:
        """Turn raw hits into merged, sorted matches (only reached when something hit)."""
        if mentions:
            self._weigh_mentions(c, raw, mentions, foreign, document_parties)
        return self._merge(c, raw)

    @staticmethod
    def _weigh_mentions(
        c: Component,
        raw: list[Raw],
        mentions: list[tuple[str, str, Hit]],
        foreign: bool,
        document_parties: Sequence[Party],
    ) -> None:
        """Names in the component's own text, added to ``raw`` as far as they count: a
        disguised name always; an alias not when a product name explains it, nor in a
        component that is someone else's by its own identity; a product name by its whole
        name (medium without a supplier), else low."""
        strong = {t.entity for _, _, _, conf, t in raw if t.lp is None and conf is not Confidence.LOW}
        has_supplier = any(p.role in MAKER_ROLES for p in c.parties) or any(
            p.role in MAKER_ROLES for p in document_parties
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
                raw.append((fld, text, mention_rule(fld), Confidence.LOW, t))
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

    def _merge(self, c: Component, raw: list[Raw]) -> tuple[Match, ...]:
        """Raw hits merged into one :class:`Match` per (entity, licensed product), evidence
        sorted by confidence then field; entity matches first, each by entity id."""
        found: dict[tuple[str, str | None], set[Evidence]] = {}
        for field, value, rule, conf, t in raw:
            ev = Evidence(field, value, t.matched, rule, conf, t.notes + self._via.get(t.entity, ()))
            found.setdefault((t.entity, t.lp), set()).add(ev)
        out = [
            Match(
                c.id,
                eid,
                "licensed-product" if lp else "entity",
                tuple(sorted(evs, key=lambda e: (RANK[e.confidence], e.field, e.value, e.matched, e.rule))),
                lp,
            )
            for (eid, lp), evs in found.items()
        ]
        # entity matches first, then licensed products, each by entity id
        out.sort(key=lambda m: (m.kind != "entity", m.entity_id, m.licensed_product or ""))
        return tuple(out)
