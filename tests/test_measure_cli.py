"""The job runner (resume, budget, failures, zoo specs) and the `advisor measure` command."""

from __future__ import annotations

import csv
import json
import types
from pathlib import Path

import onnx
import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.errors import InputError
from advisor.measure import runner
from advisor.measure.runner import Job, RunOptions, expand_jobs, run_jobs
from advisor.measure.store import Store
from advisor.measure.timing import TimingSettings
from tests.test_measure import conv_model, embed_model, matmul_model

FAST = RunOptions(settings=TimingSettings(budget_s=0.05, min_time_s=0.01, warmup_s=0.01,
                                          warmup_runs=1, min_repeats=3),
                  processes=1, max_retries=0, idle_window_s=0.02, idle_wait_s=0)
CLI_FAST = ["--processes", "1", "--seconds-per-process", "0.05", "--max-retries", "0", "--quiet"]


@pytest.fixture()
def mm(tmp_path: Path) -> Path:
    p = tmp_path / "mm.onnx"
    onnx.save(matmul_model(), str(p))
    return p


@pytest.fixture()
def fake_zoo(monkeypatch):
    """A stand-in for advisor.zoo so these tests do not depend on the real builders."""
    built = []

    def build_recipe(recipe: str):
        built.append(recipe)
        name, _, opts = recipe.partition(":")
        kv = dict(o.split("=") for o in opts.split(",") if o)
        if set(kv) - {"batch", "k", "graph_only"}:
            raise InputError(f"unknown option in {recipe}")
        if name == "mm":
            return matmul_model(k=int(kv.get("k", 64)), batch=int(kv.get("batch", 1)))
        if name == "conv":
            return conv_model(batch=int(kv.get("batch", 1)))
        raise InputError(f"unknown model {name}")

    zoo = types.SimpleNamespace(
        build_recipe=build_recipe,
        list_models=lambda: [{"name": "mm", "family": "mlp"}, {"name": "conv", "family": "cnn"},
                             {"name": "conv2", "family": "cnn"}])
    monkeypatch.setattr(runner, "_zoo", lambda: zoo)
    return built


def test_expand_jobs_order_threads_fastest():
    jobs = expand_jobs(["a.onnx"], "file", batches=[1, 2], threads=[1, 2],
                       precisions=["fp32", "int8"])
    assert len(jobs) == 8
    assert [(j.batch, j.precision, j.threads) for j in jobs[:4]] == \
        [(1, "fp32", 1), (1, "fp32", 2), (1, "int8-static", 1), (1, "int8-static", 2)]
    with pytest.raises(InputError):
        expand_jobs(["a"], "url")


def test_run_resume_skips_existing(tmp_path: Path, mm: Path):
    jobs = expand_jobs([str(mm)], "file", batches=[1, 2], threads=[1], precisions=["fp32"])
    with Store(tmp_path / "db.sqlite") as st:
        s1 = run_jobs(jobs[:1], st, FAST, progress=False)
        assert s1.measured == 1 and st.count() == 1
        s2 = run_jobs(jobs, st, FAST, progress=False)
        assert (s2.skipped, s2.measured) == (1, 1) and st.count() == 2
        rows = list(st.rows())
    r = rows[0]
    assert r["status"] == "ok" and r["source"] == "mm.onnx" and r["family"] == "mm"
    assert 0 < r["min_ms"] <= r["median_ms"] <= r["p90_ms"]
    assert r["processes"] == 1 and r["repeats"] >= 3 and r["idle"] in (0, 1)
    assert r["ort_version"] and r["numpy_version"] and r["host_hash"] and r["cpu_model"]
    assert r["hw_fingerprint"] is not None
    assert r["date_utc"].endswith("+00:00") and len(r["graph_hash"]) == 64
    assert json.loads(r["input_shapes"]) == {"x": [r["batch"], 64]}


