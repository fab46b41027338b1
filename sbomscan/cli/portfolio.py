"""``sbomscan portfolio add|list|show|remove|rescan|changes|report``: a store of submitted
bundles (one SQLite file, ``--db`` or ``$SBOMSCAN_PORTFOLIO``), re-screened when the lists
change without reading a file again (docs/portfolio.md)."""

from __future__ import annotations

import argparse
import json
from typing import IO, Any

from ..errors import UsageError
from .options import EXIT_OK, Parser, Subcommands, add_data, add_output, entity_db, positive
from .output import write, write_lines

__all__ = ["register"]


def _db(p: argparse.ArgumentParser) -> None:
    p.add_argument(
        "--db",
        metavar="FILE",
        help="the portfolio store (SQLite; made when missing); default: $SBOMSCAN_PORTFOLIO",
    )


def _no_waivers(p: argparse.ArgumentParser, default: str) -> None:
    p.add_argument(
        "--no-waivers",
        action="store_true",
        help=f"apply no waivers (default without --waivers: {default})",
    )


def _waivers(args: argparse.Namespace) -> Any:
    """``--waivers FILE``, ``()`` for ``--no-waivers``, or ``None``: each submission's own."""
    if args.no_waivers and args.waivers is not None:
        raise UsageError("--waivers and --no-waivers exclude each other")
    return () if args.no_waivers else args.waivers


def _fmt(p: argparse.ArgumentParser, choices: tuple[str, ...] = ("text", "json")) -> None:
    p.add_argument("--format", choices=choices, default="text")
    add_output(p, "write here instead of stdout")


def register(sub: Subcommands) -> None:
    from ..report import FORMATS

    p = sub.add_parser("portfolio", help="keep submitted bundles and re-screen them when the lists change")
    psub = p.add_subparsers(dest="action", metavar="ACTION", parser_class=Parser)
    psub.required = True
    a = psub.add_parser("add", help="scan a bundle and keep it: files byte-exact, documents, result")
    a.add_argument("paths", nargs="+", metavar="PATH", help="the bundle's SBOM files, folders or archives")
    a.add_argument("--product", required=True, help="the product the bundle describes")
    a.add_argument("--version", dest="product_version", metavar="VERSION", help="the product's version")
    a.add_argument("--supplier", help="who submitted it")
    a.add_argument("--received", metavar="YYYY-MM-DD", help="the date it was received (default: today)")
    add_data(a, buyer=False)
    a.set_defaults(func=_run_add)
    a = psub.add_parser("list", help="every submission with its latest outcome")
    _fmt(a)
    a.set_defaults(func=_run_list)
    a = psub.add_parser("show", help="one submission: files, result, findings; or a file as submitted")
    a.add_argument("id", type=positive, metavar="ID")
    a.add_argument("--file", metavar="PATH", help="write this file's bytes exactly as submitted")
    _fmt(a)
    a.set_defaults(func=_run_show)
    a = psub.add_parser("remove", help="delete a submission and the files no other one shares")
    a.add_argument("id", type=positive, metavar="ID")
    a.set_defaults(func=_run_remove)
    a = psub.add_parser("rescan", help="scan every submission again from the store (new data or date)")
    add_data(a, buyer=False)
    _no_waivers(a, "each submission keeps the waivers its latest result applied")
    _fmt(a)
    a.set_defaults(func=_run_rescan)
    a = psub.add_parser(
        "changes",
        help="per product: findings that appeared, disappeared, changed severity, became waived or lost a waiver",
    )
    a.add_argument(
        "--run",
        type=positive,
        metavar="N",
        help="the run to compare with each product's previous one (default: the latest)",
    )
    a.add_argument("--all", action="store_true", help="list the products that did not change too")
    _fmt(a, ("text", "json", "html"))
    a.set_defaults(func=_run_changes)
    a = psub.add_parser("report", help="the full report of one submission, made from the store")
    a.add_argument("id", type=positive, metavar="ID")
    add_data(a, buyer=False)
    _no_waivers(a, "the ones its latest result applied")
    _fmt(a, FORMATS)
    a.set_defaults(func=_run_report)
    for action in psub.choices.values():
        _db(action)


def _open(args: argparse.Namespace, *, create: bool = False) -> Any:
    from ..portfolio import open_portfolio

    return open_portfolio(args.db, create=create)


