"""``plan``: the cheapest hardware and precision that meet a latency target, and how many devices
serve a throughput target.

    from advisor.plan import plan
    p = plan("model.onnx", target_ms=20, qps=500, kind="gpu")
    p.choice.hw_id, p.choice.precision, p.choice.devices_needed, p.choice.total_usd

Every device of the table (or of ``kind``, or the given ``candidates``) is predicted in every
precision with one ``predict_many`` call; options that do not fit the device's memory or need a
format it lacks are kept with their reason. Devices needed for ``qps`` queries per second at the
option's predicted latency: ``ceil(qps / (batch * 1000 / latency_ms))``.
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass, field
from typing import Iterable, Sequence

from advisor.advise.candidates import resolve_candidates, table_candidates
from advisor.advise.core import TRY_PRECISIONS, make_context, make_option
from advisor.advise.options import RISK_ORDER, risk_rank
from advisor.errors import InputError

SCHEMA = "advisor.plan/1"


@dataclass
class PlanRow:
    hw_id: str
    hw_name: str
    kind: str
    precision: str
    latency_ms: float
    interval_ms: tuple[float, float]
    throughput_per_s: float        # per device, samples (tokens when decoding) per second
    devices_needed: int
    price_usd: float | None
    total_usd: float | None
    accuracy_risk: str
    basis: str
    feasible: bool
    reason: str
    meets_target: bool
    within_budget: bool

    def to_dict(self) -> dict:
        data = asdict(self)
        data["interval_ms"] = list(self.interval_ms)
        return data


@dataclass
class Plan:
    model: str
    target_ms: float
    qps: float | None
    batch: int
    seq_len: int | None
    budget_usd: float | None
    kind: str | None
    max_risk: str
    choice: PlanRow | None
    reason: str
    rows: list[PlanRow]               # feasible, meeting the target, within budget: cheapest first
    unpriced: list[PlanRow]           # meet the target but the table has no price
    rejected: list[PlanRow] = field(default_factory=list)  # infeasible (with reasons) or over budget
    considered: int = 0
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"schema": SCHEMA, "model": self.model, "target_ms": self.target_ms, "qps": self.qps,
                "batch": self.batch, "seq_len": self.seq_len, "budget_usd": self.budget_usd,
                "kind": self.kind, "max_risk": self.max_risk,
                "choice": self.choice.to_dict() if self.choice else None, "reason": self.reason,
                "rows": [r.to_dict() for r in self.rows],
                "unpriced": [r.to_dict() for r in self.unpriced],
                "rejected": [r.to_dict() for r in self.rejected], "considered": self.considered,
                "notes": self.notes}


def plan(model, target_ms: float, qps: float | None = None, budget_usd: float | None = None,
         kind: str | None = None, candidates: Iterable | None = None, batch: int = 1,
         seq_len: int | None = None, dims: dict | None = None,
         precisions: Sequence[str] | None = None, max_risk: str = "high",
         runtime: str = "onnxruntime", models: str | None = None,
         ignore_calibration: bool = False, limit: int = 10) -> Plan:
    """Cheapest (hardware, precision) with predicted latency <= ``target_ms`` (see module doc)."""
    if qps is not None and not (qps > 0 and math.isfinite(qps)):
        raise InputError(f"qps must be a positive number, got {qps}")
    if max_risk not in RISK_ORDER:
        raise InputError(f"unknown risk level '{max_risk}'; choose from {', '.join(RISK_ORDER)}")
    ctx = make_context(model, None, batch, seq_len, dims, "fp32", None, runtime, models,
                       ignore_calibration, target_ms, None, "cost")
    if target_ms is None:
        raise InputError("plan needs a latency target (--target-ms)")
    devices = (resolve_candidates(candidates) if candidates is not None
               else table_candidates(kind, None, priced_only=False))
    if not devices:
        raise InputError("no candidate devices")
    from advisor.advise.options import PRECISION_RISK
    wanted = list(precisions) if precisions else ["fp32", *TRY_PRECISIONS]
    wanted = [p for p in wanted if risk_rank(PRECISION_RISK.get(p, "medium")) <= risk_rank(max_risk)]
    if not wanted:
        raise InputError(f"no precision has accuracy risk at most '{max_risk}'")
    by_id = {h.id: h for h in devices}
    rows, rows_notes = [], set()
    for pred in ctx.predict(devices, wanted, threads=None):
        rows_notes.update(pred.notes)
        hw = by_id[pred.hw_id]
        opt = make_option(ctx, pred, "plan", f"{pred.precision} on {hw.id}", hw=hw)
        tput = opt.throughput_per_s
        needed = max(1, math.ceil(qps / tput - 1e-9)) if qps else 1
        total = hw.price_usd * needed if hw.price_usd is not None else None
        within = budget_usd is None or (total is not None and total <= budget_usd)
        rows.append(PlanRow(hw.id, hw.name, hw.kind, pred.precision, opt.latency_ms, opt.interval_ms,
                            tput, needed, hw.price_usd, total, opt.accuracy_risk, opt.basis,
                            opt.feasible, opt.reason, bool(opt.latency_ms <= target_ms), within))
    good = [r for r in rows if r.feasible and r.meets_target]
    priced = sorted([r for r in good if r.total_usd is not None and r.within_budget],
                    key=lambda r: (r.total_usd, risk_rank(r.accuracy_risk), r.latency_ms))
    unpriced = sorted([r for r in good if r.total_usd is None], key=lambda r: r.latency_ms)
    rejected = sorted([r for r in rows if r.meets_target and (not r.feasible or not r.within_budget)],
                      key=lambda r: r.latency_ms)
    choice = priced[0] if priced else None
    reason = _reason(choice, target_ms, qps, rows, budget_usd)
    name = model if isinstance(model, str) else getattr(getattr(model, "graph", None), "name", "model")
    notes = []
    if rows and "no trained model" in " ".join(rows_notes):
        notes.append("no trained model: latencies are roofline lower bounds")
    if ctx.decoding:
        notes.append("decoding graph: throughput is tokens per second (one token per sequence per step)")
    return Plan(str(name), target_ms, qps, ctx.batch, ctx.seq_len, budget_usd, kind, max_risk, choice,
                reason, priced[:limit], unpriced[:limit], rejected[:limit], len(rows), notes)


def _reason(choice: PlanRow | None, target_ms: float, qps, rows: list[PlanRow], budget) -> str:
    if choice is None:
        feasible = [r for r in rows if r.feasible]
        if not feasible:
            return "no device can run the model (see rejected rows for the reasons)"
        best = min(feasible, key=lambda r: r.latency_ms)
        extra = f" within ${budget:,.0f}" if budget is not None else " with a known price"
        return (f"no priced device{extra} meets {target_ms:g} ms; the fastest feasible option is "
                f"{best.precision} on {best.hw_id} at {best.latency_ms:.3g} ms")
    serve = (f"; {choice.devices_needed} device(s) at {choice.throughput_per_s:.4g}/s each serve "
             f"{qps:g}/s" if qps else "")
    return (f"{choice.precision} on {choice.hw_id} is predicted at {choice.latency_ms:.3g} ms "
            f"(target {target_ms:g} ms) for ${choice.total_usd:,.0f}{serve}, "
            f"accuracy risk {choice.accuracy_risk}")
