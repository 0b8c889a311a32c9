"""A JSON-ready summary of a graph's costs: what ``advisor inspect`` prints."""

from __future__ import annotations

from advisor.graph.analysis import GraphCost, op_type_table

SCHEMA = "advisor.inspect/1"


def summarize(graph: GraphCost, top: int = 10) -> dict:
    """Totals, per-op-type table, heaviest nodes, unknown ops and assumed dims."""
    compute = graph.compute_nodes
    total_bytes = graph.bytes_total or 1
    unknown = []
    for op, count in graph.unknown_ops.items():
        moved = sum(n.bytes_total for n in compute if not n.known and _qualified(n) == op)
        unknown.append({"op_type": op, "count": count, "node_share": count / max(len(compute), 1),
                        "bytes_share": moved / total_bytes})
    heaviest = sorted(compute, key=lambda n: (-n.flops, -n.bytes_total))[:top]
    kinds = {k: sum(1 for n in graph.nodes if n.kind == k)
             for k in ("compute", "shape", "constant", "control")}
    return {
        "schema": SCHEMA,
        "totals": {
            "gflops": graph.total_flops / 1e9,
            "gmacs": graph.total_macs / 1e9,
            "params": graph.params,
            "weight_bytes": graph.weight_bytes,
            "weight_bytes_read": graph.weight_bytes_read,
            "activation_bytes": graph.activation_bytes,
            "arithmetic_intensity": graph.arithmetic_intensity,
            "nodes": len(graph.nodes),
            "nodes_by_kind": kinds,
        },
        "inputs": [_tensor(t) for t in graph.inputs],
        "outputs": [_tensor(t) for t in graph.outputs],
        "assumed_dims": {name: {"value": a.value, "origin": a.origin}
                         for name, a in graph.assumed_dims.items()},
        "op_types": op_type_table(graph),
        "heaviest_nodes": [{"name": n.name, "op_type": n.op_type, "flops": n.flops,
                            "bytes": n.bytes_total, "scope": n.scope} for n in heaviest],
        "unknown_ops": unknown,
        "shape_inference": graph.shape_inference,
        "opset": graph.opset,
        "producer": graph.producer,
        "notes": graph.notes,
    }


def _qualified(node) -> str:
    return f"{node.domain}::{node.op_type}" if node.domain else node.op_type


def _tensor(t) -> dict:
    return {"name": t.name, "shape": list(t.shape) if t.shape is not None else None,
            "dtype": t.dtype}
