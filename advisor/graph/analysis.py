"""Turn a loaded, shape-inferred ONNX graph into one cost record per node.

Every tensor is classified as an activation (depends on a graph input), a constant (weights and
everything computed only from them: folded by the runtime) or a shape value (computed from
``Shape``/``Size``: the shape-only subgraphs of transformer exports). Only activation nodes cost
time; the others are recorded with their kind so nothing disappears silently.
"""

from __future__ import annotations

import os
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from math import prod

import onnx
from onnx import helper

from advisor.errors import InputError
from advisor.graph.dims import AssumedDim, resolve_input_dims
from advisor.graph.loader import SMALL_TENSOR_ELEMENTS, WeightInfo, read_model, strip_weights
from advisor.graph.order import topological_order
from advisor.graph.shapes import ShapeTable, infer
from advisor.opcost import ITEMSIZE, NodeView, lookup

ACT, CONST, SHAPE = "activation", "constant", "shape"
#: Integer weights of these types are indices or shapes, not parameters.
_INDEX_TYPES = {onnx.TensorProto.INT64, onnx.TensorProto.INT32}
MAX_SUBGRAPH_DEPTH = 32
#: Sanity bounds: no real tensor holds 2^48 elements (256 Ti) and no real node does 2^72 FLOPs
#: (about 5e21) or moves 2^62 bytes in one inference. Beyond them the shapes are corrupt or
#: hostile (dims of 2^62, products past int64) and the graph is refused rather than costed.
MAX_TENSOR_ELEMENTS = 2**48
MAX_NODE_FLOPS = 2**72
MAX_NODE_BYTES = 2**62


@dataclass(frozen=True)
class TensorInfo:
    name: str
    shape: tuple[int, ...] | None
    dtype: str
    is_weight: bool


@dataclass
class NodeCost:
    """Cost of one node. ``kind`` is compute / shape / constant; only compute nodes take time."""

    name: str
    op_type: str
    domain: str
    category: str
    kind: str
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]
    flops: int = 0
    macs: int = 0
    bytes_read_act: int = 0
    bytes_read_weight: int = 0
    bytes_written: int = 0
    params: int = 0
    known: bool = True
    shapes_known: bool = True
    scope: str = ""
    repeats: int = 1

    @property
    def bytes_total(self) -> int:
        return self.bytes_read_act + self.bytes_read_weight + self.bytes_written


@dataclass
class GraphCost:
    """Per-node costs of a graph and their totals. Totals count compute nodes only."""

    nodes: list[NodeCost]
    assumed_dims: dict[str, AssumedDim]
    shape_inference: str
    inputs: list[TensorInfo]
    outputs: list[TensorInfo]
    opset: int
    producer: str
    params: int
    weight_bytes: int
    notes: list[str] = field(default_factory=list)

    @property
    def compute_nodes(self) -> list[NodeCost]:
        return [n for n in self.nodes if n.kind == "compute"]

    @property
    def total_flops(self) -> int:
        return sum(n.flops for n in self.compute_nodes)

    @property
    def total_macs(self) -> int:
        return sum(n.macs for n in self.compute_nodes)

    @property
    def activation_bytes(self) -> int:
        return sum(n.bytes_read_act + n.bytes_written for n in self.compute_nodes)

    @property
    def weight_bytes_read(self) -> int:
        return sum(n.bytes_read_weight for n in self.compute_nodes)

    @property
    def bytes_total(self) -> int:
        return self.activation_bytes + self.weight_bytes_read

    @property
    def arithmetic_intensity(self) -> float:
        """FLOPs per byte moved, counting every node's reads and writes (no cache reuse)."""
        return self.total_flops / self.bytes_total if self.bytes_total else 0.0

    @property
    def unknown_ops(self) -> dict[str, int]:
        counts = Counter(_qualified(n) for n in self.compute_nodes if not n.known)
        return dict(sorted(counts.items()))


def _qualified(node: NodeCost) -> str:
    return f"{node.domain}::{node.op_type}" if node.domain else node.op_type


