"""The measurement harness on tiny models: inputs, timing statistics, variants, identity, host."""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort
import pytest
from onnx import TensorProto, helper, numpy_helper

from advisor.errors import InputError
from advisor.measure import host, idle
from advisor.measure.identity import graph_hash
from advisor.measure.timing import (InputSpec, TimingSettings, measure, random_inputs,
                                    resolve_inputs, summarize, time_loop)
from advisor.measure.variants import PRECISIONS, make_variant, normalize_precision


def matmul_model(k: int = 64, n: int = 64, batch="batch", seed: int = 0) -> onnx.ModelProto:
    """x[batch, k] @ w[k, n] -> y."""
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, k])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, n])
    w = numpy_helper.from_array(
        np.random.default_rng(seed).standard_normal((k, n)).astype(np.float32), "w")
    g = helper.make_graph([helper.make_node("MatMul", ["x", "w"], ["y"])], "mm", [x], [y], [w])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def conv_model(cin: int = 8, cout: int = 16, hw: int = 16, batch="N") -> onnx.ModelProto:
    """Conv 3x3 + bias + Relu on x[N, cin, hw, hw]."""
    rng = np.random.default_rng(0)
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [batch, cin, hw, hw])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, [batch, cout, hw, hw])
    w = numpy_helper.from_array(rng.standard_normal((cout, cin, 3, 3)).astype(np.float32), "w")
    b = numpy_helper.from_array(rng.standard_normal((cout,)).astype(np.float32), "b")
    nodes = [helper.make_node("Conv", ["x", "w", "b"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["y"])]
    g = helper.make_graph(nodes, "conv", [x], [y], [w, b])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


def embed_model(vocab: int = 10, hidden: int = 8) -> onnx.ModelProto:
    """Gather(input_ids[batch, seq]) -> [batch, seq, hidden]: a sequence model with int inputs."""
    ids = helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch_size", "sequence_length"])
    y = helper.make_tensor_value_info("y", TensorProto.FLOAT, ["batch_size", "sequence_length", hidden])
    table = numpy_helper.from_array(np.ones((vocab, hidden), np.float32), "table")
    g = helper.make_graph([helper.make_node("Gather", ["table", "input_ids"], ["y"])], "emb",
                          [ids], [y], [table])
    return helper.make_model(g, opset_imports=[helper.make_opsetid("", 17)])


FAST = TimingSettings(budget_s=0.15, min_time_s=0.02, warmup_s=0.02, warmup_runs=2,
                      min_repeats=5)


@pytest.fixture()
def mm_path(tmp_path: Path) -> Path:
    p = tmp_path / "mm.onnx"
    onnx.save(matmul_model(), str(p))
    return p


# ---------------------------------------------------------------- inputs

def test_resolve_symbolic_batch_and_seq():
    r = resolve_inputs(matmul_model(), batch=8)
    assert r.specs == [InputSpec("x", (8, 64), "float32")] and r.batch == 8
    assert not r.used_seq_len
    r = resolve_inputs(embed_model(), batch=2, seq_len=5)
    assert r.specs[0].shape == (2, 5) and r.specs[0].dtype == "int64" and r.used_seq_len
    assert resolve_inputs(matmul_model()).batch == 1          # default batch


def test_resolve_errors_are_input_errors():
    with pytest.raises(InputError, match="seq-len"):
        resolve_inputs(embed_model(), batch=1)
    with pytest.raises(InputError, match="fixed batch of 4"):
        resolve_inputs(matmul_model(batch=4), batch=8)
    assert resolve_inputs(matmul_model(batch=4)).batch == 4
    past = matmul_model()
    past.graph.input[0].type.tensor_type.shape.dim[1].dim_param = "past_sequence_length"
    with pytest.raises(InputError, match="--dim past_sequence_length"):
        resolve_inputs(past, batch=1)
    r = resolve_inputs(past, batch=1, dims={"past_sequence_length": 64})
    assert r.specs[0].shape == (1, 64)


def test_random_inputs_dtypes_and_valid_indices():
    feeds = random_inputs([InputSpec("x", (2, 3), "float32"), InputSpec("ids", (2, 4), "int64"),
                           InputSpec("attention_mask", (2, 4), "int64")], seed=1)
    assert feeds["x"].dtype == np.float32 and feeds["x"].shape == (2, 3)
    assert set(np.unique(feeds["ids"])) <= {0, 1}
    assert (feeds["attention_mask"] == 1).all()
    again = random_inputs([InputSpec("x", (2, 3), "float32")], seed=1)
    assert np.array_equal(again["x"], feeds["x"])             # seeded: reproducible


# ---------------------------------------------------------------- timing

def test_summarize_stats():
    s = summarize([1.0, 2.0, 3.0, 4.0, 100.0])
    assert s["median_ms"] == 3.0 and s["min_ms"] == 1.0 and s["repeats"] == 5
    assert s["p10_ms"] <= s["median_ms"] <= s["p90_ms"] and s["cv"] > 1


def test_time_loop_stops_when_median_is_stable():
    clock = [0.0]
    calls = []

    def run():
        calls.append(1)
        clock[0] += 0.001                   # every run takes exactly 1 ms

    times, stable = time_loop(run, TimingSettings(budget_s=100, min_time_s=0.0, warmup_s=0,
                                                  warmup_runs=3, min_repeats=10),
                              clock=lambda: clock[0])
    assert stable and 10 <= len(times) < 40
    assert np.allclose(times, 1.0)


def test_time_loop_respects_budget_and_max_repeats():
    clock = [0.0]
    rng = np.random.default_rng(0)

    def noisy():
        clock[0] += 0.001 * rng.uniform(1, 50)   # never stable
    times, stable = time_loop(noisy, TimingSettings(budget_s=0.5, min_time_s=0, warmup_s=0,
                                                    rtol=1e-9), clock=lambda: clock[0])
    assert not stable and sum(times) / 1e3 <= 0.5 + 0.05
    times, _ = time_loop(noisy, TimingSettings(budget_s=1e9, max_repeats=25, rtol=1e-9,
                                               warmup_s=0), clock=lambda: clock[0])
    assert len(times) == 25


def test_settings_validated():
    with pytest.raises(InputError):
        TimingSettings(threads=0)
    with pytest.raises(InputError, match="optimisation level"):
        TimingSettings(opt_level="max")


def test_measure_matmul_in_separate_processes(mm_path: Path):
    specs = resolve_inputs(mm_path, batch=4).specs
    m = measure(mm_path, specs, FAST, processes=3, max_retries=0, idle_window_s=0.05,
                idle_wait_s=0)
    assert m.processes == 3 and len(m.process_medians_ms) == 3
    assert 0 < m.min_ms <= m.p10_ms <= m.median_ms <= m.p90_ms < 50
    assert min(m.process_medians_ms) <= m.median_ms <= max(m.process_medians_ms)
    assert m.repeats >= 3 * FAST.min_repeats and m.cv >= 0 and m.spread >= 0
    assert isinstance(m.idle, bool) and m.other_cores_max >= 0 and m.retries == 0


def _fake_processes(monkeypatch, medians: list[float]) -> list[float]:
    """Replace the timing subprocess by one returning the next of ``medians`` (idle machine)."""
    from advisor.measure import timing
    left = list(medians)

    def fake_run(model_path, inputs, settings, timeout_s=None, profile_runs=0):
        m = left.pop(0)
        return timing.ProcessResult(times_ms=[m] * 5, median_ms=m, p10_ms=m, p90_ms=m, min_ms=m,
                                    repeats=5, cv=0.0, stable=True, load_s=0.0, other_cores=0.0,
                                    idle_known=True)
    monkeypatch.setattr(timing, "run_process", fake_run)
    return left


def test_measure_reruns_the_slowest_process_while_processes_disagree_beyond_contention(monkeypatch):
    """Processes at 100, 880 and 840 ms: the two slow ones timed contention; each is replaced in
    turn (slowest first), and the row keeps the three that agree."""
    left = _fake_processes(monkeypatch, [100.0, 880.0, 840.0, 105.0, 98.0, 500.0])
    m = measure("m.onnx", [], FAST, processes=3, max_retries=3, idle_window_s=0)
    assert sorted(m.process_medians_ms) == [98.0, 100.0, 105.0] and m.median_ms == 100.0
    assert m.retries == 2 and left == [500.0]


def test_measure_keeps_a_disagreeing_row_when_retries_run_out(monkeypatch):
    """Out of retries the row is kept as timed (training then drops it), never silently fixed;
    within clean noise (1.4x) nothing is rerun."""
    _fake_processes(monkeypatch, [100.0, 880.0, 840.0, 870.0])
    m = measure("m.onnx", [], FAST, processes=3, max_retries=1, idle_window_s=0)
    assert sorted(m.process_medians_ms) == [100.0, 840.0, 870.0] and m.retries == 1
    left = _fake_processes(monkeypatch, [100.0, 140.0, 120.0, 99.0])
    m = measure("m.onnx", [], FAST, processes=3, max_retries=3, idle_window_s=0)
    assert m.retries == 0 and m.median_ms == 120.0 and left == [99.0]


def test_measure_reports_failure_of_a_broken_model(tmp_path: Path):
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"not an onnx file")
    from advisor.errors import AdvisorError
    with pytest.raises(AdvisorError):
        measure(bad, [InputSpec("x", (1, 64), "float32")], FAST, processes=1,
                idle_window_s=0)


