"""The report: chart data agrees with the predictor, the HTML is self-contained, PNGs are written."""

from __future__ import annotations

import base64
import json
import re

import numpy as np
import onnx
import pytest
from click.testing import CliRunner
from onnx import helper

from advisor.api import predict
from advisor.cli import main
from advisor.report.data import compute_curve, kernel_points, options_from_predictions
from tests.onnx_helpers import model, tensor, weight

pytest.importorskip("matplotlib", reason="the report extra (matplotlib) is not installed")

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


def small_cnn():
    """Conv-ReLU-Conv-ReLU-GlobalAveragePool-Flatten-Gemm on a 3x64x64 image."""
    nodes = [helper.make_node("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c1"], ["r1"]),
             helper.make_node("Conv", ["r1", "w2"], ["c2"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c2"], ["r2"]),
             helper.make_node("GlobalAveragePool", ["r2"], ["p"]),
             helper.make_node("Flatten", ["p"], ["f"]),
             helper.make_node("Gemm", ["f", "w3"], ["y"], transB=1)]
    return model(nodes, [tensor("x", (1, 3, 64, 64))], [tensor("y", None)],
                 [weight("w1", (16, 3, 3, 3)), weight("w2", (32, 16, 3, 3)), weight("w3", (10, 32))])


@pytest.fixture(scope="module")
def cnn_path(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "cnn.onnx"
    onnx.save(small_cnn(), path)
    return str(path)


@pytest.fixture(scope="module")
def no_model(tmp_path_factory):
    """An empty models folder: roofline-only predictions whatever is installed in models/."""
    return str(tmp_path_factory.mktemp("models"))


def test_kernel_times_add_up_to_the_predicted_latency(cnn_path, no_model):
    pts = kernel_points(cnn_path, "a100", "fp16", batch=4, models=no_model)
    p = predict(cnn_path, "a100", batch=4, precision="fp16", models=no_model)
    assert pts.time_ms.sum() == pytest.approx(p.latency_ms, rel=1e-6)
    assert sum(pts.by_op_type().values()) == pytest.approx(p.latency_ms, rel=1e-6)
    assert set(pts.by_op_type()) >= {"Conv", "Gemm"}
    # no kernel runs above its roof: achieved rate <= peak, and <= bandwidth x intensity
    peak = pts.peaks_tflops["fp16"]
    assert np.all(pts.achieved_tflops <= peak * (1 + 1e-9))
    assert np.all(pts.achieved_tflops <= pts.bandwidth_gbs / 1e3 * pts.intensity * (1 + 1e-9))
    assert pts.roof_format == "fp16"


def test_more_compute_has_diminishing_returns(cnn_path, no_model):
    curve = compute_curve(cnn_path, "t4", "fp32", batch=1, models=no_model)
    assert curve.scales == [1.0, 2.0, 4.0, 8.0]
    speedup = curve.speedup
    assert speedup[0] == pytest.approx(1.0)
    assert all(b >= a - 1e-9 for a, b in zip(speedup, speedup[1:]))  # never slower
    assert all(s <= scale + 1e-9 for s, scale in zip(speedup, curve.scales))  # never super-linear
    assert speedup[-1] < 8  # bandwidth unchanged: some time is memory-bound


def test_options_from_predictions_mark_fallback_precisions(cnn_path, no_model):
    from advisor.api import predict_many
    preds = predict_many(cnn_path, ["rpi4"], precision=["fp32", "fp16"], models=no_model, as_objects=True)
    labels = [o.label for o in options_from_predictions(preds)]
    assert labels == ["rpi4 fp32", "rpi4 fp16 (fallback)"]


@pytest.fixture(scope="module")
def report(cnn_path, no_model, tmp_path_factory):
    from advisor.report import build_report
    out = tmp_path_factory.mktemp("out")
    summary = build_report(cnn_path, ["a100", "rpi4"], batch=2, precisions=["fp32", "int8"],
                           models=no_model, out=out / "r.html", png_dir=out / "png")
    return summary, (out / "r.html").read_text(encoding="utf-8")


def test_html_report_is_self_contained(report):
    summary, text = report
    assert summary["schema"] == "advisor.report/1"
    assert text.startswith("<!DOCTYPE html>")
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", text, re.I)
    assert "<script" not in text.lower() and "<link" not in text.lower() and "@import" not in text
    images = re.findall(r'src="data:image/png;base64,([A-Za-z0-9+/=]+)"', text)
    assert len(images) == len(summary["charts"])
    assert all(base64.b64decode(img).startswith(PNG_MAGIC) for img in images)


def test_html_report_contains_each_chart(report):
    summary, text = report
    expected = {"options", "roofline-a100-sxm4-80gb", "roofline-rpi4", "breakdown", "more-compute"}
    assert set(summary["charts"]) == expected
    for stem in expected:
        assert f'id="{stem}"' in text
    assert "a100-sxm4-80gb" in text and "rpi4" in text and "int8" in text


def test_png_charts_are_written(report):
    summary, _ = report
    assert len(summary["png"]) == len(summary["charts"])
    for path in summary["png"]:
        with open(path, "rb") as handle:
            assert handle.read(8) == PNG_MAGIC


def test_report_cli_json_and_bad_input(cnn_path, tmp_path):
    runner = CliRunner()
    out = tmp_path / "cli.html"
    ok = runner.invoke(main, ["report", "--model", cnn_path, "--hw", "t4", "--precision", "fp16",
                              "--out", str(out), "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["schema"] == "advisor.report/1" and data["html"] == str(out) and out.exists()
    assert data["png"] == [] and "roofline-t4" in data["charts"]
    for args, needle in ((["--hw", "not-a-device-xyz"], "nearest"), (["--hw", "t4", "--batch", "0"], "--batch"),
                         (["--hw", "t4", "--precision", "fp12"], "precision")):
        bad = runner.invoke(main, ["report", "--model", cnn_path, "--out", str(tmp_path / "x.html"), *args])
        assert bad.exit_code == 2, bad.output
        assert len(bad.output.strip().splitlines()) == 1 and needle in bad.output.lower()
    missing = runner.invoke(main, ["report", "--model", str(tmp_path / "none.onnx"), "--hw", "t4"])
    assert missing.exit_code == 2 and "not found" in missing.output


def test_report_without_matplotlib_is_one_clear_line(cnn_path, tmp_path, monkeypatch):
    import builtins
    real_import = builtins.__import__

    def no_matplotlib(name, *args, **kwargs):
        if name == "matplotlib" or name.startswith("matplotlib."):
            raise ImportError("No module named 'matplotlib'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_matplotlib)
    res = CliRunner().invoke(main, ["report", "--model", cnn_path, "--hw", "t4",
                                    "--out", str(tmp_path / "r.html")])
    assert res.exit_code == 1
    assert res.output.strip() == "Error: advisor report needs matplotlib: pip install 'advisor[report]'"


def test_options_come_from_advise_when_installed(report):
    summary, text = report
    pytest.importorskip("advisor.advise", reason="advise module not installed")
    assert summary["options_source"] == "advise"
    assert 'id="advice"' in text and "(today)" not in text.split('id="advice"')[0]
