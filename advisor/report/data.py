"""The numbers behind the report's charts, computed from the prediction API (no drawing here).

Every chart shows the same model the same way the predictor sees it: the graph is fused into
kernels, each kernel gets its roofline bound on the device, and the predicted time of a kernel is
its bound divided by the configuration's predicted efficiency (one efficiency per configuration,
as in :func:`advisor.api.predict`).
"""

from __future__ import annotations

import dataclasses
import os
from dataclasses import dataclass, field

import numpy as np

from advisor.api import predict, predict_many
from advisor.graph import analyze
from advisor.kernels import fuse
from advisor.precision import get_precision
from advisor.profile import profile_graph
from advisor.roofline import effective_bandwidth_gbs, kernel_bounds

#: compute multipliers of the "more compute" curve
COMPUTE_SCALES = (1, 2, 4, 8)


@dataclass
class KernelPoints:
    """One device and precision: every fused kernel as (intensity, achieved rate, predicted time)."""

    hw_id: str
    hw_name: str
    precision: str
    batch: int
    peaks_tflops: dict[str, float]      # the device's roofs, per format
    bandwidth_gbs: float
    op_type: list[str]                  # anchor op of each kernel
    category: list[str]
    flops: np.ndarray
    bytes: np.ndarray
    time_ms: np.ndarray                 # predicted time per kernel
    compute_bound: np.ndarray
    latency_ms: float
    efficiency: float
    basis: str
    roof_format: str = ""               # the format the heaviest kernels run in (after fallback)

    @property
    def intensity(self) -> np.ndarray:
        """FLOPs per byte moved (at the precision's byte sizes)."""
        return np.divide(self.flops, self.bytes, out=np.zeros_like(self.flops), where=self.bytes > 0)

    @property
    def achieved_tflops(self) -> np.ndarray:
        return np.divide(self.flops, self.time_ms * 1e9, out=np.zeros_like(self.flops),
                         where=self.time_ms > 0)

    def by_op_type(self) -> dict[str, float]:
        """Predicted ms per anchor op type, heaviest first."""
        totals: dict[str, float] = {}
        for op, t in zip(self.op_type, self.time_ms):
            totals[op] = totals.get(op, 0.0) + float(t)
        return dict(sorted(totals.items(), key=lambda kv: -kv[1]))


@dataclass
class Option:
    """One bar of the options chart."""

    label: str
    hw_id: str
    precision: str
    latency_ms: float
    low_ms: float
    high_ms: float
    cost: float | None = None       # in ``cost_unit``; None where unknown
    cost_unit: str = "device price, USD"
    note: str = ""


@dataclass
class ComputeCurve:
    """Latency of one device at 1x, 2x, 4x, 8x its peak rates with the same memory bandwidth."""

    hw_id: str
    precision: str
    scales: list[float]
    latency_ms: list[float]

    @property
    def speedup(self) -> list[float]:
        return [self.latency_ms[0] / t if t > 0 else float("nan") for t in self.latency_ms]


@dataclass
class ReportData:
    """Everything the charts and the HTML page draw."""

    model: str
    batch: int
    precisions: list[str]
    predictions: list = field(default_factory=list)      # advisor.api.Prediction objects
    kernels: list[KernelPoints] = field(default_factory=list)
    options: list[Option] = field(default_factory=list)
    options_source: str = "predict_many"
    curves: list[ComputeCurve] = field(default_factory=list)
    advice: object = None                                # advisor.advise.Advice, when installed
    notes: list[str] = field(default_factory=list)


def _hardware(hw):
    if isinstance(hw, str):
        from advisor.hardware import get_hardware
        return get_hardware(hw)
    return hw


def kernel_points(model, hw, precision: str = "fp32", batch: int = 1, seq_len: int | None = None,
                  dims: dict[str, int] | None = None, models: str | None = None,
                  graph=None, prediction=None) -> KernelPoints:
    """Per-kernel roofline coordinates of ``model`` on ``hw`` at ``precision`` and ``batch``."""
    hw = _hardware(hw)
    prec = get_precision(precision)
    graph = graph if graph is not None else analyze(model, batch=1, seq_len=seq_len, dims=dims)
    kernels = fuse(graph)
    profile = profile_graph(graph, batch=1).scaled(batch)
    if prediction is None:
        prediction = predict(model, hw, batch=batch, seq_len=seq_len, precision=prec.name, dims=dims,
                             models=models)
    # the roofline the prediction was built on (its runtime decides static int8's unfused ops)
    bounds = kernel_bounds(profile, hw, prec, None, prediction.runtime)
    efficiency = prediction.efficiency if prediction.efficiency > 0 else 1.0
    return KernelPoints(
        hw_id=hw.id, hw_name=getattr(hw, "name", hw.id), precision=prec.name, batch=batch,
        peaks_tflops={p: v for p, v in getattr(hw, "peaks", {}).items() if v},
        bandwidth_gbs=effective_bandwidth_gbs(hw), op_type=[k.op_type for k in kernels],
        category=[k.category for k in kernels], flops=np.asarray(profile.flops, float),
        bytes=np.asarray(bounds.bytes, float), time_ms=bounds.bound_s * 1e3 / efficiency,
        compute_bound=bounds.compute_bound, latency_ms=prediction.latency_ms,
        efficiency=prediction.efficiency, basis=prediction.basis,
        roof_format=bounds.formats[int(np.argmax(bounds.bound_s))] if bounds.formats else "")


