"""Group graph nodes into the kernels a runtime actually launches.

Runtimes fuse an anchor operator (Conv, MatMul, a normalisation...) with the elementwise ops that
follow it when nothing else reads the intermediate tensor: Conv+BN+ReLU, MatMul+Add(bias)+GELU,
Add(residual)+LayerNorm. A fused kernel reads the anchor's inputs plus the side inputs of what it
absorbed and writes only its last output, so its bytes are lower than the nodes' sum. Views move
nothing and launch nothing; shape and constant nodes never run at inference time.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from advisor.graph.analysis import GraphCost, NodeCost

#: categories that may be absorbed into the kernel before them
FUSABLE = {"elementwise", "activation", "quant"}
#: anchors that absorb followers (most runtimes fuse epilogues into these)
ANCHORS = {"conv", "matmul", "attention", "norm", "elementwise", "activation", "pool", "quant"}
#: BatchNormalization after a Conv folds into the conv's weights
_FOLDABLE_NORM = {"BatchNormalization"}


@dataclass
class Kernel:
    """One launched kernel: an anchor node plus the nodes fused into it."""

    name: str
    op_type: str
    category: str
    ops: list[str]
    flops: int
    macs: int
    bytes_act_read: int
    bytes_weight_read: int
    bytes_written: int
    float_itemsize: int = 4
    repeats: int = 1
    shape: dict = field(default_factory=dict)  # efficiency-relevant dims of the anchor

    @property
    def bytes_total(self) -> int:
        return self.bytes_act_read + self.bytes_weight_read + self.bytes_written


def fuse(graph: GraphCost) -> list[Kernel]:
    """The kernel list for ``graph`` (compute nodes only, views dropped, epilogues fused)."""
    nodes = [n for n in graph.compute_nodes if n.category != "view"]
    consumers = Counter(t.name for n in graph.compute_nodes for t in n.inputs if not t.is_weight)
    graph_outputs = {t.name for t in graph.outputs}
    kernels: list[Kernel] = []
    open_by_output: dict[str, Kernel] = {}  # tensor -> the kernel that may still absorb its reader
    for node in nodes:
        kernel, fused_input = _fusion_target(node, open_by_output, consumers, graph_outputs)
        if kernel is None:
            kernel = _new_kernel(node)
            kernels.append(kernel)
        else:
            _absorb(kernel, node, fused_input)
            del open_by_output[fused_input]
        if kernel.category in ANCHORS:
            for out in node.outputs:
                open_by_output[out.name] = kernel
    return kernels


def _fusion_target(node: NodeCost, open_by_output: dict[str, Kernel], consumers: Counter,
                   graph_outputs: set[str]) -> tuple[Kernel | None, str]:
    """The kernel ``node`` fuses into (and through which input), or (None, "")."""
    if node.category not in FUSABLE and node.op_type not in _FOLDABLE_NORM:
        return None, ""
    for t in node.inputs:
        kernel = open_by_output.get(t.name)
        if kernel is None or t.is_weight or consumers[t.name] != 1 or t.name in graph_outputs:
            continue
        if node.op_type in _FOLDABLE_NORM and kernel.category != "conv":
            continue
        return kernel, t.name
    return None, ""


def _new_kernel(node: NodeCost) -> Kernel:
    out = node.outputs[0] if node.outputs else None
    itemsize = {"float16": 2, "bfloat16": 2, "float64": 8}.get(out.dtype, 4) if out else 4
    return Kernel(name=node.name, op_type=node.op_type, category=node.category, ops=[node.op_type],
                  flops=node.flops, macs=node.macs, bytes_act_read=node.bytes_read_act,
                  bytes_weight_read=node.bytes_read_weight, bytes_written=node.bytes_written,
                  float_itemsize=itemsize, repeats=node.repeats, shape=anchor_shape(node))


def _absorb(kernel: Kernel, node: NodeCost, fused_input: str) -> None:
    """Fuse ``node`` into ``kernel``: the intermediate tensor is neither written nor re-read."""
    intermediate = next((t for t in node.inputs if t.name == fused_input), None)
    intermediate_bytes = _tensor_bytes(intermediate) * node.repeats if intermediate else 0
    kernel.ops.append(node.op_type)
    kernel.flops += node.flops
    kernel.macs += node.macs
    kernel.bytes_act_read += max(node.bytes_read_act - intermediate_bytes, 0)
    kernel.bytes_weight_read += node.bytes_read_weight if node.op_type not in _FOLDABLE_NORM else 0
    kernel.bytes_written = kernel.bytes_written - min(intermediate_bytes, kernel.bytes_written) \
        + node.bytes_written


def _tensor_bytes(t) -> int:
    if t is None or t.shape is None:
        return 0
    size = {"float16": 2, "bfloat16": 2, "float64": 8, "int64": 8, "int8": 1, "uint8": 1,
            "bool": 1, "int32": 4}.get(t.dtype, 4)
    n = 1
    for d in t.shape:
        n *= d
    return n * size


def anchor_shape(node: NodeCost) -> dict:
    """Dims that drive kernel efficiency: GEMM m/n/k, conv channels, kernel size and groups."""
    ins = [t.shape for t in node.inputs]
    out = node.outputs[0].shape if node.outputs and node.outputs[0].shape else None
    if node.category == "conv" and len(ins) >= 2 and ins[0] and ins[1] and out:
        weight = ins[1] if node.op_type != "QLinearConv" else (ins[3] if len(ins) > 3 else None)
        if weight is None or len(weight) < 3:
            return {}
        c_in = ins[0][1]
        groups = max(1, c_in // weight[1]) if weight[1] else 1
        spatial = 1
        for d in out[2:]:
            spatial *= d
        kernel_size = 1
        for d in weight[2:]:
            kernel_size *= d
        return {"c_in": c_in, "c_out": out[1], "k": kernel_size, "groups": groups,
                "spatial": spatial, "batch": out[0]}
    if node.category == "matmul" and node.macs and out:
        n = out[-1] if out else 1
        k = node.macs // max(1, _numel(out)) if out else 1
        m = _numel(out) // max(1, n)
        return {"m": m, "n": n, "k": k}
    return {}


def _numel(shape) -> int:
    n = 1
    for d in shape:
        n *= d
    return n
