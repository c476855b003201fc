"""File names as people read them, whatever bytes they hold.

A class's submissions arrive by e-mail, LMS download or a zip made on a Korean Windows machine, so
a file name can be UTF-8, CP949, or neither. :func:`display` turns any path Python gives (undecodable
bytes arrive as surrogates, see :func:`os.fsdecode`) into readable, NFC-normalised text; the path
itself is kept for opening the file.
"""

from __future__ import annotations

import os
import unicodedata


def display(path: str | os.PathLike[str]) -> str:
    """``path`` as text: decoded as UTF-8, else CP949, else with replacement characters."""
    raw = os.fsencode(path)
    for encoding in ("utf-8", "cp949"):
        try:
            text = raw.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        text = raw.decode("utf-8", errors="replace")
    return unicodedata.normalize("NFC", text)
