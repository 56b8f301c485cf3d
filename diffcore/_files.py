"""Reading one input file: regular files only, opened without blocking, OS errors as one-line errors.

Shared by the capture loader and the profile loader (which the loader
imports), so every file diffcore reads is read the same safe way.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from diffcore.errors import DiffcoreError, SnapshotError

ErrorType = Callable[[str, str], DiffcoreError]


@contextmanager
def opened(path: Path, error: ErrorType = SnapshotError) -> Iterator[BinaryIO]:
    """A regular file open for reading; an OS error (while open too), a folder, a FIFO or a device
    raises `error(path, reason)`.

    The file is opened without blocking and checked to be a regular file
    before anything is read: a FIFO would otherwise wait forever, and a
    device such as /dev/zero never end.
    """
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except FileNotFoundError:
        raise error(str(path), "no such file") from None
    except OSError as exc:
        raise error(str(path), f"cannot read: {exc.strerror}") from None
    try:
        mode = os.fstat(fd).st_mode
        if stat.S_ISDIR(mode):
            raise error(str(path), "is a directory")
        if not stat.S_ISREG(mode):
            raise error(str(path), "not a regular file (a FIFO, socket or device)")
        with open(fd, "rb", closefd=False) as file:
            yield file
    except OSError as exc:
        raise error(str(path), f"cannot read: {exc.strerror}") from None
    finally:
        os.close(fd)


def read_bytes(path: Path, error: ErrorType = SnapshotError) -> bytes:
    """The bytes of a regular file (see `opened`)."""
    with opened(path, error) as file:
        return file.read()
