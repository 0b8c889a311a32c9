"""Costs of elementwise arithmetic, activations, normalisations, pooling, reductions and resize.

FLOPs per element follow common counting practice (fvcore, ptflops): one per add or multiply,
a few for transcendental activations. They are small next to the matrix products; what matters
for these ops is the bytes they move, which the generic byte accounting gives.
"""

from __future__ import annotations

from math import prod

from advisor.opcost.registry import (ITEMSIZE, NodeView, OpCost, per_input_element, per_output_element,
                                     register)

# Binary and variadic elementwise arithmetic and comparisons: one FLOP per output element.
register("Add", "Sub", "Mul", "Div", "Pow", "Mod", "Max", "Min", "Mean", "Sum", "Where",
         "Equal", "Greater", "GreaterOrEqual", "Less", "LessOrEqual", "And", "Or", "Xor", "Not",
         "BitShift", "BitwiseAnd", "BitwiseOr", "BitwiseXor", "BitwiseNot", "PRelu",
         category="elementwise")(per_output_element(1))
register("BiasAdd", category="elementwise", domain="com.microsoft")(per_output_element(1))
register("Abs", "Neg", "Sign", "Reciprocal", "Floor", "Ceil", "Round", "Sqrt", "Exp", "Log",
         "IsNaN", "IsInf", category="elementwise")(per_output_element(1))
register("Sin", "Cos", "Tan", "Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh",
         "Erf", category="activation")(per_output_element(4))

# Activations.
register("Relu", category="activation")(per_output_element(1))
register("LeakyRelu", "Clip", "ThresholdedRelu", "Shrink", category="activation")(per_output_element(2))
register("HardSigmoid", "HardSwish", "Elu", "Selu", "Celu", "Softsign",
         category="activation")(per_output_element(3))
register("Sigmoid", "Tanh", "Softplus", category="activation")(per_output_element(4))
register("Mish", "Swish", category="activation")(per_output_element(6))
register("Gelu", category="activation")(per_output_element(8))
register("Gelu", "FastGelu", "BiasGelu", "QuickGelu", "BiasFastGelu", category="activation",
         domain="com.microsoft")(per_output_element(8))
register("Softmax", "LogSoftmax", "Hardmax", category="activation")(per_output_element(5))

# Normalisations (inference): BatchNorm is a per-channel scale and shift.
register("BatchNormalization", category="norm")(per_output_element(2))
register("LRN", category="norm")(per_output_element(5))


def _affine_norm(node: NodeView) -> OpCost:
    """Mean, variance, normalise, then scale and shift: about 5 FLOPs per element."""
    return OpCost(flops=5 * node.in_numel(0))


register("LayerNormalization", "InstanceNormalization", "GroupNormalization",
         "MeanVarianceNormalization", category="norm")(_affine_norm)
register("LayerNormalization", "SimplifiedLayerNormalization", "SkipSimplifiedLayerNormalization",
         category="norm", domain="com.microsoft")(_affine_norm)
register("RMSNormalization", category="norm")(per_input_element(4))


@register("SkipLayerNormalization", category="norm", domain="com.microsoft")
def skip_layer_norm(node: NodeView) -> OpCost:
    """Residual add fused with a layer norm (onnxruntime's transformer fusion)."""
    return OpCost(flops=6 * node.in_numel(0))


@register("EmbedLayerNormalization", category="norm", domain="com.microsoft")
def embed_layer_norm(node: NodeView) -> OpCost:
    """Word + position (+ segment) embedding lookups, a sum and a layer norm (BERT's first op).

    Only the looked-up rows of the tables (inputs 2-4) are read, one row per output position.
    """
    rows = node.out_numel(0)
    reads = {i: rows * ITEMSIZE.get(node.input_types[i], 4) for i in (2, 3, 4) if node.has_input(i)}
    return OpCost(flops=8 * rows, reads=reads)


# Pooling: one operation per window element per output.
def _window_pool(node: NodeView) -> OpCost:
    kernel = node.attr("kernel_shape") or []
    return OpCost(flops=node.out_numel(0) * max(1, prod(kernel)))


register("MaxPool", "AveragePool", "LpPool", category="pool")(_window_pool)
register("GlobalAveragePool", "GlobalMaxPool", "GlobalLpPool", category="pool")(per_input_element(1))
register("QLinearGlobalAveragePool", "QLinearAveragePool", category="pool",
         domain="com.microsoft")(per_input_element(1))
register("MaxRoiPool", "RoiAlign", category="pool")(per_output_element(4))

# Reductions: one operation per input element.
register("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceProd", "ReduceL1",
         "ReduceSumSquare", "ArgMax", "ArgMin", "CumSum", category="reduce")(per_input_element(1))
register("ReduceL2", "ReduceLogSum", "ReduceLogSumExp", category="reduce")(per_input_element(2))


@register("Resize", "Upsample", category="resize")
def resize(node: NodeView) -> OpCost:
    """Nearest: a gather (no arithmetic); linear/cubic: a weighted sum per output element."""
    mode = str(node.attr("mode", "nearest"))
    per_element = {"nearest": 0, "linear": 4, "bilinear": 4, "cubic": 16}.get(mode, 4)
    return OpCost(flops=per_element * node.out_numel(0))


@register("GridSample", category="resize")
def grid_sample(node: NodeView) -> OpCost:
    return OpCost(flops=8 * node.out_numel(0))
