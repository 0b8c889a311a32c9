"""Each op family's FLOPs and bytes against values computed by hand on tiny graphs."""

from __future__ import annotations

import numpy as np
import onnx
import pytest
from onnx import TensorProto, helper, numpy_helper

from advisor.graph import analyze
from tests.onnx_helpers import model, single_node, tensor, weight


def only_compute(graph):
    nodes = graph.compute_nodes
    assert len(nodes) == 1, [n.op_type for n in nodes]
    return nodes[0]


def test_conv_with_bias_flops_and_bytes():
    m = single_node("Conv", [(1, 3, 8, 8)], [None], weights=[weight("w", (4, 3, 3, 3)), weight("b", (4,))],
                    pads=[1, 1, 1, 1])
    node = only_compute(analyze(m))
    macs = 4 * 8 * 8 * 3 * 3 * 3  # every output element: C_in * k * k products
    assert node.macs == macs
    assert node.flops == 2 * macs + 4 * 8 * 8
    assert node.bytes_read_act == 3 * 8 * 8 * 4
    assert node.bytes_read_weight == (4 * 3 * 3 * 3 + 4) * 4
    assert node.bytes_written == 4 * 8 * 8 * 4
    assert node.params == 4 * 27 + 4


def test_depthwise_strided_dilated_conv():
    m = single_node("Conv", [(2, 8, 16, 16)], [None], weights=[weight("w", (8, 1, 3, 3))], group=8,
                    strides=[2, 2], dilations=[2, 2], pads=[2, 2, 2, 2])
    node = only_compute(analyze(m))
    assert node.outputs[0].shape == (2, 8, 8, 8)
    assert node.macs == 2 * 8 * 8 * 8 * 9  # one 3x3 filter per channel


@pytest.mark.parametrize("spatial,kernel", [((10,), (3,)), ((4, 5, 6), (1, 3, 3))])
def test_conv_1d_and_3d(spatial, kernel):
    m = single_node("Conv", [(1, 2, *spatial)], [None], weights=[weight("w", (3, 2, *kernel))])
    node = only_compute(analyze(m))
    out_spatial = [s - k + 1 for s, k in zip(spatial, kernel)]
    assert node.macs == 3 * int(np.prod(out_spatial)) * 2 * int(np.prod(kernel))


def test_conv_transpose():
    m = single_node("ConvTranspose", [(1, 2, 4, 4)], [None], weights=[weight("w", (2, 3, 3, 3))],
                    strides=[2, 2])
    node = only_compute(analyze(m))
    assert node.outputs[0].shape == (1, 3, 9, 9)
    assert node.macs == 2 * 4 * 4 * 3 * 9  # every input element scatters into C_out * k * k


def test_batched_matmul_broadcast():
    m = single_node("MatMul", [(2, 3, 4, 5), (5, 6)], [None])
    node = only_compute(analyze(m))
    assert node.macs == 2 * 3 * 4 * 6 * 5
    assert node.flops == 2 * node.macs
    assert node.bytes_read_act == (2 * 3 * 4 * 5 + 5 * 6) * 4


def test_gemm_trans_b_with_bias():
    m = single_node("Gemm", [(7, 16)], [None], weights=[weight("w", (32, 16)), weight("c", (32,))],
                    transB=1)
    node = only_compute(analyze(m))
    assert node.macs == 7 * 32 * 16
    assert node.flops == 2 * 7 * 32 * 16 + 7 * 32
    assert node.bytes_read_weight == (32 * 16 + 32) * 4


def test_einsum_batched_product():
    m = single_node("Einsum", [(2, 3, 4), (2, 4, 5)], [None], equation="bij,bjk->bik")
    assert only_compute(analyze(m)).macs == 2 * 3 * 4 * 5


@pytest.mark.parametrize("op,per_element", [("Relu", 1), ("Sigmoid", 4), ("Softmax", 5), ("Add", 1)])
def test_elementwise_and_activation(op, per_element):
    shapes = [(2, 10, 10)] * (2 if op == "Add" else 1)
    node = only_compute(analyze(single_node(op, shapes, [None])))
    assert node.flops == per_element * 200
    assert node.bytes_written == 200 * 4


