"""The network zoo: well-known networks and random families, built as ONNX graphs.

``build(name, **opts)`` and ``build_recipe("name:key=val,...")`` return an ``onnx.ModelProto``;
``list_models()`` lists what exists. ``GraphBuilder`` (``advisor.zoo.builder``) is the small
helper every builder uses, reusable for other graph generators.
"""

from advisor.zoo.builder import GraphBuilder, T

__all__ = ["GraphBuilder", "T"]
