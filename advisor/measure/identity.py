"""Identity of a graph for the measurement store: sha256 of its structure without weight bytes.

Two models with the same operators, shapes, attributes and weight *shapes* time the same whatever
their weight values, so the hash drops tensor data (initializers, Constant/attribute tensors,
external-data locations) and model metadata (producer, doc strings), and keeps everything else.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

import onnx

_DATA_FIELDS = ("raw_data", "float_data", "int32_data", "string_data", "int64_data",
                "double_data", "uint64_data", "external_data")


def _strip_tensor(t: onnx.TensorProto) -> None:
    for f in _DATA_FIELDS:
        t.ClearField(f)
    t.ClearField("data_location")
    t.ClearField("doc_string")


def _strip_graph(g: onnx.GraphProto) -> None:
    g.ClearField("doc_string")
    for t in g.initializer:
        _strip_tensor(t)
    for st in g.sparse_initializer:
        _strip_tensor(st.values)
        _strip_tensor(st.indices)
    for node in g.node:
        node.ClearField("doc_string")
        for a in node.attribute:
            if a.HasField("t"):
                _strip_tensor(a.t)
            for t in a.tensors:
                _strip_tensor(t)
            if a.HasField("g"):
                _strip_graph(a.g)
            for sub in a.graphs:
                _strip_graph(sub)


def graph_hash(model: onnx.ModelProto | str | Path) -> str:
    """Hex sha256 of the model's graph structure and opsets, weight bytes excluded."""
    if not isinstance(model, onnx.ModelProto):
        model = onnx.load(str(model), load_external_data=False)
    g = onnx.GraphProto()
    g.CopyFrom(model.graph)
    _strip_graph(g)
    h = hashlib.sha256()
    for op in sorted((o.domain, o.version) for o in model.opset_import):
        h.update(f"{op[0]}:{op[1]};".encode())
    for f in model.functions:
        h.update(f.SerializeToString(deterministic=True))
    h.update(g.SerializeToString(deterministic=True))
    return h.hexdigest()
