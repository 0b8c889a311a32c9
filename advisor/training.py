"""Training data assembly: measured rows -> (features, log efficiency) for the regressor.

Rows come from two places with one schema (see ``TRAINING_COLUMNS``): the imported public table
(`advisor data import`) and our own onnxruntime measurements (`data/measurements/*.csv`). Each
distinct graph is analysed once into a :class:`GraphProfile`, cached on disk as JSON keyed by the
graph identity and the code's feature schema, so retraining does not re-analyse 25,000 graphs.
"""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path
from typing import Callable, Iterable

import numpy as np
import pandas as pd

from advisor.errors import InputError
from advisor.features import FEATURE_SCHEMA_VERSION, Settings, feature_names, feature_row
from advisor.precision import get_precision
from advisor.profile import GraphProfile
from advisor.roofline import kernel_bounds

TRAINING_COLUMNS = ["source", "graph", "family", "hw_id", "kind", "precision", "batch", "threads",
                    "runtime", "latency_ms"]
PROFILE_VERSION = f"{FEATURE_SCHEMA_VERSION}.1"
_MEASURED_PRECISION = {"fp32": "fp32", "fp16": "fp16", "int8-dynamic": "int8-dynamic",
                       "int8-static": "int8", "int8": "int8"}


def cache_dir() -> Path:
    root = os.environ.get("ADVISOR_CACHE") or os.path.join(os.path.expanduser("~"), ".cache", "advisor")
    path = Path(root) / "profiles"
    path.mkdir(parents=True, exist_ok=True)
    return path


def load_measurements(paths: Iterable[str | os.PathLike], local_hw_id: str = "local") -> pd.DataFrame:
    """Our onnxruntime measurement CSVs in the training schema (status ok rows only)."""
    frames = []
    for path in paths:
        df = pd.read_csv(path)
        df = df[df["status"] == "ok"]
        frames.append(pd.DataFrame({
            "source": "ours", "graph": df["source"], "family": df["family"], "hw_id": local_hw_id,
            "kind": "cpu", "precision": df["precision"].map(_MEASURED_PRECISION),
            "batch": df["batch"].astype(int), "threads": df["threads"].astype(int),
            "runtime": "onnxruntime", "latency_ms": df["median_ms"].astype(float),
            "host_hash": df["host_hash"]}))
    if not frames:
        return pd.DataFrame(columns=TRAINING_COLUMNS)
    out = pd.concat(frames, ignore_index=True)
    return out.dropna(subset=["precision", "latency_ms"])


def _profile_path(graph: str) -> Path:
    key = hashlib.sha256(f"{PROFILE_VERSION}|{graph}".encode()).hexdigest()[:32]
    return cache_dir() / f"{key}.json"


def profile_for(graph: str) -> GraphProfile:
    """The kernel profile of a graph identity string (zoo recipe or ``ncnn:<model>``), cached."""
    path = _profile_path(graph)
    if path.exists():
        try:
            return GraphProfile.from_json(json.loads(path.read_text()))
        except (json.JSONDecodeError, KeyError, ValueError):
            path.unlink(missing_ok=True)  # a torn cache file: rebuild it
    from advisor.api import model_profile
    from advisor.dataset.graphs import graph_for
    model = graph_for(graph)
    profile = model_profile(model, batch=_recipe_batch(model))
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_text(json.dumps(profile.to_json()))
    tmp.replace(path)
    return profile


def _recipe_batch(model) -> int:
    for value_info in model.graph.input:
        dims = value_info.type.tensor_type.shape.dim
        if dims and dims[0].HasField("dim_value"):
            return int(dims[0].dim_value)
    return 1


def profiles_for(graphs: Iterable[str], n_jobs: int = 2,
                 progress: Callable[[int, int], None] | None = None) -> dict[str, GraphProfile]:
    """Profiles of many graphs, analysed in parallel where not cached; failures are skipped."""
    unique = sorted(set(graphs))
    missing = [g for g in unique if not _profile_path(g).exists()]
    if missing:
        from joblib import Parallel, delayed
        Parallel(n_jobs=n_jobs, batch_size=16)(delayed(_safe_profile)(g) for g in missing)
    out = {}
    for i, g in enumerate(unique):
        try:
            out[g] = profile_for(g)
        except Exception:  # noqa: BLE001 - a graph that cannot be built is reported as rejected
            continue
        if progress:
            progress(i + 1, len(unique))
    return out


def _safe_profile(graph: str) -> None:
    try:
        profile_for(graph)
    except Exception:  # noqa: BLE001 - recorded as missing by the caller
        pass


def design_matrix(rows: pd.DataFrame, profiles: dict[str, GraphProfile],
                  hardware: Callable[[str], object]) -> tuple[np.ndarray, np.ndarray, np.ndarray, pd.Series]:
    """(features, roofline seconds, kept-row mask, rejection reasons) for training rows."""
    features = np.full((len(rows), len(feature_names())), np.nan)
    roofline = np.full(len(rows), np.nan)
    reasons = pd.Series("", index=rows.index, dtype=object)
    hw_cache: dict[str, object] = {}
    for i, row in enumerate(rows.itertuples(index=False)):
        profile = profiles.get(row.graph)
        if profile is None:
            reasons.iloc[i] = "graph could not be built"
            continue
        try:
            hw = hw_cache.get(row.hw_id) or hw_cache.setdefault(row.hw_id, hardware(row.hw_id))
            threads = None if pd.isna(row.threads) else int(row.threads)
            settings = Settings(get_precision(row.precision), int(row.batch), threads, row.runtime)
            bounds = kernel_bounds(profile.scaled(settings.batch), hw, settings.precision, threads)
            features[i] = feature_row(profile, hw, settings, bounds)
            roofline[i] = bounds.total_s
        except InputError as exc:
            reasons.iloc[i] = str(exc).split(":")[0][:80]
    kept = np.isfinite(roofline) & (roofline > 0)
    return features, roofline, kept, reasons
