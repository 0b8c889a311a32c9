"""Which devices to consider as upgrades: explicit ids, or table rows chosen by kind and budget."""

from __future__ import annotations

from typing import Iterable, Sequence

from advisor.errors import InputError
from advisor.hardware import get_hardware, load_table


def resolve_candidates(ids: Iterable | None) -> list:
    """Hardware records for explicit ids/aliases/spec files (or objects, passed through)."""
    out = []
    for item in ids or []:
        if isinstance(item, str):
            parts = [p.strip() for p in item.split(",") if p.strip()]
            out.extend(get_hardware(p) for p in parts)
        else:
            out.append(item)
    return out


def table_candidates(kind: str | None, budget_usd: float | None, exclude: str | None = None,
                     priced_only: bool = True) -> list:
    """Table devices of ``kind`` (any kind when None) priced at most ``budget_usd``.

    Devices without a ``price_usd`` cannot be costed, so they are left out when ``priced_only``.
    """
    kinds = {k.strip() for k in kind.split(",")} if kind else None
    rows = []
    for hw in load_table():
        if hw.id == exclude or (kinds and hw.kind not in kinds):
            continue
        if not hw.mem_bw_gbs or not hw.peaks:  # cannot be predicted without both
            continue
        if priced_only and hw.price_usd is None:
            continue
        if budget_usd is not None and (hw.price_usd is None or hw.price_usd > budget_usd):
            continue
        rows.append(hw)
    if not rows:
        what = f"kind {kind!r}" if kind else "any kind"
        money = f" priced at most ${budget_usd:,.0f}" if budget_usd is not None else " with a price"
        raise InputError(f"no device of {what}{money} in the hardware table")
    return rows


def pareto_front(items: Sequence[tuple[float, float, object]], limit: int) -> list:
    """Objects not beaten on both price and latency by another (items: (price, latency, obj)).

    Sorted by price; at most ``limit`` (cheapest first, the fastest always kept).
    """
    front, best = [], float("inf")
    for price, latency, obj in sorted(items, key=lambda t: (t[0], t[1])):
        if latency < best:
            front.append(obj)
            best = latency
    if len(front) > limit:
        front = front[: limit - 1] + [front[-1]]
    return front
