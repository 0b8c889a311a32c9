"""Device calibration: a per-device correction fitted from a handful of real measurements.

The regressor predicts from a device's spec row; a few measurements on the device itself reveal
how far its kernels sit from what the spec suggests (a runtime the training data lacks, a clock
lower than the datasheet's). The correction is one factor: the median ratio of measured to
predicted latency (median, so one outlier among ten rows does not move it). Profiles are small
JSON files under the user's config directory, keyed by hardware id.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import os
import re
from pathlib import Path

import numpy as np

from advisor.errors import InputError

SCHEMA = "advisor.calibration/1"


def fit_correction(predicted_ms, measured_ms) -> float:
    """Median of measured / predicted over the calibration rows (a multiplicative factor)."""
    predicted = np.asarray(predicted_ms, float)
    measured = np.asarray(measured_ms, float)
    ok = np.isfinite(predicted) & np.isfinite(measured) & (predicted > 0) & (measured > 0)
    if not ok.any():
        raise InputError("calibration needs at least one positive, finite (predicted, measured) pair")
    return float(np.exp(np.median(np.log(measured[ok] / predicted[ok]))))


def profiles_dir() -> Path:
    root = os.environ.get("ADVISOR_CONFIG") or os.path.join(os.path.expanduser("~"), ".config", "advisor")
    return Path(root) / "calibration"


def _profile_path(hw_id: str) -> Path:
    safe = re.sub(r"[^A-Za-z0-9._-]", "_", hw_id)
    return profiles_dir() / f"{safe}.json"


def save_profile(hw_id: str, factor: float, rows: int, spread: float, source: str) -> Path:
    if not math.isfinite(factor) or factor <= 0:
        raise InputError(f"calibration factor must be positive and finite, got {factor}")
    path = _profile_path(hw_id)
    path.parent.mkdir(parents=True, exist_ok=True)
    data = {"schema": SCHEMA, "hw_id": hw_id, "factor": factor, "rows": rows,
            "log_spread": spread, "source": source,
            "date": dt.datetime.now(dt.timezone.utc).isoformat(timespec="seconds")}
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(data, indent=2))
    tmp.replace(path)
    return path


def load_profile(hw_id: str) -> dict | None:
    """The stored correction for ``hw_id``, or None (a corrupt file is an error, not ignored)."""
    path = _profile_path(hw_id)
    if not path.exists():
        return None
    try:
        data = json.loads(path.read_text())
        factor = float(data["factor"])
    except (json.JSONDecodeError, KeyError, TypeError, ValueError) as exc:
        raise InputError(f"calibration profile {path} is unreadable ({type(exc).__name__}); "
                         "delete it or run `advisor calibrate` again") from None
    if data.get("schema") != SCHEMA or not math.isfinite(factor) or factor <= 0:
        raise InputError(f"calibration profile {path} has an unknown schema or a bad factor")
    return data
