"""The recommendation's reason, in a few sentences tied to the numbers.

    "82% of the time on the T4 is memory-bound (0.9 FLOP/B against a ridge point of 25):
     int8-weight moves half the bytes, 1.9x; the L4 has 0.94x the bandwidth and 3.7x the
     compute of the T4, so upgrading gives 1.0x."

An overhead-bound model (time above the roofline: launches, small kernels) gets its kernel count,
the time per kernel, and the most a change of FLOPS, bandwidth or bytes could buy were that time
to stay (1 / overhead share), then what does shorten it: batching, fused kernels.
"""

from __future__ import annotations

from advisor.advise.bottleneck import Bottleneck
from advisor.advise.options import Option
from advisor.advise.whatif import bytes_moved
from advisor.profile import GraphProfile
from advisor.roofline import effective_bandwidth_gbs, effective_peak_tflops
from advisor.runtimes import ran_precision

_FRACTIONS = {0.125: "an eighth", 0.14: "a seventh", 0.25: "a quarter", 0.28: "about a quarter",
              0.5: "half", 0.75: "three quarters"}


def fraction_words(ratio: float) -> str:
    for value, words in _FRACTIONS.items():
        if abs(ratio - value) <= 0.02:
            return words
    return f"{ratio:.2f}x"


def _x(v: float) -> str:
    return f"{v:.2g}x" if v < 10 else f"{v:.0f}x"


def device_ratio(new, old, precision: str, threads_old=None,
                 runtime: str = "onnxruntime") -> tuple[float, float]:
    """(bandwidth ratio, matrix-peak ratio) of ``new`` over ``old`` in ``precision``, each at the
    format ``runtime`` runs there (fp32 is TF32 on an A100 under onnxruntime)."""
    fmt_new = ran_precision(runtime, new, precision).matrix_format
    fmt_old = ran_precision(runtime, old, precision).matrix_format
    bw = effective_bandwidth_gbs(new) / effective_bandwidth_gbs(old, threads_old)
    peak = effective_peak_tflops(new, fmt_new)[0] / effective_peak_tflops(old, fmt_old, threads_old)[0]
    return bw, peak


def mechanism(option: Option, today: Option, hw, profile: GraphProfile, devices: dict,
              runtime: str = "onnxruntime") -> str:
    """What the option changes, in roofline terms (precisions as ``runtime`` runs them)."""
    parts = []
    if option.kind in ("precision", "upgrade+precision"):
        peak_hw = devices.get(option.hw_id, hw)
        base = ran_precision(runtime, peak_hw, today.precision)
        prec = ran_precision(runtime, peak_hw, option.precision)
        ratio = bytes_moved(profile, prec) / bytes_moved(profile, base)
        if ratio < 0.95:
            parts.append(f"{option.precision} moves {fraction_words(ratio)} of the bytes")
        try:
            new = effective_peak_tflops(peak_hw, prec.matrix_format)[0]
            old = effective_peak_tflops(peak_hw, base.matrix_format)[0]
            if new / old > 1.05:
                parts.append(f"runs matrix math at {_x(new / old)} the {base.matrix_format} peak")
        except Exception:  # noqa: BLE001 - the explanation never fails the advice
            pass
        if not parts:
            parts.append(f"{option.precision} changes neither bytes nor peak much")
    if option.kind in ("upgrade", "upgrade+precision"):
        new_hw = devices.get(option.hw_id)
        if new_hw is not None:
            bw, peak = device_ratio(new_hw, hw, today.precision, today.threads, runtime)
            parts.insert(0, f"the {option.hw_name} has {_x(bw)} the bandwidth and {_x(peak)} the "
                            f"compute of the {today.hw_name}")
    if option.kind == "threads":
        parts.append(f"{option.threads} threads instead of {today.threads or 'all'} add cores and bandwidth")
    if option.kind == "pruning":
        parts.append(f"removing {option.pruned_fraction:.0%} of channels cuts that share of matrix "
                     "FLOPs and weight bytes")
    if option.kind == "batch":
        parts.append(f"batch {option.batch} amortises the weights over more samples")
    return " and ".join(parts) if parts else option.label


def _us(v: float) -> str:
    """A time given in microseconds, in us below a millisecond and in ms above (never "1.2e+02")."""
    if v >= 999.5:
        return f"{v / 1e3:.3g} ms"
    return f"{v:.2g} us" if v < 99.5 else f"{v:.0f} us"


def overhead_first(bottleneck: Bottleneck, hw_name: str) -> str:
    """The overhead share, tied to the kernel count and the time each kernel takes against its bound."""
    b = bottleneck
    return (f"{b.overhead_share:.0%} of the predicted {_us(b.latency_ms * 1e3)} on the {hw_name} is "
            "overhead-bound, time above the roofline (launches, small kernels, inefficiency) across "
            f"{b.kernels} kernels, {_us(b.mean_kernel_us)} each on average against a roofline bound "
            f"of {_us(b.roofline_kernel_us)}")


