"""Per-kernel profiles: parsing onnxruntime's trace, profiling after timing, storing and exporting."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import onnx
import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.errors import InputError
from advisor.measure.node_profile import NODE_FIELDS, parse_profile, shapes_text
from advisor.measure.runner import RunOptions, expand_jobs, run_jobs
from advisor.measure.store import Store
from advisor.measure.timing import TimingSettings, measure, resolve_inputs
from tests.test_measure import conv_model, matmul_model


def _event(name: str, dur: float, op: str = "Conv") -> dict:
    return {"cat": "Node", "name": f"{name}_kernel_time", "dur": dur, "ph": "X",
            "args": {"op_name": op, "provider": "CPUExecutionProvider", "activation_size": "8192",
                     "parameter_size": "4672", "output_size": "16384",
                     "input_type_shape": [{"float": [1, 8, 16, 16]}, {"float": [16, 8, 3, 3]}],
                     "output_type_shape": [{"float": [1, 16, 16, 16]}]}}


def test_parse_profile_takes_the_median_of_the_last_runs_per_node():
    events = [{"cat": "Session", "name": "model_run", "dur": 99}]
    for run, (a, b) in enumerate([(900, 50), (100, 11), (102, 10), (98, 12)]):   # run 0: warm-up
        events += [_event("conv1", a), _event("gemm", b, op="Gemm"),
                   {"cat": "Node", "name": "conv1_fence_before", "dur": 1}]
    nodes = parse_profile(events, runs=3)
    assert [n[:4] for n in nodes] == [["conv1", "Conv", "CPU", 100.0], ["gemm", "Gemm", "CPU", 11.0]]
    assert nodes[0][4] == "float:1x8x16x16;float:16x8x3x3" and nodes[0][5] == "float:1x16x16x16"
    assert nodes[0][6:] == [8192, 4672, 16384]
    assert all(len(n) == len(NODE_FIELDS) for n in nodes)
    assert shapes_text([{"int64": []}]) == "int64:" and shapes_text(None) == ""


def test_profiled_measurement_keeps_its_timing_and_adds_real_kernel_times(tmp_path: Path):
    path = tmp_path / "conv.onnx"
    onnx.save(conv_model(), str(path))
    specs = resolve_inputs(path, batch=2).specs
    fast = TimingSettings(budget_s=0.1, min_time_s=0.02, warmup_s=0.02, warmup_runs=2, min_repeats=5)
    m = measure(path, specs, fast, processes=2, max_retries=0, idle_window_s=0.02, idle_wait_s=0,
                profile_runs=4)
    assert m.processes == 2 and m.median_ms > 0
    assert m.nodes and sum(r.nodes is not None for r in m.results) == 1     # one process profiles
    ops = [n[1] for n in m.nodes]
    assert "Conv" in ops and "Relu" not in ops          # onnxruntime fused Conv + Relu
    conv = next(n for n in m.nodes if n[1] == "Conv")
    assert conv[3] > 0 and conv[4].startswith("float:2x8x16x16")
    assert conv[7] == (16 * 8 * 3 * 3 + 16) * 4            # weights + bias, as onnxruntime reports
    # the kernels together take no longer than a whole timed run (plus profiling slack)
    assert sum(n[3] for n in m.nodes) / 1e3 < 5 * m.median_ms + 1.0
    plain = measure(path, specs, fast, processes=1, max_retries=0, idle_window_s=0.02, idle_wait_s=0)
    assert plain.nodes is None


def test_runs_store_profiles_apart_and_export_import_round_trips(tmp_path: Path):
    mm = tmp_path / "mm.onnx"
    onnx.save(matmul_model(), str(mm))
    opts = RunOptions(settings=TimingSettings(budget_s=0.05, min_time_s=0.01, warmup_s=0.01,
                                              warmup_runs=1, min_repeats=3),
                      processes=1, max_retries=0, idle_window_s=0.02, idle_wait_s=0, profile_runs=3)
    jobs = expand_jobs([str(mm)], "file", batches=[1, 4], threads=[1], precisions=["fp32"])
    out = tmp_path / "nodes.jsonl.gz"
    with Store(tmp_path / "db.sqlite") as st:
        summary = run_jobs(jobs, st, opts, progress=False)
        assert summary.measured == 2 and all("nodes" not in r for r in summary.rows)
        profiles = list(st.node_profiles())
        assert len(profiles) == 2 and {p["runs"] for p in profiles} == {3}
        keys = {(r["graph_hash"], r["settings_key"]) for r in st.rows()}
        assert {(p["graph_hash"], p["settings_key"]) for p in profiles} == keys
        assert all(n[1] == "MatMul" for p in profiles for n in p["nodes"])
        assert st.export_nodes(out) == 2
    first = out.read_bytes()
    with Store(tmp_path / "fresh.sqlite") as st:
        assert st.import_nodes(out) == (2, 0) and st.import_nodes(out) == (0, 2)
        st.export_nodes(out)
    assert out.read_bytes() == first                     # byte-stable export
    bad = tmp_path / "bad.jsonl.gz"
    record = json.loads(gzip.decompress(first).decode().splitlines()[0])
    for broken in ({"graph_hash": "x"}, {**record, "runs": "3"}, {**record, "tag": None}):
        bad.write_bytes(gzip.compress(json.dumps(broken).encode() + b"\n"))
        with Store(tmp_path / "other.sqlite") as st, pytest.raises(InputError, match="node-profile"):
            st.import_nodes(bad)
    bad.write_bytes(b"not gzip")
    with Store(tmp_path / "other.sqlite") as st, pytest.raises(InputError, match="cannot read"):
        st.import_nodes(bad)
    with Store(tmp_path / "other.sqlite") as st, pytest.raises(InputError, match="lacks"):
        st.insert_nodes({"graph_hash": "g"}, [], 1)


def test_measure_cli_profiles_kernels_and_exports_them(tmp_path: Path):
    mm = tmp_path / "mm.onnx"
    onnx.save(matmul_model(), str(mm))
    out = tmp_path / "nodes.jsonl.gz"
    result = CliRunner().invoke(main, ["measure", "--model", str(mm), "--db", str(tmp_path / "db.sqlite"),
                                       "--processes", "1", "--seconds-per-process", "0.05",
                                       "--max-retries", "0", "--quiet", "--profile-runs", "2",
                                       "--export-nodes", str(out)])
    assert result.exit_code == 0, result.output
    assert "exported 1 kernel profiles" in result.output
    record = json.loads(gzip.decompress(out.read_bytes()).decode().splitlines()[0])
    assert record["runs"] == 2 and record["nodes"][0][1] == "MatMul"
