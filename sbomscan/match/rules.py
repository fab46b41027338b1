"""The one table of matching rules (:data:`RULES`): each row reads some fields of a component
and gives evidence, and carries, next to that, its own quick test — the cheap question "could
this row find anything here?" that the matcher asks of every component first.

Almost every component names nobody, so the :class:`~sbomscan.match.Matcher` asks each
row's quick test (``maybe``) and runs the rows' full rules (``collect``) only on the
components one says "maybe" for. A quick test is asked about many components at once (a
document's, a chunk at a time): it takes their fields and gives the positions of those it
cannot rule out, so that its loop runs inside the row, not one Python call per row per
component (docs/performance.md 2b). Both paths are built from this table and nothing else:
a row added here is asked on both, and a row's quick test must say "maybe" whenever its
rules would find something (``tests/test_match_rules.py`` checks that for every row, and
that a row added in a test fires through the quick path). A row whose quick test is
``None`` says "maybe" whenever one of the fields it reads is present (SWID tags, identities
found by analysis, document-level parties: rare, and left to the full rules).

The order of the rows is the order evidence is collected in; the mention rules come last,
because whether a name in a component's own text counts depends on what the identity rows
found (a component that is someone else's by its own identity is not the vendor's by a
word in its name: :meth:`Found.foreign`).
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Callable, Mapping, Sequence
from itertools import accumulate, chain, compress, count
from operator import add, itemgetter, methodcaller, sub
from typing import Final, NamedTuple, cast

from ..identifiers.fold import has_spaced_letters
from ..identifiers.purl import name_key, parse_purl, plain_tail
from ..model import Component, ExternalRef, Hash, Party, PartyKind, Swid
from .evidence import Confidence, Hit, Raw, Target, capped
from .index import ASCII_FOLD, PLAIN_URL_FIRST, Index, hash_key, text_miss

__all__ = [
    "FIELDS",
    "MAKER_ROLES",
    "RULES",
    "Found",
    "Rule",
    "component_fields",
    "free_text_of",
    "mention_rule",
]


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


MAKER_ROLES = frozenset({"supplier", "manufacturer", "author", "publisher", "originator"})


_CPE_REF_TYPES = frozenset({"cpe22type", "cpe23type", "cpe"})


_PURL_REF_TYPES = frozenset({"purl"})


# One-letter tokens: a word spelled letter by letter (sbomscan.identifiers.fold) is made of them.
_LETTERS = frozenset(bytes([c]) for c in range(97, 123))


# The bytes ``bytes.split()`` splits at: what ends a token.
_SPACE = frozenset(c for c in range(256) if len(bytes([97, c, 97]).split()) == 2)


# The rules read a component's fields by position (one C-level subscript each instead of
# an attribute lookup), on the record itself: copying them into a tuple of their own per
# component cost a tenth of matching a document that names nobody (docs/performance.md 2b).
_ComponentFields = Component


FIELDS = (
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
"""The component fields the rules read (their positions in :class:`~sbomscan.model.Component`
are :func:`field_position`'s)."""


def component_fields(c: Component) -> _ComponentFields:
    """What the rows read of a component: the record itself, read by position."""
    return c


def field_position(name: str) -> int:
    """The position of a field of :data:`FIELDS` in a component record."""
    return Component._fields.index(name)


# Positions in the record, as literals so that the type checker knows each type; checked
# against the model below, so that a field added to it cannot shift them unseen.
_NAME: Final = 3
_GROUP: Final = 6
_PURL: Final = 7
_CPES: Final = 8
_SWID: Final = 9
_PARTIES: Final = 10
_COPYRIGHT: Final = 11
_LICENSES: Final = 12
_HASHES: Final = 13
_REFS: Final = 14
_DESC: Final = 15
_PROPS: Final = 16
_IDENTITIES: Final = 17
_POSITIONS = (_NAME, _GROUP, _PURL, _CPES, _SWID, _PARTIES, _COPYRIGHT, _HASHES, _REFS, _DESC, _IDENTITIES,
              _LICENSES, _PROPS)  # fmt: skip
if list(_POSITIONS) != [field_position(f) for f in FIELDS]:
    raise ImportError("sbomscan.match.rules: the field positions disagree with sbomscan.model.Component")
_name_of: Callable[[_ComponentFields], str] = itemgetter(_NAME)
_cpes_of: Callable[[_ComponentFields], tuple[str, ...]] = itemgetter(_CPES)
_swid_of: Callable[[_ComponentFields], Swid | None] = itemgetter(_SWID)
_props_of: Callable[[_ComponentFields], tuple[tuple[str, str], ...]] = itemgetter(_PROPS)
_group_of: Callable[[_ComponentFields], str | None] = itemgetter(_GROUP)
_desc_of: Callable[[_ComponentFields], str | None] = itemgetter(_DESC)
_copyright_of: Callable[[_ComponentFields], tuple[str, ...]] = itemgetter(_COPYRIGHT)
_licenses_of: Callable[[_ComponentFields], tuple[str, ...]] = itemgetter(_LICENSES)
_refs_of: Callable[[_ComponentFields], tuple[ExternalRef, ...]] = itemgetter(_REFS)
_comment_of: Callable[[ExternalRef], str | None] = itemgetter(3)
_text_of: Callable[
    [_ComponentFields],
    tuple[
        str,
        str | None,
        tuple[str, ...],
        tuple[ExternalRef, ...],
        str | None,
        tuple[str, ...],
        tuple[tuple[str, str], ...],
    ],
] = itemgetter(_NAME, _GROUP, _COPYRIGHT, _REFS, _DESC, _LICENSES, _PROPS)
_text_fields: Callable[
    [_ComponentFields],
    tuple[
        str,
        str | None,
        str | None,
        tuple[str, ...],
        tuple[str, ...],
        tuple[tuple[str, str], ...],
        tuple[ExternalRef, ...],
    ],
] = itemgetter(_NAME, _GROUP, _DESC, _COPYRIGHT, _LICENSES, _PROPS, _REFS)
"""The free-text fields: name, group, description, copyright, licences, properties, references."""


_party_fields: Callable[[Party], tuple[str, str, PartyKind, tuple[str, ...], tuple[str, ...]]] = itemgetter(
    *(Party._fields.index(f) for f in ("name", "role", "kind", "emails", "urls"))
)


_hash_value: Callable[[Hash], str] = itemgetter(Hash._fields.index("value"))


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


def free_text_of(f: _ComponentFields) -> str:
    """:func:`_free_text` of a component's fields."""
    name, group, desc, copyright, licenses, props, refs = _text_fields(f)
    return _free_text(name, group, desc, copyright, licenses, props, _ref_comments(refs))


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


def mention_rule(field: str) -> str:
    if field.startswith("property."):
        return "property-mention"
    return field.rsplit(".", 1)[-1] + "-mention"


# reference types that are identifiers rather than URLs, in the spellings the formats use
_SPECIAL_REF_TYPES = frozenset(
    {"cpe22Type", "cpe23Type", "cpe", "purl", "CPE22TYPE", "CPE23TYPE", "PURL", "CPE"}
)


_NO_NAME = frozenset({"", "noassertion", "none", "unknown", "n/a", "-"})


def _app_values(
    name: str, swid: Swid | None, props: tuple[tuple[str, str], ...]
) -> list[tuple[str, str, str]]:
    """The (field, text shown, value compared) triples where an SBOM states an application
    id, each compared as a whole value: the component name (what generators write for an
    app, e.g. an APK's package name), the SWID tag id, and property values (the purl's name,
    ``pkg:generic/com.zhiliaoapp.musically@44.1.3``, is the purl row's: :func:`_purl_app_id`).
    Whole values only: a rule about an application must not reach its maker's other
    software, nor an id that merely starts the same."""
    out = [("name", name, name.strip())]
    if swid is not None and swid.tag_id:
        out.append(("swid.tag_id", swid.tag_id, swid.tag_id.strip()))
    out.extend((_prop_field(k), v, v.strip()) for k, v in props if v)
    return out


def _party(ix: Index, p: Party, field: str, cap: Confidence, raw: list[Raw]) -> bool:
    """Evidence from one party (a document-level one; :func:`_collect_parties` takes the same
    steps for a component's own parties): its name, e-mails and URLs, in that order."""
    hit_any = False
    if p.name:
        hits = ix._party_cache.get(p.name)
        if hits is None:
            hits = ix._party_hits(p.name)
        hit_any = bool(hits) and _party_names(ix, p, hits, field, cap, raw)
    for email in p.emails:
        for t in ix._email_hits(email):
            raw.append((field + ".email", email, "email-domain", capped(Confidence.HIGH, cap), t))
            hit_any = True
    for url in p.urls:
        for rule, t in ix._url(url):
            raw.append((field + ".url", url, rule, capped(_url_confidence(rule), cap), t))
            hit_any = True
    return hit_any


def _party_names(
    ix: Index,
    p: Party,
    hits: tuple[Hit, ...],
    field: str,
    cap: Confidence,
    raw: list[Raw],
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
            padded = f" {' '.join(ix._tokens(p.name))} "
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
            conf = capped(conf, Confidence.MEDIUM)
        raw.append((field, p.name, rule, capped(conf, cap), t))
        hit_any = True
    return hit_any


class Found:
    """What the rows' full rules collect for one component: raw hits, mentions (names in the
    component's own text, weighed at the end), whether the component is someone else's by
    its own identity (``foreign``), and whether its free text can name anyone at all
    (``look``: one pre-filter over all of it, see :func:`_free_text`)."""

    __slots__ = ("foreign", "look", "mentions", "raw")

    def __init__(self, look: bool) -> None:
        self.raw: list[Raw] = []
        self.mentions: list[tuple[str, str, Hit]] = []
        self.foreign = False
        self.look = look


Quick = Callable[[Index, Sequence["_ComponentFields"]], list[int]]
Collect = Callable[[Index, "_ComponentFields", Sequence[Party], Found], None]


class Rule(NamedTuple):
    """One row of :data:`RULES`."""

    name: str
    reads: tuple[str, ...]
    """The component fields it reads (names of :class:`~sbomscan.model.Component` fields, or
    ``document_parties``: the parties of the document, for its roots)."""
    gives: tuple[str, ...]
    """The evidence rules (``Evidence.rule``) it can give."""
    lookups: tuple[str, ...]
    """The index lookups it reads (keys of :data:`sbomscan.entities.kinds.LOOKUPS`, and
    ``names`` for the phrase tables of names and aliases)."""
    maybe: Quick | None
    """The quick test, over many components' fields at once: the positions of those it
    cannot rule out; a position left out only when ``collect`` would find nothing for that
    component (a superset test; ``None``: "maybe" whenever a field it reads is present)."""
    collect: Collect
    """The full rules: append what it finds to the :class:`Found`."""


# -- parties -----------------------------------------------------------------------------


def _maybe_parties(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    """A party in a matched role whose name holds a known name, or with an e-mail address,
    or with a URL on a known host (names and URLs looked up in the index's caches)."""
    url_cache, url_alias, party_cache = ix._url_cache, ix._url_alias, ix._party_cache
    out: list[int] = []
    for k, f in enumerate(fs):
        for p in f[_PARTIES]:
            pname, role, _kind, emails, urls = _party_fields(p)
            if role not in _ROLE_CAP:
                continue
            if emails:
                break
            hits = party_cache.get(pname)
            if hits is None:
                hits = ix._party_hits(pname)
            if hits:
                break
            for url in urls:
                # _url_info's caches, looked up here (a party's URL is often a home page: its own key)
                info = url_cache.get(url) or url_alias.get(url[: url.rfind("/")]) or ix._url_info(url)
                if info[0]:
                    break
            else:
                continue  # no URL of this party: the next party
            break
        else:
            continue  # no party: the next component
        out.append(k)
    return out


def _collect_parties(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """The component's own parties: names, e-mail domains, URLs, capped by role. A maker
    (supplier, manufacturer...) that names nobody makes the component someone else's."""
    raw = found.raw
    for p in f[_PARTIES]:
        pname, role, _kind, emails, urls = _party_fields(p)
        cap = _ROLE_CAP.get(role)
        if cap is None:
            continue
        hits = ix._party_cache.get(pname)
        if hits is None:
            hits = ix._party_hits(pname)
        hit_any = bool(hits) and _party_names(ix, p, hits, role, cap, raw)
        for email in emails:
            for t in ix._email_hits(email):
                raw.append((role + ".email", email, "email-domain", capped(Confidence.HIGH, cap), t))
                hit_any = True
        for url in urls:
            info = ix._url_info(url)
            if info[0]:
                for rule, t in info[0]:
                    raw.append((role + ".url", url, rule, capped(_url_confidence(rule), cap), t))
                hit_any = True
        if not hit_any and role in MAKER_ROLES and pname.lower() not in _NO_NAME:
            found.foreign = True


def _collect_document_parties(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """Document-level parties (CycloneDX metadata, SPDX creators) count on the document's roots."""
    for p in dp:
        cap = _ROLE_CAP.get(p.role)
        if cap is not None:
            _party(ix, p, "document." + p.role, cap, found.raw)


# -- free text: rights holders and licences here; names, descriptions, properties last ------


def _maybe_text(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    """One pre-filter over all of each component's free text (:func:`_free_text`): a first
    token of a known name, non-ASCII text, or a word spelled letter by letter
    (:func:`~sbomscan.match.index.text_miss`).

    Asked field by field over the whole chunk: each free-text field of all of ``fs`` is
    joined into one text and folded, split and tested once (:func:`_text_column`), the
    components of the tokens that hit found by their places in it, and only those
    components are then tested one by one. The token test is a union over the fields, so
    this is the test of each component's joined text; a per-component loop cost five
    times as much (docs/performance.md 2b). A licence list is tested once per distinct
    list: one that names nobody is remembered (:meth:`Index._quiet`) and skipped after.
    Fewer than :data:`_FEW` components are tested one by one (:func:`_text_maybe`): the
    columns' set-up costs more than it saves on a few (``Matcher.match_component``)."""
    first = ix._fast_first
    if len(fs) < _FEW:
        return [k for k, f in enumerate(fs) if _text_maybe(ix, first, f)]
    cand: set[int] = set()
    _text_column(first, list(map(_name_of, fs)), cand)
    for field in (_group_of, _desc_of):
        col = list(map(field, fs))
        if any(col):  # the components that have one, and their texts
            texts = cast("list[str]", list(compress(col, col)))  # the Nones left out
            _text_column(first, texts, cand, list(compress(range(len(col)), col)))
    rights = list(map(_copyright_of, fs))
    if any(rights):
        texts = list(map("\n".join, compress(rights, rights)))
        _text_column(first, texts, cand, list(compress(range(len(rights)), rights)))
    lists = set(map(_licenses_of, fs)).difference(ix._quiet_licenses)
    lists.discard(())
    for licenses in list(lists):
        ix._quiet(licenses)
        if licenses in ix._quiet_licenses:
            lists.discard(licenses)
    if lists:  # a licence list that may name someone (rare): its components
        cand.update([k for k, f in enumerate(fs) if f[_LICENSES] in lists])
    if any(map(_props_of, fs)):
        at = list(compress(range(len(fs)), map(_props_of, fs)))
        _text_column(first, ["\n".join([v for _, v in fs[k][_PROPS]]) for k in at], cand, at)
    if any(map(_comment_of, chain.from_iterable(map(_refs_of, fs)))):
        at = [k for k, f in enumerate(fs) if any(map(_comment_of, f[_REFS]))]
        _text_column(first, ["\n".join(_ref_comments(fs[k][_REFS])) for k in at], cand, at)
    return [k for k in sorted(cand) if not text_miss(free_text_of(fs[k]), first)]


_FEW = 16
"""Below this many components (one, from ``Matcher.match_component``) the rows skip their
whole-chunk passes, which cost more than they save on a few: the free-text row tests each
component on its own (:func:`_text_maybe`), the app-id row each one's values."""


def _text_maybe(ix: Index, first: frozenset[bytes], f: _ComponentFields) -> bool:
    """The free-text row's test of one component: not :func:`~sbomscan.match.index.text_miss`
    of its joined free text (inlined: the tokens it splits also tell whether the
    letter-by-letter test is needed), leaving out a licence list known to name nobody, and
    remembering one that does not when the rest passes (:meth:`Index._quiet`)."""
    name, group, copyright, refs, desc, licenses, props = _text_of(f)
    if licenses and licenses in ix._quiet_licenses:
        licenses = ()  # a licence list seen before that names nobody ("MIT", "Apache-2.0"...)
    comments: Sequence[str] = ()
    for r in refs:  # rarely any: a loop that stops at the first instead of a list per component
        if r[3]:
            comments = _ref_comments(refs)
            break
    if group or desc or copyright or licenses or props or comments:
        text = _free_text(name, group, desc, copyright, licenses, props, comments)
    else:
        text = name  # what _free_text gives then, without the call
    if not text.isascii():
        return True
    folded = text.encode().translate(ASCII_FOLD)
    if 46 not in folded:  # b"."
        tokens = folded.split()
        miss = first.isdisjoint(tokens)
    else:
        tokens = folded.replace(b".", b" ").split()
        miss = first.isdisjoint(tokens) and first.isdisjoint(folded.replace(b".", b"").split())
    # a word spelled letter by letter has one-letter tokens (a superset test first)
    if not miss or (not _LETTERS.isdisjoint(tokens) and has_spaced_letters(text)):
        return True
    if licenses:
        ix._quiet(licenses)
    return False


def _text_column(
    first: frozenset[bytes], col: list[str], cand: set[int], at: list[int] | None = None
) -> None:
    """Add to ``cand`` the positions of the texts of ``col`` (``at``: their components'
    positions, when not their own) that may hold a first token of a known name (with dots
    as separators, or with dots removed: a dotted abbreviation), that are not ASCII, or that
    may spell a word letter by letter: a superset of those
    :func:`~sbomscan.match.index.text_miss` does not pass."""
    found: set[int] = set()
    joined = "\n".join(col)
    if not joined.isascii():  # those texts are candidates; the others are tested below
        for k, text in enumerate(col):
            if not text.isascii():
                found.add(k)
                col[k] = ""
        joined = "\n".join(col)
    folded = joined.encode().translate(ASCII_FOLD)
    spaced = folded.replace(b".", b" ") if 46 in folded else folded  # b"."
    tokens = spaced.split()
    hits = first.intersection(tokens)
    if hits:
        _token_places(spaced, hits, list(map(add, accumulate(map(len, col)), count())), found)
    if spaced is not folded:
        bare = folded.replace(b".", b"")
        hits = first.intersection(bare.split())
        if hits:
            lens = map(sub, map(len, col), map(methodcaller("count", "."), col))
            _token_places(bare, hits, list(map(add, accumulate(lens), count())), found)
    # a word spelled letter by letter has one-letter tokens (a superset test first); rare,
    # so then every text of the column is a candidate
    if not _LETTERS.isdisjoint(tokens) and has_spaced_letters(joined):
        found.update(range(len(col)))
    cand.update(found if at is None else map(at.__getitem__, found))


def _token_places(text: bytes, tokens: frozenset[bytes], ends: list[int], cand: set[int]) -> None:
    """Add to ``cand`` the position of the text that each whole-token occurrence of
    ``tokens`` in ``text`` falls in (``ends``: where each text ends in ``text``, at its
    newline or the end)."""
    size = len(text)
    for tok in tokens:
        n = len(tok)
        p = text.find(tok)
        while p >= 0:
            if (p == 0 or text[p - 1] in _SPACE) and (p + n == size or text[p + n] in _SPACE):
                cand.add(bisect_left(ends, p))
            p = text.find(tok, p + n)


def _scan_texts(ix: Index, values: Sequence[tuple[str, str]]) -> list[tuple[str, str, Hit]]:
    """(field, text, hit) for every known name in each (field, text), each text passed
    through the cheap pre-filter first."""
    first = ix._fast_first
    return [
        (fld, text, h) for fld, text in values if text and not text_miss(text, first) for h in ix._scan(text)
    ]


def _collect_rights(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """Copyright holders and licence names: the rights holder, medium."""
    if not found.look:
        return
    texts = [("copyright", t) for t in f[_COPYRIGHT]] + [("license", t) for t in f[_LICENSES]]
    found.raw.extend(
        (fld, text, "obfuscated-name" if h.folded else fld + "-alias", Confidence.MEDIUM, h.target)
        for fld, text, h in _scan_texts(ix, texts)
        if h.kind == "alias" or h.folded
    )


def _collect_mentions(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """Names, groups, descriptions, properties (CycloneDX; SPDX comments and annotations)
    and reference comments: the weakest evidence, weighed at the end (see Matcher._assemble)."""
    if not found.look:
        return
    texts = [("name", f[_NAME]), ("group", f[_GROUP] or ""), ("description", f[_DESC] or "")]
    texts += [(_prop_field(k), v) for k, v in f[_PROPS]]
    texts += [(f"external_ref.{r[0]}.comment", r[3]) for r in f[_REFS] if r[3]]
    found.mentions.extend(_scan_texts(ix, texts))


# -- purls, CPEs, references ---------------------------------------------------------------


def _maybe_purl(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    """A purl whose namespace admits a pattern (cached on the text before the name), or
    whose name an admitted name pattern may take, or whose name is an application id
    (every app id has a dot); anything not of the plain shape goes to the full rules.

    The purl module's fast path (:func:`~sbomscan.identifiers.purl.split_purl`) is inlined:
    the text before the name is judged once per distinct value, together with its
    namespace (:meth:`Index._purl_maybe_key`), and the name and version by one pattern
    (``plain_tail``); measured in docs/performance.md 2b."""
    cache, apps = ix._purl_maybe, ix._app_ids
    out: list[int] = []
    for k, f in enumerate(fs):
        purl = f[_PURL]
        if not purl:
            continue
        last = purl.rfind("/")
        if last < 0:
            out.append(k)  # no name: the full rules say what it is
            continue
        maybe = cache.get(purl[:last])
        if maybe is None:
            maybe = ix._purl_maybe_key(purl[:last])
        if maybe is True:  # a namespace that takes any name, or a head the fast path leaves
            out.append(k)
            continue
        if maybe is False:  # a plain namespace that admits nothing: only an app id can hit
            at = purl.rfind("@")
            pname = purl[last + 1 : at] if at > last else purl[last + 1 :]
            # every app id has a dot, which the library's name (cut at the last "@", then
            # percent-decoded) can only have if this has a "." or an escape. A name that is
            # empty or starts otherwise than with a letter or digit may be read with another
            # namespace ("pkg:maven/a/b/?x" is "pkg:maven/a/b/" to the library, whose
            # trailing "/" it drops: namespace "a"): the pattern below decides
            if pname[:1].isalnum() and not (apps and ("." in pname or "%" in pname)):
                continue
        m = plain_tail(purl, last + 1)
        if m is None:  # qualifiers, escapes, odd shapes: the full rules
            out.append(k)
            continue
        pname = m[1]
        if "." in pname and apps and _purl_app_id(ix, purl):
            out.append(k)
        # name patterns only (a PyPI "huaweicloudsdk*"): the name decides, and most names are
        # ruled out by their first character (PEP 503 folding never changes it but to "-")
        elif maybe and pname[:1].lower() in maybe[2]:
            lname = name_key(maybe[3], pname)
            if lname in maybe[0] or lname.startswith(maybe[1]):  # _pattern_ok on each, at once
                out.append(k)
    return out


def _collect_purl(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """Purl patterns and forge organisations; a namespace that names nobody makes the
    component someone else's."""
    purl = f[_PURL]
    if purl:
        matched, has_ns = ix._match_purl("purl", purl, found.raw)
        if has_ns and not matched:
            found.foreign = True
        found.raw.extend(("purl", purl, "app-id", Confidence.HIGH, t) for t in _purl_app_id(ix, purl))


def _purl_app_id(ix: Index, purl: str) -> Sequence[Target]:
    """The application whose id is the purl's name (a generic or mobile purl states an app
    id there: ``pkg:generic/com.zhiliaoapp.musically@44.1.3``), as the purl reader reads it."""
    parsed = parse_purl(purl) if ix._app_ids else None
    return ix._app_ids.get(parsed.name.strip().lower(), ()) if parsed is not None else ()


def _maybe_cpe(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    if not any(map(_cpes_of, fs)):  # most documents have few CPEs: one C-level pass first
        return []
    cpe_maybe = ix._cpe_maybe
    return [k for k, f in enumerate(fs) if f[_CPES] and any(map(cpe_maybe, f[_CPES]))]


def _collect_cpe(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    for text in f[_CPES]:
        ix._match_cpe("cpe", text, found.raw)


def _maybe_refs(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    """A reference URL on a known host or forge organisation (cached per URL prefix);
    anything that is not a plain ``http(s)``/``git`` URL goes to the full rules."""
    url_cache, url_alias = ix._url_cache, ix._url_alias
    out: list[int] = []
    for k, f in enumerate(fs):
        for ref in f[_REFS]:
            url = ref[1]
            if not url:
                continue
            # A URL starting "h" or "g" with "://" is neither a CPE, a purl nor an e-mail
            # address, whatever the reference's type says: only the URL rules apply. The
            # aliases are only filed for such URLs, so a URL found there is one.
            hit = url_alias.get(url[: url.rfind("/")])
            if hit is None:
                if url[0] not in PLAIN_URL_FIRST or "://" not in url:
                    break
                hit = url_cache.get(url) or ix._url_info(url)
            if hit[0]:
                break
        else:
            continue  # no reference can name anyone: the next component
        out.append(k)
    return out


def _collect_refs(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """External references: CPE and purl references as such, e-mail addresses by their
    domain, URLs by host and forge organisation; a repository on a forge under someone
    else's organisation makes the component theirs."""
    raw, purl = found.raw, f[_PURL]
    for ref in f[_REFS]:
        rtype, url = _ref_fields(ref)
        if not url:
            continue
        if rtype in _SPECIAL_REF_TYPES:
            low = rtype.lower()
            if low in _CPE_REF_TYPES:
                ix._match_cpe("cpe", url, raw)
                continue
            if low in _PURL_REF_TYPES:
                if url != purl:
                    ix._match_purl("external_ref.purl", url, raw)
                continue
        field = "external_ref." + rtype
        if "@" in url and (url[:7].lower() == "mailto:" or ("/" not in url and ":" not in url)):
            # an e-mail address (support, mailing list): its domain, like a party's e-mail
            raw.extend((field, url, "email-domain", Confidence.HIGH, t) for t in ix._email_hits(url))
            continue
        urlhits, forge = ix._url_info(url)
        if urlhits:
            raw.extend((field, url, rule, _url_confidence(rule), t) for rule, t in urlhits)
        elif forge and rtype == "vcs":
            found.foreign = True


# -- exact identifiers: SWID tags, application ids, hashes, identities --------------------


def _collect_swid(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """The SWID tag's regid (exact), and its name when it differs from the component's (a mention)."""
    swid = f[_SWID]
    if swid is None:
        return
    if swid.regid and ix._regid:
        for t in ix._regid.get(swid.regid.strip().casefold(), ()):
            found.raw.append(("swid", swid.regid, "swid-regid", Confidence.HIGH, t))
    if swid.name and swid.name != f[_NAME]:
        found.mentions.extend(("swid.name", swid.name, h) for h in ix._scan(swid.name))


def _maybe_app(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    """A value of :func:`_app_values` that is an application id; every app id has a dot
    (validated), which rules most values out before the lookup."""
    apps = ix._app_ids
    if not apps:
        return []
    if len(fs) >= _FEW and not (
        "." in "\n".join(map(_name_of, fs)) or any(map(_props_of, fs)) or any(map(_swid_of, fs))
    ):
        return []  # no dotted name, property or SWID tag in any of them: C-level passes first
    return [k for k, f in enumerate(fs) if ("." in f[_NAME] or f[_PROPS] or f[_SWID]) and _is_app(apps, f)]


def _is_app(apps: Mapping[str, object], f: _ComponentFields) -> bool:
    """:func:`_maybe_app` for one component with a dotted name, properties or a SWID tag."""
    name, swid, props = f[_NAME], f[_SWID], f[_PROPS]
    if "." in name and name.strip().lower() in apps:
        return True
    for _, v in props:
        if "." in v and v.strip().lower() in apps:
            return True
    tag = swid.tag_id if swid is not None else None
    return tag is not None and tag.strip().lower() in apps


def _collect_app(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    apps = ix._app_ids
    if apps:
        for fld, shown, val in _app_values(f[_NAME], f[_SWID], f[_PROPS]):
            for t in apps.get(val.lower(), ()):
                found.raw.append((fld, shown, "app-id", Confidence.HIGH, t))


def _maybe_hash(ix: Index, fs: Sequence[_ComponentFields]) -> list[int]:
    hv = ix._hash_values
    if not hv:
        return []
    return [k for k, f in enumerate(fs) if f[_HASHES] and not hv.isdisjoint(map(_hash_value, f[_HASHES]))]


def _collect_hash(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    hv = ix._hash_values
    for h in f[_HASHES] if hv else ():
        if h.value in hv:
            for t in ix._hash.get(hash_key(h.algorithm, h.value), ()):
                found.raw.append(("hash." + h.algorithm, h.value, "hash", Confidence.HIGH, t))


def _collect_identities(ix: Index, f: _ComponentFields, dp: Sequence[Party], found: Found) -> None:
    """Identities found by analysis (CycloneDX evidence): CPEs and purls as such, names as mentions."""
    for fld, val in f[_IDENTITIES]:
        low = fld.lower()
        if low == "cpe":
            ix._match_cpe("identity.cpe", val, found.raw)
        elif low == "purl" and val != f[_PURL]:
            ix._match_purl("identity.purl", val, found.raw)
        elif low == "name" and val and val != f[_NAME]:
            found.mentions.extend(("identity.name", val, h) for h in ix._scan(val))


_PARTY_LOOKUPS = ("names", "email-domain", "domain", "vcs-org")
_URL_LOOKUPS = ("cpe-vendor", "purl", "email-domain", "domain", "vcs-org")

RULES: tuple[Rule, ...] = (
    Rule("parties", ("parties",), ("party-name", "party-alias", "obfuscated-name", "email-domain", "domain",
         "vcs-org"), _PARTY_LOOKUPS, _maybe_parties, _collect_parties),
    Rule("document-parties", ("document_parties",), ("party-name", "party-alias", "obfuscated-name",
         "email-domain", "domain", "vcs-org"), _PARTY_LOOKUPS, None, _collect_document_parties),
    Rule("rights", ("copyright", "licenses"), ("copyright-alias", "license-alias", "obfuscated-name"),
         ("names",), _maybe_text, _collect_rights),
    Rule("purl", ("purl",), ("purl-namespace", "purl-name", "purl-vcs-org", "app-id"), ("purl", "vcs-org", "app-id"),
         _maybe_purl, _collect_purl),
    Rule("cpe", ("cpes",), ("cpe-vendor", "licensed-product-cpe"), ("cpe-vendor",), _maybe_cpe, _collect_cpe),
    Rule("external-refs", ("external_refs",), ("cpe-vendor", "licensed-product-cpe", "purl-namespace",
         "purl-name", "purl-vcs-org", "email-domain", "domain", "vcs-org", "obfuscated-name"), _URL_LOOKUPS,
         _maybe_refs, _collect_refs),
    Rule("swid", ("swid",), ("swid-regid", "swid.name mentions"), ("swid-regid", "names"), None, _collect_swid),
    Rule("app-id", ("name", "swid", "properties"), ("app-id",), ("app-id",), _maybe_app, _collect_app),
    Rule("hash", ("hashes",), ("hash",), ("hash",), _maybe_hash, _collect_hash),
    Rule("mentions", ("name", "group", "description", "properties", "external_refs"), ("name-mention",
         "group-mention", "description-mention", "property-mention", "comment-mention", "annotation-mention",
         "product-name", "licensed-product-name", "obfuscated-name"), ("names", "product-name"), _maybe_text,
         _collect_mentions),
    Rule("identities", ("identities",), ("cpe-vendor", "purl-namespace", "purl-name", "purl-vcs-org",
         "name-mention"), ("cpe-vendor", "purl", "vcs-org", "names"), None, _collect_identities),
)  # fmt: skip
"""Every matching rule, in the order evidence is collected. Read at call time
(``rules.RULES``): :class:`~sbomscan.match.Matcher` builds both of its paths from it when made."""
