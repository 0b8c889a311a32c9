"""``advise``: predict every way of making a model faster on today's device or another, rank them.

One graph analysis feeds the byte and memory accounting; every latency comes from
``advisor.api.predict_many`` (one call per group of configurations, vectorised inside).
"""

from __future__ import annotations

import math
import os
from dataclasses import dataclass, field
from typing import Iterable, Sequence

from advisor.advise.bottleneck import Bottleneck, analyse_bottleneck, resource_sweep
from advisor.advise.candidates import pareto_front, resolve_candidates, table_candidates
from advisor.advise.explain import reason
from advisor.advise.options import PRECISION_RISK, WEIGHT_ONLY, Option, risk_rank
from advisor.advise.whatif import is_decoder_with_cache, memory_needed_gb, prune_profile
from advisor.api import Prediction, predict_many
from advisor.errors import InputError
from advisor.graph import analyze
from advisor.precision import get_precision
from advisor.runtimes import ran_precision
from advisor.profile import profile_graph
from advisor.roofline import kernel_bounds

SCHEMA = "advisor.advise/1"
OBJECTIVES = ("latency", "cost")
#: precisions tried besides today's, in order; fp16/bf16/fp8 only where the device has them
TRY_PRECISIONS = ("fp16", "bf16", "fp8", "int8", "int8-weight", "int4-weight")
_OPTIONAL = ("fp16", "bf16", "fp8")
#: options within this share of the fastest are ranked by risk and cost first
TIE = 0.05


@dataclass
class Context:
    """What every option is judged against: today's configuration and the user's constraints."""

    model: object
    graph: object
    profile: object           # GraphProfile at batch 1
    hw: object
    batch: int
    seq_len: int | None
    dims: dict | None
    precision: str
    threads: int | None
    runtime: str
    models: str | None
    ignore_calibration: bool
    target_ms: float | None
    budget_usd: float | None
    decoding: bool
    today_ms: float = float("nan")

    def predict(self, hw: Sequence, precisions: Sequence[str], batches: Sequence[int] | None = None,
                threads: int | None = "same") -> list[Prediction]:
        return predict_many(self.model, list(hw), batches or [self.batch], [self.seq_len],
                            list(precisions), threads=self.threads if threads == "same" else threads,
                            runtime=self.runtime, dims=self.dims, models=self.models, as_objects=True,
                            ignore_calibration=self.ignore_calibration)


@dataclass
class Advice:
    """Everything ``advisor advise`` shows: bottleneck, options (ranked), recommendation, sweep."""

    model: str
    hw_id: str
    hw_name: str
    objective: str
    batch: int
    seq_len: int | None
    threads: int | None
    precision: str
    runtime: str
    decoding: bool
    target_ms: float | None
    budget_usd: float | None
    today: Option
    bottleneck: Bottleneck
    options: list[Option]
    recommendation: Option | None
    reason: str
    compute_sweep: list[dict] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "model": self.model, "hw_id": self.hw_id, "hw_name": self.hw_name,
                "objective": self.objective, "batch": self.batch, "seq_len": self.seq_len,
                "threads": self.threads, "precision": self.precision, "runtime": self.runtime,
                "decoding": self.decoding, "target_ms": self.target_ms, "budget_usd": self.budget_usd,
                "today": self.today.to_dict(), "bottleneck": self.bottleneck.to_dict(),
                "options": [o.to_dict() for o in self.options],
                "recommendation": self.recommendation.to_dict() if self.recommendation else None,
                "reason": self.reason, "compute_sweep": self.compute_sweep, "notes": self.notes}


