"""The advisor's options logic on graphs whose bottleneck can be checked by hand.

Devices are fakes with round numbers and no trained model is loaded (``models=<empty dir>``), so
every latency is the roofline bound and each expected speedup is a ratio of FLOPs or bytes.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

import numpy as np
import pytest
from click.testing import CliRunner
from onnx import helper, numpy_helper

from advisor.advise import advise, prune_profile, scaled_hardware
from advisor.advise.candidates import pareto_front, table_candidates
from advisor.api import model_profile
from advisor.cli import main
from advisor.errors import InputError
from advisor.plan import plan
from tests.onnx_helpers import model, tensor, weight


@dataclass
class Dev:
    """A device with round numbers: 100 TFLOPS fp32, 400 fp16, 800 int8, 1000 GB/s, 80 GB."""

    id: str = "adv-today"
    name: str = "today"
    kind: str = "gpu"
    mem_bw_gbs: float = 1000.0
    mem_gb: float | None = 80.0
    compute_units: int = 10
    price_usd: float | None = 1000.0
    peaks: dict = field(default_factory=lambda: {"fp32": 100.0, "fp16": 400.0, "int8": 800.0})
    isa: tuple = ()

    def peak_tflops(self, precision: str):
        return self.peaks.get(precision)


def more_compute(**kw) -> Dev:
    return Dev(id="adv-compute", name="compute x4", price_usd=2000.0,
               peaks={"fp32": 400.0, "fp16": 1600.0, "int8": 3200.0}, **kw)


def more_bandwidth(**kw) -> Dev:
    return Dev(id="adv-bandwidth", name="bandwidth x4", price_usd=2000.0, mem_bw_gbs=4000.0, **kw)


def gemm(m: int = 4096, k: int = 4096, n: int = 4096):
    return model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", (m, k))],
                 [tensor("y", None)], [weight("w", (k, n), value=0.0)])


def mlp(width: int = 1024, layers: int = 4):
    nodes, inits, x = [], [], "x"
    for i in range(layers):
        nodes.append(helper.make_node("MatMul", [x, f"w{i}"], [f"h{i}"]))
        inits.append(weight(f"w{i}", (width, width), value=0.0))
        x = f"h{i}"
    return model(nodes, [tensor("x", (1, width))], [tensor(x, None)], inits)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No device calibration from the user's config leaks into the hand-checked numbers."""
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))


@pytest.fixture
def empty(tmp_path):
    d = tmp_path / "models"
    d.mkdir()
    return str(d)


def by_label(advice, label):
    return next(o for o in advice.options if o.label == label)


def test_large_gemm_is_compute_bound_and_prefers_compute(empty):
    a = advise(gemm(), Dev(), candidates=[more_compute(), more_bandwidth()], models=empty)
    assert a.bottleneck.regime == "compute-bound"
    assert a.bottleneck.intensity > a.bottleneck.ridge == pytest.approx(100.0)
    # fp32: 1.37 ms of arithmetic; int8 math at 8x the peak is still compute-bound: 8x
    assert by_label(a, "int8 on adv-today").speedup == pytest.approx(8.0, rel=1e-3)
    assert by_label(a, "fp16 on adv-today").speedup == pytest.approx(4.0, rel=1e-3)
    # weight-only int4 still computes in fp16: no better than fp16
    assert by_label(a, "int4-weight on adv-today").speedup == pytest.approx(4.0, rel=1e-3)
    assert by_label(a, "upgrade to adv-compute").speedup == pytest.approx(4.0, rel=1e-3)
    assert by_label(a, "upgrade to adv-bandwidth").speedup == pytest.approx(1.0, rel=1e-3)
    sweep = {r["compute_x"]: r["speedup"] for r in a.compute_sweep if r["bandwidth_x"] == 1}
    assert sweep[2] == pytest.approx(2.0, rel=1e-3) and sweep[4] == pytest.approx(4.0, rel=0.02)
    assert a.recommendation.hw_id == "adv-compute" and a.recommendation.precision == "int8"
    assert "compute-bound" in a.reason and "x" in a.reason
    assert "above the roofline" not in a.reason  # the overhead explanation is for overhead only


