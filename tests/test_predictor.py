"""Kernels, roofline, features, the efficiency regressor, calibration and the predict API."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import numpy as np
import onnx
import pytest
from click.testing import CliRunner
from onnx import helper

from advisor.api import predict, predict_many
from advisor.calibration import DROP_MARGIN, fit_correction, load_profile, save_profile
from advisor.cli import main
from advisor.errors import AdvisorError, InputError
from advisor.features import Settings, feature_names, feature_row
from advisor.graph import analyze
from advisor.hardware import Hardware, get_hardware
from advisor.kernels import fuse
from advisor.precision import get_precision
from advisor.predictor import EfficiencyRegressor
from advisor.profile import GraphProfile, profile_graph
from advisor.roofline import kernel_bounds
from tests.onnx_helpers import model, tensor, two_layer_mlp, weight


@dataclass
class FakeHW:
    """A device with round numbers: 100 TFLOPS fp32, 400 fp16, 800 int8, 1000 GB/s."""

    id: str = "fake"
    name: str = "fake"
    kind: str = "gpu"
    mem_bw_gbs: float = 1000.0
    compute_units: int = 10
    peaks: dict = field(default_factory=lambda: {"fp32": 100.0, "fp16": 400.0, "int8": 800.0})
    isa: tuple = ()

    def peak_tflops(self, precision: str):
        return self.peaks.get(precision)


def gemm_model(m: int, k: int, n: int):
    return model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", (m, k))],
                 [tensor("y", None)], [weight("w", (k, n))])


def mlp_model(batch: int, width: int = 1024, layers: int = 4):
    nodes, inits, x = [], [], "x"
    for i in range(layers):
        nodes += [helper.make_node("MatMul", [x, f"w{i}"], [f"h{i}"]),
                  helper.make_node("Relu", [f"h{i}"], [f"a{i}"])]
        inits.append(weight(f"w{i}", (width, width)))
        x = f"a{i}"
    return model(nodes, [tensor("x", (batch, width))], [tensor(x, None)], inits)


def bounds_for(m, precision="fp32", hw=None):
    profile = profile_graph(analyze(m))
    return profile, kernel_bounds(profile, hw or FakeHW(), get_precision(precision))


def test_large_batch_gemm_is_compute_bound_and_batch1_mlp_memory_bound():
    _, big = bounds_for(gemm_model(4096, 4096, 4096))
    assert big.compute_bound.all()
    assert big.total_s == pytest.approx(2 * 4096**3 / 100e12)
    _, small = bounds_for(mlp_model(batch=1))
    assert not small.compute_bound.any()
    weight_bytes = 4 * 1024 * 1024 * 4
    assert small.memory_s.sum() == pytest.approx((weight_bytes + 4 * 2 * 1024 * 4) / 1000e9, rel=1e-6)


def test_int8_moves_a_quarter_of_the_bytes_and_uses_the_int8_peak():
    _, fp32 = bounds_for(mlp_model(batch=1), "fp32")
    _, int8 = bounds_for(mlp_model(batch=1), "int8")
    assert int8.memory_s.sum() == pytest.approx(fp32.memory_s.sum() / 4)
    _, big8 = bounds_for(gemm_model(2048, 2048, 2048), "int8")
    assert big8.compute_s.sum() == pytest.approx(2 * 2048**3 / 800e12)


def test_missing_format_falls_back_and_cpu_threads_share_the_peak():
    cpu = FakeHW(kind="cpu", peaks={"fp32": 1.0}, compute_units=4)
    _, fp16 = bounds_for(gemm_model(512, 512, 512), "fp16", cpu)
    assert set(fp16.formats) == {"fp32"}
    profile = profile_graph(analyze(gemm_model(512, 512, 512)))
    one = kernel_bounds(profile, cpu, get_precision("fp32"), threads=1)
    four = kernel_bounds(profile, cpu, get_precision("fp32"), threads=4)
    assert one.compute_s.sum() == pytest.approx(4 * four.compute_s.sum())


def _big_little(**changes) -> Hardware:
    """A phone CPU spec: 4 big cores at 30 GFLOPS and 4 little ones at 10 (0.16 TFLOPS fp32)."""
    fields = dict(id="phone", name="phone", kind="soc-cpu", peaks={"fp32": 0.16}, mem_bw_gbs=30.0,
                  compute_units=8, source="test", clusters="4@2.5x12+4@1.25x8")
    return Hardware(**{**fields, **changes})


def test_threads_of_a_big_little_cpu_run_on_its_big_cores_first():
    phone = _big_little()
    profile = profile_graph(analyze(gemm_model(512, 512, 512)))
    flops = 2 * 512 ** 3
    one, four, eight = (kernel_bounds(profile, phone, get_precision("fp32"), threads=t).compute_s.sum()
                        for t in (1, 4, 8))
    assert one == pytest.approx(flops / 30e9)      # one big core, not an eighth of the chip
    assert four == pytest.approx(flops / 120e9)
    assert eight == pytest.approx(flops / 160e9)
    # the same chip described without its clusters: every core an eighth of the peak
    alike = kernel_bounds(profile, _big_little(clusters=""), get_precision("fp32"), threads=1)
    assert alike.compute_s.sum() == pytest.approx(flops / 20e9)


def test_core_balance_says_when_a_run_waits_for_slower_cores():
    phone, names = _big_little(), feature_names()
    profile = profile_graph(analyze(gemm_model(64, 64, 64)))
    balance = {t: feature_row(profile, phone, Settings(get_precision("fp32"), 1, threads=t))[
        names.index("core_balance")] for t in (1, 4, 6, None)}
    assert balance[1] == balance[4] == 1.0           # big cores only
    assert balance[6] == pytest.approx(6 * 10 / 140)  # two little cores hold back an even split
    assert balance[None] == pytest.approx(8 * 10 / 160)  # no thread count: every core
    same = _big_little(clusters="", peaks={"fp32": 0.16})
    row = feature_row(profile, same, Settings(get_precision("fp32"), 1, threads=6))
    assert row[names.index("core_balance")] == 1.0


def test_conv_bn_relu_fuse_into_one_kernel():
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("BatchNormalization", ["c", "s", "b", "m", "v"], ["n"]),
             helper.make_node("Relu", ["n"], ["y"])]
    inits = [weight("w", (8, 4, 3, 3))] + [weight(k, (8,)) for k in "sbmv"]
    g = analyze(model(nodes, [tensor("x", (1, 4, 16, 16))], [tensor("y", None)], inits))
    kernels = fuse(g)
    assert len(kernels) == 1 and kernels[0].ops == ["Conv", "BatchNormalization", "Relu"]
    out_bytes = 8 * 16 * 16 * 4
    assert kernels[0].bytes_written == out_bytes  # intermediates are never written
    assert kernels[0].bytes_act_read == 4 * 16 * 16 * 4
    assert kernels[0].flops == sum(n.flops for n in g.compute_nodes)


def test_feature_row_matches_schema_and_is_finite():
    profile = profile_graph(analyze(mlp_model(batch=2)))
    row = feature_row(profile, FakeHW(), Settings(get_precision("fp16"), 8))
    assert row.shape == (len(feature_names()),)
    names = feature_names()
    # the kernel-sum and kernel-time features are filled by fitted models; the cache feature
    # needs an LLC size; thread features describe CPUs only
    unknown = {names.index(f) for f in ("log_kernel_sum_over_roofline", "log_kernel_time_over_roofline",
                                         "log_weights_over_llc", "thread_share", "log_threads",
                                         "core_balance")}
    assert np.isfinite(np.delete(row, list(unknown))).all() and np.isnan(row[list(unknown)]).all()
    cpu = FakeHW(kind="cpu")
    row = feature_row(profile, cpu, Settings(get_precision("fp32"), 8, threads=4))
    assert row[names.index("thread_share")] == pytest.approx(0.4)      # 4 of 10 cores
    assert row[names.index("log_threads")] == pytest.approx(np.log(4))
    row = feature_row(profile, cpu, Settings(get_precision("fp32"), 8))   # default: every core
    assert row[names.index("thread_share")] == 1.0
    with_llc = FakeHW()
    with_llc.llc_mb = 2.0
    row = feature_row(profile, with_llc, Settings(get_precision("fp16"), 8))
    # 4 layers of 1024 x 1024 fp16 weights = 8 MiB against a 2 MiB cache
    assert row[names.index("log_weights_over_llc")] == pytest.approx(np.log(4.0))
    assert row[names.index("precision_fp16")] == 1.0 and row[names.index("kind_gpu")] == 1.0
    assert row[names.index("log_batch")] == pytest.approx(np.log(8))
    # fp32 on TF32 tensor cores: flagged as fp32, costed at the TF32 peak
    a100 = get_hardware("a100-sxm4-80gb")
    tf32, fp32 = (feature_row(profile, a100, Settings(get_precision(p), 64)) for p in ("tf32", "fp32"))
    assert tf32[names.index("precision_fp32")] == fp32[names.index("precision_fp32")] == 1.0
    speedup = names.index("matrix_speedup_over_fp32")
    assert tf32[speedup] == pytest.approx(a100.peak_tflops("tf32") / a100.peak_tflops("fp32"))
    assert fp32[speedup] == 1.0
    assert tf32[names.index("log_compute_s")] < fp32[names.index("log_compute_s")] - 1.5


def test_static_int8_features_count_the_kernels_left_in_fp32():
    """A Conv+HardSwish kernel stays fp32 under onnxruntime's static quantizer (HardSwish is not
    quantized): one island of two kernels; Conv+Relu is quantized whole. Only int8 rows see it."""
    def net(activation):
        nodes = [helper.make_node("Conv", ["x", "w1"], ["c1"], pads=[1, 1, 1, 1]),
                 helper.make_node(activation, ["c1"], ["a1"]),
                 helper.make_node("Conv", ["a1", "w2"], ["c2"], pads=[1, 1, 1, 1]),
                 helper.make_node("Relu", ["c2"], ["y"])]
        return model(nodes, [tensor("x", [1, 8, 16, 16])], [tensor("y", [1, 8, 16, 16])],
                     [weight("w1", [8, 8, 3, 3]), weight("w2", [8, 8, 3, 3])])
    names = feature_names()
    share = names.index("int8_island_kernel_share")
    hswish = profile_graph(analyze(net("HardSwish")))
    relu = profile_graph(analyze(net("Relu")))
    assert hswish.n_kernels == relu.n_kernels == 2
    assert hswish.shape_stats["int8_island_kernel_share"] == pytest.approx(0.5)
    assert relu.shape_stats["int8_island_kernel_share"] == 0.0
    assert 0 < hswish.shape_stats["int8_island_bytes_share"] < 1
    static = feature_row(hswish, FakeHW(), Settings(get_precision("int8"), 1))
    dynamic = feature_row(hswish, FakeHW(), Settings(get_precision("int8-dynamic"), 1))
    fp32 = feature_row(hswish, FakeHW(), Settings(get_precision("fp32"), 1))
    assert static[share] == pytest.approx(0.5) and dynamic[share] == 0.0 and fp32[share] == 0.0


def test_static_int8_features_count_matrix_ops_onnxruntime_leaves_unfused():
    """A matrix op whose output (SiLU: read by Sigmoid and Mul) or activation input (a residual
    branch point) has a second reader stays fp32 under static QDQ; a single-reader chain fuses."""
    silu, relu = (profile_graph(analyze(two_layer_mlp(a, 64, 32))) for a in ("silu", "relu"))
    # the first Gemm (64x32 of 64x32 + 32x16 weights, and of the FLOPs) is left unfused in SiLU
    assert silu.shape_stats["int8_unfused_weight_share"] == pytest.approx(2048 / (2048 + 512))
    assert silu.shape_stats["int8_unfused_flops_share"] == pytest.approx(2048 / (2048 + 512))
    assert relu.shape_stats["int8_unfused_flops_share"] == 0.0
    # a residual block: the conv's input is also read by the Add, so the conv is unfused
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Add", ["c", "x"], ["y"])]
    residual = profile_graph(analyze(model(nodes, [tensor("x", [1, 8, 16, 16])], [tensor("y", [1, 8, 16, 16])],
                                           [weight("w", [8, 8, 3, 3])])))
    assert residual.shape_stats["int8_unfused_flops_share"] == 1.0
    column = feature_names().index("int8_unfused_flops_share")
    static = feature_row(silu, FakeHW(), Settings(get_precision("int8"), 1))
    dynamic = feature_row(silu, FakeHW(), Settings(get_precision("int8-dynamic"), 1))
    assert static[column] == pytest.approx(0.8) and dynamic[column] == 0.0


def test_static_int8_roofline_costs_unfused_matrix_ops_as_fp32_on_onnxruntime_cpus():
    """A SiLU MLP's unfused Gemms run in fp32 on dequantized weights: under onnxruntime on a CPU
    its static int8 roofline sits above its fp32 one; a ReLU MLP's (all fused) at a quarter."""
    from advisor.roofline import kernel_bounds

    silu, relu = (profile_graph(analyze(two_layer_mlp(a, 1024, 1024))) for a in ("silu", "relu"))
    assert silu.int8_unfused.tolist().count(True) == 1 and not relu.int8_unfused.any()
    cpu = FakeHW(kind="cpu")
    total = lambda p, prec, rt="onnxruntime", hw=cpu: kernel_bounds(  # noqa: E731
        p, hw, get_precision(prec), None, rt).total_s
    assert total(silu, "int8") > total(silu, "fp32")               # weights read 9 bytes, not 4
    assert total(relu, "int8") < 0.3 * total(relu, "fp32")         # int8 weights: a quarter
    assert total(silu, "int8", rt="tensorrt") < 0.3 * total(silu, "fp32")   # other runtimes: as asked
    assert total(silu, "int8", hw=FakeHW()) < 0.3 * total(silu, "fp32", hw=FakeHW())  # GPU: as asked
    # the flags survive the profile cache and batch scaling
    again = GraphProfile.from_json(silu.to_json()).scaled(4)
    assert again.int8_unfused.tolist() == silu.int8_unfused.tolist()


