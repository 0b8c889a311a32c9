"""Roofline bounds: the fastest each kernel could run on a device, by arithmetic and by bytes.

    compute_s = FLOPs / peak(format)          memory_s = bytes / bandwidth
    bound_s   = max(compute_s, memory_s)

The peak is the device's dense rate for the kernel's compute format (falling back to a wider
format where the device lacks one); a CPU running fewer threads than it has cores gets that share
of its peak and (up to saturation) of its bandwidth. Bytes are rescaled from the graph's own
float format to the precision's activation and weight sizes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import numpy as np

from advisor.errors import InputError
from advisor.precision import FALLBACK, MATRIX_CATEGORIES, Precision
from advisor.profile import CATEGORIES, GraphProfile
from advisor.runtimes import ort_cpu_static_int8

#: Efficiency can exceed 1 where runtimes do fewer multiplies than the direct count (Winograd
#: 3x3 convolutions: 2.25-4x fewer) or run a narrower format than requested; predictions are
#: capped at 4x the roofline rate so they stay physically plausible.
MAX_LOG_EFFICIENCY = float(np.log(4.0))

#: formats an accelerator without the requested one may run natively, most precise first
NATIVE_ORDER = ("fp16", "bf16", "fp8", "int8", "int4")
MATRIX_CODES = [CATEGORIES.index(c) for c in MATRIX_CATEGORIES]
#: share of a CPU's memory bandwidth one core can draw (one core rarely saturates DRAM)
SINGLE_CORE_BANDWIDTH_SHARE = 0.35


class HardwareLike(Protocol):
    id: str
    kind: str
    mem_bw_gbs: float | None
    compute_units: int | None

    def peak_tflops(self, precision: str) -> float | None: ...


@dataclass
class KernelBounds:
    """Per-kernel roofline times in seconds (arrays aligned with the kernel list)."""

    compute_s: np.ndarray
    memory_s: np.ndarray
    formats: list[str]
    bytes: np.ndarray   # bytes each kernel moves, as the memory term counts them

    @property
    def bound_s(self) -> np.ndarray:
        return np.maximum(self.compute_s, self.memory_s)

    @property
    def total_s(self) -> float:
        return float(self.bound_s.sum())

    @property
    def compute_bound(self) -> np.ndarray:
        return self.compute_s >= self.memory_s


def effective_peak_tflops(hw: HardwareLike, fmt: str, threads: int | None = None) -> tuple[float, str]:
    """(peak TFLOPS, format actually used) after fallback and CPU thread share.

    A device lacking a format runs the next one in ``FALLBACK`` (fp16 -> fp32 on a CPU without
    fp16 units); an accelerator without float units (many NPUs) runs its native format, the
    first of ``NATIVE_ORDER`` it has, as their toolchains convert the model.
    """
    used = fmt
    peak = hw.peak_tflops(fmt)
    while peak is None and used in FALLBACK:
        used = FALLBACK[used]
        peak = hw.peak_tflops(used)
    if peak is None:
        for native in NATIVE_ORDER:
            peak = hw.peak_tflops(native)
            if peak:
                used = native
                break
    if peak is None or peak <= 0:
        raise InputError(f"hardware '{hw.id}' has no peak rate for {fmt} or a fallback format")
    return peak * compute_share(hw, threads), used


def thread_share(hw: HardwareLike, threads: int | None) -> float:
    """Share of a CPU's cores a run uses; 1 for GPUs and when threads is not given."""
    if threads is None or not hw.kind.endswith("cpu") or not hw.compute_units:
        return 1.0
    return min(threads, hw.compute_units) / hw.compute_units


def _core_gflops(hw: HardwareLike, threads: int | None) -> tuple[tuple[float, ...], tuple[float, ...]]:
    """fp32 GFLOPS of every core and of the cores a run's threads occupy, fastest first (busy
    threads go to the big cores first); both empty where the cores are alike or the device is no
    CPU (a ``HardwareLike`` without clusters, such as the probed local host, counts as alike)."""
    if not hw.kind.endswith("cpu"):
        return (), ()
    cores = getattr(hw, "core_gflops", lambda: ())()
    return cores, (cores[:min(threads, len(cores))] if threads else cores)


