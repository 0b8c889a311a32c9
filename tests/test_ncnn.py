"""ncnn reader and converter: format parsing, layer semantics, and every benchmark network."""

from __future__ import annotations

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from advisor.errors import InputError
from advisor.ncnn import blob_map, parse_param, read_param, to_onnx, weight_count
from advisor.paths import public_data_dir

MODELS = public_data_dir() / "ncnn" / "models"
ALL = sorted(p.stem for p in MODELS.glob("*.param")) if MODELS.is_dir() else []

TINY = """7767517
7 7
Input            data   0 1 data -23330=4,3,32,32,3 0=32 1=32 2=3
Convolution      conv1  1 1 data c1 -23330=4,3,16,16,8 0=8 1=3 3=2 4=1 5=1 6=216 9=1
Pooling          pool1  1 1 c1 p1 -23330=4,3,8,8,8 1=3 2=2
Split            sp     1 2 p1 p1a p1b
Eltwise          add    2 1 p1a p1b s -23330=4,3,8,8,8 0=1
Pooling          gap    1 1 s g -23330=4,1,8,1,1 0=1 4=1
InnerProduct     fc     1 1 g out -23330=4,1,10,1,1 0=10 1=1 2=80
"""


def _run(model: onnx.ModelProto) -> list[np.ndarray]:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    return sess.run(None, {inp.name: np.random.default_rng(0).random(inp.shape, np.float32)})


def _params(model: onnx.ModelProto) -> int:
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer)


def _hint_mismatches(net, shapes) -> tuple[int, list]:
    checked, bad = 0, []
    for layer in net.layers:
        if layer.type.endswith("DetectionOutput"):  # omitted; its hint is data-dependent (NMS)
            continue
        for blob, hint in zip(layer.outputs, layer.shape_hints() or []):
            checked += 1
            if tuple(shapes[blob][1]) != tuple(hint):
                bad.append((layer.name, blob, hint, shapes[blob][1]))
    return checked, bad


def test_parse_keys_arrays_and_hints():
    net = parse_param(TINY, name="tiny")
    conv = net.layers[1]
    assert conv.type == "Convolution" and conv.inputs == ["data"] and conv.outputs == ["c1"]
    assert conv.get(6) == 216 and conv.get(11, conv.get(1)) == 3
    assert conv.shape_hints() == [(16, 16, 8)]
    assert net.layers[5].shape_hints() == [(8,)]
    assert net.output_blobs() == ["out"]
    arr = parse_param("7767517\n1 1\nSlice s 0 1 x -23300=3,4,-233,2.5e-01 1=1\n")
    assert arr.layers[0].params[0] == [4, -233, 0.25] and arr.layers[0].params[1] == 1


def test_parse_errors_are_input_errors(tmp_path):
    with pytest.raises(InputError, match="magic"):
        parse_param("123\n1 1\n")
    with pytest.raises(InputError, match="array key"):
        parse_param("7767517\n1 1\nSlice s 0 1 x -23300=3,4\n")
    with pytest.raises(InputError, match="cannot read"):
        read_param(tmp_path / "missing.param")


def test_tiny_net_converts_runs_and_matches():
    net = parse_param(TINY, name="tiny")
    model, shapes = blob_map(net)
    checked, bad = _hint_mismatches(net, shapes)
    assert checked == 6 and not bad
    assert _params(model) == weight_count(net) == 216 + 8 + 80 + 10
    out = _run(to_onnx(net, batch=2))
    assert out[0].shape == (2, 10)


def test_int8_layers_become_qdq():
    text = TINY.replace("6=216 9=1", "6=216 8=102 9=1").replace("2=80", "2=80 8=2")
    model = to_onnx(parse_param(text, name="tiny_int8"))
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("QuantizeLinear") == 3  # conv input, conv requantised output, fc input
    int8 = [t for t in model.graph.initializer if t.data_type == onnx.TensorProto.INT8]
    assert sorted(int(np.prod(t.dims)) for t in int8) == [80, 216]
    assert {p.key: p.value for p in model.metadata_props}["ncnn_int8"] == "true"
    assert _run(model)[0].shape == (1, 10)


def test_graph_only_has_no_weight_bytes():
    model = to_onnx(parse_param(TINY, name="tiny"), graph_only=True)
    assert all(t.data_location == onnx.TensorProto.EXTERNAL and not t.raw_data
               for t in model.graph.initializer)


needs_data = pytest.mark.skipif(not ALL, reason=f"ncnn benchmark models not found in {MODELS}")


@needs_data
@pytest.mark.parametrize("name", ALL)
def test_every_benchmark_model_matches_hints_and_weights(name):
    net = read_param(MODELS / f"{name}.param")
    model, shapes = blob_map(net)
    checked, bad = _hint_mismatches(net, shapes)
    assert not bad, bad[:3]
    if name not in ("FastestDet", "blazeface", "vision_transformer"):  # files carry no hints
        assert checked >= len(net.layers) - 1
    assert _params(model) == weight_count(net) > 0
    assert ("true" if name.endswith("_int8") else "false") == \
        {p.key: p.value for p in model.metadata_props}["ncnn_int8"]


@needs_data
@pytest.mark.parametrize("name,out_shape", [("squeezenet", (1, 1000)), ("mobilenet_int8", (1, 1000)),
                                            ("shufflenet_v2", (1, 1000)),
                                            ("mobilenet_ssd", (1, 2, 7668))])
def test_converted_models_run_in_onnxruntime(name, out_shape):
    model = to_onnx(MODELS / f"{name}.param")
    outs = _run(model)
    assert out_shape in [o.shape for o in outs]
    assert all(np.isfinite(o).all() for o in outs)


@needs_data
def test_vision_transformer_structure():
    model = to_onnx(MODELS / "vision_transformer.param", graph_only=True)
    ops = [n.op_type for n in model.graph.node]
    assert ops.count("LayerNormalization") == 25 and ops.count("Softmax") >= 12
    assert model.graph.input[0].type.tensor_type.shape.dim[2].dim_value == 384


@needs_data
def test_detection_postprocess_custom_mode_keeps_nodes():
    model = to_onnx(MODELS / "mobilenet_ssd.param", graph_only=True, postprocess="custom")
    custom = [n.op_type for n in model.graph.node if n.domain == "ncnn"]
    assert "DetectionOutput" in custom and "PriorBox" in custom