def test_batch1_mlp_is_memory_bound_and_weight_only_wins_by_the_bytes_ratio(empty):
    a = advise(mlp(), Dev(), candidates=[more_compute(), more_bandwidth()], models=empty)
    assert a.bottleneck.regime == "memory-bound" and a.bottleneck.memory_share > 0.99
    assert a.bottleneck.intensity < 1.0 < a.bottleneck.ridge
    weights, acts = 4 * 1024 * 1024, 8 * 1024  # elements streamed per inference (weights dominate)
    fp32 = 4 * (weights + acts)
    assert by_label(a, "int8-weight on adv-today").speedup == pytest.approx(
        fp32 / (1 * weights + 2 * acts), rel=1e-3)   # ~4x
    assert by_label(a, "int4-weight on adv-today").speedup == pytest.approx(
        fp32 / (0.5625 * weights + 2 * acts), rel=1e-3)  # ~7x
    assert by_label(a, "upgrade to adv-bandwidth").speedup == pytest.approx(4.0, rel=1e-3)
    assert by_label(a, "upgrade to adv-compute").speedup == pytest.approx(1.0, rel=1e-3)
    assert a.recommendation.precision == "int4-weight"
    assert "memory-bound" in a.reason and "bytes" in a.reason


def add_chain(n: int = 40, width: int = 256):
    """``n`` tiny elementwise kernels in a row: each Add reads its input twice, so none fuses."""
    nodes, x = [], "x"
    for i in range(n):
        nodes.append(helper.make_node("Add", [x, x], [f"h{i}"]))
        x = f"h{i}"
    return model(nodes, [tensor("x", (1, width))], [tensor(x, None)])


def test_overhead_bound_reason_cites_the_share_kernels_and_the_roofline_limit(empty):
    # A calibration factor of 10 on the roofline makes every kernel 10x its bound: 90% overhead.
    from advisor.calibration import save_profile

    save_profile("adv-today", 10.0, rows=5, spread=0.0, source="test")
    a = advise(add_chain(40), Dev(), candidates=[more_bandwidth()], batches=(8,), models=empty)
    b = a.bottleneck
    assert b.regime == "overhead-bound" and b.kernels == 40
    assert b.overhead_share == pytest.approx(0.9)
    assert b.mean_kernel_us == pytest.approx(a.today.latency_ms * 1e3 / 40)
    assert b.roofline_kernel_us == pytest.approx(b.mean_kernel_us / 10)
    assert b.roofline_only_speedup == pytest.approx(1 / 0.9)
    assert a.to_dict()["bottleneck"]["kernels"] == 40
    text = a.reason
    assert text.startswith("90% of the predicted ") and "overhead-bound" in text
    assert (f"across 40 kernels, {b.mean_kernel_us:.2g} us each on average against a roofline bound "
            f"of {b.roofline_kernel_us:.2g} us") in text
    # with the overhead fixed, more FLOPS, bandwidth or fewer bytes only remove the 10% roofline time
    assert "would shorten only the other 10% of the time (1.1x at most)" in text
    assert "quantizing cuts bytes and FLOPs, not the fixed cost of launching a kernel" in text
    # the uncalibrated device runs at its roofline: nothing above it, hence far beyond the bound
    rec = a.recommendation
    assert rec.hw_id == "adv-bandwidth" and rec.speedup > 10 and rec.overhead_share == 0
    today_above = b.mean_kernel_us * 0.9
    assert (f"{rec.latency_ms * 1e3 / 40:.2g} us per kernel, 0 us of it above the roofline against "
            f"{today_above:.2g} us today") in text
    assert "options predicted beyond 1.1x also cut the time above the roofline" in text
    batch = by_label(a, "batch 8 on adv-today (throughput)")
    assert f"batch 8 spreads each kernel's cost over 8 samples, {batch.speedup:.2g}x the throughput" in text


