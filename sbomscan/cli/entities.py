"""``sbomscan entities list|show|check|import|diff``: the covered-entity data, read, checked
and turned into overlays."""

from __future__ import annotations

import argparse
import json
import os
from typing import IO, Any

from ..errors import UsageError
from .options import (
    EXIT_OK,
    Parser,
    Subcommands,
    add_data,
    add_output,
    add_overlays,
    add_repeatable,
    entity_db,
)
from .output import write, write_lines

__all__ = ["describe_identifier", "register"]


def register(sub: Subcommands) -> None:
    p = sub.add_parser("entities", help="list, show or check covered-entity data")
    esub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    esub.required = True
    e = esub.add_parser("list", help="list the covered entities")
    add_data(e, waivers=False)
    e.set_defaults(func=_run_list)
    e = esub.add_parser("show", help="show one entity: names, identifiers, relations, coverage")
    e.add_argument("id", metavar="ID")
    add_data(e, waivers=False)
    e.set_defaults(func=_run_show)
    e = esub.add_parser("check", help="validate an entity overlay file")
    e.add_argument("file", metavar="FILE")
    e.set_defaults(func=_run_check)
    e = esub.add_parser(
        "import", help="turn a Consolidated Screening List export (CSV or JSON) into an overlay"
    )
    e.add_argument("file", metavar="FILE", help="consolidated.csv or consolidated.json from trade.gov")
    add_output(e, "write the overlay here instead of stdout")
    e.add_argument(
        "--date",
        metavar="YYYY-MM-DD",
        help="the export's date (default today): the version, and the date of records with no start date",
    )
    add_repeatable(e, "--list", "CODE", "only this source list (EL, MEU, SDN...; repeatable)")
    add_overlays(e, "overlay the import goes on (repeatable)")
    e.set_defaults(func=_run_import)
    e = esub.add_parser("diff", help="what changed between two entity-data files or overlays")
    e.add_argument("old", metavar="OLD")
    e.add_argument("new", metavar="NEW")
    e.add_argument("--format", choices=("text", "json"), default="text")
    e.set_defaults(func=_run_diff)


