"""The Matcher's fast path gives exactly what its full rules give.

``Matcher._match`` first asks, cheaply, whether anything about a component can match (party
names, URL prefixes and purl namespaces looked up in caches, one token pre-filter over all
free text) and returns ``()`` when nothing can; the full rules run otherwise. Its caches are
keyed on values (party names, URL prefixes and "aliases", purl namespaces), so a value seen
before must give the answer it gives cold. These properties are tested here on components
built from the fixture data's own strings, mutated (case, dots, digits, punctuation,
control characters) and mixed with look-alikes and noise.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sbomscan.entities import load_entities
from sbomscan.match import Matcher
from sbomscan.match import matcher as matcher_module
from sbomscan.model import Component, Document, ExternalRef, Hash, Party, PartyKind, Swid

FIX = Path(__file__).resolve().parent / "fixtures" / "entities"
# an application id on a covered entity (fictional), so that the exact app-id lookup is
# exercised on both paths
APP_OVERLAY = {
    "schema_version": 1,
    "version": "apps-1",
    "sources": {"apps-note": {"title": "Test application id"}},
    "entities": [
        {
            "id": "huawei",
            "identifiers": {
                "app_ids": [
                    {"platform": "android", "value": "com.example.covered.app", "sources": ["apps-note"]}
                ]
            },
        }
    ],
}
DB = load_entities([FIX / "base.json", FIX / "overlay-subsidiary.json", APP_OVERLAY], include_default=False)
D = date(2026, 1, 1)


def _strings() -> tuple[list[str], list[str], list[str], list[str], list[str]]:
    names, domains, vendors, namespaces, orgs = [], [], [], [], []
    for e in DB.entities.values():
        ids = e.identifiers
        names += [e.name, *(a.value for a in e.aliases), *(v.value for v in ids.products)]
        domains += [v.value for v in (*ids.domains, *ids.email_domains)]
        vendors += [v.value for v in ids.cpe_vendors]
        namespaces += [p.namespace.rstrip("*") for p in ids.purls if p.namespace]
        orgs += [o.org for o in ids.vcs_orgs]
    for lp in DB.licensed_products:
        names += lp.names
        vendors += [pair.partition(":")[0] for pair in lp.cpes]
    return sorted(set(names)), sorted(set(domains)), sorted(set(vendors)), sorted(set(namespaces)), orgs


NAMES, DOMAINS, VENDORS, NAMESPACES, ORGS = _strings()
NOISE = [
    "acme",
    "json",
    "parser",
    "core",
    "z",
    "t",
    "e",
    "co",
    "ltd",
    "inc",
    "2015",
    "v3",
    "aztec",
    "honorable",
]


@st.composite
def mutated(draw: st.DrawFn, pool: list[str]) -> str:
    """A string from ``pool`` or noise, in some case, with digits, dots or controls around."""
    text = draw(st.sampled_from(pool + NOISE))
    how = draw(st.sampled_from(["as is", "upper", "lower", "title", "dotted", "digits", "control"]))
    if how == "upper":
        text = text.upper()
    elif how == "lower":
        text = text.lower()
    elif how == "title":
        text = text.title()
    elif how == "dotted":
        text = ".".join(text.replace(" ", "")) + "."
    elif how == "digits":
        text = draw(st.sampled_from(["", "2", "360"])) + text + draw(st.sampled_from(["", "1", "-12345"]))
    elif how == "control":
        text = "\x01" + text + "\x1f"
    return text


SEP = st.sampled_from([" ", "", ".", "-", ", ", "\n", "\t", "(c) ", "/", "@", "_", "«", " Co., Ltd. "])
TEXT = st.lists(st.tuples(mutated(NAMES), SEP), max_size=4).map(lambda xs: "".join(a + b for a, b in xs))
HOST = st.tuples(
    st.sampled_from(["", "www.", "api.", "not"]), mutated([*DOMAINS, "github.com", "gitlab.com"])
).map("".join)
URL = st.one_of(
    st.tuples(
        st.sampled_from(
            ["https://", "http://", "HTTP://", "git+https://", "git://", "ssh://", "ftp://", "", "//"]
        ),
        HOST,
        st.sampled_from(["", "/", "/x", "/x/y", "?q=1", "#f", ":8080/a", "/a?b=/c"]),
    ).map("".join),
    st.tuples(
        st.sampled_from(
            ["https://github.com/", "https://www.github.com/", "git@github.com:", "https://gitlab.com/"]
        ),
        mutated([*ORGS, "someone"]),
        st.sampled_from(["", "/", "/repo", "/repo.git", "/repo/tree/v1", ".git"]),
    ).map("".join),
    st.tuples(st.sampled_from(["mailto:", "", "info@"]), HOST).map("".join),
)
PATTERN_PURL = st.sampled_from(
    [
        f"pkg:{p.type}/{(p.namespace or '').replace('*', 'hms')}/{(p.name or 'x').replace('*', 'y')}"
        for e in DB.entities.values()
        for p in e.identifiers.purls
    ]
)
PURL_ANY = st.tuples(
    st.sampled_from(["pkg:", "pkg:/", "PKG:"]),
    st.sampled_from(["maven", "npm", "pypi", "golang", "github", "MAVEN", "generic"]),
    st.sampled_from(["/", "//"]),
    st.one_of(st.just(""), mutated(NAMESPACES + ORGS).map(lambda s: s + "/"), st.just("github.com/huawei/")),
    st.sampled_from(["x", "push", "kaspersky-lab-engine", "%40x", "a@b"]),
    st.sampled_from(
        ["", "@1.0", "@v1/sub", "?type=jar", "#sub/path", "/", "/?type=jar", "/#sub", "/ ", "/@1"]
    ),
).map("".join)
APPS = ["com.example.covered.app"]
APP = st.tuples(
    st.sampled_from(["", " ", "x."]),
    st.sampled_from([*APPS, *(a.upper() for a in APPS), "com.example.covered", "com.example"]),
    st.sampled_from(["", " ", ".extra", "\n"]),
).map("".join)
"""Application ids, exact and near misses (a prefix, a longer id, another case, spaces)."""
PURL_APP = st.tuples(
    st.sampled_from(["pkg:generic/", "pkg:generic/x/", "pkg:android/", "PKG:generic/"]),
    APP.map(lambda s: s.replace("/", "%2F").replace(" ", "%20").replace("\n", "")),
    st.sampled_from(["", "@1.0", "?os=android", "#x"]),
).map("".join)
PURL = st.one_of(
    PURL_ANY,
    PURL_APP,
    st.tuples(
        PATTERN_PURL.map(lambda s: s.replace("@", "%40") if s.startswith("pkg:npm/@") else s),
        st.sampled_from(
            ["", "@1.0", "@v1/sub", "?type=jar", "#sub/path", "/", "/?type=jar", "/#sub", "/ ", "/@1"]
        ),
    ).map("".join),
    PATTERN_PURL.map(str.upper),
)
CPE = st.tuples(
    st.sampled_from(["cpe:2.3:a:", "cpe:2.3:o:", "CPE:2.3:h:", " cpe:2.3:a:", "cpe:/a:", "cpe:2.3:"]),
    mutated(VENDORS),
    st.sampled_from([":x:1.0:*:*:*:*:*:*:*", ":srx_kav_engine", "", "\\:y:1"]),
).map("".join)
ROLE = st.sampled_from(["supplier", "manufacturer", "author", "contributor", "tool", "licensee", "other"])
PARTY = st.builds(
    Party,
    st.one_of(TEXT, st.sampled_from(["", "NOASSERTION", "unknown"])),
    ROLE,
    st.sampled_from(list(PartyKind)),
    st.lists(URL.filter(lambda u: "@" in u), max_size=1).map(tuple),
    st.lists(URL, max_size=2).map(tuple),
)
REF = st.builds(
    ExternalRef,
    st.sampled_from(["vcs", "website", "distribution", "cpe23Type", "purl", "PURL", "other"]),
    st.one_of(URL, PURL, CPE, st.just("")),
)


@st.composite
def components(draw: st.DrawFn) -> Component:
    swid = draw(
        st.one_of(
            st.none(), st.builds(Swid, st.one_of(st.none(), APP), st.one_of(st.none(), TEXT), st.none())
        )
    )
    return Component(
        id="d#c",
        ref="c",
        document="d",
        name=draw(st.one_of(TEXT, APP)),
        properties=tuple(
            draw(
                st.lists(
                    st.tuples(st.sampled_from(["android:package", "spdx:comment"]), st.one_of(TEXT, APP)),
                    max_size=1,
                )
            )
        ),
        group=draw(st.one_of(st.none(), TEXT)),
        purl=draw(st.one_of(st.none(), PURL)),
        cpes=tuple(draw(st.lists(CPE, max_size=1))),
        swid=swid,
        parties=tuple(draw(st.lists(PARTY, max_size=2))),
        copyright=tuple(draw(st.lists(TEXT, max_size=1))),
        hashes=tuple(draw(st.lists(st.just(Hash("SHA-256", "a" * 64)), max_size=1))),
        external_refs=tuple(draw(st.lists(REF, max_size=3))),
        description=draw(st.one_of(st.none(), TEXT)),
        identities=tuple(draw(st.lists(st.tuples(st.sampled_from(["name", "purl"]), TEXT), max_size=1))),
    )


@st.composite
def lone(draw: st.DrawFn) -> Component:
    """A component with one field drawn from the data, the rest plain: whatever hits, hits
    through that field alone, so the fast path cannot be rescued by another."""
    field = draw(
        st.sampled_from(["name", "group", "description", "copyright", "purl", "cpes", "refs", "party", "app"])
    )
    kw: dict[str, object] = {}
    if field in ("name", "group", "description"):
        kw[field] = draw(TEXT)
    elif field == "copyright":
        kw["copyright"] = (draw(TEXT),)
    elif field == "purl":
        kw["purl"] = draw(PURL)
    elif field == "cpes":
        kw["cpes"] = (draw(CPE),)
    elif field == "refs":
        kw["external_refs"] = (draw(REF),)
    elif field == "app":
        where = draw(st.sampled_from(["name", "properties", "purl", "swid"]))
        if where == "name":
            kw["name"] = draw(APP)
        elif where == "properties":
            kw["properties"] = (("android:package", draw(APP)),)
        elif where == "purl":
            kw["purl"] = draw(PURL_APP)
        else:
            kw["swid"] = Swid(draw(APP), None, None)
    else:
        kw["parties"] = (draw(PARTY),)
    kw.setdefault("name", "plain-name-1")
    return Component(id="d#c", ref="c", document="d", **kw)  # type: ignore[arg-type]


@settings(max_examples=400, deadline=None)
@given(components())
def test_fast_path_gives_what_the_full_rules_give(c: Component) -> None:
    m = Matcher(DB, as_of=D)
    assert m._match(c, ()) == m._match_full(c, ())


@settings(max_examples=600, deadline=None)
@given(lone())
def test_fast_path_on_one_field_at_a_time(c: Component) -> None:
    m = Matcher(DB, as_of=D)
    assert m._match(c, ()) == m._match_full(c, ())


@settings(max_examples=60, deadline=None)
@given(st.lists(components(), min_size=2, max_size=12), st.randoms(use_true_random=False))
def test_warm_caches_give_the_cold_answer(cs: list[Component], rnd: object) -> None:
    """Each component matched by a fresh Matcher equals it matched by one that has seen the
    others first, in another order, and itself before."""
    cs = [c._replace(id=f"d#{i}", ref=str(i)) for i, c in enumerate(cs)]
    cold = [Matcher(DB, as_of=D).match_component(c) for c in cs]
    warm = Matcher(DB, as_of=D)
    order = list(range(len(cs)))
    rnd.shuffle(order)  # type: ignore[attr-defined]
    for i in order + order[::-1]:
        assert warm.match_component(cs[i]) == cold[i]


@settings(max_examples=60, deadline=None)
@given(st.lists(components(), min_size=1, max_size=14), st.lists(PARTY, max_size=2), st.data())
def test_a_document_asked_a_chunk_at_a_time_gives_each_component_its_own_matches(
    cs: list[Component], parties: list[Party], data: st.DataObject
) -> None:
    """``match_document`` asks each row's quick test about many components at once and maps
    the positions it answers back to components: each component gets exactly what it gets
    alone, in the document's order, the document's parties on its roots, whatever the chunk
    size (a chunk of one, chunks that split the document, the whole of it)."""
    cs = [c._replace(id=f"d#{i}", ref=str(i)) for i, c in enumerate(cs)]
    roots = tuple(data.draw(st.lists(st.sampled_from([c.id for c in cs]), max_size=3, unique=True)))
    doc = Document("d", "d.json", "cyclonedx", "json", "1.6", "0" * 64, parties=tuple(parties), roots=roots,
                   components=tuple(cs))  # fmt: skip
    alone = Matcher(DB, as_of=D)
    want = [
        m for c in cs for m in alone.match_component(c, document_parties=doc.parties if c.id in roots else ())
    ]
    saved = matcher_module._CHUNK
    try:
        for chunk in (1, 3, saved):
            matcher_module._CHUNK = chunk
            assert Matcher(DB, as_of=D).match_document(doc) == want, chunk
            on_roots = dict.fromkeys(roots, doc.parties)
            assert Matcher(DB, as_of=D).match_components(iter(cs), root_parties=on_roots) == want, chunk
    finally:
        matcher_module._CHUNK = saved


@settings(max_examples=80, deadline=None)
@given(st.lists(st.tuples(components(), st.one_of(st.none(), TEXT)), min_size=1, max_size=40), st.data())
def test_the_quick_tests_over_a_chunk_give_what_the_full_rules_give(
    drawn: list[tuple[Component, str | None]], data: st.DataObject
) -> None:
    """The rows' quick tests asked about a whole chunk — the free-text row joins each field
    of every component into one text and maps the tokens that hit back to components by
    their place — leave out no component the full rules find anything in: every
    component's matches in a document equal the full rules' on it alone, whatever its
    neighbours (non-ASCII, dotted, multi-line or letter-by-letter texts; reference comments)."""
    cs = []
    for i, (c, comment) in enumerate(drawn):
        refs = c.external_refs
        if comment is not None:
            refs = (ExternalRef("website", "https://example.org/x", comment=comment), *refs)
        cs.append(c._replace(id=f"d#{i}", ref=str(i), external_refs=refs))
    doc = Document("d", "d.json", "cyclonedx", "json", "1.6", "0" * 64, components=tuple(cs))
    full = Matcher(DB, as_of=D)
    want = [m for c in cs for m in full._match_full(c, ())]
    saved = matcher_module._CHUNK
    try:
        matcher_module._CHUNK = data.draw(st.sampled_from([2, 7, saved]))
        assert Matcher(DB, as_of=D).match_document(doc) == want
    finally:
        matcher_module._CHUNK = saved


@pytest.mark.parametrize("before", [0, 1, 5, 300])
def test_a_dotted_name_is_found_after_dotted_neighbours(before: int) -> None:
    """A dotted abbreviation ("Z.T.E.") is found with the dots removed; its component is
    found by its place in a chunk's text whose earlier texts lost dots too."""
    cs = [Component(f"d#{i}", str(i), "d", f"a.b.c-{i}.d", description="v1.2.3 e.g.") for i in range(before)]
    cs.append(Component(f"d#{before}", str(before), "d", "modem", description="by Z.T.E. corp"))
    doc = Document("d", "d.json", "cyclonedx", "json", "1.6", "0" * 64, components=tuple(cs))
    got = Matcher(DB, as_of=D).match_document(doc)
    assert [m.component_id for m in got] == [f"d#{before}"]
    assert got == list(Matcher(DB, as_of=D)._match_full(cs[-1], ()))


