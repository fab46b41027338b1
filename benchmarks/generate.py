"""Generate large, realistic SBOMs for the benchmarks (deterministic for a given N and seed).

Every generated component carries what real generators write: a bom-ref / SPDXID, a purl,
a supplier, a licence, a hash, an external reference; one in ten is nested inside another
(CycloneDX) or contained by it (SPDX); each has one or two dependencies, and the product
root depends on every component nothing else brings in, so that every component is
reachable and a finding's trace walks real paths. A handful of components carry
covered-vendor identifiers so that matching has something to find.

Run ``python benchmarks/generate.py 100000 /tmp/sbomscan-bench`` to write all five encodings
to files (the default directory is ``sbomscan-bench`` in the system's temporary directory:
a million-component set is about 1 GB, which does not belong in the repository).
"""

from __future__ import annotations

import random
import sys
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

import orjson

ECOSYSTEMS = ("npm", "pypi", "maven", "golang", "cargo", "nuget", "gem", "deb")
SUPPLIERS = (
    "Apache Software Foundation",
    "Eclipse Foundation",
    "Google LLC",
    "Microsoft Corporation",
    "Red Hat, Inc.",
    "Canonical Ltd.",
    "The Rust Project Developers",
    "OpenJS Foundation",
    "Python Software Foundation",
    "Acme Widgets GmbH",
)
LICENSES = ("MIT", "Apache-2.0", "BSD-3-Clause", "ISC", "GPL-2.0-only", "MPL-2.0")
HITS = (
    # (supplier, purl, cpe) — a few real covered-vendor identifiers
    ("AO Kaspersky Lab", None, "cpe:2.3:a:kaspersky:anti-virus:21.3:*:*:*:*:*:*:*"),
    ("Huawei Technologies Co., Ltd.", "pkg:maven/com.huawei.hms/push@6.11.0.300", None),
    (None, None, "cpe:2.3:o:hikvision:ds-2cd2026g2-iu_firmware:5.7.3:*:*:*:*:*:*:*"),
)


