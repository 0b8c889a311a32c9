"""A per-device kernel-sum model: time as a weighted sum of per-category roofline terms.

Why: the efficiency regressor sees graph-level aggregates, and trees do not extrapolate to a
network family they never saw. A runtime's time, though, is close to a sum over the kernels it
runs: each category (conv, matmul, attention, pointwise, norm, ...) has its own achieved fraction
of peak FLOPs and of bandwidth on one device, plus a fixed cost per kernel. Fitting those few
non-negative coefficients per (device, runtime, precision, threads) on measured rows gives a
model that composes: a new family is just a new mix of kernels (nn-Meter's idea, fitted here on
end-to-end times because per-kernel times are not in the data). Its prediction enters the
regressor as one feature, so every prediction stays roofline-bounded and falls back gracefully
(NaN feature) on devices without enough measured rows.

Basis per category: compute-bound seconds, weight-read seconds, activation-traffic seconds, and
the kernel count (in millions, so its coefficient reads as microseconds per kernel).
"""

from __future__ import annotations

import math
from typing import Iterable

import numpy as np

from advisor.errors import AdvisorError
from advisor.precision import Precision
from advisor.profile import CATEGORIES, GraphProfile
from advisor.roofline import KernelBounds

BASIS_GROUPS = {"conv": ("conv",), "matmul": ("matmul",), "attention": ("attention",),
                "pointwise": ("elementwise", "activation", "quant"), "norm": ("norm",),
                "pool": ("pool", "reduce", "resize"), "data": ("data",),
                "other": ("rnn", "unknown", "other")}
_TERMS = ("compute_s", "weight_s", "activation_s", "kernels_M")
BASIS_NAMES = [f"{g}_{t}" for g in BASIS_GROUPS for t in _TERMS]
_GROUP_OF_CATEGORY = np.array([next(i for i, cats in enumerate(BASIS_GROUPS.values()) if c in cats)
                               for c in CATEGORIES])   # every category belongs to one group
MIN_ROWS = 20          # rows of one setting needed before its coefficients are trusted
MIN_GRAPHS = 4         # ... spread over at least this many graphs
#: How far a row's share of roofline time in one kernel group may exceed the largest share that
#: group had among the rows its setting was fitted on before the fit is not applied to the row.
#: A group no fitted row spent time in has a coefficient nothing constrained: the Xeon's settings,
#: fitted on convnets alone, put held-out decoders (82% matrix products on average) at 262x their
#: roofline where they ran at 1.7x (``reports/ablations/random_decoder_holdout.txt``). Out of fold
#: by graph, the kernel sum's median |log error| is 0.09 within the margin and 0.33 beyond it
#: (``reports/ablations/kernel_mix_margin.txt``).
MIX_MARGIN = 0.1


def basis_row(scaled: GraphProfile, bounds: KernelBounds, precision: Precision) -> np.ndarray:
    """The basis terms of one (graph at its batch, device, precision) configuration."""
    weight_bytes = scaled.weight_bytes * precision.weight_bytes / scaled.itemsize
    act_bytes = scaled.act_bytes * precision.activation_bytes / scaled.itemsize
    total_bytes = weight_bytes + act_bytes
    # bounds.memory_s already holds bytes / effective bandwidth: split it by byte share
    share = np.divide(weight_bytes, total_bytes, out=np.zeros_like(total_bytes), where=total_bytes > 0)
    group = _GROUP_OF_CATEGORY[scaled.category]
    n = len(BASIS_GROUPS)
    terms = (np.bincount(group, weights=bounds.compute_s, minlength=n),
             np.bincount(group, weights=bounds.memory_s * share, minlength=n),
             np.bincount(group, weights=bounds.memory_s * (1 - share), minlength=n),
             np.bincount(group, minlength=n) * 1e-6)
    return np.stack(terms, axis=1).ravel()          # group-major, as BASIS_NAMES


def group_shares(basis: np.ndarray) -> np.ndarray:
    """Per row, each basis group's share of its roofline terms (compute, weight and activation
    seconds; kernel counts left out): the kernel mix a setting's coefficients were fitted on."""
    basis = np.atleast_2d(np.asarray(basis, float))
    terms = np.nan_to_num(basis.reshape(len(basis), len(BASIS_GROUPS), len(_TERMS))[:, :, :3].sum(axis=2))
    total = terms.sum(axis=1, keepdims=True)
    return np.divide(terms, total, out=np.zeros_like(terms), where=total > 0)


