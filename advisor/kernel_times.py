"""Per-kernel features, the same for a kernel onnxruntime ran and for one ``advisor.kernels`` predicts.

A per-kernel time model (nn-Meter's approach) learns from profiled kernels
(``advisor.measure.node_profile``) and predicts the kernels of a graph it never ran. Both sides
must describe a kernel the same way, so both go through the operator cost registry
(``advisor.opcost``): a profiled kernel's op type and shapes are costed by the very handler that
costs the graph's node, and bytes are activation reads, weight reads and writes on both sides
(onnxruntime reports the first two per kernel; it knows which inputs are initializers).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.graph.analysis import tensor_bytes
from advisor.kernels import Kernel
from advisor.opcost.registry import NodeView, lookup
from advisor.precision import Precision
from advisor.profile import CATEGORIES, GraphProfile

#: onnxruntime's type names in profiles -> ONNX element type codes
ORT_TYPES = {"float": 1, "uint8": 2, "int8": 3, "uint16": 4, "int16": 5, "int32": 6, "int64": 7,
             "bool": 9, "float16": 10, "double": 11, "uint32": 12, "uint64": 13, "bfloat16": 16}
PRECISIONS = ("fp32", "int8-dynamic", "int8-static")
#: advisor's precision names -> the variant names of our measurements (``advisor.measure``)
MEASURED_PRECISION = {"fp32": "fp32", "int8": "int8-static", "int8-dynamic": "int8-dynamic"}
# Activation reads and output writes are one feature: a graph profile keeps them summed per
# kernel (``GraphProfile.act_bytes``), so a profiled kernel is described the same way.
FEATURES = (["log_flops", "log_activation_traffic", "log_weight_bytes", "log_intensity", "threads"]
            + [f"category_{c}" for c in CATEGORIES] + [f"precision_{p}" for p in PRECISIONS])


def _parse(text: str) -> tuple[list[tuple[int, ...]], list[int]]:
    """``"float:1x3x224x224;int64:"`` -> shapes and element types."""
    shapes, types = [], []
    for part in text.split(";") if text else []:
        dtype, _, dims = part.partition(":")
        shapes.append(tuple(int(d) for d in dims.split("x") if d))
        types.append(ORT_TYPES.get(dtype, 1))
    return shapes, types


def _bytes(shapes, types) -> int:
    return sum(tensor_bytes(s, t) for s, t in zip(shapes, types))


def profiled_kernel(op: str, inputs: str, outputs: str, activation_bytes: int | None = None,
                    parameter_bytes: int | None = None, output_bytes: int | None = None) -> dict:
    """Category, FLOPs and bytes of one kernel of an onnxruntime profile (NODE_FIELDS order)."""
    in_shapes, in_types = _parse(inputs)
    out_shapes, out_types = _parse(outputs)
    entry = lookup("com.microsoft", op)          # falls back to the standard domain
    flops = 0
    if entry is not None:
        view = NodeView(op_type=op, domain="", name=op, attrs={}, input_shapes=list(in_shapes),
                        input_types=in_types, output_shapes=list(out_shapes), output_types=out_types)
        try:
            flops = int(entry.handler(view).flops)
        except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError):
            flops = 0
    total_in = _bytes(in_shapes, in_types)
    weight = parameter_bytes if parameter_bytes is not None else 0
    act = activation_bytes if activation_bytes is not None else max(total_in - weight, 0)
    out = output_bytes if output_bytes is not None else _bytes(out_shapes, out_types)
    return {"category": entry.category if entry else "unknown", "flops": flops,
            "activation_bytes": act, "weight_bytes": weight, "output_bytes": out}


def predicted_kernel(kernel: Kernel) -> dict:
    """The same description of one launch of a kernel from ``advisor.kernels.fuse``."""
    r = max(int(kernel.repeats), 1)
    return {"category": kernel.category, "flops": kernel.flops / r,
            "activation_bytes": kernel.bytes_act_read / r, "weight_bytes": kernel.bytes_weight_read / r,
            "output_bytes": kernel.bytes_written / r, "launches": r}


def profile_kernels(scaled: GraphProfile, precision: Precision, threads: int | None) -> pd.DataFrame:
    """The kernel descriptions of a graph profile (already at its batch) at ``precision``: the
    same columns as :func:`profiled_kernel` plus ``threads`` and ``precision``, bytes sized for
    the precision as the roofline sizes them. A precision we never measured keeps its name (its
    ``precision_*`` columns are then all zero)."""
    weight = scaled.weight_bytes * precision.weight_bytes / scaled.itemsize
    act = scaled.act_bytes * precision.activation_bytes / scaled.itemsize
    return pd.DataFrame({
        "category": np.asarray(CATEGORIES, dtype=object)[scaled.category], "flops": scaled.flops,
        "activation_bytes": act, "weight_bytes": weight, "output_bytes": 0.0,
        "threads": np.nan if threads is None else float(threads),
        "precision": MEASURED_PRECISION.get(precision.name, precision.name)})


def feature_frame(kernels: pd.DataFrame) -> pd.DataFrame:
    """Numeric features (``FEATURES``) of kernel descriptions with ``threads`` and ``precision``."""
    k = kernels
    traffic = (k["activation_bytes"] + k["output_bytes"]).astype(float)
    total = traffic + k["weight_bytes"].astype(float)
    out = pd.DataFrame({
        "log_flops": np.log1p(k["flops"].astype(float)),
        "log_activation_traffic": np.log1p(traffic),
        "log_weight_bytes": np.log1p(k["weight_bytes"].astype(float)),
        "log_intensity": np.log1p(k["flops"].astype(float) / np.maximum(total, 1.0)),
        "threads": k["threads"].astype(float)}, index=k.index)
    for c in CATEGORIES:
        out[f"category_{c}"] = (k["category"] == c).astype(float)
    for p in PRECISIONS:
        out[f"precision_{p}"] = (k["precision"] == p).astype(float)
    return out[FEATURES]
