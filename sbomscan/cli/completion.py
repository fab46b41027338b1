"""``sbomscan completion``: shell completion scripts, generated from the argparse parser.

``sbomscan completion bash|zsh|fish`` prints a script; every subcommand, option and choice
the parser knows (including ones added later) is completed, with no list kept by hand.
Written here rather than taken from a library: shtab, the usual choice, has no fish output,
and what sbomscan needs — subcommands, options, option choices and file names — fits in a
small table per command.

The table is keyed by the *command path*: ``""`` for the top level, ``"scan"``,
``"entities show"``. The scripts walk the words typed so far, skip the values of options
that take one, and follow subcommand names to find it.

>>> import argparse
>>> p = argparse.ArgumentParser(prog="t")
>>> _ = p.add_argument("--format", choices=("a", "b"))
>>> [(c.path, c.valued, c.choices) for c in command_table(p)]
[('', ('--format',), {'--format': ('a', 'b')})]
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import IO, NamedTuple

from .options import EXIT_OK, Subcommands

__all__ = ["SHELLS", "Command", "command_table", "completion_script", "register"]

SHELLS = ("bash", "zsh", "fish")

_WORD = re.compile(r"[A-Za-z0-9_.:@/+=-]+")


def register(sub: Subcommands) -> None:
    p = sub.add_parser("completion", help="print a shell completion script (bash, zsh or fish)")
    p.add_argument("shell", choices=SHELLS, metavar="SHELL", help="bash, zsh or fish")
    p.set_defaults(func=run)


def run(args: argparse.Namespace, stdout: IO[str], stderr: IO[str]) -> int:
    """The script for the parser that read this command line (:func:`sbomscan.cli.build_parser`
    leaves itself in ``args.root_parser``), so it lists every command registered."""
    stdout.write(completion_script(args.root_parser, args.shell))
    return EXIT_OK


class Command(NamedTuple):
    """What can follow one command path."""

    path: str
    options: tuple[str, ...]  # every option string, "-q" and "--quiet"
    valued: tuple[str, ...]  # the options that take a value
    choices: dict[str, tuple[str, ...]]  # option -> its choices; "@" -> the positional's choices
    subcommands: tuple[tuple[str, str], ...]  # (name, help)
    helps: dict[str, str]  # option string -> help


def _words(values: Iterable[object] | None) -> tuple[str, ...]:
    """The values that are safe to write into a script unquoted (others are not offered)."""
    return tuple(str(v) for v in (values or ()) if _WORD.fullmatch(str(v)))


def command_table(parser: argparse.ArgumentParser, path: str = "") -> list[Command]:
    """One :class:`Command` for ``parser`` and one for each subcommand below it."""
    options: list[str] = []
    valued: list[str] = []
    choices: dict[str, tuple[str, ...]] = {}
    helps: dict[str, str] = {}
    subs: list[tuple[str, str]] = []
    below: list[Command] = []
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            help_of = {a.dest: a.help or "" for a in action._choices_actions}
            for name, sub in action.choices.items():
                if _WORD.fullmatch(name):
                    subs.append((name, help_of.get(name, "")))
                    below.extend(command_table(sub, f"{path} {name}".strip()))
        elif action.option_strings:
            names = _words(action.option_strings)
            options.extend(names)
            for name in names:
                helps[name] = (action.help or "") if action.help != argparse.SUPPRESS else ""
                if action.nargs != 0:
                    valued.append(name)
                    if action.choices:
                        choices[name] = _words(action.choices)
        elif action.choices:
            choices["@"] = _words(action.choices)
    return [Command(path, tuple(options), tuple(valued), choices, tuple(subs), helps), *below]


def completion_script(parser: argparse.ArgumentParser, shell: str) -> str:
    """The completion script for ``shell`` (one of :data:`SHELLS`)."""
    table = command_table(parser)
    prog = parser.prog
    if shell == "bash":
        return _bash(table, prog)
    if shell == "zsh":
        return (
            f"# zsh completion for {prog} (bash-style, through zsh's bashcompinit)\n"
            "autoload -U +X bashcompinit && bashcompinit\n" + _bash(table, prog)
        )
    if shell == "fish":
        return _fish(table, prog)
    raise ValueError(f"shell must be one of {', '.join(SHELLS)}, not {shell!r}")


def _case(fn: str, rows: list[tuple[str, str]]) -> str:
    body = "".join(f'    "{key}") echo "{value}" ;;\n' for key, value in rows if value)
    return f'{fn}() {{\n  case "$1" in\n{body}  esac\n}}\n'


def _bash(table: list[Command], prog: str) -> str:
    fn = "_" + re.sub(r"\W", "_", prog)
    choice_rows = [(f"{c.path} {opt}".strip(), " ".join(v)) for c in table for opt, v in c.choices.items()]
    return (
        f"# bash completion for {prog}; generated by '{prog} completion bash'\n"
        + _case(f"{fn}_subs", [(c.path, " ".join(n for n, _ in c.subcommands)) for c in table])
        + _case(f"{fn}_opts", [(c.path, " ".join(c.options)) for c in table])
        + _case(f"{fn}_valued", [(c.path, " ".join(c.valued)) for c in table])
        + _case(f"{fn}_choices", choice_rows)
        + f"""{fn}() {{
  # $2 is the word being completed and $3 the one before it (bash and zsh's bashcompinit)
  local cur="$2" prev="$3" path="" w n=0 skip=0 words
  for w in "${{COMP_WORDS[@]}}"; do
    n=$((n + 1))
    [ "$n" -eq 1 ] && continue
    [ "$n" -gt "$COMP_CWORD" ] && break
    if [ "$skip" -eq 1 ]; then skip=0; continue; fi
    case " $({fn}_valued "$path") " in *" $w "*) skip=1; continue ;; esac
    case " $({fn}_subs "$path") " in *" $w "*) path="${{path:+$path }}$w" ;; esac
  done
  COMPREPLY=()
  if [ "$skip" -eq 1 ]; then
    words="$({fn}_choices "${{path:+$path }}$prev")"
  elif [ "${{cur#-}}" != "$cur" ]; then
    words="$({fn}_opts "$path")"
  else
    words="$({fn}_subs "$path")"
    [ -n "$words" ] || words="$({fn}_choices "${{path:+$path }}@")"
  fi
  # nothing to offer: the shell's default completion (file names) takes over
  [ -n "$words" ] && COMPREPLY=($(compgen -W "$words" -- "$cur"))
  return 0
}}
complete -o default -F {fn} {prog}
"""
    )


def _fish_quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'"


def _fish(table: list[Command], prog: str) -> str:
    fn = "__" + re.sub(r"\W", "_", prog)
    lines = [f"# fish completion for {prog}; generated by '{prog} completion fish'"]
    for name, rows in (
        ("subs", [(c.path, [n for n, _ in c.subcommands]) for c in table]),
        ("valued", [(c.path, list(c.valued)) for c in table]),
    ):
        lines.append(f'function {fn}_{name}\n    switch "$argv[1]"')
        lines.extend(
            f"        case {_fish_quote(p)}\n            printf '%s\\n' {' '.join(v)}" for p, v in rows if v
        )
        lines.append("    end\nend")
    lines.append(
        f"""function {fn}_path
    set -l words (commandline -opc)
    set -e words[1]
    set -l path
    set -l skip 0
    for w in $words
        if test $skip = 1
            set skip 0
        else if contains -- $w ({fn}_valued "$path")
            set skip 1
        else if contains -- $w ({fn}_subs "$path")
            set path $path $w
        end
    end
    string join ' ' -- $path
end
function {fn}_at
    set -l path ({fn}_path)
    test "$path" = "$argv[1]"
end"""
    )
    for c in table:
        cond = f"-n {_fish_quote(f'{fn}_at {_fish_quote(c.path)}')}"
        for sub, hlp in c.subcommands:
            lines.append(f"complete -c {prog} -f {cond} -a {sub} -d {_fish_quote(hlp)}")
        for opt in c.options:
            flag = f"-l {opt[2:]}" if opt.startswith("--") else f"-s {opt[1:]}"
            value = ""
            if opt in c.choices:
                value = f" -x -a {_fish_quote(' '.join(c.choices[opt]))}"
            elif opt in c.valued:
                value = " -r -F"
            lines.append(f"complete -c {prog} {cond} {flag}{value} -d {_fish_quote(c.helps.get(opt, ''))}")
        if "@" in c.choices:
            lines.append(f"complete -c {prog} -f {cond} -a {_fish_quote(' '.join(c.choices['@']))}")
    return "\n".join(lines) + "\n"