def _run_list(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..scan import parse_as_of

    db = entity_db(args.entities)
    day = parse_as_of(args.as_of)
    lines = [f"entity data {db.version} · {len(db.entities)} entities · as of {day.isoformat()}"]
    for eid in sorted(db.entities):
        e = db.entities[eid]
        covered = ", ".join(sorted({c.authority for c in db.coverage(eid, day) if not c.former})) or "—"
        lines.append(f"{eid:<28} {e.name} [{e.country or '?'}] covered by: {covered}")
    write_lines(lines, stdout)
    return EXIT_OK


def _run_show(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..scan import parse_as_of

    db = entity_db(args.entities)
    day = parse_as_of(args.as_of)
    e = db.entities.get(args.id)
    if e is None:
        raise UsageError(f"no entity {args.id!r} in the entity data (see 'sbomscan entities list')")
    lines = [f"{e.id}: {e.name}", f"  country: {e.country or '?'} · kind: {e.kind}"]
    if e.unverified:
        lines.append("  unverified: yes (never by itself makes a finding prohibited)")
    for a in e.aliases:
        extra = ", ".join(
            x
            for x in (
                a.kind,
                a.lang,
                f"until {a.until}" if a.until else None,
                "unverified" if a.unverified else None,
            )
            if x
        )
        lines.append(f"  alias: {a.value}" + (f" ({extra})" if extra else ""))
    for r in e.relations:
        period = f" since {r.since}" if r.since else ""
        period += f" until {r.until}" if r.until else ""
        lines.append(f"  relation: {r.type} {r.target}{period}")
    from ..entities import kinds

    for kind in kinds.KINDS:  # in the table's order, each with its label
        lines.extend(f"  {kind.label}: {describe_identifier(item)}" for item in e.identifiers[kind.name])
    covs = db.coverage(e.id, day)
    if covs:
        for c in covs:
            a = db.authorities.get(c.authority)
            cite = a.citations[0] if a and a.citations else c.authority
            how = f" through {c.text}" if c.text else " (named)"
            facts = ", ".join(
                x
                for x in (
                    f"scope {c.scope}" if c.scope else None,
                    f"from {c.since.isoformat()}" if c.since else None,
                    "list entry" if c.listing else None,
                    "former" if c.former else None,
                    "unverified" if c.unverified else None,
                )
                if x
            )
            lines.append(f"  covered on {day.isoformat()} by {cite}{how}" + (f" [{facts}]" if facts else ""))
    else:
        lines.append(f"  not covered by any authority on {day.isoformat()}")
    write_lines(lines, stdout)
    return EXIT_OK


def describe_identifier(item: tuple[Any, ...]) -> str:
    """One identifier record of the entity data as a person reads it: the value (a purl
    pattern as a purl, a VCS organisation as ``host/org``, a hash with its algorithm), then
    whether it is unverified, then the sources that state it.

    >>> from sbomscan.entities.records import PurlPattern, ValueId, VcsOrg
    >>> describe_identifier(ValueId("kaspersky", False, ("nvd-a", "nvd-b")))
    'kaspersky (sources: nvd-a, nvd-b)'
    >>> describe_identifier(PurlPattern("maven", "com.huawei.hms", None, True))
    'pkg:maven/com.huawei.hms/* (unverified)'
    >>> describe_identifier(VcsOrg("github.com", "KasperskyLab"))
    'github.com/KasperskyLab'
    """
    fields = dict(zip(getattr(item, "_fields", ()), item, strict=False))
    if {"type", "namespace", "name"} <= fields.keys():
        text = (
            "pkg:"
            + "/".join(str(fields[k]) for k in ("type", "namespace") if fields[k])
            + f"/{fields['name'] or '*'}"
        )
    elif {"host", "org"} <= fields.keys():
        text = f"{fields['host']}/{fields['org']}"
    elif {"algorithm", "value"} <= fields.keys():
        text = f"{fields['algorithm']} {fields['value']}"
        if fields.get("description"):
            text += f" — {fields['description']}"
    elif {"platform", "value"} <= fields.keys():
        text = f"{fields['platform']} app {fields['value']}"
    elif "value" in fields:
        text = str(fields["value"])
    else:
        text = ", ".join(
            f"{k} {v}" for k, v in fields.items() if v not in (None, False, (), "") and k != "sources"
        )
    notes = ["unverified"] if fields.get("unverified") else []
    if fields.get("sources"):
        notes.append("sources: " + ", ".join(map(str, fields["sources"])))
    return text + (f" ({'; '.join(notes)})" if notes else "")


def _run_check(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..entities import load_entities

    db = load_entities([args.file])
    stdout.write(
        f"{args.file}: ok — merged data has {len(db.entities)} entities, {len(db.authorities)} authorities, "
        f"{len(db.licensed_products)} licensed products\n"
    )
    return EXIT_OK


def _run_import(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """The CSL export as an overlay (:mod:`sbomscan.entities.csl`), checked by loading it over
    the data it is meant for before it is written."""
    from ..entities import load_entities
    from ..entities.csl import MAX_BYTES, import_csl, read_csl
    from ..scan import parse_as_of

    if not os.path.isfile(args.file):
        raise UsageError(f"{args.file}: not a regular file")
    try:
        with open(args.file, "rb") as fh:
            raw = fh.read(MAX_BYTES + 1)  # bounded: a larger file is refused by read_csl
    except OSError as exc:
        raise UsageError(f"{args.file}: cannot read: {exc.strerror or exc}") from None
    base = load_entities(list(args.entities))
    result = import_csl(
        read_csl(args.file, raw), exported=parse_as_of(args.date), base=base, sources=args.list
    )
    load_entities([*args.entities, result.overlay])  # refuses an overlay that would not load
    write(json.dumps(result.overlay, indent=2, ensure_ascii=False) + "\n", args.output, stdout)
    stderr.write(
        f"{args.file}: {result.organisations} organisations from {result.records} records "
        f"({result.left_out} individuals, vessels or aircraft left out); "
        f"{len(result.existing)} already in the entity data got the listing\n"
    )
    return EXIT_OK


def _run_diff(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..entities.diff import diff_data, render_text
    from ..entities.validate import read_file

    _, old = read_file(args.old)
    _, new = read_file(args.new)
    for name, doc in ((args.old, old), (args.new, new)):
        if not isinstance(doc, dict):
            raise UsageError(f"{name}: not entity data (expected a JSON object)")
    d = diff_data(old, new)
    if args.format == "json":
        stdout.write(json.dumps(d, indent=2, ensure_ascii=False) + "\n")
    else:
        from ..report.escape import terminal

        stdout.write("\n".join(terminal(line, None) for line in render_text(d).splitlines()) + "\n")
    return EXIT_OK