def overhead_levers(bottleneck: Bottleneck, today: Option, options: list[Option]) -> str:
    """Why FLOPS, bandwidth and bytes barely help an overhead-bound model, and what does.

    The bound is Amdahl's law on the predicted shares; the levers' numbers come from the batch
    and thread options when they were evaluated, and are only named otherwise.
    """
    b = bottleneck
    bound = b.roofline_only_speedup
    usable = [o for o in options if o.feasible and o.within_budget]
    limits = (f"Were the time above the roofline to stay, more FLOPS, more bandwidth or fewer bytes "
              f"would shorten only the other {1 - b.overhead_share:.0%} of the time ({_x(bound)} at "
              "most): quantizing cuts bytes and FLOPs, not the fixed cost of launching a kernel, and "
              "a faster device helps there only through a shorter time per kernel (lower launch "
              "overhead, higher clock), not its peak")
    # beating the Amdahl bound implies less time above the roofline: latency < today's overhead
    if any(o.speedup > bound * 1.05 for o in usable if o.kind != "batch"):
        limits += f"; options predicted beyond {_x(bound)} also cut the time above the roofline"
    batch = max((o for o in usable if o.kind == "batch"), key=lambda o: o.speedup, default=None)
    threads = min((o for o in usable if o.kind == "threads"), key=lambda o: o.latency_ms, default=None)
    levers = [f"batch {batch.batch} spreads each kernel's cost over {batch.batch} samples, "
              f"{_x(batch.speedup)} the throughput" if batch is not None else
              "a larger batch spreads each kernel's cost over more samples (advise --try-batch predicts it)"]
    if threads is not None:
        levers.append(f"{threads.threads} threads instead of {today.threads or 'all'} give "
                      f"{_x(threads.speedup)}")
    levers.append("a runtime that fuses kernels cuts their number")
    return f"{limits}. Fewer or cheaper kernels help: {'; '.join(levers)}."


def reason(rec: Option | None, today: Option, bottleneck: Bottleneck, options: list[Option], hw,
           profile: GraphProfile, devices: dict, objective: str, target_ms: float | None,
           runtime: str = "onnxruntime") -> str:
    """The bottleneck, why the pick helps, and how the other road compares.

    Compute- and memory-bound models are placed against the ridge point; an overhead-bound one
    gets its kernel count, the time per kernel and the most a roofline change could buy, since
    there more FLOPS, more bandwidth or fewer bytes alone do not shorten the dominant term.
    """
    overhead = bottleneck.regime == "overhead-bound"
    if overhead:
        first = overhead_first(bottleneck, today.hw_name)
    else:
        first = (f"{bottleneck.dominant_share:.0%} of the time on the {today.hw_name} is "
                 f"{bottleneck.regime} ({bottleneck.intensity:.3g} FLOP/B against a ridge point of "
                 f"{bottleneck.ridge:.3g})")
    tail = f" {overhead_levers(bottleneck, today, options)}" if overhead else ""
    if rec is None or rec is today:
        why = "no feasible option within the constraints is predicted to be faster"
        if target_ms is not None:
            why = f"no feasible option within the constraints meets {target_ms:g} ms"
        return f"{first}: {why}; keep {today.label}.{tail}"
    first += f": {mechanism(rec, today, hw, profile, devices, runtime)}, {_x(rec.speedup)}"
    if overhead and bottleneck.kernels:
        per_kernel = rec.latency_ms * 1e3 / bottleneck.kernels
        first += (f" ({_us(per_kernel)} per kernel, {_us(per_kernel * rec.overhead_share)} of it above "
                  f"the roofline against {_us(bottleneck.mean_kernel_us * bottleneck.overhead_share)} "
                  "today)")
    feasible = [o for o in options if o.feasible and o.within_budget and o is not rec]
    if rec.kind in ("upgrade", "upgrade+precision"):
        onsite = [o for o in feasible if o.kind == "precision"]
        other = min(onsite, key=lambda o: o.latency_ms) if onsite else None
        second = (f"quantizing on the {today.hw_name} instead ({other.precision}) gives "
                  f"{_x(other.speedup)}") if other else ""
    else:
        ups = [o for o in feasible if o.kind == "upgrade"]
        other = min(ups, key=lambda o: o.latency_ms) if ups else None
        second = ""
        if other is not None and other.hw_id in devices:
            bw, peak = device_ratio(devices[other.hw_id], hw, today.precision, today.threads, runtime)
            second = (f"the {other.hw_name} has {_x(bw)} the bandwidth and {_x(peak)} the compute "
                      f"of the {today.hw_name}, so upgrading gives {_x(other.speedup)}")
    text = first + (f"; {second}" if second else "") + "." + tail
    if objective == "cost":
        cost = "no new hardware" if rec.kind not in ("upgrade", "upgrade+precision") else (
            f"${rec.price_usd:,.0f}" if rec.price_usd is not None else "an unpriced device")
        met = f" meets {target_ms:g} ms" if target_ms is not None and rec.meets_target else ""
        text += f" Cheapest choice{met}: {cost}, accuracy risk {rec.accuracy_risk}."
    return text
