"""Atomic file writes: a file is complete and new, or untouched (I/O).

Everything is written to a temporary file in the target's own folder (so the final rename
stays on one file system), flushed to disk with fsync, and renamed over the target only when
writing succeeded. A failure (an exception, a crash, a full disk) leaves the old file
byte-identical and no temporary file behind (after an exception).
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import IO


def _fsync_folder(folder: Path) -> None:
    """Make the rename itself durable (POSIX); a no-op where folders cannot be opened."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)


def _sync(path: Path) -> None:
    with path.open("rb+") as handle:
        os.fsync(handle.fileno())


@contextlib.contextmanager
def atomic_path(target: str | Path) -> Iterator[Path]:
    """A fresh temporary path next to `target` for a library that writes by path (pyogrio,
    openpyxl); moved over `target` after the block succeeds, removed if it fails."""
    target = Path(target)
    handle, name = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".part" + target.suffix
    )
    os.close(handle)
    tmp = Path(name)
    tmp.unlink()  # libraries such as GDAL refuse to write over an existing empty file
    try:
        yield tmp
        _sync(tmp)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_folder(target.parent)


@contextlib.contextmanager
def atomic_write(target: str | Path, mode: str = "wb", **kwargs: object) -> Iterator[IO]:
    """An open temporary file next to `target`, renamed over it when the block succeeds."""
    with atomic_path(target) as tmp, tmp.open(mode, **kwargs) as handle:  # type: ignore[call-overload]
        yield handle
        handle.flush()


def write_bytes(target: str | Path, data: bytes) -> None:
    """Atomically replace `target` by `data`."""
    with atomic_write(target) as handle:
        handle.write(data)


def write_text(target: str | Path, text: str, encoding: str = "utf-8") -> None:
    """Atomically replace `target` by `text`."""
    with atomic_write(target, "w", encoding=encoding, newline="") as handle:
        handle.write(text)