def test_overhead_bound_reason_without_batch_options_still_names_batching(empty):
    from advisor.calibration import save_profile

    save_profile("adv-today", 4.0, rows=5, spread=0.0, source="test")
    a = advise(add_chain(12), Dev(), candidates=(), prune=(), models=empty)
    assert a.bottleneck.regime == "overhead-bound" and a.bottleneck.kernels == 12
    assert "75% of the predicted" in a.reason and "across 12 kernels" in a.reason
    assert "the other 25% of the time (1.3x at most)" in a.reason
    # fp16 halves the bytes and, at the calibrated efficiency, the time above the roofline with them
    assert by_label(a, "fp16 on adv-today").speedup == pytest.approx(2.0, rel=1e-3)
    assert "options predicted beyond 1.3x also cut the time above the roofline" in a.reason
    assert "a larger batch spreads each kernel's cost over more samples" in a.reason


def test_tiny_kernel_chain_is_overhead_bound_with_the_trained_model():
    """The installed model: 60 tiny kernels at batch 1 on a T4 are launch/latency-bound."""
    a = advise(add_chain(60, width=64), "t4", candidates=(), batches=(16,))
    b = a.bottleneck
    assert b.regime == "overhead-bound" and b.overhead_share > 0.5 and b.kernels == 60
    assert a.reason.startswith(f"{b.overhead_share:.0%} of the predicted") and "across 60 kernels" in a.reason
    assert f"only the other {1 - b.overhead_share:.0%} of the time" in a.reason
    assert "batch 16 spreads each kernel's cost over 16 samples" in a.reason


def test_compute_sweep_flattens_when_memory_bound(empty):
    a = advise(mlp(), Dev(), candidates=(), models=empty)
    compute = [r["speedup"] for r in a.compute_sweep if r["bandwidth_x"] == 1]
    assert compute == pytest.approx([1.0, 1.0, 1.0, 1.0], rel=1e-3)
    bandwidth = {r["bandwidth_x"]: r["speedup"] for r in a.compute_sweep if r["compute_x"] == 1}
    assert bandwidth[2.0] == pytest.approx(2.0, rel=1e-3)


def test_infeasible_options_are_listed_with_reasons(empty):
    no_int8 = Dev(peaks={"fp32": 100.0, "fp16": 400.0})
    small = Dev(id="adv-small", name="small", mem_gb=0.001, price_usd=10.0)
    a = advise(mlp(), no_int8, candidates=[small], models=empty)
    int8 = by_label(a, "int8 on adv-today")
    assert not int8.feasible and "lacks int8" in int8.reason
    up = by_label(a, "upgrade to adv-small")
    assert not up.feasible and "needs" in up.reason and "0.001 GB" in up.reason
    assert a.options[-1].feasible is False  # ranked after the feasible ones, not dropped
    assert a.recommendation.feasible and a.recommendation.hw_id == "adv-today"


def test_budget_and_cost_objective(empty):
    a = advise(gemm(), Dev(), candidates=[more_compute()], budget_usd=1500, models=empty)
    up = by_label(a, "upgrade to adv-compute")
    assert not up.within_budget and a.recommendation.hw_id == "adv-today"
    cheap = advise(mlp(), Dev(), candidates=[more_bandwidth()], objective="cost", target_ms=0.006,
                   models=empty)
    # int8-weight (no hardware cost, low risk) meets 6 us (4.2 MB); fp16 (8.4 MB) does not
    assert cheap.recommendation.label == "int8-weight on adv-today"
    assert cheap.recommendation.meets_target
    up = by_label(cheap, "upgrade to adv-bandwidth")
    assert up.price_diff_usd == 1000.0 and up.usd_per_speedup == pytest.approx(2000.0 / 3.0, rel=1e-3)


