"""ncnn ``benchmark.csv`` (benchncnn, batch 1) -> unified rows.

One row per (device, threads, powersave, gpu_device, model, precision) with min/max/avg ms; we
keep ``avg_ms``. Graph: ``ncnn:<model>`` for fp32/Vulkan rows and ``ncnn:<model>_int8`` for
``int8`` rows (the int8 tables time the ``*_int8.param`` files). Old tables used a few other
spellings (``mobilenet-ssd``, ``squeezenet-int8``); those are mapped to the current files.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.dataset.graphs import ncnn_graph

FILE = "ncnn/benchmark.csv"
CPU_PRECISION = "fp32(bf16/fp16 storage may apply)"
VULKAN_PRECISION = "fp16/fp32-vulkan"
CPU_NOTE = ("ncnn CPU fp32 path; bf16/fp16 storage (and fp16 arithmetic on Armv8.2) may apply "
            "by benchncnn defaults")
VULKAN_NOTE = ("ncnn Vulkan: fp16 storage/arithmetic where the GPU supports it, fp32 otherwise "
               "(source precision 'fp16/fp32-vulkan')")
# Old table spellings -> (param stem, forced precision or None).
ALIASES = {"squeezenet-ssd": ("squeezenet_ssd", None), "mobilenet-ssd": ("mobilenet_ssd", None),
           "mobilenet-yolo": ("mobilenet_yolo", None), "squeezenet-int8": ("squeezenet_int8", "int8")}
FAMILY = {
    "squeezenet": "squeezenet", "mobilenet": "mobilenet_v1", "mobilenet_v2": "mobilenet_v2",
    "mobilenet_v3": "mobilenet_v3", "shufflenet": "shufflenet", "shufflenet_v2": "shufflenet_v2",
    "mnasnet": "mnasnet", "proxylessnasnet": "proxylessnas", "efficientnet_b0": "efficientnet",
    "efficientnetv2_b0": "efficientnet_v2", "regnety_400m": "regnet", "blazeface": "blazeface",
    "googlenet": "googlenet", "resnet18": "resnet", "resnet50": "resnet", "alexnet": "alexnet",
    "vgg16": "vgg", "squeezenet_ssd": "ssd", "mobilenet_ssd": "ssd", "mobilenet_yolo": "yolo",
    "mobilenetv2_yolov3": "yolo", "yolov4-tiny": "yolo", "nanodet_m": "nanodet",
    "yolo-fastest-1.1": "yolo", "yolo-fastestv2": "yolo", "FastestDet": "yolo",
    "vision_transformer": "vit",
}
_DATE = re.compile(r"\[(\d{4}-\d{2}-\d{2})\]")


def available_models(public_dir: Path) -> set[str]:
    return {p.stem for p in (Path(public_dir) / "ncnn" / "models").glob("*.param")}


def import_ncnn(public_dir: str | Path) -> tuple[pd.DataFrame, Counter]:
    """Rows of ``<public>/ncnn/benchmark.csv`` in the unified columns (hardware not yet mapped)."""
    public_dir = Path(public_dir)
    raw = pd.read_csv(public_dir / FILE, dtype={"device": str, "model": str, "precision": str,
                                                  "vulkan_gpu_name": str})
    return frame_from_raw(raw, available_models(public_dir), FILE)


def frame_from_raw(raw: pd.DataFrame, models: set[str], file: str = FILE) -> tuple[pd.DataFrame, Counter]:
    rejected: Counter = Counter()
    df = raw.copy()
    df["_line"] = np.arange(len(df)) + 2  # 1-based line in the CSV, after the header
    for col in ("num_threads", "powersave", "gpu_device", "min_ms", "max_ms", "avg_ms"):
        df[col] = pd.to_numeric(df[col], errors="coerce")

    # Exact repeats of a line (same settings and same three numbers) are one measurement.
    dup = df.duplicated([c for c in raw.columns], keep="first")
    rejected["duplicate line (identical settings and timings)"] += int(dup.sum())
    df = df[~dup]

    bad = ~np.isfinite(df["avg_ms"]) | (df["avg_ms"] <= 0)
    rejected["avg_ms missing, non-finite or <= 0"] += int(bad.sum())
    df = df[~bad]

    gpu = df["gpu_device"].fillna(-1) >= 0
    prec_src = df["precision"].str.strip()
    alias = df["model"].map(lambda m: ALIASES.get(m, (m, None)))
    stem = alias.map(lambda a: a[0])
    forced = alias.map(lambda a: a[1])
    is_int8 = (prec_src == "int8") | (forced == "int8")
    param = np.where(is_int8 & ~stem.str.endswith("_int8"), stem + "_int8", stem)
    df["_param"] = param
    known_prec = prec_src.isin([CPU_PRECISION, VULKAN_PRECISION, "int8"])
    rejected["unknown precision text"] += int((~known_prec).sum())
    missing = known_prec & ~df["_param"].isin(models)
    for m, n in df.loc[missing, "_param"].value_counts().items():
        rejected[f"no .param file for model {m!r} (name not in the benchmark set)"] += int(n)
    # Vulkan precision without a GPU cannot be placed. int8 rows of a GPU table ran on the CPU:
    # ncnn has no Vulkan int8 path, and their times match the CPU int8 rows of the same threads.
    mismatch = known_prec & ~missing & ~gpu & (prec_src == VULKAN_PRECISION)
    rejected["Vulkan precision on a row without a GPU device"] += int(mismatch.sum())
    keep = known_prec & ~missing & ~mismatch
    int8_in_gpu_table = gpu & is_int8
    gpu = gpu & ~is_int8
    df, gpu, is_int8, forced = df[keep], gpu[keep], is_int8[keep], forced[keep]
    int8_in_gpu_table = int8_in_gpu_table[keep]

    gpu_idx = df["gpu_device"].fillna(-1).astype(int)
    base = df["_param"].str.replace(r"_int8$", "", regex=True)
    precision = np.where(gpu, "fp16", np.where(is_int8, "int8", "fp32"))
    note = np.where(gpu, VULKAN_NOTE, np.where(is_int8, "ncnn int8 model (*_int8.param)", CPU_NOTE))
    note = np.where(int8_in_gpu_table, "ncnn int8 model (*_int8.param) from a Vulkan table: no "
                    "Vulkan int8 path, ran on the CPU", note)
    note = np.where(forced == "int8", "old table: model 'squeezenet-int8' listed under an fp32 "
                    "column; timed the int8 model", note)
    out = pd.DataFrame({
        "source": "ncnn",
        "source_ref": file + ":" + df["_line"].astype(str),
        "graph": df["_param"].map(ncnn_graph),
        "family": base.map(lambda m: FAMILY.get(m, m)),
        "hw_id": None,
        "device_string": df["device"].str.strip(),
        "kind": None,
        "precision": precision,
        "batch": 1,
        "threads": np.where(gpu, np.nan, df["num_threads"]),
        "runtime": np.where(gpu, "ncnn-vulkan", "ncnn"),
        "latency_ms": df["avg_ms"].astype(float),
        "latency_stat": "avg",
        "powersave": df["powersave"].astype(float),
        "date": df["device"].str.extract(_DATE, expand=False),
        "version": None,
        "precision_note": note,
        # device-map roles to try, in order: gpu<N> for Vulkan rows, else the CPU
        "_map_role": np.where(gpu, "gpu" + gpu_idx.astype(str),
                              np.where(df["gpu_device"].isna(), "cpu|gpu",
                                       np.where(int8_in_gpu_table, "cpu|gpu" + gpu_idx.astype(str), "cpu"))),
    })
    return out.reset_index(drop=True), rejected


def after_attach(rows: pd.DataFrame) -> tuple[pd.DataFrame, Counter]:
    """Reject Vulkan rows that the device map places on a CPU: boards with no Vulkan GPU
    (``gpu_device`` 0 but no GPU named), where what ran and in which precision is unknown."""
    rejected: Counter = Counter()
    bad = (rows["runtime"] == "ncnn-vulkan") & ~rows["kind"].isin(["gpu", "soc-gpu"])
    rejected["Vulkan row on a board without a Vulkan GPU (device map points to its CPU)"] += int(bad.sum())
    return rows[~bad].reset_index(drop=True), rejected