def test_run_budget_leaves_jobs_unstarted(tmp_path: Path, mm: Path):
    jobs = expand_jobs([str(mm)], "file", batches=[1, 2, 3], threads=[1])
    opts = RunOptions(**{**FAST.__dict__, "budget_s": 0.0})
    with Store(tmp_path / "db.sqlite") as st:
        s = run_jobs(jobs, st, opts, progress=False)
        assert s.not_started == 3 and st.count() == 0


def test_unsupported_variant_is_recorded_not_timed(tmp_path: Path, mm: Path, monkeypatch):
    from advisor.measure.variants import VariantUnsupported

    def refuse(*a, **k):
        raise VariantUnsupported("fp16 variant failed: no")
    monkeypatch.setattr(runner, "make_variant", refuse)
    with Store(tmp_path / "db.sqlite") as st:
        s = run_jobs([Job(str(mm), precision="fp16")], st, FAST, progress=False)
        assert s.unsupported == 1
        r = next(st.rows())
        assert r["status"] == "unsupported" and r["median_ms"] is None and "no" in r["error"]
        # a rerun skips it, unless asked to retry failures
        assert run_jobs([Job(str(mm), precision="fp16")], st, FAST, progress=False).skipped == 1


def test_sequence_model_records_seq_len(tmp_path: Path):
    p = tmp_path / "emb.onnx"
    onnx.save(embed_model(), str(p))
    with Store(tmp_path / "db.sqlite") as st:
        run_jobs(expand_jobs([str(p)], "file", batches=[2], seq_lens=[7]), st, FAST, progress=False)
        r = next(st.rows())
    assert r["status"] == "ok" and r["seq_len"] == 7 and "s=7" in r["settings_key"]


def test_zoo_spec_and_build(tmp_path: Path, fake_zoo):
    assert runner.expand_zoo_spec("cnn") == ["conv", "conv2"]
    assert runner.expand_zoo_spec("all") == ["mm", "conv", "conv2"]
    assert runner.expand_zoo_spec("mm:k=32;conv") == ["mm:k=32", "conv"]
    with pytest.raises(InputError, match="unknown zoo"):
        runner.expand_zoo_spec("nope")
    jobs = expand_jobs(["mm:k=32"], "zoo", batches=[4], seq_lens=[16])
    with Store(tmp_path / "db.sqlite") as st:
        s = run_jobs(jobs, st, FAST, progress=False)
        r = next(st.rows())
    # seq_len is not an option of this builder: the runner falls back to batch only; the
    # weightless build that checks the store comes first
    assert fake_zoo == ["mm:k=32,graph_only=1,batch=4,seq_len=16", "mm:k=32,graph_only=1,batch=4",
                        "mm:k=32,batch=4,seq_len=16", "mm:k=32,batch=4"]
    assert s.measured == 1 and r["family"] == "mlp" and r["source_kind"] == "zoo"
    assert r["batch"] == 4 and r["seq_len"] is None


def test_cli_measure_model_json_and_export(tmp_path: Path, mm: Path):
    db, out = tmp_path / "db.sqlite", tmp_path / "out.csv"
    args = ["measure", "--model", str(mm), "--batch", "1,2", "--threads", "1", "--db", str(db),
            "--export", str(out), "--json", *CLI_FAST]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["summary"]["measured"] == 2 and data["rows_in_store"] == 2 and data["exported"] == 2
    assert all(r["status"] == "ok" and r["median_ms"] > 0 for r in data["rows"])
    with open(out) as fh:
        assert len(list(csv.DictReader(fh))) == 2
    again = CliRunner().invoke(main, args)
    assert json.loads(again.output)["summary"]["skipped"] == 2
    # a fresh checkout: the committed CSV loads into an empty store, and the rerun skips both rows
    fresh = tmp_path / "fresh.sqlite"
    resumed = CliRunner().invoke(main, ["measure", "--model", str(mm), "--batch", "1,2", "--threads", "1",
                                        "--db", str(fresh), "--import", str(out), "--json", *CLI_FAST])
    assert resumed.exit_code == 0, resumed.output
    data = json.loads(resumed.output)
    assert data["imported"] == [{"path": str(out), "inserted": 2, "already_stored": 0}]
    assert data["summary"]["skipped"] == 2 and data["summary"]["measured"] == 0


