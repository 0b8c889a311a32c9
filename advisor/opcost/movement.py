"""Costs of data movement, views, shape computation, casts and quantize/dequantize.

These ops do little or no arithmetic; their cost is the bytes they move, which matters for
memory-bound models. Views (Reshape, Squeeze...) move nothing: onnxruntime aliases their output.
"""

from __future__ import annotations

from advisor.opcost.registry import ITEMSIZE, NodeView, OpCost, no_compute, per_output_element, register, view

register("Reshape", "Squeeze", "Unsqueeze", "Flatten", "Identity", "Dropout", "Shape", "Size",
         "Optional", "OptionalGetElement", "OptionalHasElement", category="view")(view)
register("Transpose", "Concat", "Split", "Slice", "Expand", "Tile", "Pad", "DepthToSpace",
         "SpaceToDepth", "ReverseSequence", "Compress", "Trilu", "CenterCropPad", "Col2Im",
         "ScatterND", "ScatterElements", "Scatter", "Range", "ConstantOfShape", "EyeLike",
         "OneHot", "NonZero", "Unique", "TopK", "SequenceConstruct", "SequenceAt",
         "SequenceInsert", "SplitToSequence", "ConcatFromSequence", "SequenceEmpty",
         "SequenceLength", "RandomNormal", "RandomUniform", "RandomNormalLike",
         "RandomUniformLike", "Multinomial", "Bernoulli", category="data")(no_compute)
register("Cast", "CastLike", category="data")(per_output_element(1))
register("ShuffleChannel", category="data")(no_compute)
register("Transpose", "TransposeMatMul", category="data", domain="com.microsoft")(no_compute)


def rows_read(node: NodeView, table_index: int, elements: int) -> float:
    """Bytes read from a lookup table when ``elements`` of its values are fetched."""
    return elements * ITEMSIZE.get(node.input_types[table_index], 4)


@register("Gather", "GatherElements", "GatherND", category="data")
def gather(node: NodeView) -> OpCost:
    """A lookup reads only the rows it returns (an embedding table is not streamed whole)."""
    return OpCost(reads={0: rows_read(node, 0, node.out_numel(0))})


# Quantization: scale, round, clamp (and shift by the zero point).
register("QuantizeLinear", "DequantizeLinear", category="quant")(per_output_element(2))
register("DynamicQuantizeLinear", category="quant")(per_output_element(4))
register("QuantizeLinear", "DequantizeLinear", category="quant",
         domain="com.microsoft")(per_output_element(2))
register("QLinearAdd", "QLinearMul", "QLinearSigmoid", "QLinearLeakyRelu", "QLinearConcat",
         "QLinearSoftmax", category="quant", domain="com.microsoft")(per_output_element(4))


@register("NonMaxSuppression", category="data")
def non_max_suppression(node: NodeView) -> OpCost:
    """Pairwise IoU of boxes per class: data-dependent; bounded by boxes^2 per batch and class."""
    scores = node.in_shape(1)
    if scores is None or len(scores) != 3:
        return OpCost()
    batch, classes, boxes = scores
    return OpCost(flops=batch * classes * boxes * boxes * 4)
