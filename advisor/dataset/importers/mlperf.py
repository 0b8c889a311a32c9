"""MLPerf Inference results (v1.0-v4.1) -> unified rows, for networks the zoo builds.

Networks: ResNet-50 (``resnet50``, v1.x ``resnet``), BERT-large SQuAD at sequence 384
(``bert-99``, ``bert-99.9``), and the open division's TF MobileNet v1/v2/v3 width x resolution
sweeps. Everything else (SSD, RetinaNet, 3D-UNet, RNN-T, DLRM, LLMs, EfficientNet-Lite,
MobileNetV3-minimalistic ...) is rejected with reason "network not in zoo".

Scenarios (the log's ``Scenario``, not the folder name, which Krai reuses for SingleStream logs):

- SingleStream: one sample per query -> ``batch`` 1, ``latency_ms`` = mean latency.
- MultiStream (v2.0 on): 8 samples per query -> ``batch`` 8, ``latency_ms`` = mean query latency
  (assumes the 8 samples run as one batch). v1.x MultiStream measured streams at a bound: rejected.
- Offline: ``latency_ms`` = 1000 / per-device samples/s, where per-device = system samples/s /
  (accelerators per node x nodes), or / (CPU sockets x nodes) for CPU-only systems; ``batch`` 1 and
  ``latency_stat`` ``offline_amortized``: the amortised time per sample of a large-batch,
  pipelined run (the submitter's batch size is not in the data), not a batch-1 latency.
- Server: throughput under a latency bound, no per-inference time: rejected.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

FILE = "mlperf/results_v1.0-v4.1.csv"
OFFLINE_NOTE = ("Offline: latency_ms = 1000 / (samples/s per {unit}); batch unknown (submitter's "
                "large batch, pipelined): amortised per-sample time, not batch-1 latency")
MULTISTREAM_NOTE = "MultiStream: 8 samples per query, assumed one batch of 8; mean query latency"
SINGLESTREAM_NOTE = "SingleStream: mean latency of 1-sample queries (p90 {p90:.4g} ms)"

_MBV1 = re.compile(r"mobilenet-v1-(?:precision_(float|uint8)-)?([\d.]+)-(\d+)(?:-(non-quantized|quantized))?$")
_MBV2 = re.compile(r"mobilenet-v2-(?:precision_(float|uint8)-)?([\d.]+)-(\d+)(?:-(non-quantized|quantized))?$")
_MBV3A = re.compile(r"mobilenet-v3-(large|small)_(\d+)_([\d.]+)_(float|uint8)$")
_MBV3B = re.compile(r"mobilenet-v3-precision_(float|uint8)-(large|small)-(\d+)$")


def _name_precision(tag: str | None) -> str | None:
    if tag in ("uint8", "quantized"):
        return "int8"
    if tag in ("float", "non-quantized"):
        return "fp32"
    return None


def network_of(benchmark: str) -> tuple[str, str, str | None] | None:
    """``(zoo recipe, family, precision stated by the name or None)`` for a benchmark the zoo
    builds, else None."""
    from advisor.zoo.registry import canonical_recipe

    b = benchmark.strip()
    if b in ("resnet50", "resnet"):
        return "resnet50", "resnet", None
    if b in ("bert-99", "bert-99.9"):
        return canonical_recipe("bert_large", {"seq_len": 384}), "bert", None
    for rx, name, fam in ((_MBV1, "mobilenet_v1", "mobilenet_v1"), (_MBV2, "mobilenet_v2", "mobilenet_v2")):
        m = rx.match(b)
        if m:
            tag = m.group(1) or m.group(4)
            return (canonical_recipe(name, {"width": float(m.group(2)), "resolution": int(m.group(3))}),
                    fam, _name_precision(tag))
    m = _MBV3A.match(b)
    if m:
        size, res, width, tag = m.groups()
        return (canonical_recipe(f"mobilenet_v3_{size}", {"width": float(width), "resolution": int(res)}),
                "mobilenet_v3", _name_precision(tag))
    m = _MBV3B.match(b)
    if m:
        tag, size, res = m.groups()
        return (canonical_recipe(f"mobilenet_v3_{size}", {"resolution": int(res)}), "mobilenet_v3",
                _name_precision(tag))
    return None


_GROUPS = (("efficientnet", "EfficientNet-Lite"), ("minimalistic", "MobileNetV3-minimalistic"),
           ("ssd-mobilenet", "SSD-MobileNet"), ("ssd-small", "SSD-MobileNet"),
           ("ssd-resnet34", "SSD-ResNet34"), ("retinanet", "RetinaNet"), ("3d-unet", "3D-UNet"),
           ("rnnt", "RNN-T"), ("dlrm", "DLRM"), ("gptj", "GPT-J"), ("llama", "Llama-2-70B / Llama"),
           ("mixtral", "Mixtral-8x7B"), ("stable-diffusion", "Stable Diffusion XL"),
           ("bert", "BERT variants (pruned, distilled, MobileBERT, other seq/heads)"),
           ("ssd", "other detectors (SSD/R-CNN/YOLO, open division)"),
           ("rcnn", "other detectors (SSD/R-CNN/YOLO, open division)"),
           ("yolo", "other detectors (SSD/R-CNN/YOLO, open division)"),
           ("resnet50_", "ResNet-50 NAS variants (BootstrapNAS)"),
           ("mobilenetv2", "MobileNetV2 of unstated width/resolution"))


def not_in_zoo_group(benchmark: str) -> str:
    """A readable group name for a benchmark the zoo does not build (for rejection counts)."""
    b = benchmark.lower()
    for key, name in _GROUPS:
        if key in b:
            return name
    return benchmark


def precision_of(weight_types: str) -> tuple[str | None, str]:
    """Normalise ``weight_data_types`` text -> (precision, note)."""
    t = str(weight_types).strip().lower()
    if t in ("", "nan"):
        return None, ""
    if t.startswith("no change"):
        return "fp32", "weights 'No change.' from the fp32 reference"
    has = lambda *w: any(x in t for x in w)  # noqa: E731
    if has("int4"):
        return "int4-weight", f"weights {weight_types!r}"
    if has("fp8", "float8"):
        return "fp8", ""
    if has("int8", "uint8", "8-bit", "in8"):
        mixed = has("fp16", "bf16", "bfloat16", "fp32", "float")
        return "int8", (f"mixed weights {weight_types!r}" if mixed else "")
    if has("bf16", "bfloat16"):
        return "bf16", ""
    if has("fp16", "float16"):
        return "fp16", ""
    if has("fp32", "float32"):
        return "fp32", ""
    return None, ""


def runtime_of(framework: str) -> str:
    """Runtime name from MLPerf's ``sys_framework`` text."""
    f = str(framework).lower()
    if f in ("", "nan"):
        return "unknown"
    if "armnn" in f:
        return "armnn-opencl" if "opencl" in f else "armnn-neon"
    for key, rt in (("tensorrt", "tensorrt"), ("openvino", "openvino"), ("onnxruntime", "onnxruntime"),
                    ("onnx run-time", "onnxruntime"), ("deepsparse", "deepsparse"),
                    ("cloud ai", "qaic"), ("tvm", "tvm"), ("pytorch", "pytorch"),
                    ("migraphx", "migraphx"), ("snpe", "snpe"), ("qnn", "qnn"), ("triton", "triton"),
                    ("tensorflow-lite", "tflite"), ("tensorflow lite", "tflite"), ("tflite", "tflite"),
                    ("tensorflow", "tensorflow"), ("mxnet", "mxnet"), ("cuda", "cuda")):
        if key in f:
            return rt
    return "other"


