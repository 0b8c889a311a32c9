"""The recommendation's reason, in one or two sentences tied to the numbers.

    "82% of the time on the T4 is memory-bound (0.9 FLOP/B against a ridge point of 25):
     int8-weight moves half the bytes, 1.9x; the L4 has 0.94x the bandwidth and 3.7x the
     compute of the T4, so upgrading gives 1.0x."
"""

from __future__ import annotations

from advisor.advise.bottleneck import Bottleneck
from advisor.advise.options import Option
from advisor.advise.whatif import bytes_moved
from advisor.precision import get_precision
from advisor.profile import GraphProfile
from advisor.roofline import effective_bandwidth_gbs, effective_peak_tflops

_FRACTIONS = {0.125: "an eighth", 0.14: "a seventh", 0.25: "a quarter", 0.28: "about a quarter",
              0.5: "half", 0.75: "three quarters"}


def fraction_words(ratio: float) -> str:
    for value, words in _FRACTIONS.items():
        if abs(ratio - value) <= 0.02:
            return words
    return f"{ratio:.2f}x"


def _x(v: float) -> str:
    return f"{v:.2g}x" if v < 10 else f"{v:.0f}x"


def device_ratio(new, old, precision: str, threads_old=None) -> tuple[float, float]:
    """(bandwidth ratio, matrix-peak ratio) of ``new`` over ``old`` in ``precision``."""
    fmt = get_precision(precision).matrix_format
    bw = effective_bandwidth_gbs(new) / effective_bandwidth_gbs(old, threads_old)
    peak = effective_peak_tflops(new, fmt)[0] / effective_peak_tflops(old, fmt, threads_old)[0]
    return bw, peak


def mechanism(option: Option, today: Option, hw, profile: GraphProfile, devices: dict) -> str:
    """What the option changes, in roofline terms."""
    base = get_precision(today.precision)
    parts = []
    if option.kind in ("precision", "upgrade+precision"):
        prec = get_precision(option.precision)
        ratio = bytes_moved(profile, prec) / bytes_moved(profile, base)
        if ratio < 0.95:
            parts.append(f"{option.precision} moves {fraction_words(ratio)} of the bytes")
        peak_hw = devices.get(option.hw_id, hw)
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
            bw, peak = device_ratio(new_hw, hw, today.precision, today.threads)
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


def reason(rec: Option | None, today: Option, bottleneck: Bottleneck, options: list[Option], hw,
           profile: GraphProfile, devices: dict, objective: str, target_ms: float | None) -> str:
    """One or two sentences: the bottleneck, why the pick helps, and how the other road compares."""
    first = f"{bottleneck.dominant_share:.0%} of the time on the {today.hw_name} is {bottleneck.regime}"
    if bottleneck.regime != "overhead-bound":
        first += (f" ({bottleneck.intensity:.3g} FLOP/B against a ridge point of "
                  f"{bottleneck.ridge:.3g})")
    if rec is None or rec is today:
        why = "no feasible option within the constraints is predicted to be faster"
        if target_ms is not None:
            why = f"no feasible option within the constraints meets {target_ms:g} ms"
        return f"{first}: {why}; keep {today.label}."
    first += f": {mechanism(rec, today, hw, profile, devices)}, {_x(rec.speedup)}"
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
            bw, peak = device_ratio(devices[other.hw_id], hw, today.precision, today.threads)
            second = (f"the {other.hw_name} has {_x(bw)} the bandwidth and {_x(peak)} the compute "
                      f"of the {today.hw_name}, so upgrading gives {_x(other.speedup)}")
    text = first + (f"; {second}" if second else "") + "."
    if objective == "cost":
        cost = "no new hardware" if rec.kind not in ("upgrade", "upgrade+precision") else (
            f"${rec.price_usd:,.0f}" if rec.price_usd is not None else "an unpriced device")
        met = f" meets {target_ms:g} ms" if target_ms is not None and rec.meets_target else ""
        text += f" Cheapest choice{met}: {cost}, accuracy risk {rec.accuracy_risk}."
    return text
