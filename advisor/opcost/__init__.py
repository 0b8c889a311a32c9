"""Operator cost registry (see :mod:`advisor.opcost.registry`); importing registers every handler."""

from advisor.opcost import linear, movement, pointwise, sequence  # noqa: F401 - registration
from advisor.opcost.registry import ITEMSIZE, NodeView, OpCost, known_ops, lookup, register

__all__ = ["ITEMSIZE", "NodeView", "OpCost", "known_ops", "lookup", "register"]
