"""Write files atomically: readers see the old file or the new one, never half of one."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

__all__ = ["write_all_or_none", "write_atomically"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _stage(path: Path, data: bytes) -> Path:
    # The temporary file sits beside the target (so os.replace is a rename on one filesystem)
    # and does not end in the target's suffix, so globs like *.ipynb never pick it up.
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.chmod(tmp, 0o666 & ~_umask())  # mkstemp makes 0600; give the usual permissions
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)


def write_all_or_none(files: dict[Path, bytes]) -> list[Path]:
    """Write several files; if any cannot be written, none of them changes."""
    staged: list[tuple[Path, Path]] = []
    try:
        for path, data in files.items():
            staged.append((_stage(Path(path), data), Path(path)))
        for tmp, path in staged:
            os.replace(tmp, path)
    finally:
        for tmp, _ in staged:
            tmp.unlink(missing_ok=True)
    return [Path(p) for p in files]


def write_atomically(path: str | os.PathLike[str], data: bytes) -> Path:
    """Write one file atomically, with the permissions a normal write would give it."""
    return write_all_or_none({Path(path): data})[0]
