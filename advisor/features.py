"""Features for the efficiency regressor: (graph profile, hardware, settings) -> one numeric row.

Every feature is something a spec sheet and the graph give, so a device that no measurement has
seen still gets a sensible row. Spec fields that name a device more than they describe its speed
(release year, TDP) are left out: with a few devices holding most rows, trees used them to
recognise devices, which cost unseen devices dearly (split (c) 41.0% -> 29.8% MAPE without them,
``reports/ablations/with_release_year_and_tdp.md``). For the same reason schema 6 dropped the
absolute spec numbers (log peak, bandwidth, compute units, last-level cache): with six GPUs in
HELP, any of them told devices apart (an unseen RTX 2080 Ti was predicted like the Pascal
cards). The roofline terms (times, ridge point, intensity over ridge, weights
over cache) carry the spec into the features relative to the graph, which is what efficiency
depends on (``reports/ablations/absolute_hw_features.txt``). Thread features are CPU-only (NaN
on accelerators, schema 4). Schema 7 adds, for static int8, the share of kernels left in fp32
(``reports/int8_static.md``); in schema 8 fp32 on TF32 tensor cores (``advisor.runtimes``) has
the TF32 roofline and is flagged as fp32. Schema 9 adds, for static int8, the share of matrix
FLOPs and weight bytes onnxruntime leaves unfused in fp32 (``advisor.profile.int8_unfused``),
ops the roofline costs as fp32 under onnxruntime on CPUs (``advisor.roofline.kernel_bounds``).
The roofline terms computed here are also what the prediction is built from: predicted time =
roofline time / efficiency.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from advisor.precision import PRECISIONS, Precision
from advisor.profile import CATEGORIES, GraphProfile
from advisor.roofline import (HardwareLike, KernelBounds, core_balance, effective_peak_tflops,
                              kernel_bounds)

FEATURE_SCHEMA_VERSION = 10
KINDS = ("cpu", "gpu", "npu", "soc-cpu", "soc-gpu")
RUNTIMES = ("onnxruntime", "ncnn", "ncnn-vulkan", "pytorch", "tflite", "tensorrt", "openvino",
            "opencv-dnn", "other")
_CATEGORY_GROUPS = {"matrix": ("conv", "matmul", "attention"),
                    "pointwise": ("elementwise", "activation", "quant"),
                    "norm": ("norm",), "pool": ("pool", "reduce", "resize"),
                    "data": ("data",), "other": ("rnn", "unknown", "other")}
_GROUP_CODES = {g: [CATEGORIES.index(c) for c in cats] for g, cats in _CATEGORY_GROUPS.items()}
#: tf32 (fp32 tensors on TF32 tensor cores) is flagged as fp32: its peak enters through the
#: roofline terms, and its only training rows, six MLPerf TensorRT "fp32" rows, ran faster than
#: TF32 allows (an RTX 4090 at 2.9x its TF32 roofline: lower precision, labelled fp32). With a
#: flag of its own the trees learned those six rows and put an A100's fp32 ResNet-50 at batch 32
#: above its TF32 roofline, faster than its fp16 (an intermediate retrain, not committed).
ONE_HOT_PRECISIONS = tuple(p for p in PRECISIONS if p != "tf32")
_ISA_FLAGS = ("avx512", "vnni", "amx", "neon", "dotprod", "i8mm", "sve")
#: graph statistics that describe static int8 only (0 for other precisions)
_STATIC_INT8_STATS = ("int8_island_kernel_share", "int8_island_bytes_share",
                      "int8_unfused_flops_share", "int8_unfused_weight_share")
# Filled from a fitted kernel-sum model (advisor.kernel_sum), not from the row's inputs alone:
# feature_row leaves it NaN and the training / prediction code sets it.
KERNEL_SUM_FEATURE = "log_kernel_sum_over_roofline"
# Filled from the per-kernel time model of a profiled host (advisor.kernel_model), likewise.
KERNEL_TIME_FEATURE = "log_kernel_time_over_roofline"


@dataclass
class Settings:
    precision: Precision
    batch: int
    threads: int | None = None
    runtime: str = "onnxruntime"


def feature_names() -> list[str]:
    names = ["log_roofline_s", "log_compute_s", "log_memory_s", "compute_bound_time_share",
             "log_kernels", "log_kernel_mean_s", "small_kernel_share", "log_flops", "log_bytes",
             "log_intensity", "log_ridge", "intensity_over_ridge", "log_params"]
    names += [f"time_share_{g}" for g in _CATEGORY_GROUPS]
    names += [f"flops_share_{g}" for g in _CATEGORY_GROUPS]
    names += ["depthwise_flops_share", "log_gemm_m", "log_gemm_n", "log_gemm_k", "log_conv_cin",
              "log_conv_cout", "conv_kernel", "log_conv_spatial"]
    names += ["thread_share", "log_threads", "core_balance", "log_batch",
              "matrix_speedup_over_fp32", "fell_back"]
    names += [f"kind_{k}" for k in KINDS]
    names += [f"precision_{p}" for p in ONE_HOT_PRECISIONS]
    names += [f"runtime_{r}" for r in RUNTIMES]
    names += [f"isa_{f}" for f in _ISA_FLAGS]
    names += list(_STATIC_INT8_STATS)
    names += ["log_weights_over_llc", KERNEL_SUM_FEATURE, KERNEL_TIME_FEATURE]
    return names


def _log(x: float) -> float:
    return float(np.log(max(float(x), 1e-30)))


def roofline(profile: GraphProfile, hw: HardwareLike, settings: Settings) -> KernelBounds:
    return kernel_bounds(profile.scaled(settings.batch), hw, settings.precision, settings.threads,
                         settings.runtime)


def feature_row(profile: GraphProfile, hw: HardwareLike, settings: Settings,
                bounds: KernelBounds | None = None) -> np.ndarray:
    """One feature vector, in the order of :func:`feature_names`."""
    scaled = profile.scaled(settings.batch)
    bounds = bounds if bounds is not None else kernel_bounds(scaled, hw, settings.precision,
                                                             settings.threads, settings.runtime)
    bound = bounds.bound_s
    total = float(bound.sum()) or 1e-30
    flops = float(scaled.flops.sum())
    bytes_ = float((scaled.act_bytes + scaled.weight_bytes).sum())
    peak_matrix, used_matrix = effective_peak_tflops(hw, settings.precision.matrix_format, settings.threads)
    peak_fp32, _ = effective_peak_tflops(hw, "fp32", settings.threads)
    bw = float(getattr(hw, "mem_bw_gbs", 0) or 0)
    ridge = peak_matrix * 1e12 / max(bw * 1e9, 1.0)
    intensity = flops / max(bytes_, 1.0)
    row = [_log(total), _log(bounds.compute_s.sum()), _log(bounds.memory_s.sum()),
           float(bound[bounds.compute_bound].sum() / total), _log(max(scaled.n_kernels, 1)),
           _log(total / max(scaled.n_kernels, 1)), float((bound < 5e-6).mean()) if bound.size else 0.0,
           _log(flops), _log(bytes_), _log(intensity), _log(ridge), float(intensity / ridge),
           _log(profile.params)]
    for codes in _GROUP_CODES.values():
        mask = np.isin(scaled.category, codes)
        row.append(float(bound[mask].sum() / total))
    for codes in _GROUP_CODES.values():
        mask = np.isin(scaled.category, codes)
        row.append(float(scaled.flops[mask].sum() / max(flops, 1.0)))
    stats = profile.shape_stats
    row += [stats.get(k, 0.0) for k in ("depthwise_flops_share", "log_gemm_m", "log_gemm_n",
                                        "log_gemm_k", "log_conv_cin", "log_conv_cout",
                                        "conv_kernel", "log_conv_spatial")]
    units = getattr(hw, "compute_units", None) or 1
    if str(getattr(hw, "kind", "")).endswith("cpu"):
        threads = settings.threads or units
        share, log_threads = min(threads, units) / units, _log(threads)
        balance = core_balance(hw, settings.threads)
    else:
        # threads mean nothing on an accelerator: a GPU's SM count in this slot put an A100
        # (108 SMs) among 100-thread CPU runs and predicted it slower than a T4 (40 SMs)
        share, log_threads, balance = np.nan, np.nan, np.nan
    row += [share, log_threads, balance, _log(settings.batch), peak_matrix / peak_fp32,
            float(used_matrix != settings.precision.matrix_format)]
    kind = getattr(hw, "kind", "")
    row += [float(kind == k) for k in KINDS]
    precision = "fp32" if settings.precision.name == "tf32" else settings.precision.name
    row += [float(precision == p) for p in ONE_HOT_PRECISIONS]
    runtime = settings.runtime if settings.runtime in RUNTIMES else "other"
    row += [float(runtime == r) for r in RUNTIMES]
    isa = str(getattr(hw, "isa", "") or "").lower()
    row += [float(f in isa) for f in _ISA_FLAGS]
    # static int8 only: kernels (and activation bytes) left in fp32 between a dequantize and a
    # quantize (advisor.profile.int8_islands; schema 7), matrix ops left unfused with their
    # weights dequantized on every run (advisor.profile.int8_unfused; schema 9)
    static_int8 = settings.precision.name == "int8"
    row += [stats.get(k, 0.0) if static_int8 else 0.0 for k in _STATIC_INT8_STATS]
    # do the weights fit in the last-level cache? (a cache-resident model beats the DRAM roofline)
    llc = getattr(hw, "llc_mb", None)
    weights = float((scaled.weight_bytes * settings.precision.weight_bytes
                     / np.maximum(scaled.itemsize, 1.0)).sum())
    row += [_log(weights / (llc * 2 ** 20)) if llc else np.nan, np.nan, np.nan]
    return np.asarray(row, dtype=float)


def kernel_sum_column() -> int:
    """Index of the kernel-sum feature in :func:`feature_names`."""
    return feature_names().index(KERNEL_SUM_FEATURE)


def kernel_time_column() -> int:
    """Index of the per-kernel-model feature in :func:`feature_names`."""
    return feature_names().index(KERNEL_TIME_FEATURE)
