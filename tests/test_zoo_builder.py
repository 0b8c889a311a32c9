"""GraphBuilder: shape tracking, exporter op patterns, graph-only external weights, runnable graphs."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto

from advisor.errors import InputError
from advisor.zoo.builder import GraphBuilder, check_model


def _run(model: onnx.ModelProto, feeds: dict) -> list[np.ndarray]:
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def _small_net(graph_only: bool, fold_bn: bool = True) -> tuple[onnx.ModelProto, GraphBuilder]:
    b = GraphBuilder(seed=1, graph_only=graph_only, fold_bn=fold_bn)
    x = b.input("input", ("batch", 3, 32, 32))
    y = b.conv_bn_act(x, 16, 3, 2, act="relu6", name="stem")
    assert y.shape == ("batch", 16, 16, 16)
    y = b.maxpool(y, 3, 2, 1)
    assert y.shape == ("batch", 16, 8, 8)
    y = b.conv(y, 32, 3, 1, groups=16, dilation=2)
    assert y.shape == ("batch", 32, 8, 8)
    y = b.hardswish(b.silu(b.gelu(y)))
    y = b.resize(y, 2.0)
    assert y.shape == ("batch", 32, 16, 16)
    y = b.flatten(b.global_avgpool(y))
    assert y.shape == ("batch", 32)
    y = b.linear(y, 10)
    z = b.reshape(y, [0, 2, -1])
    assert z.shape == ("batch", 2, 5)
    z = b.softmax(b.rmsnorm(b.layernorm(z)))
    b.output(y, "logits")
    b.output(z, "z")
    return b.build("small"), b


def test_shapes_and_runs_with_random_weights():
    model, b = _small_net(graph_only=False)
    out = _run(model, {"input": np.random.rand(3, 3, 32, 32).astype(np.float32)})
    assert out[0].shape == (3, 10) and out[1].shape == (3, 2, 5)
    assert np.isfinite(out[0]).all()
    n_init = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    assert n_init == b.num_params
    assert model.opset_import[0].version == 17
    dims = model.graph.input[0].type.tensor_type.shape.dim
    assert dims[0].dim_param == "batch" and dims[1].dim_value == 3


def test_exporter_op_patterns():
    model, _ = _small_net(graph_only=False)
    ops = [n.op_type for n in model.graph.node]
    assert "Clip" in ops            # ReLU6
    assert "Erf" in ops             # GELU erf pattern
    assert "HardSwish" in ops and "Sigmoid" in ops  # hardswish, SiLU = Sigmoid * Mul
    assert "LayerNormalization" in ops
    assert {"Pow", "ReduceMean", "Sqrt", "Div"} <= set(ops)  # RMSNorm
    assert "Gemm" in ops and "BatchNormalization" not in ops  # BN folded by default
    names = [n.name for n in model.graph.node]
    assert len(names) == len(set(names))
    assert any(n.startswith("/stem/") for n in names)


def test_unfolded_batchnorm_counts_buffers_apart():
    model, b = _small_net(graph_only=False, fold_bn=False)
    assert "BatchNormalization" in [n.op_type for n in model.graph.node]
    n_init = sum(int(np.prod(t.dims)) for t in model.graph.initializer)
    assert n_init == b.num_params + 2 * 16  # running mean/var are buffers, not parameters


def test_graph_only_is_external_and_tiny():
    model, b = _small_net(graph_only=True)
    assert model.graph.initializer
    offsets = []
    for t in model.graph.initializer:
        assert t.data_location == TensorProto.EXTERNAL
        assert not t.raw_data and not t.float_data
        kv = {e.key: e.value for e in t.external_data}
        assert kv["location"] == "weights.bin"
        assert int(kv["length"]) == 4 * int(np.prod(t.dims))
        offsets.append((int(kv["offset"]), int(kv["length"])))
    offsets.sort()
    assert all(a[0] + a[1] == c[0] for a, c in zip(offsets, offsets[1:]))  # packed, no overlap
    check_model(model)  # passes although weights.bin exists nowhere


def test_graph_only_large_weights_stay_small():
    b = GraphBuilder(graph_only=True)
    x = b.input("x", (1, 4096))
    for _ in range(8):
        x = b.linear(x, 4096)
    b.output(x)
    model = b.build("big")
    assert b.num_params > 134_000_000
    assert model.ByteSize() < 20_000


def test_bad_inputs_raise_input_error():
    b = GraphBuilder()
    x = b.input("x", (1, 6, 8, 8))
    with pytest.raises(InputError):
        b.conv(x, 8, 3, groups=4)
    with pytest.raises(InputError):
        b.reshape(x, [1, 7, -2])
    with pytest.raises(InputError):
        b.act(x, "nope")
    with pytest.raises(InputError):
        b.input("y", (1,), "complex")
    with pytest.raises(InputError):
        GraphBuilder().build()


def test_with_options_keeps_what_the_recipe_sets_and_skips_missing_values():
    from advisor.zoo import with_options

    assert with_options("gpt2", {"seq_len": 128.0}) == "gpt2:seq_len=128"      # a CSV's float
    assert with_options("gpt2:mode=decode", {"seq_len": float("nan")}) == "gpt2:mode=decode"
    assert with_options("gpt2:seq_len=64", {"seq_len": 128}) == "gpt2:seq_len=64"
    assert with_options("resnet50", {"graph_only": 0, "batch": None}) == "resnet50:graph_only=0"
    assert with_options("mlp:hidden=64", {"batch": 8}) == "mlp:hidden=64,batch=8"
