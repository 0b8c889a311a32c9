"""The report's figures, drawn with matplotlib's object API and rendered by Agg (no display needed).

Four kinds: a roofline per device (compute roofs per precision, the bandwidth slope, the model's
fused kernels as points sized by predicted time), the options chart (latency with its interval and
cost per option), the per-op-type breakdown, and the "more compute" diminishing-returns curve.
Each function takes data from :mod:`advisor.report.data` and returns a ``Figure``.
"""

from __future__ import annotations

import io
import math
from pathlib import Path

from advisor.atomic import atomic_path
from advisor.errors import AdvisorError

try:
    # Figures are built without pyplot, so no GUI backend is touched and a caller's backend
    # (a notebook's, say) is left alone; savefig renders with Agg.
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter
except ImportError:  # pragma: no cover - exercised only without the optional dependency
    Figure = None  # type: ignore[assignment,misc]

from advisor.report.data import ComputeCurve, KernelPoints, Option

#: one colour per kernel category (tab10 order), stable across charts
CATEGORY_COLOURS = {"conv": "#1f77b4", "matmul": "#ff7f0e", "attention": "#2ca02c", "norm": "#d62728",
                    "pool": "#9467bd", "elementwise": "#8c564b", "activation": "#e377c2",
                    "reduce": "#7f7f7f", "data": "#bcbd22", "resize": "#17becf"}
DEVICE_COLOURS = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2",
                  "#7f7f7f")
PRECISION_ORDER = ("int4", "int8", "fp8", "fp16", "bf16", "fp32")


def require_matplotlib() -> None:
    """Raise a one-line error when the optional plotting dependency is missing."""
    if Figure is None:
        raise AdvisorError("charts need matplotlib: pip install 'advisor[report]'")


def _figure(width: float, height: float) -> "Figure":
    require_matplotlib()
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _rate_unit(max_tflops: float) -> tuple[float, str]:
    """Scale and label for FLOP/s axes: TFLOP/s for big devices, GFLOP/s for small ones."""
    return (1.0, "TFLOP/s") if max_tflops >= 1 else (1e3, "GFLOP/s")


def _plain(value: float, _pos=None) -> str:
    """Tick labels without powers of ten: 0.01, 1, 100, 10k."""
    if value <= 0:
        return ""
    if value >= 10_000:
        return f"{value / 1000:g}k"
    return f"{value:g}"