def advise(model, hw, batch: int = 1, seq_len: int | None = None, dims: dict | None = None,
           precision: str = "fp32", threads: int | None = None, runtime: str = "onnxruntime",
           candidates: Iterable | None = None, kind: str | None = None,
           budget_usd: float | None = None, target_ms: float | None = None,
           objective: str = "latency", prune: Sequence[float] = (0.25, 0.5),
           batches: Sequence[int] = (), max_candidates: int = 6, models: str | None = None,
           ignore_calibration: bool = False, combine: bool = True, sweep: bool = True) -> Advice:
    """Options to make ``model`` faster than on ``hw`` today, ranked for ``objective``.

    ``candidates``: upgrade devices (ids or Hardware); when None they are chosen from the table:
    devices of ``kind`` (default: today's kind) with a price at most ``budget_usd``, keeping those
    no other is both cheaper and faster (at most ``max_candidates``). Pass ``candidates=()`` for none.
    ``combine=False`` skips upgrades combined with other precisions and ``sweep=False`` the
    more-compute sweep (both for bulk validation, where only the single changes are compared).
    """
    ctx = make_context(model, hw, batch, seq_len, dims, precision, threads, runtime, models,
                   ignore_calibration, target_ms, budget_usd, objective)
    notes: list[str] = []
    precisions = [p for p in TRY_PRECISIONS if p != ctx.precision
                  and (p not in _OPTIONAL or ctx.hw.peak_tflops(p))]
    preds = ctx.predict([ctx.hw], [ctx.precision] + precisions)
    today_pred = preds[0]
    ctx.today_ms = today_pred.latency_ms
    # no thread count given: today runs as the device's measurements did (api.default_threads),
    # and the thread options, bottleneck and sweep start from that count
    ctx.threads = ctx.threads if ctx.threads is not None else today_pred.threads
    today = make_option(ctx, today_pred, "today", f"{ctx.precision} on {ctx.hw.id} (today)")
    today.hw_name = ctx.hw.id
    options = [make_option(ctx, p, "precision", f"{p.precision} on {ctx.hw.id}") for p in preds[1:]]
    options += _thread_options(ctx, notes)
    options += _batch_options(ctx, batches)
    options += _pruning_options(ctx, today, prune)
    devices: dict = {}
    upgrades, more_notes = _upgrade_options(ctx, candidates, kind, budget_usd, max_candidates, devices,
                                            combine)
    options += upgrades
    notes += more_notes
    ran = ran_precision(ctx.runtime, ctx.hw, ctx.precision)     # e.g. fp32 on TF32 tensor cores
    bottleneck = analyse_bottleneck(today_pred, ctx.profile.scaled(ctx.batch), ctx.hw, ran, ctx.threads)
    sweep = resource_sweep(ctx.profile.scaled(ctx.batch), ctx.hw, today_pred, ran,
                           ctx.threads) if sweep else []
    rec = recommend(today, options, objective, target_ms)
    options = rank(options)
    text = reason(rec, today, bottleneck, options, ctx.hw, ctx.profile.scaled(ctx.batch), devices,
                  objective, target_ms, ctx.runtime)
    if target_ms is not None and rec is not None and not rec.meets_target:
        notes.append(f"no feasible option within the constraints meets {target_ms:g} ms; "
                     "the recommendation is the closest")
    notes += sorted({n for o in [today] + options for n in o.notes if "no trained model" in n})
    name = model if isinstance(model, (str, os.PathLike)) else (model.graph.name or "model")
    return Advice(str(name), ctx.hw.id, getattr(ctx.hw, "name", ctx.hw.id), objective, ctx.batch,
                  ctx.seq_len, ctx.threads, ctx.precision, ctx.runtime, ctx.decoding, target_ms,
                  budget_usd, today, bottleneck, options, rec, text, sweep, notes)


