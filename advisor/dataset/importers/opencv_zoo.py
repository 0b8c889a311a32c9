"""OpenCV Zoo benchmark -> unified rows, where the zoo can rebuild the network.

The ONNX files are not available, so only standard architectures are kept: the MobileNet v1 /
v2 classifiers (``image_classification_mobilenetv{1,2}_2022apr``) and PP-ResNet-50
(PaddleClas ResNet-50, mapped to the zoo's ResNet-50; same layers and FLOPs, layout assumed).
Every other model (YuNet, SFace, CRNN, detectors, trackers...) is rejected; those rows can still
serve for precision ratios (int8 vs fp32 of the same file on the same board).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.zoo.registry import canonical_recipe

FILE = "opencv_zoo/benchmark.csv"
_RUNTIME = {"cv.dnn.DNN_BACKEND_OPENCV": "opencv-dnn", "cv.dnn.DNN_BACKEND_CUDA": "opencv-dnn-cuda",
            "cv.dnn.DNN_BACKEND_TIMVX": "opencv-dnn-timvx", "cv.dnn.DNN_BACKEND_CANN": "opencv-dnn-cann"}
_ROLE = {"cv.dnn.DNN_TARGET_CPU": "cpu", "cv.dnn.DNN_TARGET_CUDA": "gpu",
         "cv.dnn.DNN_TARGET_CUDA_FP16": "gpu", "cv.dnn.DNN_TARGET_NPU": "npu"}


def _network(model: str, files: str, res: int) -> tuple[str, str, str] | None:
    f = files.lower()
    if model == "MobileNet" and "mobilenetv1" in f:
        return canonical_recipe("mobilenet_v1", {"resolution": res}), "mobilenet_v1", ""
    if model == "MobileNet" and "mobilenetv2" in f:
        return canonical_recipe("mobilenet_v2", {"resolution": res}), "mobilenet_v2", ""
    if model == "PPResNet" and "ppresnet50" in f:
        return (canonical_recipe("resnet50", {"resolution": res}), "resnet",
                "PaddleClas ResNet-50 (ppresnet50) built as the zoo's torchvision ResNet-50")
    return None


def import_opencv_zoo(public_dir: str | Path) -> tuple[pd.DataFrame, Counter]:
    raw = pd.read_csv(Path(public_dir) / FILE, dtype={"files": str, "model": str, "device": str})
    return frame_from_raw(raw, FILE)


def frame_from_raw(raw: pd.DataFrame, file: str = FILE) -> tuple[pd.DataFrame, Counter]:
    rejected: Counter = Counter()
    df = raw.copy()
    df["_line"] = np.arange(len(df)) + 2
    res = pd.to_numeric(df["in_w"], errors="coerce")
    square = res.notna() & (res == pd.to_numeric(df["in_h"], errors="coerce"))
    net = pd.Series([_network(str(m), str(f), int(r)) if sq else None
                     for m, f, r, sq in zip(df["model"], df["files"], res.fillna(0), square)], index=df.index)
    for m, n in df.loc[net.isna(), "model"].value_counts().items():
        rejected[f"no zoo graph for OpenCV Zoo model {m!r} (ONNX not available): precision ratios only"] += int(n)
    df, net = df[net.notna()], net[net.notna()]
    lat = pd.to_numeric(df["mean_ms"], errors="coerce")
    bad = ~np.isfinite(lat) | (lat <= 0)
    rejected["mean_ms missing, non-finite or <= 0"] += int(bad.sum())
    role = df["target"].map(_ROLE)
    unknown = role.isna() | df["backend"].map(_RUNTIME).isna()
    rejected["unknown OpenCV backend/target"] += int((unknown & ~bad).sum())
    keep = ~bad & ~unknown
    df, net, lat, role = df[keep], net[keep], lat[keep], role[keep]
    fp16_target = df["target"] == "cv.dnn.DNN_TARGET_CUDA_FP16"
    precision = np.where(fp16_target, "fp16", df["precision"].str.strip().str.lower())
    note = np.where(fp16_target, "fp32 file run with DNN_TARGET_CUDA_FP16", "")
    extra = net.map(lambda t: t[2])
    note = np.where(extra != "", np.where(note != "", note + "; " + extra, extra), note)
    note = pd.Series(note, index=df.index).replace("", None)
    out = pd.DataFrame({
        "source": "opencv_zoo",
        "source_ref": file + ":" + df["_line"].astype(str),
        "graph": net.map(lambda t: t[0]),
        "family": net.map(lambda t: t[1]),
        "hw_id": None,
        "device_string": df["device"].str.strip(),
        "kind": None,
        "precision": precision,
        "batch": 1,
        "threads": np.nan,
        "runtime": df["backend"].map(_RUNTIME),
        "latency_ms": lat.astype(float),
        "latency_stat": "mean",
        "powersave": np.nan,
        "date": None,
        "version": None,
        "precision_note": note,
        "_map_role": role,
    })
    return out.reset_index(drop=True), rejected