def analyze(source: str | os.PathLike | onnx.ModelProto, batch: int | None = None,
            seq_len: int | None = None, dims: dict[str, int] | None = None) -> GraphCost:
    """Load ``source`` without its weights, resolve dims, infer shapes and cost every node."""
    model = read_model(source)
    if not model.graph.node:
        raise InputError("the model's graph has no nodes")
    weights = strip_weights(model)
    kept = {init.name for init in model.graph.initializer}
    assumed = resolve_input_dims(model, skip=set(weights) | kept, batch=batch, seq_len=seq_len,
                                 dims=dims)
    table = infer(model)
    walker = _Walker(table, weights)
    top_inputs = [i.name for i in model.graph.input if i.name not in weights and i.name not in kept]
    walker.walk(model.graph, outer={**{n: ACT for n in top_inputs},
                                    **{n: CONST for n in set(weights) | kept}})
    counted = walker.counted_weights
    params = sum(weights[n].numel if n in weights else walker.numel(n) for n in counted
                 if walker.param_like(n))
    weight_bytes = sum(walker.stored_bytes.get(n, 0) for n in counted if walker.param_like(n))
    opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 0)
    graph_cost = GraphCost(
        nodes=walker.nodes, assumed_dims=assumed, shape_inference=table.method,
        inputs=[walker.info(n) for n in top_inputs],
        outputs=[walker.info(o.name) for o in model.graph.output], opset=opset,
        producer=f"{model.producer_name} {model.producer_version}".strip(), params=params,
        weight_bytes=weight_bytes, notes=walker.notes)
    unknown_shapes = sum(1 for n in graph_cost.compute_nodes if not n.shapes_known)
    if unknown_shapes:
        graph_cost.notes.append(f"{unknown_shapes} nodes have tensors of unknown shape; "
                                "their costs are lower bounds")
    return graph_cost


