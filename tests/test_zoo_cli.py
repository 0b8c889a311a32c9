"""``advisor zoo list`` / ``advisor zoo build``."""

from __future__ import annotations

import json

import numpy as np
import onnx
import onnxruntime as ort
from click.testing import CliRunner

from advisor.cli import main


def test_list_json():
    res = CliRunner().invoke(main, ["zoo", "list", "--json"])
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["schema"] == "advisor.zoo.list/1"
    by_name = {r["name"]: r for r in data["models"]}
    assert by_name["resnet50"]["family"] == "resnet"
    assert by_name["resnet50"]["defaults"]["resolution"] == 224


def test_list_table():
    res = CliRunner().invoke(main, ["zoo", "list"])
    assert res.exit_code == 0 and "mobilenet_v2" in res.output


def test_build_runnable(tmp_path):
    out = tmp_path / "m.onnx"
    res = CliRunner().invoke(main, ["zoo", "build", "mobilenet_v2", "--batch", "2", "--resolution", "64",
                                    "--width", "0.5", "-o", str(out), "--json"])
    assert res.exit_code == 0, res.output
    info = json.loads(res.output)
    assert info["recipe"] == "mobilenet_v2:batch=2,resolution=64,width=0.5"
    assert info["inputs"][0]["shape"] == [2, 3, 64, 64] and not info["graph_only"]
    sess = ort.InferenceSession(str(out), providers=["CPUExecutionProvider"])
    y = sess.run(None, {"input": np.zeros((2, 3, 64, 64), np.float32)})[0]
    assert y.shape == (2, 1000)


def test_build_graph_only_recipe_and_opts(tmp_path):
    out = tmp_path / "g.onnx"
    res = CliRunner().invoke(main, ["zoo", "build", "gpt2:mode=decode", "--opt", "past_len=63",
                                    "--seq-len", "1", "--graph-only", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "graph only" in res.output
    m = onnx.load(str(out), load_external_data=False)
    assert out.stat().st_size < 500_000
    past = next(i for i in m.graph.input if i.name == "past_key_values.0.key")
    assert [d.dim_value for d in past.type.tensor_type.shape.dim] == [1, 12, 63, 64]


def test_build_errors_are_one_line(tmp_path):
    out = str(tmp_path / "x.onnx")
    for args in (["nope"], ["resnet50", "--opt", "bogus=1"], ["resnet50", "--opt", "bogus"],
                 ["resnet50", "--batch", "0"]):
        res = CliRunner().invoke(main, ["zoo", "build", *args, "-o", out])
        assert res.exit_code == 2, (args, res.output)
        assert "Traceback" not in res.output
