"""A batch cannot finish sooner than batch 1: each prediction is floored at batch 1's.

A batch of b inputs does at least the work of one of them, so on the same device, precision,
sequence length, threads and runtime its latency is at least batch 1's. The learned efficiency
does not know this: trained on rows where larger batches run at higher efficiency, it can
overshoot where the data are thin (session 29's model put ResNet-50 under TensorRT fp32 on an
A100 at batch 32 in 1.32 ms, below batch 1's 6.07 ms; ``reports/monotonicity.md`` counts how
often). Raising such a row to
batch 1's prediction, median and both interval ends alike, keeps every table physically ordered
and gives the same answer whichever other batches a call asks for.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Sequence

if TYPE_CHECKING:     # advisor.api imports this module
    from advisor.api import Prediction


def configuration_key(row: "Prediction") -> tuple:
    """Everything but the batch: rows with one key differ only in batch size."""
    return row.hw_id, row.precision, row.seq_len, row.threads, row.runtime


def floor_at_batch_one(rows: Sequence["Prediction"]) -> int:
    """Raise every row predicted faster than its configuration's batch-1 row (when ``rows`` hold
    one) to that row's latency and interval ends, in place; returns how many were raised."""
    reference = {configuration_key(row): row for row in rows if row.batch == 1}
    raised = 0
    for row in rows:
        ref = reference.get(configuration_key(row))
        if ref is None or row.batch == 1 or not row.latency_ms < ref.latency_ms:
            continue
        was_ms, was_share = row.latency_ms, min(row.efficiency, 1.0)
        row.latency_ms = ref.latency_ms
        row.interval_ms = (max(row.interval_ms[0], ref.interval_ms[0]),
                           max(row.interval_ms[1], ref.interval_ms[1]))
        row.efficiency = row.roofline_ms / row.latency_ms
        if was_share > 0:    # compute and memory shares were scaled by min(efficiency, 1)
            scale = min(row.efficiency, 1.0) / was_share
            row.compute_share, row.memory_share = row.compute_share * scale, row.memory_share * scale
            row.overhead_share = 1.0 - row.compute_share - row.memory_share
        row.notes.append(f"raised to batch 1's {ref.latency_ms:.3g} ms: the model put batch {row.batch} "
                         f"at {was_ms:.3g} ms, faster than one input, which cannot happen")
        raised += 1
    return raised
