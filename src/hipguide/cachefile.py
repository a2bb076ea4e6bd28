"""Files kept in the user's cache folder: written atomically, read back only when safe.

A cache file starts with its key and the checksum of its body (a marshalled pair of a
text and a number), then the body. It is read
only when it is a regular file of the user's own, in a folder of the user's own,
opened without following a link, no larger than the caller allows, and only when
its key matches and its checksum agrees; anything else counts as no cache. Writing
goes to a new private file that then replaces the old one, so a reader never sees half
a file. A cache that cannot be written costs only speed, never an error.

What a cache holds is data (marshal of plain values: text, numbers, tuples; never
pickle, so nothing in it can run when it is read), and the caller still checks every
value it reads back before using it.

Paths are given as a :class:`~pathlib.Path` or as text; the reading side imports
nothing beyond what Python has loaded at start (a cached dataset is read before
anything else is imported).
"""

from __future__ import annotations

import marshal
import os
import stat

TYPE_CHECKING = False
if TYPE_CHECKING:
    from pathlib import PurePath

    PathLike = str | PurePath


def owned(info: os.stat_result) -> bool:
    """Whether a file or folder belongs to the user running hipguide."""
    geteuid = getattr(os, "geteuid", None)
    return geteuid is None or info.st_uid == geteuid()


#: The checksum's bits below the body's length (the remainder is always smaller).
_LENGTH_SHIFT = 64


def checksum(body: bytes) -> int:
    """The checksum a file's header holds for its body: the body read as one number,
    modulo a prime, with its length.

    The remainder is Python's own hash of that number: for an integer that is not
    negative, the language defines it as the integer modulo the prime
    ``sys.hash_info.modulus`` (2**61 - 1 on 64-bit builds, 2**31 - 1 on others), and it
    is worked out without a division. It finds any change of one byte and any run of
    changed bits shorter than 61 (31) bits, and misses a random change once in 2**61
    (2**31); and it needs nothing imported (zlib is an extension module, whose loading
    costs more than the reading). A file written by a build with another modulus fails
    the check and is written again.
    """
    return len(body) << _LENGTH_SHIFT | hash(int.from_bytes(body, "little"))


def body_length(stored: int) -> int:
    """The body's length that a header's checksum holds."""
    return stored >> _LENGTH_SHIFT


def read(path: PathLike, key: str, max_bytes: int, own: bool = True) -> bytes | None:
    """The body stored at ``path`` under ``key``; None if there is no usable file.

    ``own=False`` drops the owner checks, for a file installed with the package (as
    trusted as its code, and owned by whoever installed it)."""
    try:
        path = os.fspath(path)
        if own and not owned(os.stat(os.path.dirname(path))):
            return None
        flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
        descriptor = os.open(path, flags)
        try:
            info = os.fstat(descriptor)
            if not (stat.S_ISREG(info.st_mode) and (owned(info) or not own)):
                return None
            if info.st_size > max_bytes:
                return None
            data = os.read(descriptor, info.st_size)
        finally:
            os.close(descriptor)
        stored = marshal.loads(data)  # the header: the bytes after it are ignored
        if type(stored) is not tuple or len(stored) != 2 or stored[0] != key:
            return None
        if type(stored[1]) is not int:
            return None
        length = body_length(stored[1])
        if not 0 < length < len(data):
            return None
        body = data[len(data) - length :]
    except Exception:  # any fault at all means: no cache
        return None
    if checksum(body) != stored[1]:
        return None
    return body


def pack(key: str, body: bytes) -> bytes:
    """The whole file for ``body`` under ``key``: the header, then the body."""
    return marshal.dumps((key, checksum(body))) + body


def write(path: PathLike, key: str, body: bytes) -> bool:
    """Store ``body`` at ``path`` under ``key``; False when it could not be written."""
    path = os.fspath(path)
    try:
        private_folder(os.path.dirname(path))
    except Exception:  # no home to keep a cache in, or a folder that is not ours
        return False
    content = pack(key, body)
    temporary = f"{path}.{os.getpid()}.tmp"
    try:
        flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
        descriptor = os.open(temporary, flags, 0o600)
        with os.fdopen(descriptor, "wb") as handle:
            handle.write(content)
        os.replace(temporary, path)
    except Exception:
        try:  # noqa: SIM105 (importing contextlib costs a first run more than this)
            os.unlink(temporary)
        except OSError:
            pass
        return False
    return True


def private_folder(folder: PathLike) -> None:
    """Create ``folder`` and any missing parent, each 0700; refuse one that is not ours.

    (No contextlib here: a first run writes the cache, and importing it costs more than
    the rest of that run's writing.)"""
    folder = os.path.abspath(folder)
    missing: list[str] = []
    current = folder
    while not os.path.lexists(current):
        missing.append(current)
        parent = os.path.dirname(current)
        if parent == current:
            break
        current = parent
    for path in reversed(missing):
        try:  # noqa: SIM105 (as above)
            os.mkdir(path, 0o700)
        except FileExistsError:
            pass
    info = os.lstat(folder)
    if not stat.S_ISDIR(info.st_mode) or not owned(info):
        raise PermissionError(f"{folder} is not a folder of this user's own")
