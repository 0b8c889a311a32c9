"""Atomic file writes: an output file is either the old one or the complete new one, never partial.

Every file the tool writes (models, profiles, caches, reports, CSV exports, ONNX graphs) goes
through ``atomic_path``: the writer fills a temporary file beside the target, which replaces the
target only once the writer has finished. An exception (a full disk, an interrupt) removes the
temporary file and leaves the target as it was. The temporary name carries the process id, so two
processes writing the same target do not share a temporary file; the last complete one wins.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator


@contextmanager
def atomic_path(target: str | os.PathLike) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target``."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        yield tmp
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_text_atomically(target: str | os.PathLike, text: str, encoding: str = "utf-8") -> Path:
    """Write ``text`` to ``target`` atomically; returns the target path."""
    with atomic_path(target) as tmp:
        tmp.write_text(text, encoding=encoding)
    return Path(target)
