"""HELP / HW-NAS-Bench latency CSVs -> unified rows (one per architecture x device column).

Columns ``<gpu>_<batch>`` carry the batch size (GPUs: 1080ti, 2080ti, titan_rtx, titanx,
titanxp, titan_xp, v100); every other device column is batch 1 (``essential_ph_1`` is the
Essential Phone PH-1, not a batch). ``eyeriss`` and ``fpga`` are simulated and rejected.
Units are milliseconds per batch: GPU batch-1 values of these small nets are 2.5-30 ms
(PyTorch launch overhead), batch-256 values 6-50 ms, phone values integers of 3-180 ms.

NAS-Bench-201 cells whose output node does not depend on the input (every path into node 3
passes a ``none`` edge) make the whole network a constant; TFLite folds it and ``pixel3`` /
``raspi4`` report ~0.01 ms for them. Those rows do not time the graph we build and are rejected.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.errors import InputError

FILES = {"nasbench201": "help/nasbench201_latency.csv", "fbnet": "help/fbnet_latency.csv",
         "ofa": "help/ofa_latency.csv"}
SIMULATED = {"eyeriss", "fpga"}
FOLDING_DEVICES = {"pixel3", "raspi4"}
# SOURCES.md: PyTorch on the GPUs and Xeons, TFLite on the phones and the Raspberry Pi.
TFLITE_DEVICES = {"pixel2", "pixel3", "samsung_a50", "samsung_s7", "essential_ph_1", "raspi4"}
_GPU_COL = re.compile(r"^(1080ti|2080ti|titan_rtx|titanxp|titan_xp|titanx|v100)_(\d+)$")


def split_column(col: str) -> tuple[str, int]:
    """``"titan_rtx_32"`` -> ``("titan_rtx", 32)``; non-GPU columns are batch 1."""
    m = _GPU_COL.match(col)
    return (m.group(1), int(m.group(2))) if m else (col, 1)


def nb201_connected(arch_str: str) -> bool:
    """Whether the cell's output node depends on its input (some path avoids ``none`` edges)."""
    from advisor.zoo.nas import parse_nb201

    dep = [True]
    for edges in parse_nb201(arch_str):
        dep.append(any(op != "none" and dep[src] for op, src in edges))
    return dep[-1]


def graph_strings(space: str, archs: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Per unique architecture text: the graph identity (None if unparseable) and, for
    NAS-Bench-201, whether the cell is connected."""
    from advisor.zoo import nas

    graphs, connected = {}, {}
    for a in archs.unique():
        try:
            if space == "nasbench201":
                nas.parse_nb201(a)
                graphs[a] = f"nasbench201:arch_str={a.strip()}"
                connected[a] = nb201_connected(a)
            elif space == "fbnet":
                graphs[a] = "fbnet:arch=" + "-".join(nas.parse_fbnet(a))
                connected[a] = True
            else:
                graphs[a] = f"ofa:arch={nas.ofa_code(a)}"
                connected[a] = True
        except (InputError, ValueError, TypeError, json.JSONDecodeError):
            graphs[a], connected[a] = None, True
    return archs.map(graphs), archs.map(connected)


def import_help_file(path: str | Path, space: str, file: str) -> tuple[pd.DataFrame, Counter]:
    """One HELP CSV (``space`` = nasbench201 / fbnet / ofa) in the unified columns."""
    raw = pd.read_csv(path)
    return frame_from_raw(raw, space, file)


def frame_from_raw(raw: pd.DataFrame, space: str, file: str) -> tuple[pd.DataFrame, Counter]:
    rejected: Counter = Counter()
    arch_col = "arch_str" if "arch_str" in raw.columns else "arch"
    if arch_col not in raw.columns:
        raise InputError(f"{file}: no 'arch_str' or 'arch' column")
    dev_cols = [c for c in raw.columns if c not in ("arch_index", arch_col)]
    raw = raw.assign(_line=np.arange(len(raw)) + 2)
    graph, connected = graph_strings(space, raw[arch_col].astype(str))
    raw = raw.assign(_graph=graph, _connected=connected)

    long = raw.melt(id_vars=["_line", "_graph", "_connected"], value_vars=dev_cols,
                    var_name="_col", value_name="latency_ms")
    split = {c: split_column(c) for c in dev_cols}
    long["_device"] = long["_col"].map(lambda c: split[c][0])
    long["batch"] = long["_col"].map(lambda c: split[c][1]).astype("int64")

    sim = long["_device"].isin(SIMULATED)
    rejected["simulated device (eyeriss/fpga), not a measurement"] += int(sim.sum())
    long = long[~sim]
    lat = pd.to_numeric(long["latency_ms"], errors="coerce")
    bad = ~np.isfinite(lat) | (lat <= 0)
    rejected["latency missing, non-finite or <= 0"] += int(bad.sum())
    long = long[~bad].assign(latency_ms=lat[~bad].astype(float))
    nograph = long["_graph"].isna()
    rejected["architecture string not parseable"] += int(nograph.sum())
    long = long[~nograph]
    folded = ~long["_connected"].astype(bool) & long["_device"].isin(FOLDING_DEVICES)
    rejected["NAS-Bench-201 cell with no input-dependent path on pixel3/raspi4 "
             "(TFLite folds the net to a constant)"] += int(folded.sum())
    long = long[~folded]

    out = pd.DataFrame({
        "source": "help",
        "source_ref": file + ":" + long["_line"].astype(str) + ":" + long["_col"],
        "graph": long["_graph"],
        "family": space,
        "hw_id": None,
        "device_string": long["_device"],
        "kind": None,
        "precision": "fp32",
        "batch": long["batch"],
        "threads": np.nan,
        "runtime": np.where(long["_device"].isin(TFLITE_DEVICES), "tflite", "pytorch"),
        "latency_ms": long["latency_ms"],
        "latency_stat": "mean",
        "powersave": np.nan,
        "date": None,
        "version": None,
        "precision_note": "HELP/HW-NAS-Bench float models (fp32 assumed); latency per batch",
        "_map_role": "device",
    })
    return out.reset_index(drop=True), rejected


def import_help(public_dir: str | Path) -> tuple[pd.DataFrame, Counter]:
    """All three HELP CSVs."""
    frames, rejected = [], Counter()
    for space, file in FILES.items():
        path = Path(public_dir) / file
        if not path.exists():
            rejected[f"file missing: {file}"] += 0
            continue
        df, rej = import_help_file(path, space, file)
        frames.append(df)
        rejected.update(rej)
    return (pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()), rejected