# ---------------------------------------------------------------- variants

@pytest.mark.parametrize("precision", PRECISIONS)
@pytest.mark.parametrize("builder", [matmul_model, conv_model], ids=["matmul", "conv"])
def test_variants_are_valid_runnable_models(tmp_path: Path, builder, precision):
    src = tmp_path / "m.onnx"
    onnx.save(builder(), str(src))
    specs = resolve_inputs(src, batch=2).specs
    v = make_variant(src, precision, tmp_path / "var", specs, calib_samples=2)
    model = onnx.load(str(v.path))
    onnx.checker.check_model(model)
    ops = {n.op_type for n in model.graph.node}
    dtypes = {t.data_type for t in model.graph.initializer}
    if precision == "int8-dynamic":
        assert ops & {"ConvInteger", "MatMulInteger", "DynamicQuantizeLinear"}
    elif precision == "int8-static":
        assert {"QuantizeLinear", "DequantizeLinear"} <= ops
        assert TensorProto.INT8 in dtypes
    elif precision == "fp16":
        assert TensorProto.FLOAT16 in dtypes and "Cast" in ops
    else:
        assert v.path == src
    feeds = random_inputs(specs)
    ref = ort.InferenceSession(str(src), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    out = ort.InferenceSession(str(v.path), providers=["CPUExecutionProvider"]).run(None, feeds)[0]
    assert out.shape == ref.shape and out.dtype == np.float32 and np.isfinite(out).all()
    if precision == "fp16":
        assert np.allclose(out, ref, rtol=2e-2, atol=5e-2)


def test_precision_names():
    assert normalize_precision("INT8") == "int8-static"
    assert normalize_precision("int8_dynamic") == "int8-dynamic"
    with pytest.raises(InputError, match="choose from"):
        normalize_precision("int3")


# ---------------------------------------------------------------- identity, host, idle

def test_graph_hash_ignores_weight_values_not_structure():
    a, b = matmul_model(seed=0), matmul_model(seed=1)
    assert graph_hash(a) == graph_hash(b)
    assert graph_hash(a) != graph_hash(matmul_model(k=32))
    assert graph_hash(a) != graph_hash(matmul_model(batch=1))
    assert re.fullmatch(r"[0-9a-f]{64}", graph_hash(a))


def test_host_fingerprint():
    h = host.host_info()
    assert h.cpu_model and h.logical_cores >= 1 and h.physical_cores >= 1 and h.memory_gb > 0
    assert re.fullmatch(r"[0-9a-f]{12}", h.host_hash)
    assert h.host_hash == host.fingerprint_hash(h.as_dict())
    changed = dict(h.as_dict(), isa_flags=h.isa_flags + " avx512f")
    assert host.fingerprint_hash(changed) != h.host_hash


def test_parse_cpuinfo():
    text = ("processor\t: 0\nmodel name\t: Test CPU\nflags\t\t: fpu avx2 fma avx512f\n"
            "physical id\t: 0\ncore id\t\t: 0\n\nprocessor\t: 1\nmodel name\t: Test CPU\n"
            "physical id\t: 0\ncore id\t\t: 0\n\n")
    model, cores, flags = host._parse_cpuinfo(text)
    assert model == "Test CPU" and cores == 1 and {"avx2", "avx512f"} <= flags


def test_idle_arithmetic():
    a = idle.CpuSample(wall=0.0, system_busy=1000, own=100)
    b = idle.CpuSample(wall=2.0, system_busy=1000 + 3 * idle.CLK_TCK, own=100 + 2 * idle.CLK_TCK)
    r = idle.between(a, b)
    assert r.available and r.other_cores == pytest.approx(0.5) and r.own_cores == pytest.approx(1.0)
    assert not r.is_idle(0.1) and r.is_idle(0.6)
    assert idle.between(None, b).available is False


def test_idle_check_on_this_machine():
    r = idle.check_idle(0.05)
    assert r.other_cores >= 0 and r.seconds > 0


@pytest.mark.parametrize("recipe,batch,seq_len", [("bert_tiny", 2, 64), ("random_cnn:seed=1", 4, None),
                                                  ("gpt2_tiny:mode=decode,past_len=8", 1, 1)])
def test_the_weightless_identity_matches_the_built_model(tmp_path, recipe, batch, seq_len):
    """A rerun decides skips from a graph-only build; its key must be the measured model's."""
    from advisor.measure.runner import Job, prepare, zoo_identity

    job = Job(recipe, "zoo", batch, seq_len, 1, "fp32", "")
    ident = zoo_identity(job)
    prep = prepare(job, tmp_path)
    assert ident.graph_hash == prep.graph_hash
    assert ident.seq_len == prep.seq_len and ident.inputs.shapes() == prep.inputs.shapes()
