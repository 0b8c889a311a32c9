"""What a runtime really runs (ncnn's fp16 arithmetic on Arm CPUs, ncnn-vulkan's fp32 on GPUs
without fast fp16), the same in training and prediction; rows faster than physics leave training."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from onnx import helper

from advisor.api import predict_many
from advisor.hardware import get_hardware
from advisor.runtimes import effective_precision
from advisor.training import FASTER_THAN_PHYSICS, assemble, runtime_conventions
from tests.onnx_helpers import model, tensor, two_layer_mlp, weight


def _conv_net():
    conv = helper.make_node("Conv", ["x", "w"], ["y"], pads=[1, 1, 1, 1])
    return model([conv], [tensor("x", [1, 16, 56, 56])], [tensor("y", [1, 32, 56, 56])],
                 [weight("w", [32, 16, 3, 3])])


def test_ncnn_fp32_runs_fp16_only_on_arm_cpus_with_fp16_arithmetic():
    arm_fp16, arm_plain, gpu = get_hardware("rk3588"), get_hardware("raspberry-pi-4"), get_hardware("t4")
    assert effective_precision("ncnn", arm_fp16, "fp32") == "fp16"
    assert effective_precision("ncnn", arm_plain, "fp32") == "fp32"     # Cortex-A72: no fp16 math
    assert effective_precision("ncnn", gpu, "fp32") == "fp32"
    assert effective_precision("onnxruntime", arm_fp16, "fp32") == "fp32"
    assert effective_precision("ncnn", arm_fp16, "int8") == "int8"


def test_prediction_uses_the_precision_ncnn_runs_and_says_so(tmp_path):
    kw = dict(batch=[1], seq_len=[None], threads=4, runtime="ncnn", models=str(tmp_path), as_objects=True)
    asked_fp32, = predict_many(_conv_net(), ["rk3588"], precision=["fp32"], **kw)
    fp16, = predict_many(_conv_net(), ["rk3588"], precision=["fp16"], **kw)
    assert asked_fp32.precision == "fp32"
    assert asked_fp32.roofline_ms == fp16.roofline_ms
    assert any("fp16 arithmetic" in note for note in asked_fp32.notes)
    # onnxruntime runs fp32 as asked: twice the fp16 peak's time for this compute-bound conv
    ort, = predict_many(_conv_net(), ["rk3588"], precision=["fp32"], **{**kw, "runtime": "onnxruntime"})
    assert ort.roofline_ms > 1.5 * fp16.roofline_ms and not any("fp16" in n for n in ort.notes)


def test_training_relabels_the_same_rows_prediction_would():
    rows = pd.DataFrame({"runtime": ["ncnn", "ncnn", "ncnn", "onnxruntime"],
                         "precision": ["fp32", "fp32", "int8", "fp32"],
                         "kind": ["soc-cpu", "soc-cpu", "soc-cpu", "soc-cpu"],
                         "hw_id": ["rk3588", "raspberry-pi-4", "rk3588", "rk3588"]})
    out, _ = runtime_conventions(rows)
    assert out["precision"].tolist() == ["fp16", "fp32", "int8", "fp32"]


def test_training_drops_ncnn_little_core_rows_and_counts_them():
    rows = pd.DataFrame({"runtime": ["ncnn", "ncnn", "ncnn", "ncnn-vulkan"], "precision": ["int8"] * 4,
                         "kind": ["soc-cpu"] * 3 + ["gpu"], "hw_id": ["rk3588"] * 4,
                         "powersave": [0.0, 1.0, 2.0, 1.0], "latency_ms": [10.0, 30.0, 9.0, 5.0]})
    out, excluded = runtime_conventions(rows)
    assert out["latency_ms"].tolist() == [10.0, 9.0, 5.0]
    assert list(excluded.values()) == [1] and "little cores" in next(iter(excluded))


def test_training_drops_ncnn_big_core_rows_with_more_threads_than_big_cores():
    """powersave 2 runs on the big cores alone: rk3588 has 4 (of 8), a Jetson Orin 12 alike."""
    assert get_hardware("rk3588").big_cores() == 4 and get_hardware("snapdragon-888").big_cores() == 4
    assert get_hardware("jetson-agx-orin-cpu").big_cores() == 12
    rows = pd.DataFrame({"runtime": ["ncnn"] * 5 + ["onnxruntime"], "precision": ["fp32"] * 6,
                         "kind": ["soc-cpu"] * 6,
                         "hw_id": ["rk3588"] * 4 + ["jetson-agx-orin-cpu", "rk3588"],
                         "powersave": [2.0, 2.0, 0.0, 2.0, 2.0, np.nan],
                         "threads": [4, 8, 8, np.nan, 12, 8],
                         "latency_ms": [1.0, 2.0, 3.0, 4.0, 5.0, 6.0]})
    out, excluded = runtime_conventions(rows)
    assert out["latency_ms"].tolist() == [1.0, 3.0, 4.0, 5.0, 6.0]
    assert excluded == {"ncnn powersave 2: more threads than big cores": 1}


def test_training_drops_ncnn_vulkan_rows_timed_through_gpu_paravirtualization():
    """A Hyper-V guest's Vulkan is translated onto the host's driver; its CPU rows are real CPU runs."""
    guest = "Hyper-V Linux Guest with GPU-PV enabled (Intel Core i7-11800H, NVIDIA GeForce RTX 3070 Laptop GPU)"
    rows = pd.DataFrame({"runtime": ["ncnn-vulkan", "ncnn", "ncnn-vulkan"], "precision": ["fp16"] * 3,
                         "kind": ["gpu", "cpu", "gpu"],
                         "hw_id": ["rtx-3070-laptop", "core-i7-11800h", "rtx-3060-ti"],
                         "device_string": [guest, guest, "NVIDIA GeForce RTX 3060 Ti of Desktop"],
                         "latency_ms": [63.5, 20.0, 1.2]})
    out, excluded = runtime_conventions(rows)
    assert out["latency_ms"].tolist() == [20.0, 1.2]
    assert excluded == {"ncnn-vulkan through Hyper-V GPU paravirtualization": 1}


def test_ncnn_vulkan_fp16_runs_fp32_on_gpus_without_fast_fp16():
    pascal, ampere, mali = get_hardware("gtx-1050-ti"), get_hardware("rtx-3060-ti"), get_hardware("mali-g610-mp4")
    assert pascal.peak_tflops("fp16") < pascal.peak_tflops("fp32")      # 1/64 rate on GP107
    assert effective_precision("ncnn-vulkan", pascal, "fp16") == "fp32"
    assert effective_precision("ncnn-vulkan", ampere, "fp16") == "fp16"
    assert effective_precision("ncnn-vulkan", mali, "fp16") == "fp16"
    assert effective_precision("ncnn", pascal, "fp16") == "fp16"          # only the Vulkan backend
    rows = pd.DataFrame({"runtime": ["ncnn-vulkan", "ncnn-vulkan"], "precision": ["fp16", "fp16"],
                         "kind": ["gpu", "gpu"], "hw_id": ["gtx-1050-ti", "rtx-3060-ti"]})
    assert runtime_conventions(rows)[0]["precision"].tolist() == ["fp32", "fp16"]


def test_training_drops_rows_measured_faster_than_physics(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path / "cache"))
    graph = "random_mlp:seed=1"
    table = pd.DataFrame({"source": "public", "graph": graph, "family": "random_mlp", "hw_id": "t4",
                          "kind": "gpu", "precision": "fp32", "batch": [1, 1, 1], "threads": None,
                          "runtime": "onnxruntime", "latency_ms": [1.0, 2.0, 3.0]})
    table.to_csv(tmp_path / "public.csv", index=False)
    full = assemble(tmp_path / "public.csv", [], n_jobs=1)
    assert len(full) == 3 and FASTER_THAN_PHYSICS not in full.rejected
    roofline_ms = float(full.roofline_s[0]) * 1e3
    # the same graph measured 100x faster than its roofline: not a run of the whole graph
    table.loc[0, "latency_ms"] = roofline_ms / 100
    table.to_csv(tmp_path / "public.csv", index=False)
    kept = assemble(tmp_path / "public.csv", [], n_jobs=1)
    assert sorted(kept.meta["latency_ms"]) == [2.0, 3.0]
    assert kept.rejected[FASTER_THAN_PHYSICS] == 1


def test_static_int8_on_onnxruntime_notes_the_kernels_left_in_fp32(tmp_path):
    def net(activation):
        nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
                 helper.make_node(activation, ["c"], ["y"])]
        return model(nodes, [tensor("x", [1, 16, 56, 56])], [tensor("y", [1, 32, 56, 56])],
                     [weight("w", [32, 16, 3, 3])])
    kw = dict(batch=[1], seq_len=[None], threads=None, models=str(tmp_path), as_objects=True)
    island = lambda p: [n for n in p.notes if "left" in n or "leaves in fp32" in n]  # noqa: E731
    int8, fp32 = predict_many(net("HardSwish"), ["t4"], precision=["int8", "fp32"], **kw)
    assert island(int8) and "100% of the kernels" in island(int8)[0] and not island(fp32)
    relu, = predict_many(net("Relu"), ["t4"], precision=["int8"], **kw)
    assert not island(relu)                                    # quantized whole
    trt, = predict_many(net("HardSwish"), ["t4"], precision=["int8"], runtime="tensorrt", **kw)
    assert not island(trt)                                     # onnxruntime's quantizer only


def test_fp32_on_ampere_and_later_runs_tf32_tensor_cores_under_onnxruntime_and_tensorrt():
    a100, rtx4090, t4, cpu = (get_hardware(h) for h in ("a100-sxm4-80gb", "rtx-4090", "t4", "epyc-7742"))
    assert a100.peak_tflops("tf32") == a100.peak_tflops("bf16") / 2          # datasheet: 156 dense
    assert 7 < a100.peak_tflops("tf32") / a100.peak_tflops("fp32") < 9
    assert abs(rtx4090.peak_tflops("tf32") / rtx4090.peak_tflops("fp32") - 1) < 0.01   # GeForce: fp32 rate
    assert t4.peak_tflops("tf32") is None and cpu.peak_tflops("tf32") is None          # Turing, CPUs: none
    for runtime in ("onnxruntime", "tensorrt"):
        assert effective_precision(runtime, a100, "fp32") == "tf32"
        assert effective_precision(runtime, t4, "fp32") == "fp32"
        assert effective_precision(runtime, a100, "fp16") == "fp16"
    assert effective_precision("onnxruntime", cpu, "fp32") == "fp32"
    assert effective_precision("pytorch", a100, "fp32") == "fp32"   # torch matmuls default to full fp32
    rows = pd.DataFrame({"runtime": ["tensorrt", "tensorrt"], "precision": ["fp32", "fp32"],
                         "kind": ["gpu", "gpu"], "hw_id": ["rtx-4090", "t4"]})
    assert runtime_conventions(rows)[0]["precision"].tolist() == ["tf32", "fp32"]


def test_an_a100_fp32_prediction_uses_the_tf32_roofline_and_says_so(tmp_path):
    kw = dict(batch=[64], seq_len=[None], threads=None, models=str(tmp_path), as_objects=True)
    ort, = predict_many(_conv_net(), ["a100-sxm4-80gb"], precision=["fp32"], **kw)
    torch, = predict_many(_conv_net(), ["a100-sxm4-80gb"], precision=["fp32"], runtime="pytorch", **kw)
    assert ort.precision == "fp32" and any("tf32 arithmetic" in n for n in ort.notes)
    assert not any("tf32" in n for n in torch.notes)
    # a compute-bound conv: the TF32 peak is 8x the fp32 one, the bytes are the same fp32 bytes
    assert ort.roofline_ms < torch.roofline_ms / 2


def test_hw_show_gives_the_derived_tf32_peak():
    import json

    from click.testing import CliRunner

    from advisor.cli import main
    shown = {h: json.loads(CliRunner().invoke(main, ["hw", "show", h, "--json"]).output)
             for h in ("a100-sxm4-80gb", "t4")}
    assert shown["a100-sxm4-80gb"]["tflops_tf32_derived"] == shown["a100-sxm4-80gb"]["tflops_bf16"] / 2
    assert shown["t4"]["tflops_tf32_derived"] is None
    text = CliRunner().invoke(main, ["hw", "show", "a100-sxm4-80gb"]).output
    assert "tf32 156" in text


def test_advice_compares_devices_at_the_format_each_runs():
    from advisor.advise.explain import device_ratio
    a100, t4 = get_hardware("a100-sxm4-80gb"), get_hardware("t4")
    _, ort = device_ratio(a100, t4, "fp32", runtime="onnxruntime")     # TF32 on the A100
    _, torch = device_ratio(a100, t4, "fp32", runtime="pytorch")
    assert ort == a100.peak_tflops("tf32") / t4.peak_tflops("fp32")
    assert torch == a100.peak_tflops("fp32") / t4.peak_tflops("fp32")


def test_tf32_asked_of_a_device_without_it_is_its_fp32(tmp_path):
    t4 = get_hardware("t4")
    assert effective_precision("onnxruntime", t4, "tf32") == "fp32"
    assert effective_precision("pytorch", get_hardware("epyc-7742"), "tf32") == "fp32"
    assert effective_precision("pytorch", get_hardware("a100-sxm4-80gb"), "tf32") == "tf32"
    kw = dict(batch=[1], seq_len=[None], threads=None, models=str(tmp_path), as_objects=True)
    tf32, fp32 = (predict_many(_conv_net(), ["t4"], precision=[p], **kw)[0] for p in ("tf32", "fp32"))
    assert tf32.precision == "tf32" and tf32.latency_ms == fp32.latency_ms
    assert any("t4 has no TF32 tensor cores: tf32 runs as fp32" in n for n in tf32.notes)


def test_static_int8_on_onnxruntime_cpu_notes_matrix_ops_left_unfused(tmp_path):
    def mlp(activation):
        return two_layer_mlp(activation, 256, 256)
    kw = dict(batch=[1], seq_len=[None], threads=None, models=str(tmp_path), as_objects=True)
    unfused = lambda p: [n for n in p.notes if "not fused" in n]  # noqa: E731
    silu, = predict_many(mlp("silu"), ["rpi4"], precision=["int8"], **kw)
    assert unfused(silu) and "94% of the matrix FLOPs" in unfused(silu)[0]   # 256x256 of 256x272
    relu, = predict_many(mlp("relu"), ["rpi4"], precision=["int8"], **kw)
    dynamic, = predict_many(mlp("silu"), ["rpi4"], precision=["int8-dynamic"], **kw)
    gpu, = predict_many(mlp("silu"), ["t4"], precision=["int8"], **kw)
    assert not unfused(relu) and not unfused(dynamic) and not unfused(gpu)


def test_kernel_points_use_the_roofline_their_prediction_used(tmp_path):
    """Static int8 under onnxruntime on a CPU costs unfused matrix ops as fp32: the per-kernel
    times must come from that same roofline, so they add up to the predicted latency."""
    import onnx

    from advisor.report.data import kernel_points
    path = tmp_path / "silu.onnx"
    onnx.save(two_layer_mlp("silu", 512, 512), str(path))
    pts = kernel_points(str(path), "rpi4", "int8", models=str(tmp_path / "none"))
    assert pts.time_ms.sum() == pytest.approx(pts.latency_ms, rel=1e-6)