@pytest.mark.parametrize("tail", ["?x", "#x", " ", "@1", "%20", "-a", "foo?x", "a.b"])
def test_a_purl_whose_name_the_library_reads_elsewhere_reaches_the_full_rules(tail: str) -> None:
    """The text before the name ("pkg:maven/<namespace>/foo") admits nothing, but the
    library reads "pkg:maven/<namespace>/foo/?x" without its trailing "/", as namespace
    <namespace>, name foo: the quick test must not rule it out by the text before the name."""
    m = Matcher(DB, as_of=D)
    c = Component(
        "d#1", "1", "d", "plain-name-1", purl=f"pkg:maven/com.kaspersky.android-components/foo/{tail}"
    )
    assert m._match(c, ()) == m._match_full(c, ())
    doc = Document("d", "d.json", "cyclonedx", "json", "1.6", "0" * 64, components=(c,) * 3)
    assert Matcher(DB, as_of=D).match_document(doc) == list(m._match_full(c, ())) * 3


@settings(max_examples=200, deadline=None)
@given(st.lists(URL, min_size=1, max_size=8), URL)
def test_url_answers_do_not_depend_on_the_urls_seen_before(seen: list[str], url: str) -> None:
    cold = Matcher(DB, as_of=D)._url_info(url)
    warm = Matcher(DB, as_of=D)
    for u in seen:
        warm._url_info(u)
        warm._url_info(u + "/more/path")
    assert warm._url_info(url) == cold


