"""How much a seen device's prediction should follow the kernel sum rather than the trees.

The kernel sum (``advisor.kernel_sum``) enters the trees as a feature, but the trees learn how
far to trust it from rows whose relatives they also saw: leaving one model family out, the
kernel sum alone was closer than the trees for most families on our hosts (LLaMA, NAS-Bench-201
cells, random MLPs, ViT), and farther for a few (OFA, random CNNs), while on HELP's NAS tables
the trees are far closer. So each interval group (runtime, precision) gets a weight ``w`` fitted
on out-of-fold predictions of both, held out by the same units (model families for our rows,
graphs for public ones): the seen-device log efficiency is ``(1 - w) * trees + w * kernel sum``
wherever the kernel sum covers the row. This is stacking, fitted like an offset: from residuals
of predictions for units the models did not see.
"""

from __future__ import annotations

import numpy as np

from advisor.features import kernel_sum_column
from advisor.setting_offsets import RESIDUAL_CLIP

#: a group's weight is fitted only on at least this many rows with both predictions ...
MIN_ROWS = 30
#: ... over at least this many held-out units (families or graphs)
MIN_UNITS = 3


def kernel_sum_weights(y: np.ndarray, tree_residuals: np.ndarray, kernel_sum_efficiency: np.ndarray,
                       keys: np.ndarray, units: np.ndarray, usable: np.ndarray | None = None
                       ) -> tuple[dict[str, float], np.ndarray]:
    """(weight per group, the blend's residuals) from out-of-fold tree residuals and the kernel
    sum's out-of-fold log efficiencies (NaN where it has none), over the ``usable`` rows (default
    all; training hides the kernel-sum feature from some rows' trees, whose residuals would
    overstate what the kernel sum adds).

    The weight minimises the squared residual of the blend over the group's rows with both,
    each residual clipped at ``RESIDUAL_CLIP`` so one broken row cannot decide it, and is
    bounded to [0, 1]. Rows without a kernel sum keep the trees' residual."""
    y = np.asarray(y, float)
    tree_residuals = np.asarray(tree_residuals, float)
    kernel_residuals = y - np.asarray(kernel_sum_efficiency, float)
    tree = np.clip(tree_residuals, -RESIDUAL_CLIP, RESIDUAL_CLIP)
    kernel = np.clip(kernel_residuals, -RESIDUAL_CLIP, RESIDUAL_CLIP)
    keys, units = np.asarray(keys).astype(str), np.asarray(units).astype(str)
    both = np.isfinite(tree) & np.isfinite(kernel)
    fitted = both & (np.ones(len(y), bool) if usable is None else np.asarray(usable, bool))
    weights: dict[str, float] = {}
    blended = tree_residuals.copy()
    for key in np.unique(keys[fitted]):
        rows = fitted & (keys == key)
        if rows.sum() < MIN_ROWS or len(np.unique(units[rows])) < MIN_UNITS:
            continue
        gap = tree[rows] - kernel[rows]
        denominator = float(gap @ gap)
        if denominator <= 0:
            continue
        weight = float(np.clip(tree[rows] @ gap / denominator, 0.0, 1.0))
        weights[str(key)] = weight
        # unclipped: the residual of the blend as it will be predicted, on every row with both
        moved = both & (keys == key)
        blended[moved] = tree_residuals[moved] - weight * (tree_residuals[moved] - kernel_residuals[moved])
    return weights, blended


def blend_kernel_sum(log_efficiency: np.ndarray, X: np.ndarray, keys: np.ndarray,
                     weights: dict[str, float], rows: np.ndarray) -> np.ndarray:
    """``log_efficiency`` moved towards the kernel sum of feature matrix ``X`` by each row's
    group weight, on ``rows`` where the kernel sum covers the row (others unchanged)."""
    kernel = -np.asarray(X, float)[:, kernel_sum_column()]     # the feature is log(time / roofline)
    weight = np.array([weights.get(str(k), 0.0) for k in keys], float)
    use = np.asarray(rows, bool) & np.isfinite(kernel) & (weight > 0)
    out = np.asarray(log_efficiency, float).copy()
    out[use] = (1 - weight[use]) * out[use] + weight[use] * kernel[use]
    return out