class _Walker:
    """Walks a graph (and control-flow bodies) in order, classifying tensors and costing nodes."""

    def __init__(self, table: ShapeTable, weights: dict[str, WeightInfo]) -> None:
        self.table = table
        self.weights = weights
        self.nodes: list[NodeCost] = []
        self.notes: list[str] = []
        self.kinds: dict[str, str] = {}
        self.stored_bytes: dict[str, int] = {n: tensor_bytes(w.shape, w.dtype) for n, w in weights.items()}
        self.counted_weights: set[str] = set()

    # --- tensor facts --------------------------------------------------------------------------
    def shape(self, name: str) -> tuple[int, ...] | None:
        if name in self.weights:
            return self.weights[name].shape
        return self.table.shape(name)

    def elem_type(self, name: str) -> int:
        if name in self.weights:
            return self.weights[name].dtype
        return self.table.elem_type(name)

    def numel(self, name: str) -> int:
        shape = self.shape(name)
        return prod(shape) if shape is not None else 0

    def param_like(self, name: str) -> bool:
        return self.elem_type(name) not in _INDEX_TYPES and self.numel(name) > 1

    def info(self, name: str) -> TensorInfo:
        dtype = onnx.helper.tensor_dtype_to_np_dtype(self.elem_type(name)).name \
            if self.elem_type(name) in ITEMSIZE else "unknown"
        return TensorInfo(name, self.shape(name), dtype, self.kinds.get(name) == CONST)

    # --- walking -------------------------------------------------------------------------------
    def walk(self, graph: onnx.GraphProto, outer: dict[str, str], scope: str = "",
             repeats: int = 1, depth: int = 0) -> None:
        if depth > MAX_SUBGRAPH_DEPTH:
            raise InputError(f"control-flow nesting deeper than {MAX_SUBGRAPH_DEPTH} levels")
        self.kinds.update(outer)
        available = set(self.kinds) | {i.name for i in graph.input} | {i.name for i in graph.initializer}
        for init in graph.initializer:
            self.kinds.setdefault(init.name, CONST)
        for node in topological_order(graph, available):
            self._visit(node, scope, repeats, depth)

    def _visit(self, node: onnx.NodeProto, scope: str, repeats: int, depth: int) -> None:
        inputs = [name for name in node.input if name] + _captured(node)
        input_kinds = [self.kinds.get(name, ACT) for name in inputs]
        op = node.op_type
        if op in ("Shape", "Size"):
            kind = SHAPE
        elif op == "Constant" or all(k == CONST for k in input_kinds):
            kind = CONST
        elif all(k in (CONST, SHAPE) for k in input_kinds):
            kind = SHAPE
        else:
            kind = ACT
        if kind == SHAPE and any(self.numel(o) > SMALL_TENSOR_ELEMENTS for o in node.output if o):
            kind = ACT  # e.g. ConstantOfShape(Shape(x)) materialises a real tensor
        for name in node.output:
            if name:
                self.kinds[name] = kind
        if kind == CONST:
            self._fold(node)
            self.nodes.append(self._record(node, "constant", "constant", scope, repeats))
            return
        if kind == SHAPE:
            self.nodes.append(self._record(node, "shape", "shape", scope, repeats))
            return
        if op in ("If", "Loop", "Scan") and node.domain in ("", "ai.onnx"):
            self._control_flow(node, scope, repeats, depth)
            return
        self._cost(node, scope, repeats)

    def _fold(self, node: onnx.NodeProto) -> None:
        """Constant-folded node: its outputs are weights as the runtime will hold them."""
        sources = [n for n in node.input if n]
        for name in node.output:
            if not name:
                continue
            if node.op_type == "DequantizeLinear" and sources:
                # QDQ weights stay quantized in the fused kernel: the stored bytes are the source's.
                self.stored_bytes[name] = self.stored_bytes.get(sources[0], 0)
            else:
                self.stored_bytes[name] = tensor_bytes(self.shape(name), self.elem_type(name))

    def _record(self, node: onnx.NodeProto, category: str, kind: str, scope: str,
                repeats: int) -> NodeCost:
        return NodeCost(name=node.name or f"{node.op_type}_{len(self.nodes)}", op_type=node.op_type,
                        domain=node.domain, category=category, kind=kind,
                        inputs=[self.info(n) for n in node.input if n],
                        outputs=[self.info(n) for n in node.output if n], scope=scope,
                        repeats=repeats)

    def _cost(self, node: onnx.NodeProto, scope: str, repeats: int) -> None:
        entry = lookup(node.domain, node.op_type)
        record = self._record(node, entry.category if entry else "unknown", "compute", scope, repeats)
        view = NodeView(op_type=node.op_type, domain=node.domain, name=record.name,
                        attrs=_attributes(node),
                        input_shapes=[self.shape(n) if n else None for n in node.input],
                        input_types=[self.elem_type(n) if n else 0 for n in node.input],
                        output_shapes=[self.shape(n) if n else None for n in node.output],
                        output_types=[self.elem_type(n) if n else 0 for n in node.output])
        record.shapes_known = all(s is not None for s, n in zip(view.input_shapes, node.input) if n) \
            and all(s is not None for s, n in zip(view.output_shapes, node.output)
                    if n and n in self.table.used)
        cost = None
        if entry is not None:
            try:
                cost = entry.handler(view)
            except (TypeError, ValueError, IndexError, KeyError, ZeroDivisionError):
                cost = None  # malformed attributes or shapes: fall back to bytes only
                record.shapes_known = False
        record.known = entry is not None
        reads = cost.reads if cost else {}
        act = weight = 0
        for index, name in enumerate(node.input):
            if not name:
                continue
            kind = self.kinds.get(name, ACT)
            if kind == SHAPE:
                continue
            if kind == CONST:
                default = self.stored_bytes.get(name, tensor_bytes(self.shape(name), self.elem_type(name)))
                weight += int(reads.get(index, default))
                if self.param_like(name):
                    self.counted_weights.add(name)
                    record.params += self.numel(name)
            else:
                act += int(reads.get(index, tensor_bytes(self.shape(name), self.elem_type(name))))
        written = cost.writes if cost and cost.writes is not None else sum(
            tensor_bytes(self.shape(n), self.elem_type(n)) for n in node.output if n in self.table.used)
        record.flops = (cost.flops if cost else 0) * repeats
        record.macs = (cost.macs if cost else 0) * repeats
        record.bytes_read_act, record.bytes_read_weight = act * repeats, weight * repeats
        record.bytes_written = int(written) * repeats
        _check_sane(record, view)
        self.nodes.append(record)

    def _control_flow(self, node: onnx.NodeProto, scope: str, repeats: int, depth: int) -> None:
        """Cost If (the costlier branch), Loop (body x trip count) and Scan (body x length)."""
        bodies = {a.name: a.g for a in node.attribute if a.type == onnx.AttributeProto.GRAPH}
        name = node.name or f"{node.op_type}_{len(self.nodes)}"
        self.nodes.append(self._record(node, "control", "control", scope, repeats))
        inner_scope = f"{scope}/{name}" if scope else name
        if node.op_type == "If":
            best: tuple[int, list[NodeCost]] | None = None
            saved_nodes = self.nodes
            for branch in ("then_branch", "else_branch"):
                if branch not in bodies:
                    continue
                self.nodes = []
                self.walk(bodies[branch], {}, f"{inner_scope}.{branch}", repeats, depth + 1)
                flops = sum(n.flops for n in self.nodes)
                if best is None or flops > best[0]:
                    best = (flops, self.nodes)
            self.nodes = saved_nodes + (best[1] if best else [])
            self.notes.append(f"If '{name}': the costlier branch is counted")
        elif node.op_type == "Loop":
            trips = self._constant_int(node.input[0]) if node.input and node.input[0] else None
            if trips is None:
                trips = 1
                self.notes.append(f"Loop '{name}': trip count unknown; body counted once")
            body = bodies.get("body")
            if body is not None:
                outer = {i.name: ACT for i in body.input}
                self.walk(body, outer, inner_scope, repeats * max(trips, 0), depth + 1)
        else:  # Scan
            body = bodies.get("body")
            num_scan = int(next((a.i for a in node.attribute if a.name == "num_scan_inputs"), 0))
            scan_inputs = [n for n in node.input if n][-num_scan:] if num_scan else []
            length = self.shape(scan_inputs[0])[0] if scan_inputs and self.shape(scan_inputs[0]) else 1
            if body is not None:
                self.walk(body, {i.name: ACT for i in body.input}, inner_scope, repeats * length,
                          depth + 1)

    def _constant_int(self, name: str) -> int | None:
        value = self.table.constant(name)
        return int(value) if value is not None else None


