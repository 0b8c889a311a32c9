"""Where the project's data lives: the bundled tables in ``data/`` and trained models in ``models/``.

Both sit beside the ``advisor`` package in the source tree (installed editable). ``ADVISOR_HOME``
overrides the root, for installs that keep data elsewhere.
"""

from __future__ import annotations

import glob
import os
from pathlib import Path
from typing import Iterable


def project_root() -> Path:
    """The folder holding ``data/`` and ``models/``."""
    override = os.environ.get("ADVISOR_HOME")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return project_root() / "data"


def measurement_csvs(patterns: Iterable[str] = ()) -> list[str]:
    """The measurement CSVs that training reads: the files matching any of ``patterns`` (globs),
    by default every ``data/measurements/*.csv`` (not sub-folders); sorted, each once. One
    definition for `advisor train`, `advisor evaluate` and the benchmarks that reproduce them."""
    patterns = tuple(patterns) or (str(data_dir() / "measurements" / "*.csv"),)
    return sorted({f for p in patterns for f in glob.glob(p)})


def models_dir() -> Path:
    """Trained models: ``models/`` beside the package, or ``ADVISOR_MODELS``."""
    override = os.environ.get("ADVISOR_MODELS")
    return Path(override) if override else project_root() / "models"


def public_data_dir() -> Path:
    """The shared public measurements (``../shared/data/public``), or ``ADVISOR_PUBLIC_DATA``."""
    override = os.environ.get("ADVISOR_PUBLIC_DATA")
    if override:
        return Path(override)
    return project_root().parent / "shared" / "data" / "public"