def within_mix(shares: np.ndarray, largest) -> np.ndarray:
    """Per row of ``shares`` (:func:`group_shares`): True where no kernel group exceeds its
    ``largest`` share (the most it took among a setting's fitted rows) by more than MIX_MARGIN."""
    excess = np.atleast_2d(np.asarray(shares, float)) - np.asarray(largest, float)
    return excess.max(axis=1) <= MIX_MARGIN


def is_kernel_mix(values) -> bool:
    """Whether ``values`` (from a model file) is one share in [0, 1] per kernel group."""
    return (isinstance(values, list) and len(values) == len(BASIS_GROUPS)
            and all(isinstance(v, (int, float)) and 0 <= v <= 1 for v in values))


def setting_key(hw_id: str, runtime: str, precision: str, threads) -> str:
    """The setting one set of coefficients belongs to."""
    t = "-" if threads is None or (isinstance(threads, float) and math.isnan(threads)) else int(threads)
    return f"{hw_id}|{runtime}|{precision}|{t}"


def runtime_precision_groups(keys) -> np.ndarray:
    """The (runtime, precision) part of setting keys: the groups that get intervals of their own."""
    return np.array(["|".join(str(k).split("|")[1:3]) for k in keys])


def _nnls_relative(basis: np.ndarray, seconds: np.ndarray) -> np.ndarray:
    """Non-negative coefficients minimising the squared *relative* error of basis @ coef."""
    from scipy.optimize import nnls

    scale = basis.max(axis=0)
    scale[scale <= 0] = 1.0
    coef, _ = nnls(basis / scale / seconds[:, None], np.ones(len(seconds)), maxiter=50 * basis.shape[1])
    return coef / scale


