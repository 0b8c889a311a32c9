"""Shape inference: onnx's own first, onnxruntime's symbolic inference where onnx leaves gaps.

Transformer exports compute Reshape targets from Shape ops; onnx's inference (even with data
propagation) leaves many of those dims unknown, while onnxruntime's symbolic shape inference
resolves nearly all of them. It is slower (about 1 s on a BERT graph), so it only runs when needed.
"""

from __future__ import annotations

import contextlib
import io
import logging
import warnings
from dataclasses import dataclass, field

import numpy as np
import onnx
from onnx import numpy_helper

Shape = tuple[int, ...]


@dataclass
class ShapeTable:
    """Known tensor types: name -> (shape or None when unknown, onnx element type)."""

    tensors: dict[str, tuple[Shape | None, int]]
    method: str  # "onnx" or "onnx+onnxruntime-symbolic"
    used: set[str] = field(default_factory=set)  # tensors some node reads or the graph returns
    constants: dict[str, list] = field(default_factory=dict)  # values of small constant tensors

    def constant(self, name: str) -> float | None:
        """The value of a known single-element constant (e.g. a Loop trip count), else None."""
        values = self.constants.get(name)
        return values[0] if values is not None and len(values) == 1 else None

    def shape(self, name: str) -> Shape | None:
        entry = self.tensors.get(name)
        return entry[0] if entry else None

    def elem_type(self, name: str) -> int:
        entry = self.tensors.get(name)
        return entry[1] if entry else 0


def collect(graph: onnx.GraphProto, into: dict[str, tuple[Shape | None, int]]) -> None:
    """Add the typed values declared in ``graph`` (and its subgraphs) to ``into``."""
    for value_info in list(graph.input) + list(graph.output) + list(graph.value_info):
        entry = _entry(value_info)
        if entry is not None and (value_info.name not in into or into[value_info.name][0] is None):
            into[value_info.name] = entry
    for init in graph.initializer:
        into[init.name] = (tuple(int(d) for d in init.dims), init.data_type)
    for node in graph.node:
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                collect(attr.g, into)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for sub in attr.graphs:
                    collect(sub, into)
        if node.op_type == "Constant" and node.output:
            for attr in node.attribute:
                if attr.name == "value" and attr.type == onnx.AttributeProto.TENSOR:
                    into[node.output[0]] = (tuple(int(d) for d in attr.t.dims), attr.t.data_type)


def _entry(value_info: onnx.ValueInfoProto) -> tuple[Shape | None, int] | None:
    if not value_info.type.HasField("tensor_type"):
        return None
    tensor_type = value_info.type.tensor_type
    if not tensor_type.HasField("shape"):
        return (None, tensor_type.elem_type)
    dims = []
    for dim in tensor_type.shape.dim:
        if not dim.HasField("dim_value") or dim.dim_value < 0:
            return (None, tensor_type.elem_type)
        dims.append(int(dim.dim_value))
    return (tuple(dims), tensor_type.elem_type)


def consumed_names(graph: onnx.GraphProto, into: set[str] | None = None) -> set[str]:
    """Names read by some node (in any subgraph) or returned by the graph: the tensors that matter.

    Unused optional outputs (a Dropout mask) are left out.
    """
    names = into if into is not None else set()
    names.update(o.name for o in graph.output)
    for node in graph.node:
        names.update(node.input)
        for attr in node.attribute:
            if attr.type == onnx.AttributeProto.GRAPH:
                consumed_names(attr.g, names)
            elif attr.type == onnx.AttributeProto.GRAPHS:
                for sub in attr.graphs:
                    consumed_names(sub, names)
    return names


def _missing(graph: onnx.GraphProto, table: dict[str, tuple[Shape | None, int]]) -> list[str]:
    """Consumed outputs of top-level nodes whose shapes are still unknown."""
    used = consumed_names(graph)
    return [name for node in graph.node for name in node.output
            if name in used and (name not in table or table[name][0] is None)]