def test_pruning_what_if_scales_matrix_flops_and_weights(empty):
    profile = model_profile(mlp())
    pruned = prune_profile(profile, 0.5)
    assert pruned.flops.sum() == pytest.approx(profile.flops.sum() / 2)
    assert pruned.weight_bytes.sum() == pytest.approx(profile.weight_bytes.sum() / 2)
    assert np.array_equal(pruned.act_bytes, profile.act_bytes)
    with pytest.raises(InputError):
        prune_profile(profile, 1.0)
    a = advise(mlp(), Dev(), candidates=(), prune=(0.5,), models=empty)
    opt = by_label(a, "prune 50% of channels on adv-today")
    assert opt.speedup == pytest.approx(2.0, rel=0.01) and opt.accuracy_risk == "high"


def test_threads_and_batch_options_on_a_cpu(empty):
    cpu = Dev(id="adv-cpu", kind="cpu", compute_units=4, mem_bw_gbs=50.0,
              peaks={"fp32": 1.0, "int8": 4.0})
    a = advise(mlp(), cpu, threads=1, candidates=(), batches=(8,), models=empty)
    labels = {o.label for o in a.options}
    assert {"2 threads on adv-cpu", "4 threads on adv-cpu"} <= labels
    assert by_label(a, "4 threads on adv-cpu").speedup > by_label(a, "2 threads on adv-cpu").speedup > 1
    batch = by_label(a, "batch 8 on adv-cpu (throughput)")
    assert batch.speedup > 4  # weights read once for 8 samples
    assert a.recommendation.kind != "batch"
    assert "fp16 on adv-cpu" not in labels  # the device has no fp16: not offered


def test_a_cpu_advised_without_threads_starts_from_its_measured_thread_count(tmp_path):
    """The model's metadata says the device was measured at 1 thread: today runs at 1 thread
    and the thread options double from there (with all cores assumed, none would be offered)."""
    from advisor.features import feature_names
    from advisor.predictor import EfficiencyRegressor
    rng = np.random.default_rng(0)
    X = rng.normal(size=(200, len(feature_names())))
    EfficiencyRegressor(n_estimators=5, max_depth=2).fit(X, np.full(200, np.log(0.5))).save(
        tmp_path, extra={"default_threads_by_hw_runtime": {"adv-cpu|onnxruntime": 1}})
    cpu = Dev(id="adv-cpu", kind="cpu", compute_units=4, mem_bw_gbs=50.0, peaks={"fp32": 1.0, "int8": 4.0})
    a = advise(mlp(), cpu, candidates=(), models=str(tmp_path))
    assert a.today.threads == 1
    assert {"2 threads on adv-cpu", "4 threads on adv-cpu"} <= {o.label for o in a.options}


def test_decoder_with_kv_cache_reports_tokens_per_second(empty):
    nodes = [helper.make_node("MatMul", ["x", "w"], ["h"]),
             helper.make_node("Concat", ["past_key_values.0.key", "h3"], ["present"], axis=2),
             helper.make_node("Reshape", ["h", "shape"], ["h3"])]
    inits = [weight("w", (512, 512), value=0.0),
             numpy_helper.from_array(np.array([2, 1, 256], np.int64), "shape")]
    m = model(nodes, [tensor("x", (2, 512)), tensor("past_key_values.0.key", (2, 7, 256))],
              [tensor("present", None)], inits)
    a = advise(m, Dev(), batch=1, candidates=(), models=empty)
    assert a.decoding
    for o in [a.today] + a.options:
        assert o.tokens_per_s == pytest.approx(o.batch * 1000.0 / o.latency_ms)
    assert {"int8-weight on adv-today", "int4-weight on adv-today"} <= {o.label for o in a.options}


def test_plan_picks_the_cheapest_meeting_the_target(empty):
    slow = Dev(id="adv-slow", name="slow", price_usd=100.0, mem_bw_gbs=10.0)
    mid = Dev(id="adv-mid", name="mid", price_usd=500.0)
    fast = Dev(id="adv-fast", name="fast", price_usd=3000.0, mem_bw_gbs=4000.0)
    p = plan(mlp(), target_ms=0.02, candidates=[slow, mid, fast], max_risk="none", models=empty)
    # fp16 on mid: 8.4 MB / 1000 GB/s = 8.4 us; slow cannot meet 20 us at any precision
    assert (p.choice.hw_id, p.choice.precision) == ("adv-mid", "fp16")
    assert all(r.precision in ("fp32", "fp16") for r in p.rows)
    q = plan(mlp(), target_ms=0.02, qps=500_000, candidates=[mid, fast], max_risk="none", models=empty)
    for r in q.rows:
        assert r.devices_needed == math.ceil(500_000 / (1000.0 / r.latency_ms))
        assert r.total_usd == r.devices_needed * r.price_usd
    assert q.rows == sorted(q.rows, key=lambda r: r.total_usd)
    none = plan(mlp(), target_ms=1e-6, candidates=[mid], models=empty)
    assert none.choice is None and "meets" in none.reason


