"""The entity index: every table the rules look identity fields up in, built once per entity
database and date, and the lookups over them with their caches.

The tables are filled from the table of identifier kinds (:mod:`sbomscan.entities.kinds`):
each kind's row names the lookup it feeds, and :data:`_INDEXERS` files one record for that
lookup, so a kind that fits an existing lookup needs nothing here. Names (aliases, products,
licensed products) go into phrase tables of normalised token sequences, looked up by
dictionary in one pass over a text's tokens (:meth:`Index._scan`), so the cost per text does
not grow with the number of aliases.

Every cache is keyed on a field value that repeats across components (party names, URL
prefixes, purl namespaces, scanned texts); each entry is a pure function of its key and the
tables, so a cached answer is the cold one, and each cache is bounded
(:func:`sbomscan.memory.make_room`).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from typing import Any

from ..entities import EntityDatabase, LicensedProduct, kinds
from ..identifiers.cpe import parse_cpe
from ..identifiers.fold import fold_text, has_spaced_letters
from ..identifiers.hosts import email_domain, look_alike_host, normalize_host, url_host, vcs_org
from ..identifiers.purl import name_key, parse_purl, plain_head, purl_head, split_purl
from ..identifiers.text import LEADING_LEGAL_FORMS, LEGAL_FORMS, name_tokens, normalize_text
from ..memory import make_room
from .evidence import Confidence, Hit, Raw, Target

__all__ = ["ASCII_FOLD", "PLAIN_URL_FIRST", "Index", "ascii_miss", "hash_key", "text_miss"]


_PurlOutcome = tuple[str, tuple[tuple[str | None, str, Target], ...], bool]
"""A purl namespace's outcome: the purl type, the patterns (name pattern, rule, target) the
namespace admits, and whether the purl has a namespace."""


_NamePatterns = tuple[frozenset[str], tuple[str, ...], frozenset[str], str]
"""Name patterns a namespace admits, for the quick test: exact names, name prefixes, the
first characters a matching name can have, and the purl type (for name_key)."""


_STRONG_ALIAS_KINDS = frozenset({"legal", "former", "native"})


_VCS_PURL_HOST = {"github": "github.com", "gitlab": "gitlab.com", "bitbucket": "bitbucket.org"}


_NO_HITS: tuple[Hit, ...] = ()


# ASCII text, as bytes: upper to lower case and punctuation to space in one C-level pass
# (``bytes.translate`` is several times faster than ``str.translate``). Pre-filter only.
# "." is kept here and handled in ascii_miss, because normalisation joins dotted
# abbreviations ("Z.T.E." -> "zte") but splits other dots ("zte.com.cn").
_PUNCT = frozenset(b"!\"#$%&'()*+,-/:;<=>?@[\\]^_`{|}~")


ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else 32 if c in _PUNCT else c for c in range(256))


# Legal forms written straight after a CJK name, split off a CJK run after a known name.
_CJK_LEGAL_HEADS = ("股份有限公司", "有限责任公司", "有限公司", "有限會社", "株式会社")


_CJK_START = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]")


_CACHED_TEXT = 4096
"""Scanned texts longer than this are not kept in the cache (a 100 MB name would be)."""


def text_miss(text: str, first: frozenset[bytes]) -> bool:
    """:func:`ascii_miss`, and no word spelled letter by letter either (``K a s p e r s k y``
    reaches the full rules, which fold it: see :mod:`sbomscan.identifiers.fold`)."""
    return ascii_miss(text, first) and not has_spaced_letters(text)


def ascii_miss(text: str, first: frozenset[bytes]) -> bool:
    """True when ``text`` is ASCII and certainly names no alias: none of its tokens — with
    dots as separators, and with dots removed (for dotted abbreviations) — is a first token
    of any key. A cheap superset test; a ``False`` only means "look properly"."""
    if not text.isascii():
        return False
    folded = text.encode().translate(ASCII_FOLD)
    if 46 not in folded:  # b"." (an int is found by memchr; a bytes operand costs a buffer export)
        return first.isdisjoint(folded.split())
    return first.isdisjoint(folded.replace(b".", b" ").split()) and first.isdisjoint(
        folded.replace(b".", b"").split()
    )


# first characters of URLs that can only be URLs (http, https, git, git+ssh...): see _match
PLAIN_URL_FIRST = frozenset("hHgG")


def _has_legal_form(name: str) -> bool:
    """The name is written with a legal form ("Sepura plc", "АО «Лаборатория Касперского»"):
    normalised, it has more tokens than its key, which drops legal forms."""
    return len(normalize_text(name).split()) > len(name_tokens(name))


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


def _disambiguate(hits: list[Hit], padded: str) -> list[Hit]:
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


_MakeTarget = Callable[..., "Target"]
"""``tgt(matched, unverified)``: an entity's target for one identifier (see Matcher.__init__)."""