def test_alias_of_a_repository_is_not_the_host_alone() -> None:
    """ "https://github.com" is a key of its own (no organisation); the URL of an
    organisation one level down must not be answered from it."""
    m = Matcher(DB, as_of=D)
    assert m._url_info("https://github.com") == ((), False)
    hits, forge = m._url_info("https://github.com/KasperskyLab")
    assert forge and [rule for rule, _ in hits] == ["vcs-org"]
    # its alias would be "https://github.com", which is not its key: nothing filed there
    assert m._url_info("https://github.com/someone") == ((), True)
    # and the other way round: a repository URL files an alias; a sibling path is answered
    m._url_info("https://github.com/KasperskyLab/kaspresso")
    assert m._url_info("https://github.com/KasperskyLab/other") == (hits, forge)
    assert m._url_info("https://github.com/someone/kaspresso")[0] == ()


PURL_PLAIN = st.tuples(
    st.sampled_from(["pkg:", "PKG:"]),
    st.sampled_from(["maven", "npm", "pypi", "golang", "github", "generic"]),
    st.sampled_from(["/", "//"]),
    st.lists(
        st.one_of(
            st.sampled_from(NAMESPACES + ORGS),
            mutated(NAMESPACES + ORGS),
            st.sampled_from(["%2F", "%2Fscope", "scope%2F", "%40scope", "github.com", "a%20b", ""]),
        ),
        max_size=3,
    ).map(lambda segs: "".join(s + "/" for s in segs)),
    st.sampled_from(["x", "push", "kaspersky-lab-engine", "%40x", "hms%2Fcore", "core"]),
    st.sampled_from(["", "@1.0", "@v1%2Fsub"]),
).map("".join) | st.tuples(
    PATTERN_PURL,
    st.sampled_from(["", "/", "%2F", "%2F/", "/%2F", "%40", "x%2F", "x/"]),
    st.sampled_from(["", "@1.0", "@v1%2Fsub"]),
).map(lambda t: t[0].replace("/", "/" + t[1], 1) + t[2])