def test_layer_norm_and_batch_norm():
    ln = single_node("LayerNormalization", [(2, 5, 8)], [None],
                     weights=[weight("g", (8,)), weight("b", (8,))], axis=-1)
    assert only_compute(analyze(ln)).flops == 5 * 80
    bn = single_node("BatchNormalization", [(1, 4, 3, 3)], [None],
                     weights=[weight(n, (4,)) for n in ("s", "b", "m", "v")])
    node = only_compute(analyze(bn))
    assert node.flops == 2 * 36
    assert node.params == 16


def test_pooling_and_reduction():
    pool = single_node("MaxPool", [(1, 2, 8, 8)], [None], kernel_shape=[2, 2], strides=[2, 2])
    assert only_compute(analyze(pool)).flops == 2 * 4 * 4 * 4
    gap = single_node("GlobalAveragePool", [(1, 2, 8, 8)], [None])
    assert only_compute(analyze(gap)).flops == 128
    reduce = single_node("ReduceMean", [(3, 7)], [None], axes=[1], opset=13)
    assert only_compute(analyze(reduce)).flops == 21


def test_gather_reads_only_the_looked_up_rows():
    table = weight("table", (1000, 16))
    ids = helper.make_tensor_value_info("ids", TensorProto.INT64, [1, 7])
    node = helper.make_node("Gather", ["table", "ids"], ["y"])
    g = analyze(model([node], [ids], [tensor("y", None)], [table]))
    gather = only_compute(g)
    assert gather.bytes_read_weight == 7 * 16 * 4
    assert gather.bytes_read_act == 7 * 8
    assert g.params == 16000


def test_views_move_nothing():
    shape = numpy_helper.from_array(np.array([2, 50], dtype=np.int64), "shape")
    node = helper.make_node("Reshape", ["x0", "shape"], ["y0"])
    g = analyze(model([node], [tensor("x0", (10, 10))], [tensor("y0", None)], [shape]))
    reshape = only_compute(g)
    assert reshape.outputs[0].shape == (2, 50)
    assert reshape.bytes_total == 0


def test_shape_subgraph_is_recognised_and_not_costed():
    nodes = [
        helper.make_node("Shape", ["x"], ["s"]),
        helper.make_node("Gather", ["s", "zero"], ["d0"], axis=0),
        helper.make_node("Unsqueeze", ["d0", "axes"], ["d0u"]),
        helper.make_node("Concat", ["d0u", "minus1"], ["target"], axis=0),
        helper.make_node("Reshape", ["x", "target"], ["flat"]),
        helper.make_node("Relu", ["flat"], ["y"]),
    ]
    inits = [numpy_helper.from_array(np.array(0, dtype=np.int64), "zero"),
             numpy_helper.from_array(np.array([0], dtype=np.int64), "axes"),
             numpy_helper.from_array(np.array([-1], dtype=np.int64), "minus1")]
    g = analyze(model(nodes, [tensor("x", (3, 4, 5))], [tensor("y", None)], inits))
    kinds = {n.op_type: n.kind for n in g.nodes}
    assert kinds["Shape"] == kinds["Gather"] == kinds["Concat"] == kinds["Unsqueeze"] == "shape"
    assert kinds["Relu"] == "compute"
    relu = [n for n in g.nodes if n.op_type == "Relu"][0]
    assert relu.outputs[0].shape == (3, 20)
    assert g.total_flops == 60


def test_qdq_weight_counts_quantized_bytes():
    w_q = weight("w_q", (16, 8), dtype=np.int8, value=1)
    scale = numpy_helper.from_array(np.array(0.1, dtype=np.float32), "scale")
    zp = numpy_helper.from_array(np.array(0, dtype=np.int8), "zp")
    nodes = [
        helper.make_node("QuantizeLinear", ["x", "scale", "zp"], ["xq"]),
        helper.make_node("DequantizeLinear", ["xq", "scale", "zp"], ["xd"]),
        helper.make_node("DequantizeLinear", ["w_q", "scale", "zp"], ["w"]),
        helper.make_node("MatMul", ["xd", "w"], ["y"]),
    ]
    g = analyze(model(nodes, [tensor("x", (4, 16))], [tensor("y", None)], [w_q, scale, zp]))
    kinds = [(n.op_type, n.kind) for n in g.nodes]
    assert ("DequantizeLinear", "constant") in kinds  # the weight's DQ folds away
    matmul = [n for n in g.compute_nodes if n.op_type == "MatMul"][0]
    assert matmul.bytes_read_weight == 16 * 8  # int8, one byte each
    assert [n.category for n in g.compute_nodes[:2]] == ["quant", "quant"]
    assert g.params == 128