def _run_add(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..report.escape import terminal

    with _open(args, create=True) as pf:
        s = pf.add(
            args.paths,
            product=args.product,
            version=args.product_version,
            supplier=args.supplier,
            received=args.received,
            entities=entity_db(args.entities),
            as_of=args.as_of,
            waivers=args.waivers,
        )
    counts = _counts(s.findings)
    write_lines(
        [
            f"added #{s.id} {terminal(_name(s))}: {s.outcome} ({counts}); "
            f"{len(s.files)} file(s), {s.documents} document(s), {s.components} component(s)"
        ],
        stdout,
    )
    return EXIT_OK


def _name(s: Any) -> str:
    return " ".join(x for x in (s.product, s.version) if x)


def _counts(findings: Any) -> str:
    sev = [f.severity for f in findings if not f.waived]
    return ", ".join(f"{sev.count(k)} {k}" for k in ("prohibited", "review", "notice"))


def _submission_dict(s: Any) -> dict[str, Any]:
    d: dict[str, Any] = s._asdict()
    d["received"] = s.received.isoformat()
    d["files"] = [f._asdict() for f in s.files]
    d["findings"] = [f._asdict() for f in s.findings]
    return d


def _json(obj: Any) -> str:
    from ..report.escape import json_text

    return json_text(json.dumps(obj, indent=2, ensure_ascii=False)) + "\n"


def _run_list(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..report.escape import terminal

    with _open(args) as pf:
        subs = pf.submissions()
        if args.format == "json":
            write(_json({"submissions": [_submission_dict(s) for s in subs]}), args.output, stdout)
            return EXIT_OK
        lines = [f"{'#':>4}  {'received':<10}  {'outcome':<14}  product (supplier)"]
        for s in subs:
            who = f" ({terminal(s.supplier)})" if s.supplier else ""
            lines.append(
                f"{s.id:>4}  {s.received.isoformat():<10}  {s.outcome or '-':<14}  {terminal(_name(s))}{who}"
            )
    write("\n".join(lines) + "\n", args.output, stdout)
    return EXIT_OK


def _run_show(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    with _open(args) as pf:
        if args.file is not None:
            return _write_bytes(pf.file_bytes(args.id, args.file), args.output, stdout)
        s = pf.submission(args.id)
        run = pf.run(s.run) if s.run is not None else None
        waivers = pf.waivers(s.id, s.run) if s.run is not None else ()
    if args.format == "json":
        from ..portfolio.changes import waiver_dict

        shown = _submission_dict(s)
        shown["waivers"] = [waiver_dict(w) for w in waivers]
        write(_json(shown), args.output, stdout)
    else:
        write(_show_text(s, run, waivers), args.output, stdout)
    return EXIT_OK


def _show_text(s: Any, run: Any, waivers: Any) -> str:
    from ..report.escape import terminal

    lines = [f"#{s.id} {terminal(_name(s))}"]
    if s.supplier:
        lines.append(f"supplier: {terminal(s.supplier)}")
    lines.append(f"received: {s.received.isoformat()} (added {s.added})")
    if run is not None:
        lines.append(
            f"outcome:  {s.outcome} (run {run.id}, {run.kind}, data {run.data_version}, as of {run.as_of})"
        )
    lines.append(f"{s.documents} document(s), {s.components} component(s); files:")
    lines += [f"  {terminal(f.path)}  {f.size} bytes  sha256 {f.sha256}" for f in s.files]
    lines.append(f"waivers applied: {len(waivers)}" + (" (a rescan keeps them)" if waivers else ""))
    lines += [
        f"  {terminal(w.entity)} {terminal(w.selector)} until {w.expiry.isoformat()}, approved by {terminal(w.approver)}"
        for w in waivers
    ]
    lines.append(f"findings: {_counts(s.findings)}")
    for f in s.findings:
        what = terminal(" ".join(x for x in (f.component, f.component_version) if x))
        lines.append(
            f"  {f.severity:<10} {terminal(f.entity_name)}: {what} in {terminal(f.document)} [{f.id}]"
            + (" waived" if f.waived else "")
        )
    return "\n".join(lines) + "\n"


def _write_bytes(data: bytes, output: str | None, stdout: IO[str]) -> int:
    if output not in (None, "-"):
        try:
            with open(output, "wb") as fh:
                fh.write(data)
        except OSError as exc:
            raise UsageError(f"{output}: cannot write: {exc.strerror or exc}") from None
        return EXIT_OK
    buffer = getattr(stdout, "buffer", None)
    if buffer is None:
        raise UsageError("--file needs -o FILE here: standard output takes no bytes")
    stdout.flush()
    buffer.write(data)
    buffer.flush()
    return EXIT_OK


def _run_remove(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    with _open(args) as pf:
        pf.remove(args.id)
    write_lines([f"removed #{args.id}"], stdout)
    return EXIT_OK


def _run_rescan(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..portfolio import changes, render_changes, rescan
    from ..portfolio.changes import changes_dict, waiver_dict

    with _open(args) as pf:
        result = rescan(pf, entity_db(args.entities), args.as_of, waivers=_waivers(args))
        found = changes(pf, result.run.id)
    r = result.run
    if args.format == "json":
        body = {
            "run": r.id,
            "as_of": r.as_of.isoformat(),
            "entity_data_version": r.data_version,
            "waivers_kept": r.waivers_kept,
            "waivers": [waiver_dict(w) for w in r.waivers],
            "submissions": result.submissions,
            "components": result.components,
            "scanned": list(result.scanned),
            **changes_dict(found),
        }
        write(_json(body), args.output, stdout)
        return EXIT_OK
    head = (
        f"run {r.id}: {result.submissions} submission(s), {result.components} component(s) rescanned with "
        f"data {r.data_version}, as of {r.as_of}, {_waivers_used(r)}; {len(found)} product(s) changed\n"
    )
    write(head + (render_changes(found) if found else ""), args.output, stdout)
    return EXIT_OK


def _waivers_used(r: Any) -> str:
    if r.waivers_kept:
        return "each submission's own waivers"
    return f"{len(r.waivers)} waiver(s) given" if r.waivers else "no waivers"


def _run_changes(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..portfolio import changes, render_changes

    with _open(args) as pf:
        found = changes(pf, args.run, unchanged=args.all)
    write(render_changes(found, args.format), args.output, stdout)
    return EXIT_OK


def _run_report(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    from ..portfolio import report
    from ..report import write_report

    with _open(args) as pf:
        rep = report(pf, args.id, entity_db(args.entities), args.as_of, _waivers(args))
    write(lambda put: write_report(rep, args.format, put), args.output, stdout)
    return EXIT_OK