def compute_curves(model, hw_list, precision: str = "fp32", batch: int = 1,
                   seq_len: int | None = None, dims: dict[str, int] | None = None,
                   models: str | None = None, scales=COMPUTE_SCALES) -> list[ComputeCurve]:
    """Predicted latency of each device with every peak rate multiplied by each scale.

    Memory bandwidth stays as it is, and so does today's predicted efficiency: the curve answers
    "what if this same device had more arithmetic" (the roofline of the scaled device over today's,
    times today's latency), the same what-if as `advise`'s sweep.
    """
    from advisor.advise.bottleneck import resource_sweep
    from advisor.api import model_profile
    from advisor.precision import get_precision

    devices = [_hardware(h) for h in hw_list]
    today = predict_many(model, devices, batch=[batch], seq_len=[seq_len], precision=[precision],
                         dims=dims, models=models, as_objects=True)
    profile = model_profile(model, batch=1, seq_len=seq_len, dims=dims).scaled(batch)
    curves = []
    for hw, now in zip(devices, today):
        sweep = {row["compute_x"]: row["latency_ms"]
                 for row in resource_sweep(profile, hw, now, get_precision(precision), None,
                                           factors=tuple(scales))
                 if row["bandwidth_x"] == 1.0}
        curves.append(ComputeCurve(hw.id, now.precision, [float(s) for s in scales],
                                   [sweep[s] for s in scales]))
    return curves


def compute_curve(model, hw, precision: str = "fp32", batch: int = 1, seq_len: int | None = None,
                  dims: dict[str, int] | None = None, models: str | None = None,
                  scales=COMPUTE_SCALES) -> ComputeCurve:
    """The "more compute" curve of one device (see :func:`compute_curves`)."""
    return compute_curves(model, [hw], precision, batch, seq_len, dims, models, scales)[0]


def options_from_predictions(predictions) -> list[Option]:
    """Options chart bars from plain predictions: every device at every precision."""
    options = []
    for p in predictions:
        hw = _hardware(p.hw_id)
        fallback = any("lacks" in n for n in p.notes)
        options.append(Option(label=f"{p.hw_id} {p.precision}" + (" (fallback)" if fallback else ""), hw_id=p.hw_id, precision=p.precision,
                              latency_ms=p.latency_ms, low_ms=p.interval_ms[0], high_ms=p.interval_ms[1],
                              cost=hw.price_usd, note="; ".join(p.notes)))
    return options


def run_advise(model, hw_ids, batch: int, precision: str, seq_len, dims, models):
    """:func:`advisor.advise.advise` for the first device (today's), the others as upgrades.

    With a single device the advisor picks upgrade candidates from the table itself. Returns
    None when the advise module is not installed.
    """
    try:
        from advisor.advise import advise
    except ImportError:
        return None
    return advise(model, hw_ids[0], batch=batch, seq_len=seq_len, dims=dims, precision=precision,
                  candidates=list(hw_ids[1:]) or None, models=models)


def options_from_advice(advice) -> list[Option]:
    """Options chart bars from an :class:`advisor.advise.Advice`: today first, then its options."""
    out = []
    for o in [advice.today, *advice.options]:
        label = o.label if o.feasible else f"{o.label} (infeasible)"
        out.append(Option(label=label, hw_id=o.hw_id, precision=o.precision, latency_ms=o.latency_ms,
                          low_ms=o.interval_ms[0], high_ms=o.interval_ms[1], cost=o.price_usd,
                          note=o.reason or "; ".join(o.notes)))
    return out


def collect(model: str | os.PathLike, hw_ids, batch: int = 1, precisions=("fp32", "fp16", "int8"),
            seq_len: int | None = None, dims: dict[str, int] | None = None,
            models: str | None = None) -> ReportData:
    """Compute every chart's data for ``model`` on ``hw_ids`` (first precision drives the rooflines)."""
    hw_ids = list(hw_ids)
    precisions = [get_precision(p).name for p in precisions]
    predictions = predict_many(model, hw_ids, batch=[batch], seq_len=[seq_len], precision=precisions,
                               dims=dims, models=models, as_objects=True)
    data = ReportData(model=str(model), batch=batch, precisions=precisions, predictions=predictions)
    graph = analyze(model, batch=1, seq_len=seq_len, dims=dims)
    first = precisions[0]
    for p in predictions:
        if p.precision == first:
            data.kernels.append(kernel_points(model, p.hw_id, first, batch, seq_len, dims, models,
                                              graph=graph, prediction=p))
    data.curves = compute_curves(model, [k.hw_id for k in data.kernels], first, batch, seq_len, dims,
                                 models)
    data.advice = run_advise(model, [p.hw_id for p in data.kernels], batch, first, seq_len, dims,
                             models)
    if data.advice is not None:
        data.options, data.options_source = options_from_advice(data.advice), "advise"
    else:
        data.options = options_from_predictions(predictions)
    data.notes = sorted({n for p in predictions for n in p.notes} | {f"{p.hw_id}: basis {p.basis}"
                                                                     for p in predictions})
    return data