def make_context(model, hw, batch, seq_len, dims, precision, threads, runtime, models,
             ignore_calibration, target_ms, budget_usd, objective) -> Context:
    if objective not in OBJECTIVES:
        raise InputError(f"unknown objective '{objective}'; choose latency or cost")
    if int(batch) < 1:
        raise InputError("batch must be at least 1")
    for value, what in ((target_ms, "target"), (budget_usd, "budget")):
        if value is not None and not (value > 0 and math.isfinite(value)):
            raise InputError(f"{what} must be a positive number, got {value}")
    if threads is not None and threads < 1:
        raise InputError("threads must be at least 1")
    if isinstance(hw, str):
        from advisor.hardware import get_hardware
        hw = get_hardware(hw)
    precision = get_precision(precision).name
    graph = analyze(model, batch=1, seq_len=seq_len, dims=dims)
    profile = profile_graph(graph, batch=1)
    return Context(model, graph, profile, hw, int(batch), seq_len, dims, precision, threads, runtime,
                   models, ignore_calibration, target_ms, budget_usd, is_decoder_with_cache(graph))


def make_option(ctx: Context, pred: Prediction, kind: str, label: str, hw=None,
            speedup: float | None = None, prune: float = 0.0) -> Option:
    """An Option from a prediction: feasibility, costs, risk, speedup over today."""
    hw = hw or ctx.hw
    prec = get_precision(pred.precision)
    memory = memory_needed_gb(ctx.graph, ctx.profile, prec, pred.batch, prune)
    feasible, why, notes = True, "", list(pred.notes)
    lacks = [n for n in pred.notes if " lacks " in n]
    if lacks and pred.precision not in WEIGHT_ONLY:
        feasible, why = False, lacks[0].replace("; kernels run in", "; kernels would fall back to")
    mem_gb = getattr(hw, "mem_gb", None)
    if mem_gb and memory["total_gb"] > mem_gb:
        feasible = False
        why = (why + "; " if why else "") + (
            f"needs {memory['total_gb']:.3g} GB (weights {memory['weights_gb']:.3g} + activations "
            f"{memory['activations_gb']:.3g}) but {hw.id} has {mem_gb:g} GB")
    elif not mem_gb:
        notes.append(f"memory size of {hw.id} unknown: fit not checked")
    if speedup is None:
        speedup = ctx.today_ms / pred.latency_ms if pred.latency_ms > 0 else float("nan")
    if kind == "today":
        speedup = 1.0
    price = getattr(hw, "price_usd", None)
    today_price = getattr(ctx.hw, "price_usd", None)
    on_device = ctx.hw is not None and hw is ctx.hw
    diff = 0.0 if on_device else (price - today_price if price is not None and today_price is not None else None)
    outlay = 0.0 if on_device else price
    per = None
    if outlay is not None and speedup > 1.0:
        per = outlay / (speedup - 1.0)
    within = True
    if not on_device and ctx.budget_usd is not None:
        within = price is not None and price <= ctx.budget_usd
    risk = PRECISION_RISK.get(pred.precision, "medium")
    if prune:
        risk = "medium" if prune <= 0.25 and risk_rank(risk) <= 1 else "high"
    throughput = pred.batch * 1000.0 / pred.latency_ms if pred.latency_ms > 0 else float("nan")
    return Option(kind, label, pred.hw_id, pred.hw_name, pred.precision, pred.batch, pred.threads,
                  pred.latency_ms, tuple(pred.interval_ms), speedup, throughput, risk, pred.basis,
                  feasible, why, price, diff, per, within,
                  None if ctx.target_ms is None else pred.latency_ms <= ctx.target_ms,
                  memory["total_gb"], pred.compute_share, pred.memory_share, pred.overhead_share,
                  prune, throughput if ctx.decoding else None, notes)


def _thread_options(ctx: Context, notes: list[str]) -> list[Option]:
    """More threads on a CPU (doubling up to all cores); none when it already uses every core."""
    hw = ctx.hw
    units = getattr(hw, "compute_units", None)
    if not str(getattr(hw, "kind", "")).endswith("cpu") or not units:
        return []
    current = ctx.threads or units
    if current >= units:
        notes.append(f"already using all {units} cores of {hw.id}")
        return []
    counts, t = [], current * 2
    while t < units:
        counts.append(t)
        t *= 2
    counts.append(units)
    out = []
    for n in counts:
        pred = ctx.predict([hw], [ctx.precision], threads=n)[0]
        out.append(make_option(ctx, pred, "threads", f"{n} threads on {hw.id}"))
    return out


