"""NAS-space builders (NAS-Bench-201, FBNet, OFA MobileNetV3) for the HELP latency rows."""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from advisor.errors import InputError
from advisor.paths import public_data_dir
from advisor.zoo.nas import fbnet, nasbench201, ofa_code, ofa_mbv3, parse_nb201, parse_ofa

HELP = public_data_dir() / "help"
ALL_CONV = "|nor_conv_3x3~0|+|nor_conv_3x3~0|nor_conv_3x3~1|+|nor_conv_3x3~0|nor_conv_3x3~1|nor_conv_3x3~2|"
ALL_NONE = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"
FB = ["k3_e1", "k3_e1_g2", "k3_e3", "k3_e6", "k5_e1", "k5_e1_g2", "k5_e3", "k5_e6", "skip"] * 2 + \
     ["skip", "k3_e6", "k5_e1_g2", "skip"]
OFA = {"ks": [3, 5, 7, 3] * 5, "e": [3, 4, 6, 4] * 5, "d": [2, 3, 4, 2, 3], "r": 160}


def _torch_params(model: onnx.ModelProto) -> int:
    """Parameters as PyTorch counts them (BN running statistics are buffers, not parameters)."""
    return sum(int(np.prod(t.dims)) for t in model.graph.initializer if "running_" not in t.name)


def _run(model: onnx.ModelProto) -> np.ndarray:
    so = ort.SessionOptions()
    so.intra_op_num_threads = 1
    sess = ort.InferenceSession(model.SerializeToString(), so, providers=["CPUExecutionProvider"])
    inp = sess.get_inputs()[0]
    return sess.run(None, {inp.name: np.random.default_rng(0).random(inp.shape, np.float32)})[0]


def test_nb201_parameter_range_matches_published():
    # NAS-Bench-201 (Dong & Yang, ICLR 2020) CIFAR-10 nets span 0.073306 to 1.531546 M params
    assert _torch_params(nasbench201(ALL_NONE, graph_only=True)) == 73306
    assert _torch_params(nasbench201(ALL_CONV, graph_only=True)) == 1531546


def test_nb201_runs_at_batch():
    out = _run(nasbench201("|avg_pool_3x3~0|+|nor_conv_1x1~0|skip_connect~1|"
                           "+|nor_conv_1x1~0|skip_connect~1|skip_connect~2|", batch=4))
    assert out.shape == (4, 10) and np.isfinite(out).all()


def test_nb201_rejects_bad_strings():
    with pytest.raises(InputError):
        parse_nb201("|nor_conv_3x3~0|+|conv_9x9~0|none~1|+|none~0|none~1|none~2|")
    with pytest.raises(InputError):
        parse_nb201("|nor_conv_3x3~1|")


def test_fbnet_imagenet_and_cifar():
    m = fbnet(json.dumps(FB), batch=2)
    assert _run(m).shape == (2, 1000)
    ops = [n.op_type for n in m.graph.node]
    assert ops.count("Transpose") == 5  # channel shuffles of the 5 grouped blocks
    c = fbnet(FB, dataset="cifar100", graph_only=True)
    assert c.graph.input[0].type.tensor_type.shape.dim[2].dim_value == 32
    assert c.graph.output[0].type.tensor_type.shape.dim[1].dim_value == 100
    with pytest.raises(InputError):
        fbnet(FB[:21])


def test_ofa_depth_and_resolution():
    m = ofa_mbv3(OFA, batch=1)
    assert _run(m).shape == (1, 1000)
    assert m.graph.input[0].type.tensor_type.shape.dim[2].dim_value == 160
    deeper = ofa_mbv3(dict(OFA, d=[4] * 5), graph_only=True)
    assert _torch_params(deeper) > _torch_params(ofa_mbv3(OFA, graph_only=True))
    with pytest.raises(InputError):
        parse_ofa({"ks": [3] * 20, "e": [5] * 20, "d": [2] * 5, "r": 224})
    assert parse_ofa(ofa_code(OFA)) == OFA  # comma-free recipe form round-trips


def test_fbnet_recipe_form():
    a = fbnet("-".join(FB), graph_only=True)
    b = fbnet(FB, graph_only=True)
    assert [n.op_type for n in a.graph.node] == [n.op_type for n in b.graph.node]


@pytest.mark.skipif(not HELP.is_dir(), reason=f"HELP data not found in {HELP}")
def test_real_help_strings_build():
    import pandas as pd

    nb = pd.read_csv(HELP / "nasbench201_latency.csv", usecols=["arch_str"], nrows=3)
    for s in nb.arch_str:
        assert nasbench201(s, graph_only=True).graph.output[0].type.tensor_type.shape.dim[1].dim_value == 10
    fb = pd.read_csv(HELP / "fbnet_latency.csv", usecols=["arch"], nrows=3)
    for s in fb.arch:
        fbnet(s, graph_only=True)
    of = pd.read_csv(HELP / "ofa_latency.csv", usecols=["arch"], nrows=3)
    for s in of.arch:
        r = json.loads(s)["r"]
        m = ofa_mbv3(s, graph_only=True)
        assert m.graph.input[0].type.tensor_type.shape.dim[3].dim_value == r
    assert _run(ofa_mbv3(of.arch[0])).shape == (1, 1000)