def _name_span(tokens: list[str]) -> tuple[int, int]:
    """The tokens that make the whole text as a name, legal forms trimmed at both ends
    (a key spanning exactly these is an exact hit: "Huawei Technologies Co., Ltd." is
    Huawei Technologies), as (start, end)."""
    start, end = 0, len(tokens)
    while end > 1 and tokens[end - 1] in LEGAL_FORMS:
        end -= 1
    while end - start > 1 and tokens[start] in LEADING_LEGAL_FORMS:
        start += 1
    return start, end


def hash_key(algorithm: str, value: str) -> tuple[str, str]:
    return algorithm.upper().replace("-", "").replace("_", ""), value.strip().lower()


class Index:
    """The entity index, built once per database and date (see the module's docstring).

    Sharing one between threads is safe in the sense its caches allow: two threads may
    compute the same entry twice, never a different one.
    """

    def __init__(self, db: EntityDatabase, *, as_of: date | None = None) -> None:
        self.db = db
        self.as_of = as_of or date.today()
        self._via = self._coverage_chains()
        self._new_tables()
        mirror_hosts: set[str] = set()
        for eid in sorted(db.entities):
            self._index_entity(eid, mirror_hosts)
        self._index_licensed_products()
        self._mirror_hosts: frozenset[str] = frozenset(mirror_hosts)
        """Hosts that serve other people's content: the domain walk stops at them."""
        self._derive_quick_tables()
        self._new_caches()

    def _coverage_chains(self) -> dict[str, tuple[str, ...]]:
        """The ``via`` notes of each entity's evidence."""
        db, on = self.db, self.as_of
        # The control chain(s) shown in evidence: none when an authority in effect names the
        # entity itself; else the current chains that rest on verified facts; only when every
        # current chain rests on something unverified, those, marked "unverified: ..."; only
        # when nothing covers it now, the ended ("former: ...") ones — a former or unverified
        # link must never mask current, verified coverage.
        out: dict[str, tuple[str, ...]] = {}
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
            out[eid] = tuple(dict.fromkeys(via))
        return out

    def _new_tables(self) -> None:
        """The empty lookup tables that the entity data fills."""
        self._phrases: dict[tuple[str, ...], list[Hit]] = {}
        self._fold_phrases: dict[tuple[str, ...], list[Hit]] = {}
        """The same keys, folded (sbomscan.identifiers.fold), for texts that need folding."""
        self._cpe_vendor: dict[str, list[Target]] = {}
        self._lp_cpe: dict[tuple[str, str | None], list[Target]] = {}
        self._purl: dict[str, list[tuple[str | None, str | None, str, Target]]] = {}
        self._domain: dict[str, list[Target]] = {}
        self._email_dom: dict[str, list[Target]] = {}
        self._vcs: dict[tuple[str, str], list[Target]] = {}
        self._regid: dict[str, list[Target]] = {}
        self._hash: dict[tuple[str, str], list[Target]] = {}
        self._app_ids: dict[str, list[Target]] = {}
        """Application ids, lower-cased -> targets: a whole-value lookup (see _app_values)."""

    def _index_entity(self, eid: str, mirror_hosts: set[str]) -> None:
        """One entity's name, aliases and identifiers filed in the tables; every identifier
        kind feeds the lookup its row names (:data:`sbomscan.entities.kinds.KINDS`)."""
        ent, on = self.db.entities[eid], self.as_of
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
        ) -> Target:
            notes = base + ((f"unverified: {matched}",) if unverified else ()) + extra
            return Target(eid, matched, notes, strong_name, None, f" {normalize_text(matched)} ")

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
        ids = ent.identifiers
        for kind in kinds.KINDS:
            index = _INDEXERS[kind.lookup]
            for rec in ids[kind.name]:
                index(self, rec, tgt, mirror_hosts)

    def _index_licensed_products(self) -> None:
        """Licensed products (an engine licensed into another vendor's product): names as
        phrases, (vendor, product) CPE pairs."""
        for lp in self.db.licensed_products:
            notes = self._lp_notes(lp)
            for name in lp.names:
                self._phrase(
                    name, "lp", Target(lp.licensor, name, notes, lp=lp.id, full=f" {normalize_text(name)} ")
                )
            for pair in lp.cpes:
                vendor, _, product = pair.lower().partition(":")
                self._lp_cpe.setdefault((vendor, product or None), []).append(
                    Target(lp.licensor, pair, notes, lp=lp.id)
                )

    def _derive_quick_tables(self) -> None:
        """What the quick tests read, derived from the filled tables: first tokens of names,
        longest key per first token, CJK first tokens, CPE vendors, hash values, forge hosts."""
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
        # Fast ASCII pre-filter (see ascii_miss): the first tokens of every key, as bytes.
        self._fast_first: frozenset[bytes] = frozenset(t.encode() for t in self._first if t.isascii())
        # every vendor a CPE can match by (see _cpe_maybe)
        self._cpe_vendors = frozenset(self._cpe_vendor) | frozenset(v for v, _ in self._lp_cpe)
        self._purl_vcs_types = (frozenset(_VCS_PURL_HOST) | {"golang"}) if self._vcs else frozenset()
        self._vcs_hosts = frozenset({h for h, _ in self._vcs} | {"www." + h for h, _ in self._vcs})
        self._hash_values = frozenset(v for _, v in self._hash) | frozenset(v.upper() for _, v in self._hash)

    def _new_caches(self) -> None:
        """The empty caches, each keyed on a value that repeats across components."""
        self._scan_cache: dict[str, tuple[Hit, ...]] = {}
        self._url_cache: dict[str, tuple[tuple[tuple[str, Target], ...], bool]] = {}
        """URL prefix (scheme://host/first-segment) -> (hits, is a forge repository)."""
        self._url_alias: dict[str, tuple[tuple[tuple[str, Target], ...], bool]] = {}
        """URL up to its last "/" -> the same answers as _url_cache (see _url_info)."""
        self._host_cache: dict[str, tuple[tuple[str, Target], ...]] = {}
        self._url_slow_cache: dict[str, tuple[tuple[str, Target], ...]] = {}
        self._party_cache: dict[str, tuple[Hit, ...]] = {}
        self._purl_cache: dict[str | tuple[str, str | None], _PurlOutcome] = {}
        """The purl patterns a namespace admits, by the text before a plain purl's name
        (:func:`~sbomscan.identifiers.purl.split_purl`) or by (type, namespace)."""
        self._purl_maybe: dict[str, bool | _NamePatterns] = {}
        """The quick test's answer by the text before a purl's name (see _purl_maybe_key)."""
        self._quiet_licenses: set[tuple[str, ...]] = set()
        """Licence lists that name nobody by the free-text pre-filter (see _quiet)."""

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
        self._hash.setdefault(hash_key(h.algorithm, h.value), []).append(tgt(shown, h.unverified))

    def _index_mirror_host(self, v: Any, tgt: _MakeTarget, mirrors: set[str]) -> None:
        mirrors.add(v.value.lower().rstrip("."))

    def _phrase(self, text: str, kind: str, target: Target) -> None:
        folded = fold_text(text)
        for table, key in (
            (self._phrases, name_tokens(text)),
            (self._fold_phrases, name_tokens(folded) if folded is not None else name_tokens(text)),
        ):
            if not key:
                continue
            hits = table.setdefault(key, [])
            if not any(h.kind == kind and h.target == target for h in hits):
                hits.append(Hit(kind, target, False))

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

    def _scan(self, text: str) -> tuple[Hit, ...]:
        """Every alias/product/licensed-product key found as whole tokens in ``text``; the
        longest hit per (kind, entity, product) wins. Hits found only once the text is folded
        (:mod:`sbomscan.identifiers.fold`: invisible characters, confusables, letter-by-letter spelling)
        are marked ``folded``."""
        if text_miss(text, self._fast_first):
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
        phrases: dict[tuple[str, ...], list[Hit]],
        first: set[str],
        maxlen: dict[str, int],
    ) -> tuple[Hit, ...]:
        """The phrase keys in a token list, in one left-to-right pass (linear in the tokens,
        however often a key repeats).

        An alias inside a longer alias names the more specific entity only: an alias span
        is dropped when an alias span starting at or before it reaches at least as far and
        is longer. Spans are met in order of their start, so that test needs only the
        longest alias span starting at this token and the furthest end reached by those
        that started earlier. Several aliases sharing a key are told apart once per key.

        The pass is one piece on purpose (only the exact-name span, :func:`_name_span`, is
        apart): this loop runs over every token of every text that passes the pre-filter, and hostile text (600 kB of one repeated alias) is bounded by it being
        one linear pass with its state in locals (0.44 s, was 130 s:
        ``test_matching_a_repeated_alias_is_linear``, docs/performance.md 2b)."""
        n_tok = len(tokens)
        start, end = _name_span(tokens)
        padded = ""
        chosen: dict[tuple[str, ...], list[Hit]] = {}
        best: dict[tuple[str, str, str | None], tuple[int, Hit]] = {}
        reach = 0  # the furthest end of an alias span that started before token i
        for i, tok in enumerate(tokens):
            if tok not in first:
                continue
            found: list[tuple[int, list[Hit]]] = []
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

    def _url(self, url: str) -> tuple[tuple[str, Target], ...]:
        """Domain-suffix and forge-organisation hits for one URL."""
        return self._url_info(url)[0]

    def _url_info(self, url: str) -> tuple[tuple[tuple[str, Target], ...], bool]:
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
        if k >= 0 and url[0] in PLAIN_URL_FIRST:  # the last "/" is at k or later: the alias holds the key
            make_room(self._url_alias)
            self._url_alias[url[: url.rfind("/")]] = result
        return result

    def _url_parts(self, url: str, s: int) -> tuple[tuple[str, Target], ...]:
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

    def _host_hits(self, host: str) -> tuple[tuple[str, Target], ...]:
        cached = self._host_cache.get(host)
        if cached is not None:
            return cached
        out: list[tuple[str, Target]] = []
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

    def _url_slow(self, url: str) -> tuple[tuple[str, Target], ...]:
        cached = self._url_slow_cache.get(url)
        if cached is not None:
            return cached
        out: list[tuple[str, Target]] = []
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

    def _email_hits(self, email: str) -> list[Target]:
        dom = email_domain(email)
        if dom is None or not dom.isascii() or "%" in dom:  # ideographic full stop, escapes...
            _, at, rest = email.strip().rstrip(">").rpartition("@")
            if at and (not email.isascii() or "%" in rest):
                dom = normalize_host(rest.split("?", 1)[0])
        if dom is None:
            return []
        out: list[Target] = []
        h: str | None = dom
        while h:
            out.extend(self._email_dom.get(h, ()))
            out.extend(self._domain.get(h, ()))
            dot = h.find(".")
            h = h[dot + 1 :] if dot >= 0 else None
        return out

    def _party_hits(self, name: str) -> tuple[Hit, ...]:
        """The name keys found in a party's name, cached per name (suppliers repeat)."""
        hits = self._scan(name) if name else _NO_HITS
        make_room(self._party_cache)
        self._party_cache[name] = hits
        return hits

    def _quiet(self, licenses: tuple[str, ...]) -> None:
        """Remember a licence list that, on its own, passes the free-text pre-filter (and so
        cannot change its answer for any component): the quick test leaves it out of the
        joined text next time. Only called when the whole joined text passed, so the list
        is checked alone here (bounded like the other caches)."""
        if text_miss("\n".join(licenses), self._fast_first):
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
        """Whether a purl whose text before its name is ``head`` may match: ``True`` when
        the purl module's fast path does not read such a purl (:func:`plain_head`: the full
        rules read it) or its namespace admits a pattern for any name; the name patterns
        when it admits only those (the caller tries the purl's name on them, as
        :meth:`_match_purl` does); ``False`` when it admits none."""
        maybe: bool | _NamePatterns
        if not plain_head(head):
            make_room(self._purl_maybe)
            self._purl_maybe[head] = True
            return True
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

    def _match_cpe(self, field: str, text: str, raw: list[Raw]) -> None:
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

    def _match_purl(self, field: str, text: str, raw: list[Raw]) -> tuple[bool, bool]:
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
        out: list[tuple[str | None, str, Target]] = []
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


_INDEXERS: dict[str, Callable[[Index, Any, _MakeTarget, set[str]], None]] = {
    "product-name": Index._index_product,
    "cpe-vendor": Index._index_cpe_vendor,
    "purl": Index._index_purl,
    "domain": Index._index_domain,
    "email-domain": Index._index_email_domain,
    "vcs-org": Index._index_vcs_org,
    "swid-regid": Index._index_swid_regid,
    "hash": Index._index_hash,
    "mirror-host": Index._index_mirror_host,
    "app-id": Index._index_app_id,
}
"""Every lookup of :data:`sbomscan.entities.kinds.LOOKUPS` and how a record is filed for it
(a test keeps the two key sets equal): an identifier kind's row names one of these."""