def compute_share(hw: HardwareLike, threads: int | None) -> float:
    """Share of a CPU's compute peak a run's threads reach.

    On a CPU whose cores differ (big.LITTLE phones, P and E cores) the threads occupy the fastest
    cores: one thread on a Snapdragon 855+ gets its 2.96 GHz prime core, 21% of the chip's peak,
    not an eighth of it, which had put ncnn's single-thread runs above their roofline."""
    cores, used = _core_gflops(hw, threads)
    if not cores:
        return thread_share(hw, threads)
    return sum(used) / sum(cores)


def core_balance(hw: HardwareLike, threads: int | None) -> float:
    """How evenly a run's cores keep pace: threads x the slowest core in use over the sum of the
    cores in use. 1 where the cores are alike; below 1 where work split evenly (ncnn's OpenMP
    loops) waits for slower cores: all 12 threads of a CIX P1 include four 1.8 GHz A520s (0.46),
    while 12 threads of a Jetson Orin are 12 equal A78AEs (1)."""
    _, used = _core_gflops(hw, threads)
    if not used:
        return 1.0
    return len(used) * min(used) / sum(used)


def effective_bandwidth_gbs(hw: HardwareLike, threads: int | None = None) -> float:
    if not hw.mem_bw_gbs or hw.mem_bw_gbs <= 0:
        hint = "; run `advisor hw probe` once to measure this host's" if hw.id == "local" else ""
        raise InputError(f"hardware '{hw.id}' has no memory bandwidth{hint}")
    share = thread_share(hw, threads)
    if share >= 1.0:
        return hw.mem_bw_gbs
    # Bandwidth saturates with a few cores: one core gets a fixed share, more cores scale up to all.
    return hw.mem_bw_gbs * min(1.0, SINGLE_CORE_BANDWIDTH_SHARE + share * (1 - SINGLE_CORE_BANDWIDTH_SHARE))


#: bytes moved per weight element by a matrix op that static int8 leaves unfused: the int8 weight
#: read and dequantized, the fp32 copy written and read again by the float op, every run
UNFUSED_WEIGHT_BYTES = 1 + 4 + 4


def kernel_bounds(profile: GraphProfile, hw: HardwareLike, precision: Precision,
                  threads: int | None = None, runtime: str | None = None) -> KernelBounds:
    """Roofline time of every kernel of ``profile`` for ``precision`` on ``hw`` (vectorised).

    Static int8 under onnxruntime on a CPU: the matrix ops its QDQ optimisation leaves unfused
    (``GraphProfile.int8_unfused``) are costed as what runs, a float op at the fp32 peak on
    fp32 activations, with their weights dequantized every run (``UNFUSED_WEIGHT_BYTES``).
    """
    bandwidth = effective_bandwidth_gbs(hw, threads) * 1e9
    matrix = np.isin(profile.category, MATRIX_CODES)
    matrix_peak, matrix_fmt = effective_peak_tflops(hw, precision.matrix_format, threads)
    other_peak, other_fmt = effective_peak_tflops(hw, precision.other_format, threads)
    peak = np.where(matrix, matrix_peak, other_peak) * 1e12
    compute = profile.flops / peak
    moved = (profile.act_bytes * precision.activation_bytes
             + profile.weight_bytes * precision.weight_bytes) / profile.itemsize
    formats = [matrix_fmt if m else other_fmt for m in matrix]
    unfused = profile.int8_unfused
    if unfused is not None and unfused.any() and ort_cpu_static_int8(runtime, hw, precision.name):
        fp32_peak, fp32_fmt = effective_peak_tflops(hw, "fp32", threads)
        compute = np.where(unfused, profile.flops / (fp32_peak * 1e12), compute)
        moved = np.where(unfused, (profile.act_bytes * 4 + profile.weight_bytes * UNFUSED_WEIGHT_BYTES)
                         / profile.itemsize, moved)
        formats = [fp32_fmt if u else f for u, f in zip(unfused, formats)]
    return KernelBounds(compute, moved / bandwidth, formats, moved)
