"""What limits the model on today's device, and what more compute (or bandwidth) alone would buy.

The shares come from the prediction (roofline terms scaled by the predicted efficiency); the
arithmetic intensity (FLOPs per byte moved) against the device's ridge point (peak / bandwidth)
says the same thing in the terms of the roofline plot.
"""

from __future__ import annotations

import dataclasses
from dataclasses import asdict, dataclass, field

from advisor.api import Prediction
from advisor.advise.whatif import bytes_moved
from advisor.precision import Precision
from advisor.profile import GraphProfile
from advisor.roofline import effective_bandwidth_gbs, effective_peak_tflops, kernel_bounds

SWEEP_FACTORS = (1, 2, 4, 8)


@dataclass
class Bottleneck:
    regime: str                # compute-bound / memory-bound / overhead-bound
    compute_share: float
    memory_share: float
    overhead_share: float
    flops: float
    bytes: float
    intensity: float           # FLOPs per byte at today's precision and batch
    ridge: float               # device peak (today's matrix format) / bandwidth, FLOPs per byte
    peak_tflops: float
    bandwidth_gbs: float
    top_op_types: list = field(default_factory=list)
    kernels: int = 0           # kernels the graph launches per run (after fusion)
    latency_ms: float = float("nan")   # today's predicted latency
    roofline_ms: float = float("nan")  # today's roofline bound (the part FLOPS and bandwidth set)

    @property
    def dominant_share(self) -> float:
        return {"compute-bound": self.compute_share, "memory-bound": self.memory_share,
                "overhead-bound": self.overhead_share}[self.regime]

    @property
    def mean_kernel_us(self) -> float:
        """Predicted time per kernel, on average: what an overhead-bound model pays per launch."""
        return self.latency_ms * 1e3 / self.kernels if self.kernels else float("nan")

    @property
    def roofline_kernel_us(self) -> float:
        """Roofline bound per kernel, on average: what the FLOPs and bytes alone would take."""
        return self.roofline_ms * 1e3 / self.kernels if self.kernels else float("nan")

    @property
    def roofline_only_speedup(self) -> float:
        """Most any change of FLOPS, bandwidth or bytes can give at today's per-kernel overhead.

        Time above the roofline (the overhead share) stays when the roofline part shrinks to
        nothing, so the speedup is at most 1 / overhead share (Amdahl's law).
        """
        return 1.0 / self.overhead_share if self.overhead_share > 0 else float("inf")

    def to_dict(self) -> dict:
        data = asdict(self)
        data.update(mean_kernel_us=self.mean_kernel_us, roofline_kernel_us=self.roofline_kernel_us)
        return data


def analyse_bottleneck(today: Prediction, profile: GraphProfile, hw, precision: Precision,
                       threads: int | None) -> Bottleneck:
    """Shares of today's predicted time and the roofline position of the whole graph."""
    shares = {"compute-bound": today.compute_share, "memory-bound": today.memory_share,
              "overhead-bound": today.overhead_share}
    regime = max(shares, key=shares.get)
    flops = float(profile.flops.sum())
    moved = bytes_moved(profile, precision)
    peak, _ = effective_peak_tflops(hw, precision.matrix_format, threads)
    bandwidth = effective_bandwidth_gbs(hw, threads)
    return Bottleneck(regime, today.compute_share, today.memory_share, today.overhead_share, flops,
                      moved, flops / moved if moved else float("inf"), peak * 1e3 / bandwidth,
                      peak, bandwidth, list(today.top_op_types), profile.n_kernels,
                      today.latency_ms, today.roofline_ms)


def scaled_hardware(hw, compute: float = 1.0, bandwidth: float = 1.0):
    """A copy of ``hw`` with every peak times ``compute`` and bandwidth times ``bandwidth``.

    ``Hardware`` is a frozen dataclass, so the copy is made with ``dataclasses.replace``; the id is
    kept so a device calibration still applies.
    """
    if not dataclasses.is_dataclass(hw) or not hasattr(hw, "peaks"):
        return None
    changes = {"peaks": {k: v * compute for k, v in hw.peaks.items()}}
    if bandwidth != 1.0 and getattr(hw, "mem_bw_gbs", None):
        changes["mem_bw_gbs"] = hw.mem_bw_gbs * bandwidth
    if hasattr(hw, "name"):
        changes["name"] = f"{hw.name} ({compute:g}x compute, {bandwidth:g}x bandwidth)"
    return dataclasses.replace(hw, **changes)


def resource_sweep(profile: GraphProfile, hw, today: Prediction, precision: Precision,
                   threads, factors: tuple[float, ...] = SWEEP_FACTORS) -> list[dict]:
    """Latency with 1x/2x/4x/8x the peak at the same bandwidth, and with 2x/4x bandwidth.

    A what-if about physics, not about another device: the roofline of the scaled device over
    today's roofline, times today's predicted latency (today's efficiency held fixed). Asking the
    regressor instead would mix in what it learned about real devices with such specs, which is
    not monotonic. For a memory-bound model the compute rows flatten (diminishing returns); the
    bandwidth rows show what would help instead.
    """
    variants = [(f, 1.0) for f in factors] + [(1.0, 2.0), (1.0, 4.0)]
    devices = [scaled_hardware(hw, c, b) for c, b in variants]
    if any(d is None for d in devices):
        return []
    base = kernel_bounds(profile, hw, precision, threads, today.runtime).total_s
    out = []
    for (c, b), device in zip(variants, devices):
        bounds = kernel_bounds(profile, device, precision, threads, today.runtime)
        total = bounds.total_s
        latency = today.latency_ms * total / base if base else float("nan")
        compute = float(bounds.bound_s[bounds.compute_bound].sum())
        out.append({"compute_x": c, "bandwidth_x": b, "latency_ms": latency,
                    "speedup": today.latency_ms / latency if latency else float("nan"),
                    "memory_share": (total - compute) / total if total else 0.0,
                    "compute_share": compute / total if total else 0.0})
    return out
