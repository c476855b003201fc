"""``qlab devices``: list the emulated devices, or show one device's figures (in en / ko)."""

from __future__ import annotations

import argparse

from .i18n import t


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("devices", help=t("cli.devices_help"), description=t("cli.devices_help"))
    p.add_argument("name", nargs="?", help=t("cli.devices_name"))
    p.set_defaults(func=_run)


def _run(args: argparse.Namespace) -> int:
    from .catalog import device, devices

    if not args.name:
        for name in devices():
            print(f"{name:12s} {device(name).spec.text('title')}")
        return 0
    print(device(args.name)._repr_markdown_())
    return 0