def _captured(node: onnx.NodeProto) -> list[str]:
    """Outer-scope names read inside ``node``'s subgraphs (If branches read activations this way,
    without listing them as inputs); they decide whether the node is a constant or real work."""
    names: list[str] = []
    for attr in node.attribute:
        graphs = [attr.g] if attr.type == onnx.AttributeProto.GRAPH else \
            list(attr.graphs) if attr.type == onnx.AttributeProto.GRAPHS else []
        for graph in graphs:
            local = {i.name for i in graph.input} | {i.name for i in graph.initializer}
            for inner in graph.node:
                names.extend(n for n in list(inner.input) + _captured(inner) if n and n not in local)
                local.update(inner.output)
    return names


def _check_sane(record: NodeCost, view: NodeView) -> None:
    """Refuse a node whose tensors or totals are beyond any real model (see the bounds above)."""
    for names, shapes in ((record.inputs, view.input_shapes), (record.outputs, view.output_shapes)):
        for shape in shapes:
            if shape is not None and (any(d < 0 for d in shape) or prod(shape) > MAX_TENSOR_ELEMENTS):
                shown = list(shape) if len(shape) <= 8 else list(shape[:8]) + ["..."]
                raise InputError(f"node '{record.name[:80]}' ({record.op_type}) has a tensor of absurd "
                                 f"shape {shown} (over 2^48 elements or negative): the file's shapes "
                                 "are corrupt")
    if record.flops > MAX_NODE_FLOPS or record.bytes_total > MAX_NODE_BYTES:
        raise InputError(f"node '{record.name[:80]}' ({record.op_type}) would cost {record.flops:.3g} "
                         f"FLOPs and {record.bytes_total:.3g} bytes per inference (repeated "
                         f"{record.repeats} times): beyond any real model; the file's shapes or "
                         "loop counts are corrupt")


def tensor_bytes(shape: tuple[int, ...] | None, elem_type: int) -> int:
    """Bytes of one tensor of ``shape`` and ONNX element type (0 when the shape is unknown)."""
    if shape is None:
        return 0
    return int(prod(shape) * ITEMSIZE.get(elem_type, 4))


def _attributes(node: onnx.NodeProto) -> dict:
    attrs = {}
    for attr in node.attribute:
        if attr.type in (onnx.AttributeProto.GRAPH, onnx.AttributeProto.GRAPHS,
                         onnx.AttributeProto.TENSOR, onnx.AttributeProto.SPARSE_TENSOR):
            continue
        value = helper.get_attribute_value(attr)
        if isinstance(value, bytes):
            value = value.decode("utf-8", "replace")
        elif isinstance(value, list) and value and isinstance(value[0], bytes):
            value = [v.decode("utf-8", "replace") for v in value]
        attrs[attr.name] = value
    return attrs


def op_type_table(graph: GraphCost) -> list[dict]:
    """Per op type: node count, FLOPs, bytes and share of the graph's FLOPs and bytes."""
    groups: dict[str, dict] = defaultdict(lambda: {"count": 0, "flops": 0, "bytes": 0})
    for node in graph.compute_nodes:
        row = groups[_qualified(node)]
        row["count"] += 1
        row["flops"] += node.flops
        row["bytes"] += node.bytes_total
        row["category"] = node.category
        row["known"] = node.known
    total_flops, total_bytes = graph.total_flops or 1, graph.bytes_total or 1
    rows = []
    for op, row in groups.items():
        rows.append({"op_type": op, **row, "flops_share": row["flops"] / total_flops,
                     "bytes_share": row["bytes"] / total_bytes})
    return sorted(rows, key=lambda r: (-r["flops"], -r["bytes"], r["op_type"]))