def test_cli_errors_are_one_line(tmp_path: Path, mm: Path):
    r = CliRunner().invoke(main, ["measure", "--db", str(tmp_path / "d.sqlite")])
    assert r.exit_code == 2 and "--model" in r.output
    r = CliRunner().invoke(main, ["measure", "--model", str(mm), "--precision", "int3",
                                  "--db", str(tmp_path / "d.sqlite"), *CLI_FAST])
    assert r.exit_code == 2 and "choose from" in r.output and "Traceback" not in r.output
    r = CliRunner().invoke(main, ["measure", "--model", str(tmp_path / "missing.onnx"),
                                  "--db", str(tmp_path / "d.sqlite"), *CLI_FAST])
    assert r.exit_code == 2 and "not found" in r.output
    r = CliRunner().invoke(main, ["measure", "--model", str(mm), "--batch", "x",
                                  "--db", str(tmp_path / "d.sqlite"), *CLI_FAST])
    assert r.exit_code == 2 and "invalid batch" in r.output


def test_graph_only_zoo_model_gets_random_weights(tmp_path: Path, monkeypatch):
    """Large zoo configs default to graph-only; the runner rebuilds them with weights to time them."""
    from onnx import TensorProto
    built = []

    def build_recipe(recipe: str):
        built.append(recipe)
        m = matmul_model(batch=1)
        if "graph_only=0" not in recipe:
            w = m.graph.initializer[0]
            w.ClearField("raw_data")
            w.ClearField("float_data")
            w.data_location = TensorProto.EXTERNAL
            e = w.external_data.add()
            e.key, e.value = "location", "weights.bin"
        return m
    zoo = types.SimpleNamespace(build_recipe=build_recipe, list_models=lambda: [("big", "big")])
    monkeypatch.setattr(runner, "_zoo", lambda: zoo)
    with Store(tmp_path / "db.sqlite") as st:
        s = run_jobs([Job("big", "zoo", batch=1)], st, FAST, progress=False)
    assert s.measured == 1 and built[-1] == "big:graph_only=0,batch=1"
    monkeypatch.setattr(runner, "MAX_PARAMS_TO_MATERIALIZE", 10)
    with Store(tmp_path / "db2.sqlite") as st:
        s = run_jobs([Job("big", "zoo", batch=1)], st, FAST, progress=False)
        assert s.failed == 1 and st.count() == 0 and "graph-only" in s.rows[0]["error"]


def test_real_zoo_model_is_measured(tmp_path: Path):
    zoo = pytest.importorskip("advisor.zoo")
    if not hasattr(zoo, "build_recipe"):
        pytest.skip("advisor.zoo.build_recipe not available")
    jobs = expand_jobs(["mlp"], "zoo", batches=[2], precisions=["fp32", "int8-dynamic"])
    with Store(tmp_path / "db.sqlite") as st:
        s = run_jobs(jobs, st, FAST, progress=False)
        rows = list(st.rows())
    assert s.measured == 2, s.rows
    assert {r["precision"] for r in rows} == {"fp32", "int8-dynamic"}
    assert all(r["family"] == "mlp" and r["batch"] == 2 and r["median_ms"] > 0 for r in rows)
    tools = {r["precision"]: r["variant_tool"] for r in rows}
    assert "quantize_dynamic" in tools["int8-dynamic"] and tools["fp32"] == "as given"


def test_a_rerun_skips_stored_zoo_jobs_without_building_weights(tmp_path: Path, fake_zoo):
    jobs = expand_jobs(["mm:k=32"], "zoo", batches=[2], threads=[1, 2])
    with Store(tmp_path / "db.sqlite") as st:
        first = run_jobs(jobs, st, FAST, progress=False)
        fake_zoo.clear()
        again = run_jobs(jobs, st, FAST, progress=False)
    assert first.measured == 2 and again.skipped == 2 and again.measured == 0
    # only the weightless identity build ran the second time
    assert fake_zoo and all("graph_only=1" in r for r in fake_zoo)
