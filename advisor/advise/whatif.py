"""Cost-model what-ifs on a graph's kernel profile: structured pruning, bytes moved, memory needed.

These are byte and FLOP accounting on :class:`~advisor.profile.GraphProfile` arrays (the roofline
and the prediction stay in ``advisor.roofline`` / ``advisor.api``).
"""

from __future__ import annotations

import numpy as np

from advisor.errors import InputError
from advisor.graph import GraphCost
from advisor.precision import MATRIX_CATEGORIES, Precision
from advisor.profile import CATEGORIES, GraphProfile

_MATRIX_CODES = [CATEGORIES.index(c) for c in MATRIX_CATEGORIES]
_DTYPE_BYTES = {"float32": 4, "float": 4, "float16": 2, "bfloat16": 2, "float64": 8, "double": 8,
                "int64": 8, "int32": 4, "int16": 2, "int8": 1, "uint8": 1, "bool": 1}
_KV_MARKERS = ("past", "cache", "key_values")


def prune_profile(profile: GraphProfile, fraction: float) -> GraphProfile:
    """The profile after removing ``fraction`` of the channels (or heads) of every matrix kernel.

    Structured pruning of a layer's output channels removes that share of its multiply-adds and
    of its weights, so FLOPs and weight bytes of conv / matmul / attention kernels scale by
    ``1 - fraction``. Activation bytes are left unchanged and the next layer's input channels are
    not counted as removed: a conservative what-if (pruning both sides would give (1-f)^2).
    """
    if not 0.0 <= fraction < 1.0:
        raise InputError(f"pruning fraction must be in [0, 1), got {fraction}")
    matrix = np.isin(profile.category, _MATRIX_CODES)
    keep = np.where(matrix, 1.0 - fraction, 1.0)
    return GraphProfile(profile.batch, profile.flops * keep, profile.act_bytes.copy(),
                        profile.weight_bytes * keep, profile.itemsize, profile.category,
                        int(round(profile.params * (1.0 - fraction))),
                        int(round(profile.weight_bytes_stored * (1.0 - fraction))),
                        profile.shape_stats, profile.top_ops, profile.int8_unfused)


def bytes_moved(profile: GraphProfile, precision: Precision) -> float:
    """Bytes the kernels read and write when run in ``precision`` (the profile's own batch)."""
    act = profile.act_bytes * (precision.activation_bytes / profile.itemsize)
    weight = profile.weight_bytes * (precision.weight_bytes / profile.itemsize)
    return float((act + weight).sum())


def is_decoder_with_cache(graph: GraphCost) -> bool:
    """A language-model decoding step: the graph takes a KV cache (past_key_values...) as input."""
    return any(any(m in t.name.lower() for m in _KV_MARKERS) for t in graph.inputs)


def memory_needed_gb(graph: GraphCost, profile: GraphProfile, precision: Precision, batch: int,
                     prune: float = 0.0) -> dict[str, float]:
    """Device memory one inference needs: weights in ``precision`` plus an activation estimate.

    Activations: every graph input (the KV cache of a decoder included) plus the largest kernel's
    inputs and outputs, per sample, times the batch -- a lower bound on the peak working set,
    since runtimes keep only a few tensors alive at once.
    """
    weights = graph.params * (1.0 - prune) * precision.weight_bytes
    inputs = 0.0
    for t in graph.inputs:
        if t.is_weight or not t.shape:
            continue
        n = float(np.prod([max(int(d), 1) for d in t.shape]))
        size = _DTYPE_BYTES.get(t.dtype, 4)
        if t.dtype.startswith(("float", "bfloat")):
            size = precision.activation_bytes
        inputs += n * size
    largest = 0.0
    if profile.n_kernels:
        largest = float(np.max(profile.act_bytes * (precision.activation_bytes / profile.itemsize)))
    per_sample = (inputs + largest) / max(profile.batch, 1)
    activations = per_sample * batch
    return {"weights_gb": weights / 1e9, "activations_gb": activations / 1e9,
            "total_gb": (weights + activations) / 1e9}