def test_helpers_scaled_hardware_pareto_and_table_candidates():
    from advisor.hardware import get_hardware
    t4 = get_hardware("t4")
    twice = scaled_hardware(t4, compute=2.0)
    assert twice.id == t4.id and twice.peaks["fp16"] == 2 * t4.peaks["fp16"]
    assert twice.mem_bw_gbs == t4.mem_bw_gbs and t4.peaks["fp16"] != twice.peaks["fp16"]
    assert pareto_front([(100, 5.0, "a"), (200, 6.0, "b"), (300, 1.0, "c")], 5) == ["a", "c"]
    cheap = table_candidates("gpu", 500)
    assert cheap and all(h.kind == "gpu" and h.price_usd <= 500 for h in cheap)
    with pytest.raises(InputError):
        table_candidates("gpu", 1)


def test_input_errors(empty):
    with pytest.raises(InputError):
        advise(mlp(), Dev(), objective="speed", models=empty)
    with pytest.raises(InputError):
        advise(mlp(), Dev(), target_ms=-1, models=empty)
    with pytest.raises(InputError):
        plan(mlp(), target_ms=1, max_risk="extreme", candidates=[Dev()], models=empty)


def test_cli_json_parses_and_bad_input_exits_2(tmp_path, monkeypatch):
    import onnx
    monkeypatch.setenv("ADVISOR_MODELS", str(tmp_path / "no-model"))  # roofline-only: hand-checkable
    path = tmp_path / "mlp.onnx"
    onnx.save(mlp(width=256, layers=2), path)
    runner = CliRunner()
    ok = runner.invoke(main, ["advise", "--model", str(path), "--hw", "t4", "--candidates", "l4,a10",
                              "--json"])
    assert ok.exit_code == 0, ok.output
    data = json.loads(ok.output)
    assert data["schema"] == "advisor.advise/1" and data["options"] and data["reason"]
    assert data["bottleneck"]["regime"] == "memory-bound"
    text = runner.invoke(main, ["advise", "--model", str(path), "--hw", "t4", "--candidates", "l4"])
    assert text.exit_code == 0 and "recommendation" in text.output
    planned = runner.invoke(main, ["plan", "--model", str(path), "--target-ms", "1",
                                   "--candidates", "t4,l4,a10,rtx-4090", "--qps", "100", "--json"])
    assert planned.exit_code == 0, planned.output
    assert json.loads(planned.output)["schema"] == "advisor.plan/1"
    for args in (["advise", "--model", str(path), "--hw", "no-such-device-xyz"],
                 ["advise", "--model", str(tmp_path / "missing.onnx"), "--hw", "t4"],
                 ["plan", "--model", str(path), "--target-ms", "-3"],
                 ["advise", "--model", str(path), "--hw", "t4", "--prune", "abc"]):
        bad = runner.invoke(main, args)
        assert bad.exit_code == 2, (args, bad.output)
        assert len(bad.stderr.strip().splitlines()) == 1, bad.stderr


def test_a_candidate_without_bandwidth_is_listed_not_fatal(empty):
    blank = Dev(id="adv-blank", name="blank", mem_bw_gbs=None)
    a = advise(mlp(), Dev(), candidates=[blank, more_bandwidth()], models=empty)
    opt = by_label(a, "upgrade to adv-blank")
    assert not opt.feasible and "bandwidth" in opt.reason
    assert by_label(a, "upgrade to adv-bandwidth").feasible
