"""The ``qlab`` command: ``qlab devices``, ``qlab release | validate | grade``, ``qlab kit ...``.

Each group of commands lives beside the code it drives and registers itself here through a
``register(subparsers)`` function, so this file only assembles the parser.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from importlib import import_module

from ._version import __version__
from .errors import QlabError

# modules that add sub-commands; each has register(subparsers) and keeps its imports light
COMMAND_MODULES = ("qlab.cli_devices", "qlab.assign.cli", "qlab.kits.cli")


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="qlab",
        description=(
            "qlab: quantum-computing lab notebooks for teaching. Emulated IonQ-like and "
            "IQM-Spark-like devices, checked exercises, grading with nbval, hackathon kits."
        ),
    )
    parser.add_argument("--version", action="version", version=f"qlab {__version__}")
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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``qlab`` command line; returns the exit code."""
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "func", None):
        parser.print_help()
        return 0
    try:
        return int(args.func(args) or 0)
    except QlabError as exc:
        print(f"qlab: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("qlab: interrupted", file=sys.stderr)
        return 130


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
