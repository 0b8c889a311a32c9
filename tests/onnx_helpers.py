"""Small ONNX graphs built with onnx.helper for the tests."""

from __future__ import annotations

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

F32 = TensorProto.FLOAT


def tensor(name: str, shape, dtype=F32):
    return helper.make_tensor_value_info(name, dtype, list(shape) if shape is not None else None)


def weight(name: str, shape, dtype=np.float32, value=None):
    array = np.full(shape, value, dtype=dtype) if value is not None else \
        np.random.default_rng(0).standard_normal(shape).astype(dtype)
    return numpy_helper.from_array(array, name)


def model(nodes, inputs, outputs, initializers=(), opset=17, extra_opsets=()):
    graph = helper.make_graph(list(nodes), "test", list(inputs), list(outputs), list(initializers))
    opsets = [helper.make_opsetid("", opset)] + [helper.make_opsetid(d, v) for d, v in extra_opsets]
    m = helper.make_model(graph, opset_imports=opsets)
    m.ir_version = 8
    return m


def single_node(op_type, input_shapes, output_shapes=None, weights=(), domain="", opset=17, **attrs):
    """One node reading graph inputs x0, x1... (then the given weights), writing y0, y1..."""
    names = [f"x{i}" for i in range(len(input_shapes))] + [w.name for w in weights]
    outputs = [f"y{i}" for i in range(len(output_shapes or [None]))]
    node = helper.make_node(op_type, names, outputs, domain=domain, **attrs)
    extra = [(domain, 1)] if domain else []
    return model([node], [tensor(f"x{i}", s) for i, s in enumerate(input_shapes)],
                 [tensor(o, s) for o, s in zip(outputs, output_shapes or [None])], weights,
                 opset=opset, extra_opsets=extra)


def two_layer_mlp(activation: str, width: int, hidden: int, out: int = 16):
    """Gemm -> activation -> Gemm. "silu" is Sigmoid and Mul, so the first Gemm's output has two
    readers (static QDQ int8 leaves that Gemm unfused); "relu" has one."""
    if activation == "silu":
        act = [helper.make_node("Sigmoid", ["h"], ["s"]), helper.make_node("Mul", ["h", "s"], ["a"])]
    else:
        act = [helper.make_node("Relu", ["h"], ["a"])]
    nodes = [helper.make_node("Gemm", ["x", "w1"], ["h"]), *act, helper.make_node("Gemm", ["a", "w2"], ["y"])]
    return model(nodes, [tensor("x", [1, width])], [tensor("y", [1, out])],
                 [weight("w1", [width, hidden]), weight("w2", [hidden, out])])