@settings(max_examples=500, deadline=None)
@given(PURL_PLAIN, st.sampled_from(["?type=jar", "#sub/path", "?a=b#c"]))
def test_qualifiers_and_subpaths_do_not_change_what_a_purl_matches(purl: str, suffix: str) -> None:
    """A purl's namespace and name are read the same by the quick path (plain purls) and the
    careful one (purls with qualifiers or a subpath), percent-encoded slashes included."""
    m = Matcher(DB, as_of=D)

    def hits(text: str) -> list[tuple[str, str]]:
        c = Component(id="d#c", ref="c", document="d", name="plain-name-1", purl=text)
        return sorted((mt.entity_id, ev.rule) for mt in m.match_component(c) for ev in mt.evidence)

    assert hits(purl) == hits(purl + suffix)


@pytest.mark.parametrize(
    "kw",
    [
        {"name": "com.example.covered.app"},
        {"name": "x", "purl": "pkg:generic/com.example.covered.app@2.0"},
        {"name": "x", "purl": "pkg:generic/x/com.example.covered.app"},
        {"name": "x", "properties": (("android:package", "com.example.covered.app"),)},
        {"name": "x", "swid": Swid("com.example.covered.app", None, None)},
    ],
)
def test_an_app_id_is_found_by_the_quick_path(kw: dict[str, object]) -> None:
    """The exact app-id lookup hits through each field it reads, quick path included."""
    c = Component(id="d#c", ref="c", document="d", **kw)  # type: ignore[arg-type]
    (m,) = Matcher(DB, as_of=D)._match(c, ())
    assert m.entity_id == "huawei" and [e.rule for e in m.evidence] == ["app-id"]


@pytest.mark.parametrize(
    "name", ["com.example.covered.app.extra", "com.example.covered", "com.example.covered-app"]
)
def test_an_id_that_is_not_the_whole_app_id_is_not_it(name: str) -> None:
    assert Matcher(DB, as_of=D)._match(Component(id="d#c", ref="c", document="d", name=name), ()) == ()