def roofline(points: KernelPoints) -> "Figure":
    """Roofline of one device with the model's kernels placed at their predicted speed."""
    fig = _figure(8, 5.2)
    ax = fig.add_subplot()
    peaks = dict(sorted(points.peaks_tflops.items(), key=lambda kv: kv[1]))
    scale, unit = _rate_unit(max(peaks.values()) if peaks else 1.0)
    bw_tflops = points.bandwidth_gbs / 1e3  # TFLOP/s per (FLOP/byte)
    ai = points.intensity
    rate = points.achieved_tflops
    shown = (ai > 0) & (rate > 0)
    ridges = [p / bw_tflops for p in peaks.values()]
    lo = min([*ai[shown], *ridges, 1.0]) / 4
    hi = max([*ai[shown], *ridges, 10.0]) * 4
    xs = [lo, hi]
    used = points.roof_format
    # bandwidth slope up to the highest roof, then one flat roof per format
    top = max(peaks.values()) if peaks else bw_tflops * hi
    ax.plot([lo, top / bw_tflops], [bw_tflops * lo * scale, top * scale], color="black", lw=1.6)
    ax.text(lo * 1.5, bw_tflops * lo * 1.5 * scale / 2.5, f"memory bandwidth {_num(points.bandwidth_gbs)} GB/s",
            fontsize=8, ha="left", va="top")
    for peak, fmts in _merge_equal(peaks).items():
        ridge = peak / bw_tflops
        main = used in fmts
        ax.plot([ridge, hi], [peak * scale] * 2, color="black" if main else "grey",
                lw=1.8 if main else 1.0, ls="-" if main else "--")
        ax.text(hi / 1.1, peak * scale * 1.06, f"{'/'.join(fmts)} {_num(peak * scale)}", fontsize=8,
                ha="right", va="bottom", color="black" if main else "dimgrey",
                fontweight="bold" if main else "normal")
    total = float(points.time_ms.sum()) or 1.0
    for cat in sorted(set(points.category), key=lambda c: -sum(
            t for c2, t in zip(points.category, points.time_ms) if c2 == c)):
        sel = shown & (_array(points.category) == cat)
        if not sel.any():
            continue
        sizes = 12 + 350 * points.time_ms[sel] / float(points.time_ms.max())
        ax.scatter(ai[sel], rate[sel] * scale, s=sizes, alpha=0.6, edgecolors="black", linewidths=0.4,
                   color=CATEGORY_COLOURS.get(cat, "#555555"),
                   label=f"{cat} ({_pct(100 * points.time_ms[sel].sum() / total)} of time)")
    ax.set_xscale("log")
    ax.set_yscale("log")
    ax.set_xlim(lo, hi)
    floor = min([*(rate[shown] * scale), bw_tflops * lo * scale])
    ax.set_ylim(floor / 3, top * scale * 2.5)
    ax.xaxis.set_major_formatter(FuncFormatter(_plain))
    ax.yaxis.set_major_formatter(FuncFormatter(_plain))
    ax.set_xlabel("arithmetic intensity (FLOPs per byte moved)")
    ax.set_ylabel(f"achieved {unit} (at predicted time)")
    hidden = int((~shown).sum())
    ax.set_title(f"{points.hw_name}: roofline, {points.precision}, batch {points.batch}\n"
                 f"predicted {_num(points.latency_ms)} ms, {points.basis}\n"
                 f"points = fused kernels, area = predicted time"
                 + (f"; {hidden} zero-FLOP kernels not shown" if hidden else ""), fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(loc="lower right", fontsize=8, framealpha=0.9, markerscale=0.5)
    return fig


def _merge_equal(peaks: dict[str, float]) -> dict[float, list[str]]:
    """Formats sharing one peak (fp16 and bf16 on most GPUs) drawn as one roof."""
    merged: dict[float, list[str]] = {}
    for fmt, peak in peaks.items():
        merged.setdefault(peak, []).append(fmt)
    return merged


def _num(value: float) -> str:
    """Readable number: 0.0277, 1.1, 143, 1,248."""
    if not math.isfinite(value):
        return "-"
    return f"{value:,.0f}" if abs(value) >= 100 else f"{value:.3g}"


def _pct(value: float) -> str:
    return "<1%" if 0 < value < 0.5 else f"{value:.0f}%"


def _array(values):
    import numpy as np
    return np.asarray(values, dtype=object)


def options(opts: list[Option], title: str = "", devices: list[str] | None = None) -> "Figure":
    """Latency (with interval) and cost of each option, fastest first.

    ``devices`` fixes the colour order (the other charts' device order); today's option is bold.
    """
    given = list(opts)
    opts = sorted(opts, key=lambda o: o.latency_ms if math.isfinite(o.latency_ms) else math.inf)
    fig = _figure(9, 1.2 + 0.38 * max(len(opts), 2))
    has_cost = any(o.cost is not None for o in opts)
    axes = fig.subplots(1, 2, sharey=True, width_ratios=[3, 2]) if has_cost else [fig.add_subplot()]
    ys = list(range(len(opts)))
    lat = [o.latency_ms for o in opts]
    err = [[max(o.latency_ms - o.low_ms, 0) for o in opts], [max(o.high_ms - o.latency_ms, 0) for o in opts]]
    devices = list(dict.fromkeys([*(devices or []), *(o.hw_id for o in given)]))
    colours = [DEVICE_COLOURS[devices.index(o.hw_id) % len(DEVICE_COLOURS)] for o in opts]
    ax = axes[0]
    ax.barh(ys, lat, xerr=err, color=colours, alpha=0.8, capsize=3, ecolor="black")
    ax.set_yticks(ys, [o.label for o in opts], fontsize=8)
    for tick, o in zip(ax.get_yticklabels(), opts):
        if "(today)" in o.label:
            tick.set_fontweight("bold")
    ax.invert_yaxis()
    finite = [v for v in lat if v > 0 and math.isfinite(v)]
    if finite and max(finite) / min(finite) > 20:
        ax.set_xscale("log")
        ax.xaxis.set_major_formatter(FuncFormatter(_plain))
    for y, v in zip(ys, lat):
        ax.text(v, y, f" {_num(v)}", va="center", ha="left", fontsize=7)
    ax.set_xlabel("predicted latency, ms (bars: median; whiskers: interval)")
    ax.grid(True, axis="x", alpha=0.3)
    if has_cost:
        cx = axes[1]
        costs = [o.cost if o.cost is not None else 0 for o in opts]
        cx.barh(ys, costs, color=colours, alpha=0.5)
        for y, o in zip(ys, opts):
            cx.text(o.cost or 0, y, f" {o.cost:,.4g}" if o.cost is not None else " unknown", va="center",
                    fontsize=7)
        units = sorted({o.cost_unit for o in opts})
        cx.set_xlabel(" / ".join(units))
        cx.grid(True, axis="x", alpha=0.3)
        cx.set_xlim(0, max(costs) * 1.3 or 1)
    fig.suptitle(title or "options: predicted latency and cost", fontsize=10)
    return fig


def breakdown(points_list: list[KernelPoints], top: int = 8) -> "Figure":
    """Share of predicted time per op type (kernel anchor), one bar per device."""
    totals: dict[str, float] = {}
    shares = []
    for pts in points_list:
        by_op = pts.by_op_type()
        total = sum(by_op.values()) or 1.0
        share = {op: 100 * t / total for op, t in by_op.items()}
        shares.append(share)
        for op, s in share.items():
            totals[op] = totals.get(op, 0.0) + s
    ops = [op for op, _ in sorted(totals.items(), key=lambda kv: -kv[1])]
    if len(ops) > top:
        keep, rest = ops[:top - 1], ops[top - 1:]
        shares = [{**{op: s.get(op, 0.0) for op in keep}, "other": sum(s.get(op, 0.0) for op in rest)}
                  for s in shares]
        ops = keep + (["other"] if max(s["other"] for s in shares) >= 0.05 else [])
    n = max(len(points_list), 1)
    fig = _figure(8, 1.4 + 0.22 * len(ops) * n + 0.3 * len(ops))
    ax = fig.add_subplot()
    height = 0.8 / n
    for i, (pts, share) in enumerate(zip(points_list, shares)):
        ys = [j + (i - (n - 1) / 2) * height for j in range(len(ops))]
        vals = [share.get(op, 0.0) for op in ops]
        ax.barh(ys, vals, height=height * 0.95, color=DEVICE_COLOURS[i % len(DEVICE_COLOURS)],
                label=f"{pts.hw_id} ({_num(pts.latency_ms)} ms)")
        for y, v, op in zip(ys, vals, ops):
            if v >= 0.05:
                ms = pts.by_op_type().get(op, 0.0) if op != "other" else v / 100 * pts.time_ms.sum()
                ax.text(v, y, f" {v:.1f}% ({_num(ms)} ms)", va="center", fontsize=7)
    ax.set_yticks(range(len(ops)), ops)
    ax.invert_yaxis()
    ax.set_xlim(0, 118)
    ax.set_xlabel("share of predicted time, %")
    ax.grid(True, axis="x", alpha=0.3)
    ax.legend(fontsize=8, loc="lower right")
    prec = points_list[0].precision if points_list else ""
    ax.set_title(f"where the time goes, by operator type ({prec}, fused kernels by anchor op)",
                 fontsize=10)
    return fig


def more_compute(curves: list[ComputeCurve]) -> "Figure":
    """Speedup from multiplying peak compute at the same memory bandwidth (diminishing returns)."""
    fig = _figure(7, 4.6)
    ax = fig.add_subplot()
    scales = curves[0].scales if curves else [1, 2, 4, 8]
    ax.plot(scales, scales, ls="--", color="grey", lw=1, label="ideal (all compute-bound)")
    for i, c in enumerate(curves):
        ax.plot(c.scales, c.speedup, marker="o", color=DEVICE_COLOURS[i % len(DEVICE_COLOURS)],
                label=f"{c.hw_id} ({_num(c.latency_ms[0])} -> {_num(c.latency_ms[-1])} ms)")
        ax.annotate(f"{c.speedup[-1]:.2f}x", (c.scales[-1], c.speedup[-1]), textcoords="offset points",
                    xytext=(6, 0), va="center", fontsize=8)
    ax.set_xscale("log", base=2)
    ax.set_yscale("log", base=2)
    ax.set_xticks(scales, [f"{s:g}x" for s in scales])
    ticks = [1, 2, 4, 8] if max(scales) <= 8 else scales
    ax.set_yticks(ticks, [f"{t:g}x" for t in ticks])
    ax.set_ylim(0.9, max(scales) * 1.15)
    ax.set_xlim(min(scales) * 0.9, max(scales) * 1.35)
    ax.set_xlabel("peak compute (all precisions), same memory bandwidth")
    ax.set_ylabel("predicted speedup")
    prec = curves[0].precision if curves else ""
    ax.set_title(f"more compute: diminishing returns once kernels are memory-bound ({prec})", fontsize=10)
    ax.grid(True, which="major", alpha=0.3)
    ax.legend(fontsize=8, loc="upper left")
    return fig


def png_bytes(fig: "Figure", dpi: int = 110) -> bytes:
    """The figure as PNG bytes (for inlining into HTML)."""
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    return buffer.getvalue()


def save_png(fig: "Figure", path: str | Path, dpi: int = 110) -> Path:
    path = Path(path)
    try:
        with atomic_path(path) as tmp:
            fig.savefig(tmp, format="png", dpi=dpi)
    except OSError as exc:
        raise AdvisorError(f"cannot write {path}: {exc.strerror or exc}") from None
    return path