def _cpu_only(runtime: pd.Series, framework: pd.Series) -> pd.Series:
    f = framework.fillna("").str.lower()
    return (runtime.isin(["armnn-neon", "openvino", "onnxruntime", "deepsparse"])
            | ((runtime == "tflite") & f.str.contains("ruy|xnnpack|neon"))
            | ((runtime == "tensorflow") & ~f.str.contains("gpu")))


def import_mlperf(public_dir: str | Path) -> tuple[pd.DataFrame, Counter]:
    raw = pd.read_csv(Path(public_dir) / FILE, dtype={"sys_accelerators_per_node": str}, low_memory=False)
    return frame_from_raw(raw, FILE)


def frame_from_raw(raw: pd.DataFrame, file: str = FILE) -> tuple[pd.DataFrame, Counter]:
    rejected: Counter = Counter()
    df = raw.copy()
    df["_line"] = np.arange(len(df)) + 2
    # The same log listed under two scenario folders (Krai): keep one.
    same = [c for c in raw.columns if c not in ("path", "scenario")]
    dup = df.duplicated(same, keep="first")
    rejected["same result listed twice (one log under two scenario folders)"] += int(dup.sum())
    df = df[~dup]

    nets = {b: network_of(b) for b in df["benchmark"].astype(str).unique()}
    net = df["benchmark"].astype(str).map(nets)
    notzoo = net.isna()
    for grp, n in df.loc[notzoo, "benchmark"].astype(str).map(not_in_zoo_group).value_counts().items():
        rejected[f"network not in zoo: {grp}"] += int(n)
    df, net = df[~notzoo], net[~notzoo]

    # Open-division submissions may modify the closed benchmarks' models (pruned, sparse, NAS,
    # retrained): their "resnet50" / "bert-99" need not be the zoo graph. The open MobileNet
    # sweeps name their exact model and are kept.
    fam = net.map(lambda t: t[1])
    open_mod = (df["division"].astype(str).str.lower() == "open") & fam.isin(["resnet", "bert"])
    rejected["open-division ResNet-50/BERT: model may be modified (pruned, sparse, NAS, retrained)"] += \
        int(open_mod.sum())
    df, net = df[~open_mod], net[~open_mod]

    scen = df["Scenario"].fillna(df["scenario"]).astype(str).str.lower()
    vmajor = df["version"].astype(str).str.extract(r"v(\d+)", expand=False).astype(float)
    server = scen == "server"
    rejected["Server scenario: throughput under a latency bound, no per-inference time"] += int(server.sum())
    ms_old = (scen == "multistream") & (vmajor < 2)
    rejected["MultiStream before v2.0: streams at a latency bound, no per-inference time"] += int(ms_old.sum())
    other = ~scen.isin(["singlestream", "multistream", "offline", "server"])
    rejected["unknown scenario"] += int(other.sum())
    keep = ~server & ~ms_old & ~other
    df, net, scen = df[keep], net[keep], scen[keep]

    runtime = df["sys_framework"].map(runtime_of)
    acc_n = pd.to_numeric(df["sys_accelerators_per_node"], errors="coerce")
    hetero = acc_n.isna() & df["sys_accelerators_per_node"].notna()
    rejected["heterogeneous nodes (accelerators per node like '(8,4)')"] += int(hetero.sum())
    acc_name = df["sys_accelerator_model_name"].fillna("").str.strip()
    on_cpu = (acc_n.fillna(0) <= 0) | acc_name.isin(["", "-", "N/A", "n/a", "None"]) \
        | _cpu_only(runtime, df["sys_framework"])
    nodes = pd.to_numeric(df["sys_number_of_nodes"], errors="coerce").fillna(1).clip(lower=1)
    sockets = pd.to_numeric(df["sys_host_processors_per_node"], errors="coerce").fillna(1).clip(lower=1)
    units = np.where(on_cpu, sockets * nodes, acc_n * nodes)

    prec_wt = df["weight_data_types"].map(precision_of)
    prec_name = net.map(lambda t: t[2])
    precision = prec_name.where(prec_name.notna(), prec_wt.map(lambda t: t[0]))
    prec_note = np.where(prec_name.notna(), "", prec_wt.map(lambda t: t[1]))
    noprec = precision.isna()
    rejected["weight data type not recognised"] += int(noprec.sum())

    sps = pd.to_numeric(df["Samples per second"], errors="coerce")
    mean_ns = pd.to_numeric(df["Mean latency (ns)"], errors="coerce")
    p90_ns = pd.to_numeric(df["90.00 percentile latency (ns)"], errors="coerce")
    offline = scen == "offline"
    per_unit = sps / units
    lat = np.where(offline, 1000.0 / per_unit, mean_ns / 1e6)
    lat = pd.Series(lat, index=df.index, dtype=float)
    badlat = ~np.isfinite(lat) | (lat <= 0)
    rejected["no usable throughput/latency value"] += int((badlat & ~hetero & ~noprec).sum())
    mig = ~on_cpu & acc_name.str.contains(r"\bMIG\b|\dg\.\d+gb", regex=True)
    rejected["MIG slice of a GPU (a fraction of the hardware row)"] += int((mig & ~hetero & ~noprec).sum())
    keep = ~hetero & ~noprec & ~badlat & ~mig
    unit_word = np.where(on_cpu, "CPU socket", "accelerator")
    note = np.where(offline, [OFFLINE_NOTE.format(unit=u) for u in unit_word],
                    np.where(scen == "multistream", MULTISTREAM_NOTE,
                             [SINGLESTREAM_NOTE.format(p90=v / 1e6) for v in p90_ns.fillna(np.nan)]))
    note = pd.Series(note, index=df.index)
    note = np.where(pd.Series(prec_note, index=df.index) != "", note + "; " + pd.Series(prec_note, index=df.index), note)
    note = pd.Series(note, index=df.index)
    bert = net.map(lambda t: t[1]) == "bert"
    note = note.where(~bert, note + "; MLPerf BERT has a SQuAD span head (zoo graph: pooler)")

    host = df["sys_host_processor_model_name"].fillna("").str.strip()
    out = pd.DataFrame({
        "source": "mlperf",
        "source_ref": file + ":" + df["_line"].astype(str) + " (" + df["path"].astype(str) + ")",
        "graph": net.map(lambda t: t[0]),
        "family": net.map(lambda t: t[1]),
        "hw_id": None,
        "device_string": np.where(on_cpu, host, acc_name),
        "kind": None,
        "precision": precision,
        "batch": np.where(scen == "multistream", 8, 1),
        "threads": np.nan,
        "runtime": runtime,
        "latency_ms": lat,
        "latency_stat": np.where(offline, "offline_amortized", "mean"),
        "powersave": np.nan,
        "date": None,
        "version": "mlperf " + df["version"].astype(str) + "; " + df["sys_framework"].fillna("").astype(str),
        "precision_note": note,
        "_map_role": np.where(on_cpu, "host_cpu", "accelerator"),
    })[keep.to_numpy()]
    return out.reset_index(drop=True), rejected