def _hit_stride(n: int) -> int:
    """Every this-many components one carries a covered-vendor identifier: at least the three
    kinds of ``HITS`` in any document of 1,000 or more, about 50 in a million."""
    return max(1, min(20011, n // 3))


def _component(i: int, rng: random.Random, stride: int = 20011) -> dict[str, object]:
    eco = ECOSYSTEMS[i % len(ECOSYSTEMS)]
    name = f"pkg-{i:07d}-{rng.choice(('core', 'util', 'io', 'net', 'cli', 'json'))}"
    version = f"{rng.randint(0, 9)}.{rng.randint(0, 30)}.{rng.randint(0, 99)}"
    ns = f"org.example{i % 97}/" if eco == "maven" else ""
    supplier: str | None = SUPPLIERS[i % len(SUPPLIERS)]
    purl: str | None = f"pkg:{eco}/{ns}{name}@{version}"
    cpe = None
    if i % stride == 7:
        supplier, hit_purl, cpe = HITS[(i // stride) % len(HITS)]
        purl = hit_purl or purl
    return {
        "ref": f"c{i}",
        "name": name,
        "version": version,
        "purl": purl,
        "supplier": supplier,
        "cpe": cpe,
        "license": LICENSES[i % len(LICENSES)],
        "sha256": f"{rng.getrandbits(256):064x}",
        "vcs": f"https://github.com/example-org-{i % 500}/{name}",
    }


def _plan(n: int, seed: int) -> tuple[list[dict[str, object]], dict[int, int], list[tuple[int, int]]]:
    """Components, nesting (child index -> parent index) and dependency pairs."""
    rng = random.Random(seed)
    stride = _hit_stride(n)
    comps = [_component(i, rng, stride) for i in range(n)]
    parent = {i: rng.randrange(0, i) for i in range(1, n) if i % 10 == 0}
    deps: list[tuple[int, int]] = []
    for i in range(n - 1):
        deps.append((i, rng.randrange(i + 1, n)))
        if i % 3 == 0:
            deps.append((i, rng.randrange(i + 1, n)))
    return comps, parent, deps


def _direct(n: int, parent: dict[int, int], deps: list[tuple[int, int]]) -> list[int]:
    """The components the product root depends on: every one that nothing else nests or
    depends on, so that (as in a complete SBOM) every component is reachable from the root
    and a finding's trace walks real paths."""
    pointed = set(parent)
    pointed.update(b for _, b in deps)
    return [i for i in range(n) if i not in pointed]


def cyclonedx_json(n: int, seed: int = 1) -> bytes:
    """An N-component CycloneDX 1.6 JSON document."""
    comps, parent, deps = _plan(n, seed)
    objs: list[dict[str, object]] = []
    for c in comps:
        o: dict[str, object] = {
            "type": "library",
            "bom-ref": c["ref"],
            "name": c["name"],
            "version": c["version"],
            "purl": c["purl"],
            "licenses": [{"license": {"id": c["license"]}}],
            "hashes": [{"alg": "SHA-256", "content": c["sha256"]}],
            "externalReferences": [{"type": "vcs", "url": c["vcs"]}],
        }
        if c["supplier"]:
            o["supplier"] = {"name": c["supplier"]}
        if c["cpe"]:
            o["cpe"] = c["cpe"]
        objs.append(o)
    top: list[dict[str, object]] = []
    for i, o in enumerate(objs):
        if i in parent:
            objs[parent[i]].setdefault("components", []).append(o)  # type: ignore[union-attr]
        else:
            top.append(o)
    by_src: dict[int, list[str]] = {}
    for a, b in deps:
        by_src.setdefault(a, []).append(f"c{b}")
    doc = {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "serialNumber": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "version": 1,
        "metadata": {
            "component": {"type": "application", "bom-ref": "root", "name": "bench-product", "version": "1"}
        },
        "components": top,
        "dependencies": [{"ref": "root", "dependsOn": [f"c{i}" for i in _direct(n, parent, deps)]}]
        + [{"ref": f"c{a}", "dependsOn": bs} for a, bs in by_src.items()],
    }
    return orjson.dumps(doc)


def cyclonedx_xml(n: int, seed: int = 1) -> bytes:
    """The same product as CycloneDX 1.6 XML."""
    comps, parent, deps = _plan(n, seed)
    children: dict[int, list[int]] = {}
    for child, par in parent.items():
        children.setdefault(par, []).append(child)
    out: list[str] = [
        '<?xml version="1.0" encoding="UTF-8"?>\n',
        '<bom xmlns="http://cyclonedx.org/schema/bom/1.6" '
        'serialNumber="urn:uuid:00000000-0000-4000-8000-000000000001" version="1">',
        '<metadata><component type="application" bom-ref="root"><name>bench-product</name>'
        "<version>1</version></component></metadata><components>",
    ]

    def emit(i: int) -> None:
        c = comps[i]
        out.append(f'<component type="library" bom-ref={quoteattr(str(c["ref"]))}>')
        if c["supplier"]:
            out.append(f"<supplier><name>{escape(str(c['supplier']))}</name></supplier>")
        out.append(f"<name>{escape(str(c['name']))}</name><version>{c['version']}</version>")
        out.append(f'<hashes><hash alg="SHA-256">{c["sha256"]}</hash></hashes>')
        out.append(f"<licenses><license><id>{c['license']}</id></license></licenses>")
        if c["cpe"]:
            out.append(f"<cpe>{escape(str(c['cpe']))}</cpe>")
        out.append(f"<purl>{escape(str(c['purl']))}</purl>")
        out.append(
            f'<externalReferences><reference type="vcs"><url>{escape(str(c["vcs"]))}</url>'
            "</reference></externalReferences>"
        )
        kids = children.get(i)
        if kids:
            out.append("<components>")
            stack_emit(kids)
            out.append("</components>")
        out.append("</component>")

    def stack_emit(indices: list[int]) -> None:
        for k in indices:
            emit(k)

    sys.setrecursionlimit(max(10000, sys.getrecursionlimit()))
    stack_emit([i for i in range(n) if i not in parent])
    out.append('</components><dependencies><dependency ref="root">')
    out += [f'<dependency ref="c{i}"/>' for i in _direct(n, parent, deps)]
    out.append("</dependency>")
    by_src: dict[int, list[int]] = {}
    for a, b in deps:
        by_src.setdefault(a, []).append(b)
    for a, bs in by_src.items():
        out.append(
            f'<dependency ref="c{a}">' + "".join(f'<dependency ref="c{b}"/>' for b in bs) + "</dependency>"
        )
    out.append("</dependencies></bom>\n")
    return "".join(out).encode()


def spdx_json(n: int, seed: int = 1) -> bytes:
    """The same product as SPDX 2.3 JSON (nesting becomes CONTAINS relationships)."""
    comps, parent, deps = _plan(n, seed)
    packages: list[dict[str, object]] = [
        {
            "SPDXID": "SPDXRef-root",
            "name": "bench-product",
            "versionInfo": "1",
            "downloadLocation": "NOASSERTION",
        }
    ]
    for c in comps:
        p: dict[str, object] = {
            "SPDXID": f"SPDXRef-{c['ref']}",
            "name": c["name"],
            "versionInfo": c["version"],
            "supplier": f"Organization: {c['supplier']}" if c["supplier"] else "NOASSERTION",
            "downloadLocation": f"git+{c['vcs']}",
            "licenseConcluded": c["license"],
            "copyrightText": "NOASSERTION",
            "checksums": [{"algorithm": "SHA256", "checksumValue": c["sha256"]}],
            "externalRefs": [
                {
                    "referenceCategory": "PACKAGE-MANAGER",
                    "referenceType": "purl",
                    "referenceLocator": c["purl"],
                }
            ],
        }
        if c["cpe"]:
            p["externalRefs"].append(  # type: ignore[attr-defined]
                {"referenceCategory": "SECURITY", "referenceType": "cpe23Type", "referenceLocator": c["cpe"]}
            )
        packages.append(p)
    rels = [
        {
            "spdxElementId": "SPDXRef-DOCUMENT",
            "relationshipType": "DESCRIBES",
            "relatedSpdxElement": "SPDXRef-root",
        },
    ]
    rels += [
        {
            "spdxElementId": "SPDXRef-root",
            "relationshipType": "DEPENDS_ON",
            "relatedSpdxElement": f"SPDXRef-c{i}",
        }
        for i in _direct(n, parent, deps)
    ]
    rels += [
        {
            "spdxElementId": f"SPDXRef-c{par}",
            "relationshipType": "CONTAINS",
            "relatedSpdxElement": f"SPDXRef-c{ch}",
        }
        for ch, par in parent.items()
    ]
    rels += [
        {
            "spdxElementId": f"SPDXRef-c{a}",
            "relationshipType": "DEPENDS_ON",
            "relatedSpdxElement": f"SPDXRef-c{b}",
        }
        for a, b in deps
    ]
    doc = {
        "spdxVersion": "SPDX-2.3",
        "dataLicense": "CC0-1.0",
        "SPDXID": "SPDXRef-DOCUMENT",
        "name": "bench-product",
        "documentNamespace": "https://sbomscan.example/bench/00000000-0000-4000-8000-000000000001",
        "creationInfo": {"created": "2026-11-22T00:00:00Z", "creators": ["Tool: sbomscan-benchmark"]},
        "packages": packages,
        "relationships": rels,
    }
    return orjson.dumps(doc)


def spdx3_json(n: int, seed: int = 1) -> bytes:
    """The same product as SPDX 3.0.1 JSON-LD: one ``@graph`` of elements pointing at each
    other by id (suppliers are Organization elements, licences are LicenseExpression
    elements joined by ``hasConcludedLicense``), one Relationship per source and type with
    all its targets, as SPDX 3 writers group them."""
    comps, parent, deps = _plan(n, seed)
    base = "https://sbomscan.example/bench/spdx3/"
    ci = "_:creationinfo"
    graph: list[dict[str, object]] = [
        {
            "type": "CreationInfo",
            "@id": ci,
            "specVersion": "3.0.1",
            "created": "2026-11-22T00:00:00Z",
            "createdBy": [base + "creator"],
            "createdUsing": [base + "tool"],
        },
        {
            "type": "Organization",
            "spdxId": base + "creator",
            "creationInfo": ci,
            "name": "sbomscan benchmark",
        },
        {"type": "Tool", "spdxId": base + "tool", "creationInfo": ci, "name": "sbomscan-benchmark"},
        {
            "type": "SpdxDocument",
            "spdxId": base + "document",
            "creationInfo": ci,
            "name": "bench-product",
            "rootElement": [base + "root"],
            "profileConformance": ["core", "software"],
        },
        {
            "type": "software_Package",
            "spdxId": base + "root",
            "creationInfo": ci,
            "name": "bench-product",
            "software_packageVersion": "1",
        },
    ]
    org_ids = {}
    for name in sorted({str(c["supplier"]) for c in comps if c["supplier"]}):
        org_ids[name] = f"{base}org/{len(org_ids)}"
        graph.append({"type": "Organization", "spdxId": org_ids[name], "creationInfo": ci, "name": name})
    licence_ids = {lic: f"{base}license/{lic}" for lic in LICENSES}
    graph += [
        {
            "type": "simplelicensing_LicenseExpression",
            "spdxId": lid,
            "creationInfo": ci,
            "simplelicensing_licenseExpression": lic,
        }
        for lic, lid in licence_ids.items()
    ]
    for c in comps:
        ids: list[dict[str, object]] = [
            {"type": "ExternalIdentifier", "externalIdentifierType": "packageUrl", "identifier": c["purl"]}
        ]
        if c["cpe"]:
            ids.append(
                {"type": "ExternalIdentifier", "externalIdentifierType": "cpe23", "identifier": c["cpe"]}
            )
        p: dict[str, object] = {
            "type": "software_Package",
            "spdxId": f"{base}{c['ref']}",
            "creationInfo": ci,
            "name": c["name"],
            "software_packageVersion": c["version"],
            "software_downloadLocation": f"git+{c['vcs']}",
            "externalIdentifier": ids,
            "verifiedUsing": [{"type": "Hash", "algorithm": "sha256", "hashValue": c["sha256"]}],
        }
        if c["supplier"]:
            p["suppliedBy"] = org_ids[str(c["supplier"])]
        graph.append(p)
    grouped: dict[tuple[str, str], list[str]] = {}
    for i in _direct(n, parent, deps):
        grouped.setdefault(("root", "dependsOn"), []).append(f"{base}c{i}")
    for ch, par in parent.items():
        grouped.setdefault((f"c{par}", "contains"), []).append(f"{base}c{ch}")
    for a, b in deps:
        grouped.setdefault((f"c{a}", "dependsOn"), []).append(f"{base}c{b}")
    for c in comps:
        grouped[(str(c["ref"]), "hasConcludedLicense")] = [licence_ids[str(c["license"])]]
    graph += [
        {
            "type": "Relationship",
            "spdxId": f"{base}rel/{k}",
            "creationInfo": ci,
            "from": base + src,
            "relationshipType": kind,
            "to": targets,
        }
        for k, ((src, kind), targets) in enumerate(grouped.items())
    ]
    return orjson.dumps({"@context": "https://spdx.org/rdf/3.0.1/spdx-context.jsonld", "@graph": graph})


def spdx_tag_value(n: int, seed: int = 1) -> bytes:
    """The same product as SPDX 2.3 tag-value."""
    comps, parent, deps = _plan(n, seed)
    out = [
        "SPDXVersion: SPDX-2.3\nDataLicense: CC0-1.0\nSPDXID: SPDXRef-DOCUMENT\nDocumentName: bench-product\n",
        "DocumentNamespace: https://sbomscan.example/bench/00000000-0000-4000-8000-000000000001\n",
        "Creator: Tool: sbomscan-benchmark\nCreated: 2026-11-22T00:00:00Z\n\n",
        "Relationship: SPDXRef-DOCUMENT DESCRIBES SPDXRef-root\n\n",
        "PackageName: bench-product\nSPDXID: SPDXRef-root\nPackageVersion: 1\n"
        "PackageDownloadLocation: NOASSERTION\nFilesAnalyzed: false\n\n",
    ]
    for c in comps:
        sup = f"Organization: {c['supplier']}" if c["supplier"] else "NOASSERTION"
        out.append(
            f"PackageName: {c['name']}\nSPDXID: SPDXRef-{c['ref']}\nPackageVersion: {c['version']}\n"
            f"PackageSupplier: {sup}\nPackageDownloadLocation: git+{c['vcs']}\nFilesAnalyzed: false\n"
            f"PackageChecksum: SHA256: {c['sha256']}\nPackageLicenseConcluded: {c['license']}\n"
            f"PackageLicenseDeclared: {c['license']}\nPackageCopyrightText: NOASSERTION\n"
            f"ExternalRef: PACKAGE-MANAGER purl {c['purl']}\n"
        )
        if c["cpe"]:
            out.append(f"ExternalRef: SECURITY cpe23Type {c['cpe']}\n")
        out.append("\n")
    out += [f"Relationship: SPDXRef-root DEPENDS_ON SPDXRef-c{i}\n" for i in _direct(n, parent, deps)]
    out += [f"Relationship: SPDXRef-c{p} CONTAINS SPDXRef-c{c}\n" for c, p in parent.items()]
    out += [f"Relationship: SPDXRef-c{a} DEPENDS_ON SPDXRef-c{b}\n" for a, b in deps]
    return "".join(out).encode()


DEFAULT_DIR = Path(tempfile.gettempdir()) / "sbomscan-bench"
"""Where generated files go unless told otherwise."""

GENERATORS = {
    "cyclonedx.json": cyclonedx_json,
    "cyclonedx.xml": cyclonedx_xml,
    "spdx.json": spdx_json,
    "spdx3.jsonld": spdx3_json,
    "spdx.tag-value.spdx": spdx_tag_value,
}


def small_bundles(count: int, directory: Path) -> list[Path]:
    """``count`` small products of 90-110 components each, half CycloneDX JSON and half SPDX 2
    JSON, one seed per product (deterministic), written to ``directory`` when missing: the
    many small bundles that ``bench_batch.py`` and ``bench_small.py`` both scan."""
    directory.mkdir(parents=True, exist_ok=True)
    paths = []
    for i in range(count):
        n = 90 + i % 21
        fmt, gen = ("cdx.json", cyclonedx_json) if i % 2 == 0 else ("spdx.json", spdx_json)
        path = directory / f"product-{i:05d}.{fmt}"
        if not path.exists():
            path.write_bytes(gen(n, seed=i + 1))
        paths.append(path)
    return paths


def main(argv: list[str]) -> int:
    n = int(argv[1]) if len(argv) > 1 else 1000
    out = Path(argv[2]) if len(argv) > 2 else DEFAULT_DIR
    out.mkdir(parents=True, exist_ok=True)
    for suffix, gen in GENERATORS.items():
        path = out / f"bench-{n}.{suffix}"
        path.write_bytes(gen(n))
        print(path)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
