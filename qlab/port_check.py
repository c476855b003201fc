"""Is the port ``make lab`` wants free? If not, say so and name one that is.

``make lab`` starts JupyterLab with ``--ServerApp.port_retries=0``: on a busy port JupyterLab would
otherwise move to the next one by itself while the banner still names the first, and a second
``make lab`` would quietly serve the same lessons twice (two servers saving one notebook). So it
refuses instead, before starting anything::

    $ python -m qlab.port_check 8888
    Port 8888 is busy: a JupyterLab already runs there (...). To start one more, run: make lab PORT=8889

Exit code 0 when the port is free, 1 when busy (the message on stderr), 2 for a bad number.
"""

from __future__ import annotations

import json
import socket
import sys
import urllib.request
from collections.abc import Sequence

from .i18n import t
from .working_copy import lesson_language

HOST = "127.0.0.1"
TRIES = 50  # how many ports after the wanted one are tried for a free one
PORTS = range(1024, 65536)


def is_free(port: int, host: str = HOST) -> bool:
    """Can a server listen on ``host:port``? (SO_REUSEADDR as JupyterLab's own server sets it, so a
    port left in TIME_WAIT by a stopped server counts as free, as it is for JupyterLab.)"""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError:
            return False
    return True


def next_free(port: int, tries: int = TRIES) -> int | None:
    """The first free port after ``port`` (at most ``tries`` looked at), or None."""
    return next((p for p in range(port + 1, min(port + 1 + tries, PORTS.stop)) if is_free(p)), None)


def serves_jupyter(port: int, host: str = HOST, timeout: float = 1.0) -> bool:
    """Does a Jupyter server answer on ``host:port``? (Its ``/api`` tells its version, no token needed.)"""
    try:
        with urllib.request.urlopen(f"http://{host}:{port}/api", timeout=timeout) as response:
            return "version" in json.loads(response.read(4096).decode("utf-8"))
    except (OSError, ValueError, AttributeError, TypeError):
        return False


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m qlab.port_check PORT``: 0 when free; else a message naming a free port."""
    args = list(sys.argv[1:] if argv is None else argv)
    lang = lesson_language()
    text = args[0] if len(args) == 1 else " ".join(args)
    try:
        port = int(text)
    except ValueError:
        port = -1
    if port not in PORTS:
        print(t("lab.port_bad", lang=lang, port=text), file=sys.stderr)
        return 2
    if is_free(port):
        return 0
    free = next_free(port)
    if free is None:
        print(t("lab.port_none_free", lang=lang, port=port, tried=TRIES), file=sys.stderr)
    elif serves_jupyter(port):
        print(t("lab.port_busy_jupyter", lang=lang, port=port, free=free), file=sys.stderr)
    else:
        print(t("lab.port_busy", lang=lang, port=port, free=free), file=sys.stderr)
    return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