def _batch_options(ctx: Context, batches: Sequence[int]) -> list[Option]:
    """Other batch sizes: their speedup is the throughput ratio (latency per call grows)."""
    wanted = sorted({int(b) for b in batches if int(b) != ctx.batch})
    if any(b < 1 for b in wanted):
        raise InputError("batch sizes must be at least 1")
    if not wanted:
        return []
    out = []
    today_tput = ctx.batch * 1000.0 / ctx.today_ms
    for pred in ctx.predict([ctx.hw], [ctx.precision], batches=wanted):
        tput = pred.batch * 1000.0 / pred.latency_ms
        opt = make_option(ctx, pred, "batch", f"batch {pred.batch} on {ctx.hw.id} (throughput)",
                      speedup=tput / today_tput)
        opt.notes.append("speedup is samples/s over today's; each call takes "
                         f"{pred.latency_ms / ctx.today_ms:.2g}x as long")
        out.append(opt)
    return out


def _pruning_options(ctx: Context, today: Option, fractions: Sequence[float]) -> list[Option]:
    """Structured pruning what-ifs: today's latency times the pruned/unpruned roofline ratio.

    The kernels' efficiency is held at today's (pruned layers are narrower but of the same kind).
    """
    out = []
    prec = ran_precision(ctx.runtime, ctx.hw, ctx.precision)
    base = kernel_bounds(ctx.profile.scaled(ctx.batch), ctx.hw, prec, ctx.threads, ctx.runtime).total_s
    for f in fractions:
        pruned = prune_profile(ctx.profile, f).scaled(ctx.batch)
        ratio = (kernel_bounds(pruned, ctx.hw, prec, ctx.threads, ctx.runtime).total_s / base
                 if base else 1.0)
        latency = today.latency_ms * ratio
        pred = Prediction(today.label, ctx.hw.id, today.hw_name, ctx.precision, ctx.batch, ctx.seq_len,
                          ctx.threads, ctx.runtime, latency,
                          (today.interval_ms[0] * ratio, today.interval_ms[1] * ratio), 0.0,
                          0.0, 0.0, today.compute_share, today.memory_share, today.overhead_share,
                          basis=today.basis,
                          notes=[f"what-if: {f:.0%} of channels/heads removed from every matrix "
                                 "kernel (FLOPs and weights scale by the kept share); needs "
                                 "fine-tuning to recover accuracy"])
        out.append(make_option(ctx, pred, "pruning", f"prune {f:.0%} of channels on {ctx.hw.id}",
                           prune=f))
    return out