def test_matmul_nbits_contrib():
    k, n, bits, block = 64, 32, 4, 32
    blob = weight("B", (n, k // block, block * bits // 8), dtype=np.uint8, value=0)
    scales = weight("scales", (n * (k // block),))
    node = helper.make_node("MatMulNBits", ["x0", "B", "scales"], ["y0"], domain="com.microsoft",
                            K=k, N=n, bits=bits, block_size=block)
    g = analyze(model([node], [tensor("x0", (1, 5, k))], [tensor("y0", None)], [blob, scales],
                      extra_opsets=[("com.microsoft", 1)]))
    mm = only_compute(g)
    assert mm.macs == 5 * k * n
    assert mm.bytes_read_weight == n * k // 2 + n * (k // block) * 4


def test_lstm():
    seq, batch, features, hidden = 5, 2, 3, 4
    m = single_node("LSTM", [(seq, batch, features)], [None],
                    weights=[weight("W", (1, 4 * hidden, features)), weight("R", (1, 4 * hidden, hidden))],
                    hidden_size=hidden)
    node = only_compute(analyze(m))
    assert node.macs == seq * batch * 4 * hidden * (features + hidden)


def test_loop_body_is_multiplied_by_trip_count():
    body = helper.make_graph(
        [helper.make_node("Identity", ["cond_in"], ["cond_out"]),
         helper.make_node("MatMul", ["carry_in", "w"], ["carry_out"])],
        "body",
        [helper.make_tensor_value_info("iter", TensorProto.INT64, []),
         helper.make_tensor_value_info("cond_in", TensorProto.BOOL, []),
         tensor("carry_in", (2, 8))],
        [helper.make_tensor_value_info("cond_out", TensorProto.BOOL, []), tensor("carry_out", (2, 8))])
    trips = numpy_helper.from_array(np.array(3, dtype=np.int64), "trips")
    cond = numpy_helper.from_array(np.array(True), "cond")
    loop = helper.make_node("Loop", ["trips", "cond", "x"], ["y"], body=body)
    g = analyze(model([loop], [tensor("x", (2, 8))], [tensor("y", (2, 8))], [trips, cond, weight("w", (8, 8))]))
    matmuls = [n for n in g.nodes if n.op_type == "MatMul"]
    assert len(matmuls) == 1 and matmuls[0].repeats == 3
    assert g.total_macs == 3 * 2 * 8 * 8


def test_if_counts_the_costlier_branch():
    def branch(name, op):
        return helper.make_graph([helper.make_node(op, ["x", "x"] if op == "MatMul" else ["x"], [f"{name}_y"])],
                                 name, [], [tensor(f"{name}_y", (4, 4))])
    node = helper.make_node("If", ["c"], ["y"], then_branch=branch("then", "MatMul"),
                            else_branch=branch("else", "Relu"))
    g = analyze(model([node], [tensor("x", (4, 4)), helper.make_tensor_value_info("c", TensorProto.BOOL, [])],
                      [tensor("y", (4, 4))]))
    assert g.total_macs == 64
    assert any("If" in note for note in g.notes)


def test_unknown_operator_is_counted_and_listed():
    node = helper.make_node("Frobnicate", ["x0"], ["y0"], domain="example.custom")
    g = analyze(model([node], [tensor("x0", (2, 3))], [tensor("y0", (2, 3))],
                      extra_opsets=[("example.custom", 1)]))
    assert g.unknown_ops == {"example.custom::Frobnicate": 1}
    unknown = g.compute_nodes[0]
    assert not unknown.known
    assert unknown.bytes_read_act == 24  # still moves bytes; never silently zero


def test_contrib_attention():
    batch, seq, hidden, heads = 2, 16, 32, 4
    node = helper.make_node("Attention", ["x0", "w", "b"], ["y0"], domain="com.microsoft", num_heads=heads)
    g = analyze(model([node], [tensor("x0", (batch, seq, hidden))], [tensor("y0", (batch, seq, hidden))],
                      [weight("w", (hidden, 3 * hidden)), weight("b", (3 * hidden,))],
                      extra_opsets=[("com.microsoft", 1)]))
    att = only_compute(g)
    projection = batch * seq * hidden * 3 * hidden
    core = batch * heads * seq * seq * (hidden // heads) * 2
    assert att.macs == projection + core
