"""A graph's kernel profile: per-kernel arrays that every hardware/precision/batch query reuses.

Analysing a graph takes tens of milliseconds to a second; scoring a configuration must take
microseconds. So a graph is analysed once (at some batch) into arrays of FLOPs and bytes per
fused kernel; another batch size is obtained by scaling (FLOPs and activation bytes grow with the
batch, weight bytes do not), which is exact for networks whose every op is batch-parallel.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from advisor.graph import GraphCost
from advisor.kernels import Kernel, fuse
from advisor.runtimes import ORT_QDQ_QUANTIZED_OPS

_CONVERSIONS = ("QuantizeLinear", "DequantizeLinear")   # already-quantized graphs: not islands

CATEGORIES = ("conv", "matmul", "attention", "elementwise", "activation", "norm", "pool", "reduce",
              "resize", "data", "quant", "rnn", "unknown", "other")
_CATEGORY_CODE = {c: i for i, c in enumerate(CATEGORIES)}


@dataclass
class GraphProfile:
    """Per-kernel arrays of one graph analysed at ``batch`` (and sequence length, if any)."""

    batch: int
    flops: np.ndarray
    act_bytes: np.ndarray
    weight_bytes: np.ndarray
    itemsize: np.ndarray
    category: np.ndarray  # index into CATEGORIES
    params: int
    weight_bytes_stored: int
    shape_stats: dict = field(default_factory=dict)
    top_ops: list = field(default_factory=list)  # (op_type, flops) for explanations
    #: per kernel: a matrix op static QDQ int8 leaves in fp32 on onnxruntime's CPU kernels
    #: (``qdq_unfused_nodes``); None: not known (profiles cached before it existed)
    int8_unfused: np.ndarray | None = None

    @property
    def n_kernels(self) -> int:
        return int(self.flops.size)

    def scaled(self, batch: int) -> "GraphProfile":
        """The profile at another batch size (activations and FLOPs scale, weights do not)."""
        if batch == self.batch:
            return self
        factor = batch / self.batch
        return GraphProfile(batch, self.flops * factor, self.act_bytes * factor, self.weight_bytes,
                            self.itemsize, self.category, self.params, self.weight_bytes_stored,
                            self.shape_stats, self.top_ops, self.int8_unfused)

    def to_json(self) -> dict:
        return {"batch": self.batch, "flops": self.flops.tolist(), "act_bytes": self.act_bytes.tolist(),
                "weight_bytes": self.weight_bytes.tolist(), "itemsize": self.itemsize.tolist(),
                "category": self.category.tolist(), "params": self.params,
                "weight_bytes_stored": self.weight_bytes_stored, "shape_stats": self.shape_stats,
                "top_ops": self.top_ops,
                "int8_unfused": None if self.int8_unfused is None else self.int8_unfused.tolist()}

    @classmethod
    def from_json(cls, data: dict) -> "GraphProfile":
        return cls(int(data["batch"]), np.asarray(data["flops"], float),
                   np.asarray(data["act_bytes"], float), np.asarray(data["weight_bytes"], float),
                   np.asarray(data["itemsize"], float), np.asarray(data["category"], int),
                   int(data["params"]), int(data["weight_bytes_stored"]), dict(data["shape_stats"]),
                   [tuple(x) for x in data["top_ops"]],
                   None if data.get("int8_unfused") is None else np.asarray(data["int8_unfused"], bool))

    def digest(self) -> str:
        return hashlib.sha256(json.dumps(self.to_json(), sort_keys=True).encode()).hexdigest()[:16]


def profile_graph(graph: GraphCost, batch: int | None = None) -> GraphProfile:
    """Fuse ``graph`` into kernels and keep the arrays the roofline and features need."""
    kernels = fuse(graph)
    if batch is None:
        batch = _graph_batch(graph)
    unfused_nodes = qdq_unfused_nodes(graph)
    unfused = {node.name for node in unfused_nodes}
    ops: dict[str, int] = {}
    for node in graph.compute_nodes:
        ops[node.op_type] = ops.get(node.op_type, 0) + node.flops
    top = sorted(ops.items(), key=lambda kv: -kv[1])[:8]
    return GraphProfile(
        batch=batch,
        flops=np.array([k.flops for k in kernels], float),
        act_bytes=np.array([k.bytes_act_read + k.bytes_written for k in kernels], float),
        weight_bytes=np.array([k.bytes_weight_read for k in kernels], float),
        itemsize=np.array([k.float_itemsize for k in kernels], float),
        category=np.array([_CATEGORY_CODE.get(k.category, _CATEGORY_CODE["other"]) for k in kernels], int),
        params=graph.params, weight_bytes_stored=graph.weight_bytes,
        shape_stats={**shape_statistics(kernels), **int8_unfused(graph, unfused_nodes)}, top_ops=top,
        int8_unfused=np.array([k.name in unfused for k in kernels], bool))


def _graph_batch(graph: GraphCost) -> int:
    for name, dim in graph.assumed_dims.items():
        if "batch" in dim.origin:
            return dim.value
    first = graph.inputs[0].shape if graph.inputs and graph.inputs[0].shape else None
    return int(first[0]) if first else 1


def shape_statistics(kernels: list[Kernel]) -> dict:
    """FLOP-weighted shape descriptors that drive kernel efficiency (small GEMMs, depthwise...)."""
    total = sum(k.flops for k in kernels) or 1.0
    stats = {"depthwise_flops_share": 0.0, "log_gemm_m": 0.0, "log_gemm_n": 0.0, "log_gemm_k": 0.0,
             "log_conv_cin": 0.0, "log_conv_cout": 0.0, "conv_kernel": 0.0, "log_conv_spatial": 0.0}
    weights = {"gemm": 0.0, "conv": 0.0}
    for k in kernels:
        s = k.shape
        if "m" in s:
            w = k.flops
            weights["gemm"] += w
            for key in ("m", "n", "k"):
                stats[f"log_gemm_{key}"] += w * np.log2(max(s[key], 1))
        elif "c_in" in s:
            w = k.flops
            weights["conv"] += w
            if s["groups"] > 1:
                stats["depthwise_flops_share"] += k.flops / total
            stats["log_conv_cin"] += w * np.log2(max(s["c_in"] // s["groups"], 1))
            stats["log_conv_cout"] += w * np.log2(max(s["c_out"], 1))
            stats["conv_kernel"] += w * s["k"]
            stats["log_conv_spatial"] += w * np.log2(max(s["spatial"], 1))
    for key in ("m", "n", "k"):
        stats[f"log_gemm_{key}"] /= weights["gemm"] or 1.0
    for key in ("log_conv_cin", "log_conv_cout", "conv_kernel", "log_conv_spatial"):
        stats[key] /= weights["conv"] or 1.0
    stats.update(int8_islands(kernels))
    return {k: float(v) for k, v in stats.items()}


def int8_islands(kernels: list[Kernel]) -> dict[str, float]:
    """Shares of kernels, and of activation bytes, that static int8 leaves in fp32 (a kernel with
    an op onnxruntime's QDQ quantizer does not quantize): each costs a dequantize and a quantize."""
    island = [any(op not in ORT_QDQ_QUANTIZED_OPS and op not in _CONVERSIONS for op in k.ops)
              for k in kernels]
    act = np.array([k.bytes_act_read + k.bytes_written for k in kernels], float)
    flags = np.array(island, bool)
    return {"int8_island_kernel_share": float(flags.mean()) if flags.size else 0.0,
            "int8_island_bytes_share": float(act[flags].sum() / act.sum()) if act.sum() > 0 else 0.0}


#: matrix ops that onnxruntime's QDQ transformer turns into QLinearConv / QGemm / QLinearMatMul
_QDQ_MATRIX_OPS = ("Conv", "Gemm", "MatMul")


def int8_unfused(graph: GraphCost, unfused_nodes: list | None = None) -> dict[str, float]:
    """Shares of weighted matrix FLOPs, and of weight bytes, that static QDQ int8 leaves in fp32.

    Read off what onnxruntime 1.32 does, not its source: its CPU optimisation of a QDQ graph turned
    DequantizeLinear -> Conv/Gemm/MatMul -> QuantizeLinear into one int8 kernel when the op's
    activation input and its output each had a single reader. Otherwise the op ran in fp32 on
    int8 weights dequantized on every run: a SiLU or GELU MLP's Gemms
    (output read by Sigmoid and Mul), a residual block's first conv (input also read by the Add),
    Q/K/V projections (one LayerNorm output read three times). The rule matched onnxruntime 1.32's
    own choice for 411 of 445 matrix ops of 14 zoo graphs (every one of Llama's and a random
    decoder's, whose SwiGLU gate output is read twice); it missed 32 unfused ones (MobileNetV3,
    RegNet-Y) and called 2 fused ones unfused (``benchmarks/int8_fusion_probe.py``,
    ``reports/int8_fusion.md``). The same nodes are flagged per kernel in
    ``GraphProfile.int8_unfused``, which the roofline costs as fp32. ``unfused_nodes``: the
    graph's ``qdq_unfused_nodes`` where the caller has them already.
    """
    flops = weights = unfused_flops = unfused_weights = 0.0
    if unfused_nodes is None:
        unfused_nodes = qdq_unfused_nodes(graph)
    unfused = {id(node) for node in unfused_nodes}
    for node in weighted_matrix_nodes(graph):
        flops += node.flops
        weights += node.bytes_read_weight
        if id(node) in unfused:
            unfused_flops += node.flops
            unfused_weights += node.bytes_read_weight
    return {"int8_unfused_flops_share": unfused_flops / flops if flops else 0.0,
            "int8_unfused_weight_share": unfused_weights / weights if weights else 0.0}


def weighted_matrix_nodes(graph: GraphCost) -> list:
    """The Conv/Gemm/MatMul nodes with a weight input (what static int8 quantizes)."""
    return [node for node in graph.compute_nodes
            if node.op_type in _QDQ_MATRIX_OPS and any(t.is_weight for t in node.inputs)]


def qdq_unfused_nodes(graph: GraphCost) -> list:
    """The weighted Conv/Gemm/MatMul nodes whose activation input or output has another reader:
    the ones static QDQ int8 leaves in fp32 (``int8_unfused``)."""
    readers = Counter(t.name for node in graph.nodes for t in node.inputs)
    out = []
    for node in weighted_matrix_nodes(graph):
        ends = [t for t in node.inputs if not t.is_weight][:1] + list(node.outputs[:1])
        if any(readers[t.name] > 1 for t in ends):
            out.append(node)
    return out
