"""Node order: exporters emit nodes topologically sorted, but hostile or hand-made files may not.

Returns the nodes in an order where every input is produced first, and names the problem when
that is impossible: a cycle, or an input that nothing provides.
"""

from __future__ import annotations

from collections import deque

import onnx

from advisor.errors import InputError


def topological_order(graph: onnx.GraphProto, available: set[str]) -> list[onnx.NodeProto]:
    """Nodes of ``graph`` sorted so producers come before consumers.

    ``available`` holds names already defined (graph inputs, initializers, outer scopes).
    """
    nodes = list(graph.node)
    known = set(available)
    in_order = True
    for node in nodes:
        if any(name and name not in known for name in node.input):
            in_order = False
            break
        known.update(node.output)
    if in_order:
        return nodes
    return _kahn(nodes, available)


def _kahn(nodes: list[onnx.NodeProto], available: set[str]) -> list[onnx.NodeProto]:
    producer: dict[str, int] = {}
    for index, node in enumerate(nodes):
        for name in node.output:
            if name:
                producer[name] = index
    waiting = [0] * len(nodes)
    consumers: dict[int, list[int]] = {}
    for index, node in enumerate(nodes):
        for name in node.input:
            if not name or name in available:
                continue
            if name not in producer:
                raise InputError(f"node '{node.name or node.op_type}' reads '{name}', which no node, "
                                 "input or initializer provides")
            waiting[index] += 1
            consumers.setdefault(producer[name], []).append(index)
    ready = deque(i for i, count in enumerate(waiting) if count == 0)
    ordered: list[onnx.NodeProto] = []
    while ready:
        index = ready.popleft()
        ordered.append(nodes[index])
        for consumer in consumers.get(index, []):
            waiting[consumer] -= 1
            if waiting[consumer] == 0:
                ready.append(consumer)
    if len(ordered) != len(nodes):
        stuck = next(nodes[i] for i, count in enumerate(waiting) if count > 0)
        raise InputError(f"the graph has a cycle (through node '{stuck.name or stuck.op_type}')")
    return ordered
