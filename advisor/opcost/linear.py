"""Costs of the multiply-accumulate operators: convolutions, matrix products, Einsum.

FLOPs are 2 per multiply-accumulate, plus one per output element for a bias. Quantized and
integer variants do the same number of operations in a narrower format, so they share handlers.
"""

from __future__ import annotations

from math import prod

from advisor.opcost.registry import NodeView, OpCost, register


def _conv_cost(node: NodeView, weight_index: int, bias_index: int | None) -> OpCost:
    out = node.out_shape(0)
    weight = node.in_shape(weight_index)
    if out is None or weight is None or len(weight) < 2:
        return OpCost()
    # weight: (C_out, C_in / groups, k1, k2, ...); every output element sums C_in/groups * k values
    macs = prod(out) * prod(weight[1:])
    bias = node.out_numel(0) if bias_index is not None and node.has_input(bias_index) else 0
    return OpCost(flops=2 * macs + bias, macs=macs)


@register("Conv", "FusedConv", "NhwcConv", category="conv")
@register("FusedConv", "NhwcConv", category="conv", domain="com.microsoft")
@register("Conv", category="conv", domain="com.microsoft.nchwc")
def conv(node: NodeView) -> OpCost:
    return _conv_cost(node, weight_index=1, bias_index=2)


@register("ConvInteger", category="conv")
def conv_integer(node: NodeView) -> OpCost:
    return _conv_cost(node, weight_index=1, bias_index=None)


@register("QLinearConv", category="conv")
def qlinear_conv(node: NodeView) -> OpCost:
    # inputs: x, x_scale, x_zp, w, w_scale, w_zp, y_scale, y_zp, [bias]
    return _conv_cost(node, weight_index=3, bias_index=8)


@register("ConvTranspose", category="conv")
def conv_transpose(node: NodeView) -> OpCost:
    x, weight = node.in_shape(0), node.in_shape(1)
    if x is None or weight is None or len(weight) < 2:
        return OpCost()
    # weight: (C_in, C_out / groups, k...); every input element scatters into C_out/groups * k outputs
    macs = prod(x) * prod(weight[1:])
    bias = node.out_numel(0) if node.has_input(2) else 0
    return OpCost(flops=2 * macs + bias, macs=macs)


def _matmul_macs(a: tuple[int, ...] | None, b: tuple[int, ...] | None,
                 out: tuple[int, ...] | None) -> int:
    """MACs of numpy-style matmul: every output element is a length-K dot product."""
    if a is None or out is None or not a:
        return 0
    k = a[-1]
    return prod(out) * k if out else k


@register("MatMul", "MatMulInteger", "FusedMatMul", category="matmul")
@register("FusedMatMul", "MatMulIntegerToFloat", "DynamicQuantizeMatMul", category="matmul",
          domain="com.microsoft")
def matmul(node: NodeView) -> OpCost:
    macs = _matmul_macs(node.in_shape(0), node.in_shape(1), node.out_shape(0))
    return OpCost(flops=2 * macs, macs=macs)


@register("QLinearMatMul", category="matmul")
def qlinear_matmul(node: NodeView) -> OpCost:
    # inputs: a, a_scale, a_zp, b, b_scale, b_zp, y_scale, y_zp
    macs = _matmul_macs(node.in_shape(0), node.in_shape(3), node.out_shape(0))
    return OpCost(flops=2 * macs, macs=macs)


@register("Gemm", category="matmul")
@register("FusedGemm", "QGemm", "GemmFastGelu", category="matmul", domain="com.microsoft")
def gemm(node: NodeView) -> OpCost:
    a, out = node.in_shape(0), node.out_shape(0)
    if a is None or out is None or len(a) != 2:
        return OpCost()
    k = a[0] if node.attr("transA", 0) else a[1]
    macs = prod(out) * k
    bias_index = 6 if node.op_type == "QGemm" else 2
    bias = prod(out) if node.has_input(bias_index) else 0
    return OpCost(flops=2 * macs + bias, macs=macs)


@register("MatMulNBits", "MatMulBnb4", category="matmul", domain="com.microsoft")
def matmul_nbits(node: NodeView) -> OpCost:
    """Weight-only quantized MatMul: A (..., K) x dequant(B) (K, N); B is packed blocks."""
    a = node.in_shape(0)
    k, n = node.attr("K"), node.attr("N")
    if a is None or not k or not n:
        return OpCost()
    macs = prod(a[:-1]) * int(k) * int(n)
    return OpCost(flops=2 * macs, macs=macs)


@register("Einsum", category="matmul")
def einsum(node: NodeView) -> OpCost:
    """MACs = product of the sizes of every distinct index (each is a nested loop)."""
    equation = str(node.attr("equation", "")).replace(" ", "")
    lhs = equation.split("->")[0]
    sizes: dict[str, int] = {}
    for term, shape in zip(lhs.split(","), node.input_shapes):
        if shape is None or "." in term:
            return OpCost()
        for letter, size in zip(term, shape):
            sizes[letter] = max(sizes.get(letter, 1), size)
    if not sizes:
        return OpCost()
    loops = prod(sizes.values())
    operands = len(node.input_shapes)
    macs = loops if operands >= 2 else 0
    flops = 2 * loops * (operands - 1) if operands >= 2 else loops
    return OpCost(flops=flops, macs=macs)
