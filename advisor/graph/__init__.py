"""Graph analysis: ONNX file -> per-node cost records, without reading weights.

Public API (stable; other modules build on it)::

    from advisor.graph import analyze
    g = analyze("model.onnx", batch=1, seq_len=128, dims={"past_len": 0})
    g.nodes            # list[NodeCost], one per node (control-flow bodies expanded)
    g.total_flops      # int, 2 FLOPs per multiply-accumulate
    g.params           # int, parameter count (initializers + weight-like constants)
    g.weight_bytes     # int
    g.activation_bytes # int, bytes of activations read + written by costed nodes
    g.unknown_ops      # dict[op_type, count] of operators the registry does not know
    g.assumed_dims     # dict[dim_name, value] of symbolic dims that were resolved, and how
"""

from advisor.graph.analysis import GraphCost, NodeCost, TensorInfo, analyze

__all__ = ["GraphCost", "NodeCost", "TensorInfo", "analyze"]
