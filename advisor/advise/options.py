"""The records the advisor produces: one ``Option`` per way of running the model, and its risk.

Accuracy risk is a property of the number format (how much a format usually costs in accuracy
without retraining), not of the hardware; the prediction basis says how much to trust the latency.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field

#: accuracy risk of running in each precision (weight-only int8 is near-lossless in GPTQ/AWQ/GGUF
#: practice, int8 weights+activations needs calibration, int4 loses measurably without care)
PRECISION_RISK = {"fp32": "none", "fp16": "none", "bf16": "none", "fp8": "low", "int8-weight": "low",
                  "int8": "medium", "int8-dynamic": "medium", "int4-weight": "high"}
RISK_ORDER = ("none", "low", "medium", "high")
#: weight-only formats dequantize in software: a device without fp16 math still runs them (in fp32)
WEIGHT_ONLY = {"int8-weight", "int4-weight"}


def risk_rank(risk: str) -> int:
    return RISK_ORDER.index(risk) if risk in RISK_ORDER else len(RISK_ORDER)


@dataclass
class Option:
    """One way to run the model: what changes, how fast it is predicted to be, at what cost and risk."""

    kind: str                  # today / precision / threads / batch / pruning / upgrade / upgrade+precision
    label: str
    hw_id: str
    hw_name: str
    precision: str
    batch: int
    threads: int | None
    latency_ms: float
    interval_ms: tuple[float, float]
    speedup: float             # today's latency / this latency (throughput ratio for batch options)
    throughput_per_s: float    # samples (or tokens, when decoding) per second
    accuracy_risk: str = "none"
    basis: str = "spec-only"
    feasible: bool = True
    reason: str = ""           # why infeasible, empty when feasible
    price_usd: float | None = None        # purchase price of the device this option runs on
    price_diff_usd: float | None = None   # vs today's device; 0 for options on today's device
    usd_per_speedup: float | None = None  # hardware dollars per 1x of speedup gained
    within_budget: bool = True
    meets_target: bool | None = None
    memory_gb: float = 0.0     # weights + activations this option needs
    compute_share: float = 0.0
    memory_share: float = 0.0
    overhead_share: float = 0.0
    pruned_fraction: float = 0.0
    tokens_per_s: float | None = None     # decoding graphs: batch * 1000 / latency
    notes: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        data = asdict(self)
        data["interval_ms"] = list(self.interval_ms)
        return data
