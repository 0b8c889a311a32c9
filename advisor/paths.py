"""Where the project's data lives: the bundled tables in ``data/`` and trained models in ``models/``.

Both sit beside the ``advisor`` package in the source tree (installed editable). ``ADVISOR_HOME``
overrides the root, for installs that keep data elsewhere.
"""

from __future__ import annotations

import os
from pathlib import Path


def project_root() -> Path:
    """The folder holding ``data/`` and ``models/``."""
    override = os.environ.get("ADVISOR_HOME")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent


def data_dir() -> Path:
    return project_root() / "data"


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
