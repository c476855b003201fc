"""The ``qlab`` command: ``qlab devices``, ``qlab release | validate | grade``, ``qlab kit ...``.

Each group of commands lives beside the code it drives and registers itself here through a
``register(subparsers)`` function, so this file only assembles the parser.

Everything the command says follows ``--lang`` (anywhere on the line) or ``QLAB_LANG``, the help
included: ``--lang`` is read before the parser is built, so ``qlab grade --help --lang ko`` is
Korean. Every parser and sub-parser is a :class:`Parser`, whose own words (``usage:``, the section
titles, ``-h``) come from the catalog too, and which accepts ``--lang``.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from importlib import import_module
from typing import Any

from ._version import __version__
from .errors import QlabError
from .i18n import LANGUAGES, language, t

# modules that add sub-commands; each has register(subparsers) and keeps its imports light
COMMAND_MODULES = ("qlab.cli_devices", "qlab.assign.cli", "qlab.kits.cli")


# argparse's own error sentences (Python 3.10 to 3.13) and the catalog keys that say them
ARGPARSE_ERRORS = (
    (r"the following arguments are required: (?P<names>.+)", "cli.err_required"),
    (r"unrecognized arguments: (?P<names>.+)", "cli.err_unrecognized"),
    (r"argument (?P<arg>\S+): invalid choice: (?P<value>.+?) \(choose from (?P<allowed>.+)\)", "cli.err_choice"),
    (r"argument (?P<arg>\S+): expected one argument", "cli.err_one_value"),
    (r"argument (?P<arg>\S+): invalid (?P<kind>\w+) value: (?P<value>.+)", "cli.err_bad_value"),
)


def _translated(message: str) -> str:
    """argparse's error ``message`` in the current language (as it is when it is none of the above)."""
    for pattern, key in ARGPARSE_ERRORS:
        found = re.fullmatch(pattern, message, re.DOTALL)
        if found:
            return t(key, **found.groupdict())
    return message


class _Formatter(argparse.HelpFormatter):
    def add_usage(self, usage: Any, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, t("cli.usage") if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """An ``ArgumentParser`` that speaks the current language and takes ``--lang`` (sub-parsers
    made by ``add_subparsers`` are of this class too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _Formatter)
        kwargs["add_help"] = False
        super().__init__(*args, **kwargs)
        self._positionals.title = t("cli.positionals")
        self._optionals.title = t("cli.options")
        self.add_argument("-h", "--help", action="help", default=argparse.SUPPRESS, help=t("cli.help"))
        self.add_argument("--lang", choices=LANGUAGES, default=None, help=t("cli.lang"))

    def error(self, message: str) -> Any:
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.error", prog=self.prog, message=_translated(message)) + "\n")


def build_parser() -> argparse.ArgumentParser:
    """The whole ``qlab`` parser, its help in the current language."""
    parser = Parser(prog="qlab", description=t("cli.description"))
    parser.add_argument("--version", action="version", version=f"qlab {__version__}", help=t("cli.version"))
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in COMMAND_MODULES:
        try:
            module = import_module(name)
        except ModuleNotFoundError as exc:  # a command group not built yet
            if not name.startswith(str(exc.name)):
                raise
            continue
        module.register(sub)
    return parser


def requested_language(argv: Sequence[str]) -> str | None:
    """The language a command line asks for (``--lang ko`` or ``--lang=ko``, the last one wins,
    nothing after ``--``), or ``None``; a value qlab does not speak is left for the parser to refuse."""
    found = None
    items = list(argv)
    for i, item in enumerate(items):
        if item == "--":
            break
        value = items[i + 1] if item == "--lang" and i + 1 < len(items) else (
            item.split("=", 1)[1] if item.startswith("--lang=") else None)
        if value is not None and value.strip().lower() in LANGUAGES:
            found = value.strip().lower()
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``qlab`` command line; returns the exit code."""
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = requested_language(argv)
    with language(lang):
        parser = build_parser()
        args = parser.parse_args(argv)
        if lang:  # a sub-parser's own --lang default must not hide one given before the command
            args.lang = lang
        if not getattr(args, "func", None):
            parser.print_help()
            return 0
        try:
            return int(args.func(args) or 0)
        except QlabError as exc:
            print(f"qlab: {exc}", file=sys.stderr)
            return 2
        except KeyboardInterrupt:
            print(t("cli.interrupted"), file=sys.stderr)
            return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
