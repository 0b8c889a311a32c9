"""Graph loading, dim resolution, shape inference and the inspect command."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import onnx
import pytest
from click.testing import CliRunner
from onnx import TensorProto, helper, numpy_helper

from advisor.cli import main
from advisor.errors import InputError
from advisor.graph import analyze
from advisor.graph.dims import parse_dim_overrides
from tests.onnx_helpers import model, tensor, weight

LIGHT = Path(onnx.__file__).parent / "backend" / "test" / "data" / "light"


def transformer_block(hidden=32, heads=4, batch="batch", seq="seq_len"):
    """A PyTorch-style self-attention block whose reshapes are computed from Shape ops."""
    head = hidden // heads
    i64 = lambda name, values: numpy_helper.from_array(np.array(values, dtype=np.int64), name)  # noqa: E731
    nodes = [
        helper.make_node("MatMul", ["x", "wq"], ["q"]),
        helper.make_node("Shape", ["x"], ["xs"]),
        helper.make_node("Gather", ["xs", "i0"], ["b"], axis=0),
        helper.make_node("Gather", ["xs", "i1"], ["s"], axis=0),
        helper.make_node("Unsqueeze", ["b", "ax0"], ["bu"]),
        helper.make_node("Unsqueeze", ["s", "ax0"], ["su"]),
        helper.make_node("Concat", ["bu", "su", "nh", "hd"], ["qshape"], axis=0),
        helper.make_node("Reshape", ["q", "qshape"], ["q4"]),
        helper.make_node("Transpose", ["q4"], ["qt"], perm=[0, 2, 1, 3]),
        helper.make_node("Transpose", ["q4"], ["kt"], perm=[0, 2, 3, 1]),
        helper.make_node("MatMul", ["qt", "kt"], ["scores"]),
        helper.make_node("Softmax", ["scores"], ["probs"], axis=-1),
        helper.make_node("MatMul", ["probs", "qt"], ["ctx"]),
        helper.make_node("Transpose", ["ctx"], ["ctxt"], perm=[0, 2, 1, 3]),
        helper.make_node("Concat", ["bu", "su", "hid"], ["oshape"], axis=0),
        helper.make_node("Reshape", ["ctxt", "oshape"], ["y"]),
    ]
    inits = [weight("wq", (hidden, hidden)), i64("i0", 0), i64("i1", 1), i64("ax0", [0]),
             i64("nh", [heads]), i64("hd", [head]), i64("hid", [hidden])]
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, seq, hidden])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, seq, hidden])
    return model(nodes, [x], [y], inits)


def test_resnet50_macs_match_published_count():
    """ResNet-50 at 224x224: 4.09 GMACs published (torchvision, He et al. report 3.8 GFLOPs-as-MACs)."""
    g = analyze(LIGHT / "light_resnet50.onnx")
    assert abs(g.total_macs / 4.089e9 - 1) < 0.01
    assert g.unknown_ops == {}


def test_symbolic_dims_defaults_and_overrides():
    g = analyze(transformer_block())
    assert g.assumed_dims["batch"].value == 1 and g.assumed_dims["batch"].origin == "default batch"
    assert g.assumed_dims["seq_len"].value == 128
    scores = [n for n in g.compute_nodes if n.op_type == "Softmax"][0]
    assert scores.outputs[0].shape == (1, 4, 128, 128)
    g8 = analyze(transformer_block(), batch=8, dims={"seq_len": 64})
    assert g8.assumed_dims["seq_len"].origin == "user"
    assert [n for n in g8.compute_nodes if n.op_type == "Softmax"][0].outputs[0].shape == (8, 4, 64, 64)
    # FLOPs: projection + scores + context, all scale with batch
    assert g8.total_macs == 8 * (64 * 32 * 32 + 4 * 64 * 64 * 8 * 2)


def test_shape_ops_of_transformer_are_shape_kind():
    g = analyze(transformer_block())
    shape_ops = {n.op_type for n in g.nodes if n.kind == "shape"}
    assert {"Shape", "Gather", "Unsqueeze", "Concat"} <= shape_ops


def test_dim_expression_and_unknown_dim_error():
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, ["past + 1", 4])
    m = model([helper.make_node("Relu", ["x"], ["y"])], [x], [tensor("y", None)])
    g = analyze(m, dims={"past": 9})
    assert g.compute_nodes[0].outputs[0].shape == (10, 4)
    weird = helper.make_tensor_value_info("x", TensorProto.FLOAT, [2, "frobs"])
    with pytest.raises(InputError, match="frobs.*--dim"):
        analyze(model([helper.make_node("Relu", ["x"], ["y"])], [weird], [tensor("y", None)]))


def test_invalid_dim_overrides():
    with pytest.raises(InputError, match="NAME=VALUE"):
        parse_dim_overrides(["batch"])
    with pytest.raises(InputError, match="not an integer"):
        parse_dim_overrides(["batch=x"])
    with pytest.raises(InputError, match="must be"):
        parse_dim_overrides(["batch=0"])
    with pytest.raises(InputError, match="not in the model"):
        analyze(transformer_block(), dims={"nonexistent": 3})


def test_external_data_is_never_opened(tmp_path):
    """Weights in external data: inspected with the data file absent."""
    w = weight("w", (64, 64))
    m = model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", (1, 64))],
              [tensor("y", None)], [w])
    onnx.save_model(m, tmp_path / "m.onnx", save_as_external_data=True, all_tensors_to_one_file=True,
                    location="weights.bin", size_threshold=0)
    (tmp_path / "weights.bin").unlink()
    g = analyze(tmp_path / "m.onnx")
    assert g.params == 64 * 64 and g.weight_bytes == 64 * 64 * 4
    assert g.total_macs == 64 * 64


def test_out_of_order_nodes_cycles_and_dangling_inputs():
    relu = helper.make_node("Relu", ["a"], ["y"])
    neg = helper.make_node("Neg", ["x"], ["a"])
    g = analyze(model([relu, neg], [tensor("x", (2, 2))], [tensor("y", None)]))
    assert [n.op_type for n in g.nodes] == ["Neg", "Relu"]
    cycle = [helper.make_node("Relu", ["b"], ["a"]), helper.make_node("Add", ["a", "x"], ["b"])]
    with pytest.raises(InputError, match="cycle"):
        analyze(model(cycle, [tensor("x", (2, 2))], [tensor("b", (2, 2))]))
    dangling = [helper.make_node("Add", ["x", "ghost"], ["y"])]
    with pytest.raises(InputError, match="ghost"):
        analyze(model(dangling, [tensor("x", (2, 2))], [tensor("y", (2, 2))]))


# --- the command line ---------------------------------------------------------------------------

def run(*args):
    return CliRunner().invoke(main, list(args))


def test_inspect_json(tmp_path):
    path = tmp_path / "block.onnx"
    onnx.save(transformer_block(), path)
    result = run("inspect", "--model", str(path), "--batch", "2", "--seq-len", "16", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert data["schema"] == "advisor.inspect/1"
    assert data["assumed_dims"]["batch"] == {"value": 2, "origin": "user --batch"}
    assert data["totals"]["gmacs"] * 1e9 == pytest.approx(2 * (16 * 32 * 32 + 4 * 16 * 16 * 8 * 2))
    assert data["op_types"][0]["op_type"] == "MatMul"


def test_inspect_table_lists_unknown_ops(tmp_path):
    path = tmp_path / "custom.onnx"
    node = helper.make_node("Frobnicate", ["x0"], ["y0"], domain="example.custom")
    onnx.save(model([node], [tensor("x0", (2, 3))], [tensor("y0", (2, 3))],
                    extra_opsets=[("example.custom", 1)]), path)
    result = run("inspect", "--model", str(path))
    assert result.exit_code == 0, result.output
    assert "example.custom::Frobnicate" in result.output
    assert "does not know" in result.output


@pytest.mark.parametrize("case", ["missing", "directory", "random", "truncated", "unresolved", "bad-dim"])
def test_bad_input_is_one_line_exit_2(tmp_path, case):
    good = tmp_path / "good.onnx"
    onnx.save(transformer_block(), good)
    args = ["inspect", "--model", str(good)]
    if case == "missing":
        args[2] = str(tmp_path / "nope.onnx")
    elif case == "directory":
        args[2] = str(tmp_path)
    elif case == "random":
        (tmp_path / "r.onnx").write_bytes(np.random.default_rng(1).bytes(5000))
        args[2] = str(tmp_path / "r.onnx")
    elif case == "truncated":
        (tmp_path / "t.onnx").write_bytes(good.read_bytes()[:200])
        args[2] = str(tmp_path / "t.onnx")
    elif case == "unresolved":
        x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [3, "mystery"])
        onnx.save(model([helper.make_node("Relu", ["x"], ["y"])], [x], [tensor("y", None)]), good)
    else:
        args += ["--dim", "batch:3"]
    result = run(*args)
    assert result.exit_code == 2, result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), result.output
    assert "Traceback" not in result.output


def test_symbolic_fallback_writes_nothing_to_the_working_directory(tmp_path, monkeypatch):
    """onnxruntime's symbolic inference saves a temp model in the cwd when it gives up; we must not."""
    monkeypatch.chdir(tmp_path)
    nodes = [helper.make_node("Frobnicate", ["x0"], ["a"], domain="example.custom"),
             helper.make_node("Relu", ["a"], ["y0"])]
    g = analyze(model(nodes, [tensor("x0", (2, 3))], [tensor("y0", None)],
                      extra_opsets=[("example.custom", 1)]))
    assert "onnxruntime-symbolic" in g.shape_inference
    assert list(tmp_path.iterdir()) == []