def _upgrade_options(ctx: Context, candidates, kind, budget_usd, limit, devices: dict,
                     combine: bool = True):
    """Upgrades at today's precision, and each combined with its best feasible precision."""
    notes: list[str] = []
    explicit = candidates is not None
    if explicit:
        pool = [h for h in resolve_candidates(candidates) if h.id != ctx.hw.id]
    else:
        want = kind or getattr(ctx.hw, "kind", None)
        try:
            pool = table_candidates(want, budget_usd, exclude=ctx.hw.id)
        except InputError as exc:
            if kind is not None or budget_usd is not None:
                raise
            notes.append(f"no upgrade candidates: {exc}")
            return [], notes
    out = []
    unpredictable = [h for h in pool if not getattr(h, "mem_bw_gbs", None) or not getattr(h, "peaks", True)]
    for h in unpredictable:  # listed as infeasible, never dropped silently
        out.append(_unpredictable_option(ctx, h))
    pool = [h for h in pool if h not in unpredictable]
    if not pool:
        return out, notes
    precisions = [ctx.precision] + ([p for p in TRY_PRECISIONS if p != ctx.precision] if combine else [])
    preds = ctx.predict(pool, precisions, threads=None)
    per_device: dict[str, list[Option]] = {}
    by_id = {h.id: h for h in pool}
    for pred in preds:
        hw = by_id[pred.hw_id]
        same = pred.precision == ctx.precision
        label = f"upgrade to {hw.id}" + ("" if same else f" + {pred.precision}")
        opt = make_option(ctx, pred, "upgrade" if same else "upgrade+precision", label, hw=hw)
        opt.hw_name = hw.id  # short names read better in the explanation
        per_device.setdefault(hw.id, []).append(opt)
    chosen = list(per_device)
    if not explicit:
        items = []
        for hid, opts in per_device.items():
            ok = [o.latency_ms for o in opts if o.feasible] or [float("inf")]
            if min(ok) < ctx.today_ms:  # a slower device is no upgrade
                items.append((by_id[hid].price_usd, min(ok), hid))
        chosen = pareto_front(items, limit)
        notes.append(f"upgrade candidates: {len(chosen)} of the {len(pool)} priced "
                     f"{kind or getattr(ctx.hw, 'kind', '')} devices"
                     + (f" within ${budget_usd:,.0f}" if budget_usd is not None else "")
                     + ": those faster than today that no other device beats on both price and "
                     "latency")
    for hid in chosen:
        devices[hid] = by_id[hid]
        opts = per_device[hid]
        out.append(opts[0])
        others = [o for o in opts[1:] if o.feasible]
        if others:
            fastest = min(o.latency_ms for o in others)
            close = [o for o in others if o.latency_ms <= fastest * (1 + TIE)]
            out.append(min(close, key=lambda o: (risk_rank(o.accuracy_risk), o.latency_ms)))
        else:
            out.extend(o for o in opts[1:] if o.precision in ("fp16", "int8"))  # show why not
    return out, notes


def _unpredictable_option(ctx: Context, hw) -> Option:
    nan = float("nan")
    return Option("upgrade", f"upgrade to {hw.id}", hw.id, hw.id, ctx.precision, ctx.batch, None, nan,
                  (nan, nan), nan, nan, "none", "spec-only", False,
                  f"{hw.id} has no memory bandwidth or peak rate in the table: cannot be predicted",
                  getattr(hw, "price_usd", None))


def _hw_cost(o: Option) -> float:
    if o.kind not in ("upgrade", "upgrade+precision"):
        return 0.0
    return o.price_usd if o.price_usd is not None else float("inf")


def recommend(today: Option, options: list[Option], objective: str,
              target_ms: float | None) -> Option | None:
    """The best feasible, affordable option for the objective (today when nothing beats it).

    latency: the fastest; options within 5% of it are ranked by accuracy risk, then hardware cost.
    cost: the cheapest hardware (options on today's device cost nothing) meeting the target, then
    the lowest risk; without a target, the cheapest that is at least 10% faster than today.
    """
    pool = [o for o in options if o.feasible and o.within_budget and o.kind != "batch"]
    if objective == "latency":
        pool = pool + [today]
        best = min(o.latency_ms for o in pool)
        close = [o for o in pool if o.latency_ms <= best * (1 + TIE)]
        return min(close, key=lambda o: (risk_rank(o.accuracy_risk), _hw_cost(o), o.latency_ms))
    if target_ms is not None:
        meeting = [o for o in pool + [today] if o.meets_target]
        if meeting:
            return min(meeting, key=lambda o: (_hw_cost(o), risk_rank(o.accuracy_risk), o.latency_ms))
        return min(pool + [today], key=lambda o: o.latency_ms)
    faster = [o for o in pool if o.speedup >= 1.1]
    if not faster:
        return today
    return min(faster, key=lambda o: (_hw_cost(o), -o.speedup, risk_rank(o.accuracy_risk)))


def rank(options: list[Option]) -> list[Option]:
    """Feasible options first, fastest first; then the infeasible ones with their reasons."""
    return sorted(options, key=lambda o: (not o.feasible, o.latency_ms if o.latency_ms == o.latency_ms
                                          else float("inf")))
