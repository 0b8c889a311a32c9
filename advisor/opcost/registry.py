"""The operator cost registry: one small pure function per operator kind.

Each handler receives a :class:`NodeView` (shapes, dtypes and attributes of one node) and returns
an :class:`OpCost`. Bytes default to "read every input once, write every output once"; a handler
overrides them only where the operator touches less (a view, an embedding lookup). Adding an
operator is one function and one ``@register`` line, as in fvcore's ``jit_handles``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from math import prod
from typing import Any, Callable

Shape = tuple[int, ...]

#: ONNX element type -> bytes per element (int4 packs two per byte).
ITEMSIZE = {1: 4, 2: 1, 3: 1, 4: 2, 5: 2, 6: 4, 7: 8, 9: 1, 10: 2, 11: 8, 12: 4, 13: 8, 14: 8,
            15: 16, 16: 2, 17: 1, 18: 1, 19: 1, 20: 1, 21: 0.5, 22: 0.5, 23: 0.5}


@dataclass
class NodeView:
    """What a cost handler may look at: one node's shapes, dtypes and attributes."""

    op_type: str
    domain: str
    name: str
    attrs: dict[str, Any]
    input_shapes: list[Shape | None]
    input_types: list[int]
    output_shapes: list[Shape | None]
    output_types: list[int]

    def attr(self, key: str, default: Any = None) -> Any:
        return self.attrs.get(key, default)

    def in_shape(self, index: int) -> Shape | None:
        return self.input_shapes[index] if index < len(self.input_shapes) else None

    def out_shape(self, index: int = 0) -> Shape | None:
        return self.output_shapes[index] if index < len(self.output_shapes) else None

    def in_numel(self, index: int = 0) -> int:
        shape = self.in_shape(index)
        return prod(shape) if shape is not None else 0

    def out_numel(self, index: int = 0) -> int:
        shape = self.out_shape(index)
        return prod(shape) if shape is not None else 0

    def has_input(self, index: int) -> bool:
        return index < len(self.input_shapes) and self.input_shapes[index] is not None


@dataclass
class OpCost:
    """A handler's answer. ``reads`` maps input index -> bytes, overriding the default for it."""

    flops: int = 0
    macs: int = 0
    reads: dict[int, float] = field(default_factory=dict)
    writes: float | None = None


Handler = Callable[[NodeView], OpCost]


@dataclass(frozen=True)
class Entry:
    handler: Handler
    category: str


_REGISTRY: dict[tuple[str, str], Entry] = {}


def normalize_domain(domain: str) -> str:
    return "" if domain in ("", "ai.onnx") else domain


def register(*op_types: str, category: str, domain: str = "") -> Callable[[Handler], Handler]:
    """Decorator: register ``handler`` for each op type in ``domain`` under ``category``."""

    def decorate(handler: Handler) -> Handler:
        for op_type in op_types:
            _REGISTRY[(normalize_domain(domain), op_type)] = Entry(handler, category)
        return handler

    return decorate


def lookup(domain: str, op_type: str) -> Entry | None:
    """The handler for an op, or None when the registry does not know it."""
    entry = _REGISTRY.get((normalize_domain(domain), op_type))
    if entry is None and normalize_domain(domain) != "":
        # Contrib domains re-export standard ops (e.g. com.microsoft.nchwc::Conv).
        entry = _REGISTRY.get(("", op_type))
    return entry


def known_ops() -> list[tuple[str, str, str]]:
    """(domain, op_type, category) of every registered operator, sorted."""
    return sorted((d, op, e.category) for (d, op), e in _REGISTRY.items())


# --- factories for the generic handlers -------------------------------------------------------

def per_output_element(flops_per_element: float) -> Handler:
    """Cost of an op doing a fixed number of FLOPs per output element (elementwise, activations)."""

    def handler(node: NodeView) -> OpCost:
        return OpCost(flops=int(round(flops_per_element * node.out_numel(0))))

    return handler


def per_input_element(flops_per_element: float) -> Handler:
    """Cost of an op doing a fixed number of FLOPs per input element (reductions, norms)."""

    def handler(node: NodeView) -> OpCost:
        return OpCost(flops=int(round(flops_per_element * node.in_numel(0))))

    return handler


def no_compute(node: NodeView) -> OpCost:
    """Data movement: reads its inputs and writes its outputs, no arithmetic."""
    return OpCost()


def view(node: NodeView) -> OpCost:
    """A view or metadata op (Reshape, Squeeze, Shape...): no arithmetic, no data copied."""
    return OpCost(reads={i: 0 for i in range(len(node.input_shapes))}, writes=0)
