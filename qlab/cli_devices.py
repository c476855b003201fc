"""``qlab devices``: list the emulated devices, or show one device's figures."""

from __future__ import annotations

import argparse


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help="list the emulated devices, or show one's figures")
    p.add_argument("name", nargs="?", help="a device name: show its figures and sources")
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from .catalog import device, devices

    if not args.name:
        for name in devices():
            print(f"{name:12s} {device(name).spec.title}")
        return 0
    print(device(args.name)._repr_markdown_())
    return 0