class KernelSumModel:
    """Non-negative per-setting coefficients over :data:`BASIS_NAMES`, with the largest share of
    each kernel group among the rows each setting was fitted on (``max_shares_``)."""

    def __init__(self, min_rows: int = MIN_ROWS, min_graphs: int = MIN_GRAPHS):
        self.min_rows = min_rows
        self.min_graphs = min_graphs
        self.coefficients_: dict[str, np.ndarray] = {}
        self.max_shares_: dict[str, np.ndarray] = {}

    def fit(self, basis: np.ndarray, seconds: np.ndarray, keys: Iterable[str],
            graphs: Iterable[str] | None = None) -> "KernelSumModel":
        """Fit every setting (key) with at least ``min_rows`` rows over ``min_graphs`` graphs."""
        basis, seconds = np.asarray(basis, float), np.asarray(seconds, float)
        keys = np.asarray(list(keys)).astype(str)
        graphs = keys if graphs is None else np.asarray(list(graphs)).astype(str)
        ok = np.isfinite(basis).all(axis=1) & np.isfinite(seconds) & (seconds > 0)
        self.coefficients_, self.max_shares_ = {}, {}
        for key in np.unique(keys[ok]):
            rows = ok & (keys == key)
            if rows.sum() >= self.min_rows and len(np.unique(graphs[rows])) >= self.min_graphs:
                self.coefficients_[str(key)] = _nnls_relative(basis[rows], seconds[rows])
                self.max_shares_[str(key)] = group_shares(basis[rows]).max(axis=0)
        return self

    def covers(self, basis: np.ndarray, keys: Iterable[str]) -> np.ndarray:
        """Per row: True where its setting has coefficients and no kernel group takes more than
        ``MIX_MARGIN`` above the largest share that group had among the setting's fitted rows."""
        keys = np.asarray(list(keys)).astype(str)
        shares = group_shares(basis)
        out = np.zeros(len(keys), bool)
        for key in np.unique(keys):
            seen = self.max_shares_.get(str(key))    # set with the setting's coefficients
            if seen is not None:
                rows = keys == key
                out[rows] = within_mix(shares[rows], seen)
        return out

    def predict(self, basis: np.ndarray, keys: Iterable[str]) -> np.ndarray:
        """Predicted seconds; NaN for settings without coefficients and for rows whose kernel mix
        the setting's fit did not cover (:meth:`covers`)."""
        basis = np.atleast_2d(np.asarray(basis, float))
        keys = np.asarray(list(keys)).astype(str)
        out = np.full(len(keys), np.nan)
        for key in np.unique(keys):
            coef = self.coefficients_.get(str(key))
            if coef is not None:
                rows = keys == key
                with np.errstate(invalid="ignore"):
                    out[rows] = basis[rows] @ coef
        out[~(out > 0) | ~self.covers(basis, keys)] = np.nan
        return out

    def to_json(self) -> dict:
        return {"basis": BASIS_NAMES, "min_rows": self.min_rows, "min_graphs": self.min_graphs,
                "coefficients": {k: v.tolist() for k, v in self.coefficients_.items()},
                "groups": list(BASIS_GROUPS),
                "max_shares": {k: v.tolist() for k, v in self.max_shares_.items()}}

    @classmethod
    def from_json(cls, data) -> "KernelSumModel":
        """Validated model from its JSON form (raises AdvisorError on anything malformed)."""
        if not isinstance(data, dict) or data.get("basis") != BASIS_NAMES:
            raise AdvisorError("kernel-sum model: basis does not match this code (retrain)")
        coefs, shares = data.get("coefficients"), data.get("max_shares")
        if not isinstance(coefs, dict):
            raise AdvisorError("kernel-sum model: 'coefficients' must be an object")
        if data.get("groups") != list(BASIS_GROUPS) or not isinstance(shares, dict) \
                or set(shares) != set(coefs):
            raise AdvisorError("kernel-sum model: no kernel-mix coverage for its settings (retrain)")
        model = cls(int(data.get("min_rows", MIN_ROWS)), int(data.get("min_graphs", MIN_GRAPHS)))
        for key, values in coefs.items():
            if not (isinstance(values, list) and len(values) == len(BASIS_NAMES)
                    and all(isinstance(v, (int, float)) and math.isfinite(v) and v >= 0 for v in values)):
                raise AdvisorError(f"kernel-sum model: invalid coefficients for {key!r}")
            model.coefficients_[str(key)] = np.asarray(values, float)
            seen = shares[key]
            if not is_kernel_mix(seen):
                raise AdvisorError(f"kernel-sum model: invalid kernel-mix shares for {key!r}")
            model.max_shares_[str(key)] = np.asarray(seen, float)
        return model


def cross_fitted(basis: np.ndarray, seconds: np.ndarray, keys, graphs, folds: int = 5,
                 seed: int = 0) -> np.ndarray:
    """Out-of-fold kernel-sum predictions: each row predicted by coefficients fitted without
    any row of its graph, so the regressor learns how far to trust the feature on new graphs."""
    graphs = np.asarray(list(graphs)).astype(str)
    keys = np.asarray(list(keys)).astype(str)
    unique = np.unique(graphs)
    rng = np.random.default_rng(seed)
    fold_of = dict(zip(unique, rng.permutation(len(unique)) % folds))
    fold = np.array([fold_of[g] for g in graphs])
    out = np.full(len(seconds), np.nan)
    for k in range(folds):
        test = fold == k
        if not test.any():
            continue
        model = KernelSumModel().fit(basis[~test], seconds[~test], keys[~test], graphs[~test])
        out[test] = model.predict(basis[test], keys[test])
    return out


def log_ratio_feature(predicted_s: np.ndarray, roofline_s: np.ndarray) -> np.ndarray:
    """The regressor's feature: log(kernel-sum time / roofline time); NaN where unavailable."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.log(np.asarray(predicted_s, float) / np.asarray(roofline_s, float))


def with_kernel_sum(X: np.ndarray, kernel_sum: KernelSumModel | None, basis: np.ndarray,
                    keys, roofline_s: np.ndarray) -> np.ndarray:
    """A copy of feature matrix ``X`` with its kernel-sum column set from ``kernel_sum``
    (NaN without a model or for settings it has no coefficients for)."""
    from advisor.features import kernel_sum_column

    X = np.array(X, dtype=float, copy=True)
    X[:, kernel_sum_column()] = (np.nan if kernel_sum is None else
                                 log_ratio_feature(kernel_sum.predict(basis, keys), roofline_s))
    return X
