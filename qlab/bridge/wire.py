"""Messages over a Unix socket: a 4-byte length, then that many bytes of UTF-8 JSON.

Both sides read with a size limit; a malformed or oversized message is a :class:`ProtocolError`,
never a crash or an unbounded allocation.
"""

from __future__ import annotations

import json
import socket
import struct
from typing import Any

MAX_MESSAGE = 128 * 2**20
_HEADER = struct.Struct(">I")


class ProtocolError(ConnectionError):
    """The other side sent something that is not a message, or went away."""


def send(sock: socket.socket, message: dict[str, Any]) -> None:
    data = json.dumps(message, ensure_ascii=False, allow_nan=False, separators=(",", ":")).encode("utf-8")
    if len(data) > MAX_MESSAGE:
        raise ProtocolError(f"message of {len(data)} bytes is larger than {MAX_MESSAGE}")
    sock.sendall(_HEADER.pack(len(data)) + data)


def _exactly(sock: socket.socket, n: int) -> bytes:
    chunks, got = [], 0
    while got < n:
        chunk = sock.recv(min(n - got, 1 << 20))
        if not chunk:
            raise ProtocolError("the other side closed the connection")
        chunks.append(chunk)
        got += len(chunk)
    return b"".join(chunks)


def receive(sock: socket.socket) -> dict[str, Any]:
    (size,) = _HEADER.unpack(_exactly(sock, _HEADER.size))
    if size > MAX_MESSAGE:
        raise ProtocolError(f"message of {size} bytes is larger than {MAX_MESSAGE}")
    try:
        message = json.loads(_exactly(sock, size).decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise ProtocolError(f"not a JSON message: {str(exc)[:100]}") from None
    if not isinstance(message, dict):
        raise ProtocolError("a message must be a JSON object")
    return message