def fold_input_shapes(model: onnx.ModelProto) -> onnx.ModelProto:
    """A copy of ``model`` where ``Shape`` of a graph input is a Constant of its (resolved) dims.

    Exports slice position-id buffers by ``Shape(input_ids)`` (with start/end attributes) and
    onnx's data propagation does not follow that; folding it lets onnx's own inference resolve
    transformer graphs without the slower symbolic fallback. Only inference sees the copy.
    """
    dims = {}
    for value_info in model.graph.input:
        shape = _entry(value_info)
        if shape is not None and shape[0] is not None:
            dims[value_info.name] = list(shape[0])
    targets = [i for i, n in enumerate(model.graph.node)
               if n.op_type == "Shape" and n.domain in ("", "ai.onnx") and n.input and n.input[0] in dims]
    if not targets:
        return model
    folded = onnx.ModelProto()
    folded.CopyFrom(model)
    for index in targets:
        node = folded.graph.node[index]
        attrs = {a.name: a.i for a in node.attribute}
        full = dims[node.input[0]]
        start, end = attrs.get("start", 0), attrs.get("end", len(full))
        values = numpy_helper.from_array(np.array(full[start:end], dtype=np.int64))
        node.op_type = "Constant"
        del node.input[:]
        del node.attribute[:]
        node.attribute.append(onnx.helper.make_attribute("value", values))
    return folded


def infer(model: onnx.ModelProto) -> ShapeTable:
    """Infer every tensor's shape; ``model`` must already have concrete input dims."""
    method = "onnx"
    try:
        inferred = onnx.shape_inference.infer_shapes(fold_input_shapes(model), check_type=False,
                                                     strict_mode=False, data_prop=True)
    except Exception:  # noqa: BLE001 - onnx raises several types for malformed graphs
        inferred = model
        method = "none"
    table: dict[str, tuple[Shape | None, int]] = {}
    collect(inferred.graph, table)
    if _missing(inferred.graph, table):
        symbolic = _symbolic(model)
        if symbolic is not None:
            better: dict[str, tuple[Shape | None, int]] = {}
            collect(symbolic.graph, better)
            for name, entry in better.items():
                if entry[0] is not None or name not in table:
                    table[name] = entry
            method = "onnx+onnxruntime-symbolic" if method == "onnx" else "onnxruntime-symbolic"
    return ShapeTable(table, method, consumed_names(model.graph), _small_constants(model.graph))


def _small_constants(graph: onnx.GraphProto, limit: int = 64) -> dict[str, list]:
    tensors = list(graph.initializer)
    names = [t.name for t in tensors]
    for node in graph.node:
        if node.op_type == "Constant" and node.output:
            for attr in node.attribute:
                if attr.name == "value" and attr.type == onnx.AttributeProto.TENSOR:
                    tensors.append(attr.t)
                    names.append(node.output[0])
    values = {}
    for name, tensor in zip(names, tensors):
        if tensor.data_location == onnx.TensorProto.EXTERNAL:
            continue
        numel = 1
        for d in tensor.dims:
            numel *= d
        if numel <= limit:
            try:
                values[name] = numpy_helper.to_array(tensor).reshape(-1).tolist()
            except Exception:  # noqa: BLE001 - malformed tensor data: value stays unknown
                continue
    return values


def _symbolic(model: onnx.ModelProto) -> onnx.ModelProto | None:
    """onnxruntime's symbolic shape inference, keeping partial results.

    Its public ``infer_shapes`` writes ``sym_shape_infer_temp.onnx`` into the working directory
    and raises when some shape stays unknown; this drives the same steps without that side
    effect, and returns what it did infer.
    """
    try:
        from onnxruntime.tools.symbolic_shape_infer import SymbolicShapeInference, get_opset
    except ImportError:  # pragma: no cover - onnxruntime is a core dependency
        return None
    opset = get_opset(model)
    if not opset or opset < 7:
        return None
    logging.getLogger("onnxruntime").setLevel(logging.ERROR)
    sink = io.StringIO()
    try:
        with contextlib.redirect_stdout(sink), contextlib.redirect_stderr(sink), \
                warnings.catch_warnings():
            warnings.simplefilter("ignore")  # numpy overflow warnings on corrupt shapes
            inference = SymbolicShapeInference(2**31 - 1, True, True, 0)
            inference._preprocess(model)
            while inference.run_:
                inference._infer_impl()
            inference._update_output_from_vi()
            return inference.out_mp_
    except Exception:  # noqa: BLE001 - it raises bare Exceptions on graphs it cannot handle
        return None