def synthetic(n=600, seed=0):
    """Efficiencies driven by columns 0-1, speed features the structural model never sees (by
    design): the tests of the plain trees' machinery on these rows turn the structure off."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(feature_names())))
    y = -1.0 + 0.5 * X[:, 0] - 0.3 * X[:, 1] + rng.normal(scale=0.05, size=n)
    return X, y, np.arange(n) // 3


def test_regressor_learns_and_intervals_cover_held_out_rows():
    X, y, groups = synthetic(900)
    model_ = EfficiencyRegressor(n_estimators=200, max_depth=3, structural_weight=0.0).fit(
        X[:600], y[:600], groups=groups[:600])
    low, mid, high = model_.predict_interval(X[600:])
    assert np.mean(np.abs(mid - y[600:])) < 0.15
    coverage = np.mean((y[600:] >= low) & (y[600:] <= high))
    assert 0.8 <= coverage <= 0.98


def test_regressor_save_load_and_refuse_tampering(tmp_path):
    X, y, groups = synthetic(300)
    fitted = EfficiencyRegressor(n_estimators=20, max_depth=2).fit(X, y, groups=groups)
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert np.allclose(loaded.predict(X[:20]), fitted.predict(X[:20]))
    booster = tmp_path / "efficiency.xgb.json"
    booster.write_text(booster.read_text() + " ")  # one byte changed: digest no longer matches
    with pytest.raises(AdvisorError, match="digest"):
        EfficiencyRegressor.load(tmp_path)
    fitted.save(tmp_path)
    meta = json.loads((tmp_path / "efficiency.meta.json").read_text())
    meta["feature_schema_version"] = -1
    (tmp_path / "efficiency.meta.json").write_text(json.dumps(meta))
    with pytest.raises(AdvisorError, match="schema"):
        EfficiencyRegressor.load(tmp_path)


def test_predict_uses_the_regressor_efficiency(tmp_path):
    X, y, groups = synthetic(300)
    EfficiencyRegressor(n_estimators=20, max_depth=2, structural_weight=0.0).fit(
        X, np.full_like(y, np.log(0.25)), groups=groups).save(tmp_path)
    p = predict(gemm_model(256, 256, 256), FakeHW(), batch=1, models=str(tmp_path))
    assert p.efficiency == pytest.approx(0.25, rel=1e-3)
    assert p.latency_ms == pytest.approx(p.roofline_ms / 0.25, rel=1e-3)
    assert p.interval_ms[0] <= p.latency_ms <= p.interval_ms[1]
    assert p.basis == "spec-only"
    assert p.compute_share + p.memory_share + p.overhead_share == pytest.approx(1.0)
    assert p.overhead_share == pytest.approx(0.75, abs=1e-3)


def test_basis_is_measured_only_for_a_runtime_the_device_was_measured_with(tmp_path):
    X, y, groups = synthetic(300)
    model = EfficiencyRegressor(n_estimators=20, max_depth=2).fit(X, y, groups=groups,
                                                                  devices=np.repeat(["a", "b", "c"], 100))
    model.intervals_["unseen"] = {"*": (-2.0, 0.0, 2.0)}      # unmistakably wide
    model.save(tmp_path, extra={"trained_hw_ids": ["fake", "cpu"],
                                "trained_runtimes_by_hw": {"fake": ["tensorrt"], "cpu": ["onnxruntime"]}})
    graph = gemm_model(256, 256, 256)
    measured = predict(graph, FakeHW(), runtime="tensorrt", models=str(tmp_path))
    other = predict(graph, FakeHW(), runtime="onnxruntime", models=str(tmp_path))
    assert measured.basis == "measured-device" and not measured.notes
    assert other.basis == "spec-only"
    assert other.notes == ["fake was measured with tensorrt only; onnxruntime on it is "
                           "predicted from its spec row"]
    # a runtime no training row used on any device says so (its interval assumes a known runtime)
    never = predict(graph, FakeHW(), runtime="openvino", models=str(tmp_path))
    assert never.basis == "spec-only"
    assert never.notes == ["no training row used openvino on any device: predicted from other "
                           "runtimes' rows, and the interval does not cover that",
                           "fake was measured with tensorrt only; openvino on it is predicted from "
                           "its spec row"]
    # spec-only predictions take the intervals calibrated on held-out devices
    assert np.log(other.interval_ms[1] / other.interval_ms[0]) == pytest.approx(4.0)
    assert np.log(measured.interval_ms[1] / measured.interval_ms[0]) < 2.0
    # a setting measured at batch 1-8 only: batch 4 gets its offset, batch 32 a note instead
    model.setting_offsets_ = {"fake|tensorrt|fp32|-": 0.3}
    model.setting_offset_batches_ = {"fake|tensorrt|fp32|-": (1.0, 8.0)}
    model.save(tmp_path / "ranged", extra={"trained_hw_ids": ["fake"],
                                           "trained_runtimes_by_hw": {"fake": ["tensorrt"]}})
    ranged = str(tmp_path / "ranged")
    small = predict(graph, FakeHW(), batch=4, runtime="tensorrt", models=ranged)
    large = predict(graph, FakeHW(), batch=32, runtime="tensorrt", models=ranged)
    assert small.basis == large.basis == "measured-device" and not small.notes
    assert large.notes == ["fake was measured with tensorrt fp32 at batch 1-8 only: batch 32 gets "
                           "no device correction and the wider interval of unmeasured devices"]
    assert np.log(large.interval_ms[1] / large.interval_ms[0]) == pytest.approx(4.0)
    # ... and measured on convolutions alone: a matrix product gets no offset either, and says why
    model.setting_offset_mix_ = {"fake|tensorrt|fp32|-": [1.0] + [0.0] * 7}
    model.save(tmp_path / "mixed", extra={"trained_hw_ids": ["fake"],
                                          "trained_runtimes_by_hw": {"fake": ["tensorrt"]}})
    other_mix = predict(graph, FakeHW(), batch=4, runtime="tensorrt", models=str(tmp_path / "mixed"))
    assert other_mix.basis == "measured-device"
    assert other_mix.notes == ["fake was measured with tensorrt fp32 on graphs that spend their time "
                               "in other kernels than this one: it gets no device correction and the "
                               "wider interval of unmeasured devices"]
    assert np.log(other_mix.interval_ms[1] / other_mix.interval_ms[0]) == pytest.approx(4.0)


def test_a_cpu_named_without_threads_runs_as_its_measurements_did(tmp_path):
    """ncnn timed a phone on 4 of its 8 cores: a prediction naming no thread count uses 4, so
    the device's measured setting (and its offset) applies; naming 8 gets no offset."""
    import pandas as pd

    from advisor.training import measured_threads
    meta = pd.DataFrame({"hw_id": ["rpi3", "rpi3", "rpi3", "t4"], "runtime": ["ncnn"] * 3 + ["tensorrt"],
                         "threads": [1, 4, 2, np.nan]})
    assert measured_threads(meta) == {"rpi3|ncnn": 4}
    X, y, groups = synthetic(300)
    model = EfficiencyRegressor(n_estimators=20, max_depth=2).fit(X, y, groups=groups)
    extra = {"trained_hw_ids": ["fake"], "trained_runtimes_by_hw": {"fake": ["ncnn"]},
             "default_threads_by_hw_runtime": {"fake|ncnn": 4}}
    model.save(tmp_path / "plain", extra=extra)
    model.setting_offsets_ = {"fake|ncnn|fp32|4": 0.5}
    model.save(tmp_path / "offset", extra=extra)
    cpu = FakeHW(kind="cpu", compute_units=8)
    graph = gemm_model(256, 256, 256)
    run = lambda where, **kw: predict(graph, cpu, runtime="ncnn", models=str(tmp_path / where), **kw)  # noqa: E731
    default, four, eight = run("offset"), run("offset", threads=4), run("offset", threads=8)
    assert default.threads == 4 and default.latency_ms == pytest.approx(four.latency_ms)
    assert eight.threads == 8
    assert predict(graph, cpu, runtime="onnxruntime", models=str(tmp_path / "offset")).threads is None
    # the offset (+0.5 log efficiency) applies at the measured setting only
    assert np.log(run("plain").latency_ms / default.latency_ms) == pytest.approx(0.5, abs=1e-6)
    assert run("plain", threads=8).latency_ms == pytest.approx(eight.latency_ms)


def test_predict_many_scales_batches_without_reanalysis(tmp_path):
    frame = predict_many(mlp_model(batch=1), [FakeHW()], batch=[1, 64], precision=["fp32", "int8"],
                         models=str(tmp_path))  # empty dir: roofline only
    assert len(frame) == 4
    fp32 = frame[frame.precision == "fp32"].set_index("batch")
    assert fp32.loc[64, "roofline_ms"] > fp32.loc[1, "roofline_ms"]
    assert (frame["basis"].str.startswith("roofline-only")).all()


def test_calibration_factor_and_profiles(tmp_path, monkeypatch):
    assert fit_correction([1, 1, 1, 10], [2, 2, 2, 2]).factor == pytest.approx(2.0)
    with pytest.raises(InputError):
        fit_correction([0, -1], [1, 1])
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path))
    assert load_profile("t4") is None
    save_profile("t4", 1.5, rows=10, spread=0.1, source="test")
    assert load_profile("t4")["factor"] == 1.5
    (tmp_path / "calibration" / "t4.json").write_text("{broken")
    with pytest.raises(InputError, match="unreadable"):
        load_profile("t4")


def test_predict_cli_json_and_errors(tmp_path):
    path = tmp_path / "g.onnx"
    onnx.save(gemm_model(64, 64, 64), path)
    runner = CliRunner()
    ok = runner.invoke(main, ["predict", "--model", str(path), "--hw", "a100", "--precision", "fp32,fp16",
                              "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["schema"] == "advisor.predict/1" and len(data["predictions"]) == 2
    for args, needle in ((["--hw", "not-a-device-xyz"], "nearest"), (["--hw", "a100", "--batch", "0"], "--batch"),
                         (["--hw", "a100", "--precision", "fp12"], "precision")):
        bad = runner.invoke(main, ["predict", "--model", str(path), *args])
        assert bad.exit_code == 2, bad.output
        assert len(bad.output.strip().splitlines()) == 1 and needle in bad.output.lower()


def test_calibrate_command_stores_a_factor_that_predict_applies(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    path = tmp_path / "g.onnx"
    onnx.save(gemm_model(256, 256, 256), path)
    before = predict(str(path), "t4", batch=1)
    csv = tmp_path / "m.csv"
    before2 = predict(str(path), "t4", batch=2)
    csv.write_text(f"model,batch,latency_ms\n{path},1,{3 * before.latency_ms}\n{path},2,{3 * before2.latency_ms}\n")
    runner = CliRunner()
    result = runner.invoke(main, ["calibrate", "--hw", "t4", "--measurements", str(csv), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["factor"] == pytest.approx(3.0, rel=1e-6)
    assert json.loads(result.output)["slope"] == 0.0          # two rows: a factor alone
    after = predict(str(path), "t4", batch=1)
    assert after.latency_ms == pytest.approx(3 * before.latency_ms, rel=1e-6)
    assert after.basis.startswith("calibrated (2 measurements)")
    for body, needle in ((f"model,latency_ms\n{path},-4\n", "line 2: latency_ms"),
                         (f"model,batch,latency_ms\n{path},two,4\n", "line 2: batch"),
                         (f"model,latency_ms\n{path},4\n{path},4\n", "line 3: duplicate")):
        csv.write_text(body)
        bad = runner.invoke(main, ["calibrate", "--hw", "t4", "--measurements", str(csv)])
        assert bad.exit_code == 2 and needle in bad.output, bad.output


def test_calibrate_stores_no_correction_when_it_does_not_carry_to_rows_left_out(tmp_path, monkeypatch):
    """Six rows all 3x slower: the leave-one-out MAPE falls and the correction is stored. Six
    rows centred on the prediction, each off its own way: the correction fitted on the others
    moves each held-out row the wrong way, so none is stored, predictions keep their spec-only
    centre and say why, and the fitted correction is still reported."""
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    path = tmp_path / "g.onnx"
    onnx.save(gemm_model(256, 256, 256), path)
    batches = [1, 2, 4, 8, 16, 32]
    predicted = [predict(str(path), "t4", batch=b).latency_ms for b in batches]
    runner = CliRunner()
    for scale, dropped in (([3.0] * 6, False), ([1.6, 0.6, 1.6, 0.6, 1.6, 0.6], True)):
        csv = tmp_path / "m.csv"
        csv.write_text("model,batch,latency_ms\n" + "".join(
            f"{path},{b},{k * ms}\n" for b, k, ms in zip(batches, scale, predicted)))
        result = runner.invoke(main, ["calibrate", "--hw", "t4", "--measurements", str(csv)])
        assert result.exit_code == 0, result.output
        assert "leave-one-out" in result.output
        assert ("was not stored" in result.output) is dropped, result.output
        data = json.loads(runner.invoke(main, ["calibrate", "--hw", "t4", "--measurements", str(csv),
                                               "--json"]).output)
        assert data["dropped"] is dropped
        assert (data["mape_leave_one_out"] >= DROP_MARGIN * data["mape_before"]) is dropped
        assert data["fitted"]["factor"] != 1.0
        after = predict(str(path), "t4", batch=64)
        spec_only = predict(str(path), "t4", batch=64, ignore_calibration=True)
        if dropped:
            assert data["factor"] == 1.0 and data["mape_after"] == pytest.approx(data["mape_before"])
            assert after.latency_ms == pytest.approx(spec_only.latency_ms, rel=1e-9)
            assert any("no offset" in note for note in after.notes), after.notes
        else:
            assert data["factor"] == pytest.approx(3.0, rel=1e-6)
            assert after.latency_ms == pytest.approx(3 * spec_only.latency_ms, rel=1e-6)
        assert after.basis.startswith("calibrated (6 measurements)")


def test_calibrate_says_why_a_correction_no_better_left_out_is_still_stored():
    """A leave-one-out MAPE a little above uncorrected but inside DROP_MARGIN: stored, and the
    line says the margin is why; past the margin: not stored, and the line says so."""
    from advisor.cli.calibrate_cmd import _leave_one_out_line
    base = {"mape_before": 0.40, "fitted": {"factor": 1.3, "slope": 0.0, "pivot_ms": 1.0}}
    inside = _leave_one_out_line({**base, "mape_leave_one_out": 0.42, "dropped": False})
    assert "margin" in inside and "was stored" in inside and "not stored" not in inside
    past = _leave_one_out_line({**base, "mape_leave_one_out": 0.40 * DROP_MARGIN + 0.01, "dropped": True})
    assert "was not stored" in past and "x1.300" in past
    plain = _leave_one_out_line({**base, "mape_leave_one_out": 0.20, "dropped": False})
    assert "margin" not in plain and "stored" not in plain
    assert _leave_one_out_line({**base, "mape_leave_one_out": None, "dropped": False}) is None


def test_intervals_per_runtime_and_for_unseen_devices(tmp_path):
    rng = np.random.default_rng(3)
    n = 1200
    X = rng.normal(size=(n, len(feature_names())))
    runtime = np.where(rng.random(n) < 0.5, "tight", "loose")
    device = rng.integers(0, 12, n)
    X[:, 1] = device  # a device-level feature: seen devices' offsets are learnable, unseen ones not
    device_effect = rng.normal(scale=0.5, size=12)[device]
    noise = np.where(runtime == "tight", 0.02, 0.5) * rng.normal(size=n)
    y = -1.0 + 0.5 * X[:, 0] + device_effect + noise
    fitted = EfficiencyRegressor(n_estimators=300, max_depth=4, learning_rate=0.1,
                                 structural_weight=0.0).fit(
        X, y, groups=rng.permutation(n) // 4, interval_groups=runtime, devices=device)
    seen, unseen = fitted.intervals_["seen"], fitted.intervals_["unseen"]
    width = lambda band: band[-1] - band[0]  # noqa: E731
    assert width(seen["loose"]) > 2 * width(seen["tight"])
    assert width(unseen["*"]) > width(seen["*"])
    low, _, high = fitted.predict_interval(X[:2], ["tight", "loose"], [False, True])
    assert high[0] - low[0] == pytest.approx(width(seen["tight"]))
    assert high[1] - low[1] == pytest.approx(width(unseen["loose"]))
    # calibrating a held-out device on 10 of its rows removes its offset: the band narrows to
    # about the seen-device band; sizes between stored ones use the smaller size's band
    calibrated = fitted.calibrated_band(10)
    assert 0.8 * width(seen["*"]) < width(calibrated) < min(1.2 * width(seen["*"]), 0.75 * width(unseen["*"]))
    assert fitted.calibrated_band(15) == calibrated and fitted.calibrated_band(2) is None
    assert width(fitted.calibrated_band(3)) < width(unseen["*"])
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.intervals_ == fitted.intervals_
    assert loaded.calibrated_bands_ == fitted.calibrated_bands_
    # the units of calibration's similarity travel with the model
    assert loaded.feature_scale_ == fitted.feature_scale_
    assert fitted.feature_scale_.sd[0] == pytest.approx(np.std(X[:, 0]))
    meta = json.loads((tmp_path / "efficiency.meta.json").read_text())
    good = json.loads(json.dumps(meta))
    meta["calibrated_bands"]["10"] = [1.0, -1.0]          # low above high: not ours
    (tmp_path / "efficiency.meta.json").write_text(json.dumps(meta))
    with pytest.raises(AdvisorError, match="calibrated_bands"):
        EfficiencyRegressor.load(tmp_path)
    good["feature_scale"]["sd"][3] = 0.0                   # a zero spread cannot scale anything
    (tmp_path / "efficiency.meta.json").write_text(json.dumps(good))
    with pytest.raises(AdvisorError, match="feature_scale"):
        EfficiencyRegressor.load(tmp_path)



def test_a_calibrated_band_always_holds_the_median():
    regressor = EfficiencyRegressor()
    regressor.calibrated_bands_ = {10: (0.1, 0.4), 20: (-0.3, -0.05)}
    assert regressor.calibrated_band(12) == (0.0, 0.4)
    assert regressor.calibrated_band(50) == (-0.3, 0.0)


def test_a_group_seen_on_too_few_units_borrows_the_overall_band():
    """Residual quantiles of one held-out unit describe that unit, not the spread between units:
    a group measured on two devices gets the overall band, one on five devices its own."""
    rng = np.random.default_rng(4)
    n = 1000
    X = rng.normal(size=(n, len(feature_names())))
    device = rng.integers(0, 10, n)
    group = np.where(device < 2, "two-devices", "eight-devices")
    y = 0.5 * X[:, 0] + rng.normal(scale=0.4, size=10)[device] + 0.05 * rng.normal(size=n)
    fitted = EfficiencyRegressor(n_estimators=40, max_depth=3).fit(
        X, y, groups=np.arange(n), interval_groups=group, devices=device)
    unseen, seen = fitted.intervals_["unseen"], fitted.intervals_["seen"]
    assert "two-devices" not in unseen and "eight-devices" in unseen
    assert "two-devices" in seen            # seen bands count graphs: hundreds here
    low, _, high = fitted.predict_interval(X[:1], ["two-devices"], [True])
    assert high[0] - low[0] >= unseen["*"][-1] - unseen["*"][0] - 1e-9


def test_a_spec_only_band_wholly_on_one_side_of_the_prediction_borrows_the_overall_band():
    """Five devices that all run 1.5 (log) faster than the trees can tell leave device-held-out
    residuals all above 0: as an interval that band would put the prediction at its lower edge.
    The group gets the overall spec-only band instead; its seen-device band (centred) stays."""
    rng = np.random.default_rng(7)
    n = 1500
    X = rng.normal(size=(n, len(feature_names())))
    device = rng.integers(0, 15, n)
    effect = np.where(np.arange(15) < 5, 1.5, rng.normal(scale=0.8, size=15))
    group = np.where(device < 5, "biased", "mixed")
    y = 0.5 * X[:, 0] + effect[device] + 0.05 * rng.normal(size=n)
    fitted = EfficiencyRegressor(n_estimators=40, max_depth=3).fit(
        X, y, groups=np.arange(n), interval_groups=group, devices=device)
    unseen = fitted.intervals_["unseen"]
    biased = fitted._out_of_fold(X, y, device, None, unseen=True)[group == "biased"]
    assert np.quantile(biased, 0.05) > 0                 # the group's own band excludes 0
    assert "biased" not in unseen and "mixed" in unseen
    assert unseen["mixed"][0] < 0 < unseen["mixed"][2]
    assert "biased" in fitted.intervals_["seen"]
    low, mid, high = fitted.predict_interval(X[:1], ["biased"], [True])
    assert low[0] < mid[0] < high[0]
    assert high[0] - low[0] == pytest.approx(unseen["*"][2] - unseen["*"][0])


def test_no_kernel_runs_faster_than_the_fastest_measured_on_its_kind(tmp_path):
    names = feature_names()
    rng = np.random.default_rng(5)
    n = 600
    X = rng.normal(size=(n, len(names)))
    for k in ("cpu", "gpu", "npu", "soc-cpu", "soc-gpu"):
        X[:, names.index(f"kind_{k}")] = 0.0
    X[:, names.index("kind_gpu")] = 1.0
    kernels = rng.integers(20, 400, n)
    X[:, names.index("log_kernels")] = np.log(kernels)
    roofline = np.exp(rng.uniform(np.log(1e-5), np.log(1e-2), n))
    X[:, names.index("log_roofline_s")] = np.log(roofline)
    # measured: the roofline at 50% efficiency, plus at least 5 us per kernel (launch cost)
    measured = roofline / 0.5 + kernels * 5e-6 * rng.uniform(1.0, 1.5, n)
    y = np.log(roofline / measured)
    fitted = EfficiencyRegressor(n_estimators=50, max_depth=3).fit(X, y, groups=np.arange(n))
    assert np.exp(fitted.kernel_floors_["gpu"]) == pytest.approx(5e-6, rel=0.1)
    query = X[:1].copy()
    query[0, names.index("log_roofline_s")] = np.log(1e-8)     # 60 trivial kernels
    query[0, names.index("log_kernels")] = np.log(60)
    low, mid, high = fitted.predict_interval(query)
    assert 1e-8 / np.exp(mid[0]) >= 60 * np.exp(fitted.kernel_floors_["gpu"]) * (1 - 1e-9)
    assert 1e-8 / np.exp(high[0]) >= 60 * np.exp(fitted.kernel_floors_["gpu"]) * (1 - 1e-9)
    fitted.save(tmp_path)
    assert EfficiencyRegressor.load(tmp_path).kernel_floors_ == fitted.kernel_floors_


def test_a_group_the_trees_get_wrong_on_average_is_recentred_inside_its_interval(tmp_path):
    """Rows of a rare runtime run 3x faster than the trees can tell (too few rows to learn it):
    the median shifts by that group's median out-of-fold residual and stays inside its interval."""
    rng = np.random.default_rng(11)
    n = 1500
    X = rng.normal(size=(n, len(feature_names())))
    rare = rng.random(n) < 0.04
    y = 0.3 * X[:, 0] + np.where(rare, np.log(3.0), 0.0) + 0.05 * rng.normal(size=n)
    runtime = np.where(rare, "rare", "common")
    fitted = EfficiencyRegressor(n_estimators=60, max_depth=3, structural_weight=0.0).fit(
        X[:1200], y[:1200], groups=np.arange(1200) // 3, interval_groups=runtime[:1200])
    low, mid, high = fitted.predict_interval(X[1200:], runtime[1200:])
    assert np.all(low <= mid) and np.all(mid <= high)
    held = rare[1200:]
    assert np.mean(np.abs(mid - y[1200:])[held]) < 0.35          # the trees alone are ~0.8 off
    assert 0.8 < np.mean((y[1200:] >= low) & (y[1200:] <= high)) <= 1.0
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    np.testing.assert_allclose(loaded.predict_interval(X[1200:], runtime[1200:])[1], mid)


def test_family_folds_size_intervals_for_a_family_never_seen():
    """Rows of one family share a bias the trees learn from a family-constant feature. Folds by
    graph leave every row's siblings in training, so the band is narrow and misses new
    families; folds by family measure the error of an unseen family. With 16 held-out families
    one draw's coverage is noisy (0.6-1.0), so it is averaged over four draws."""
    coverage = {"graph": [], "family": []}
    for seed in range(4):
        rng = np.random.default_rng(seed)
        families, per_family = 48, 30
        family = np.repeat(np.arange(families), per_family)
        # family draws first, so they do not move when the feature schema gains a column
        looks, biases = rng.normal(size=families), rng.normal(scale=0.4, size=families)
        X = rng.normal(size=(len(family), len(feature_names())))
        X[:, 2] = looks[family]                               # what the family looks like
        y = 0.5 * X[:, 0] + biases[family] + 0.03 * rng.normal(size=len(family))
        train, test = family < 32, family >= 32
        for name, folds in (("graph", None), ("family", family[train])):
            fitted = EfficiencyRegressor(n_estimators=60, max_depth=3, structural_weight=0.0).fit(
                X[train], y[train], groups=np.arange(train.sum()), fold_groups=folds)
            low, _, high = fitted.predict_interval(X[test])
            coverage[name].append(np.mean((y[test] >= low) & (y[test] <= high)))
    family, graph = np.mean(coverage["family"]), np.mean(coverage["graph"])
    assert family >= 0.85 and graph <= family - 0.1, coverage


def test_spec_only_predictions_are_not_recentred_unless_asked(tmp_path):
    """A device-held-out group's mean residual is the bias of a few devices; by default it only
    sizes the spec-only band, and the spec-only median is the trees' own prediction."""
    rng = np.random.default_rng(3)
    n, devices = 800, 10
    X = rng.normal(size=(n, len(feature_names())))
    device = rng.integers(0, devices, n)
    # every device of the rare runtime runs 2x faster than the trees can tell from X
    group = np.where(device < 5, "rare", "common")
    y = 0.5 * X[:, 0] + np.where(device < 5, np.log(2.0), 0.0) + rng.normal(scale=0.3, size=devices)[device]
    fits = {flag: EfficiencyRegressor(n_estimators=40, max_depth=3, unseen_centres=flag).fit(
        X, y, groups=np.arange(n), interval_groups=group, devices=device) for flag in (False, True)}
    query, keys = X[:20], group[:20]
    low, mid, high = fits[False].predict_interval(query, keys, np.ones(20, bool))
    np.testing.assert_allclose(mid, fits[False].predict(query, unseen=True))
    assert np.all(low <= mid) and np.all(mid <= high) and np.all(high - low > 0.1)
    assert all(band[1] == 0.0 for band in fits[False].intervals_["unseen"].values())
    centred = fits[True].predict_interval(query, keys, np.ones(20, bool))[1]
    assert np.abs(centred - fits[True].predict(query, unseen=True)).max() > 0.01
    # a model saved before the switch (no such parameter) keeps the centres its bands carry
    fits[True].save(tmp_path)
    meta_path = tmp_path / "efficiency.meta.json"
    meta = json.loads(meta_path.read_text())
    del meta["params"]["unseen_centres"]
    meta_path.write_text(json.dumps(meta))
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.unseen_centres is True
    np.testing.assert_allclose(loaded.predict_interval(query, keys, np.ones(20, bool))[1], centred)
