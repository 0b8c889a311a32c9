"""`advisor calibrate --hw local`: the suite times real models here and feeds the same fit."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from click.testing import CliRunner

import advisor.calibration_suite as suite_module
from advisor.calibration import load_profile
from advisor.calibration_suite import COLUMNS, SUITE, run_suite
from advisor.cli import main

TINY = [("mlp:in_features=64,hidden=32", None), ("mlp:in_features=32,hidden=16-16", None)]


def test_suite_spans_regimes_and_names_real_zoo_models():
    from advisor.zoo.registry import parse_recipe
    from advisor.zoo import list_models

    names = {m[0] if isinstance(m, (tuple, list)) else getattr(m, "name", m) for m in list_models()}
    assert len(SUITE) >= 8
    for recipe, _ in SUITE:
        assert parse_recipe(recipe)[0] in names
    assert any("decode" in r for r, _ in SUITE) and any(s for _, s in SUITE)


def test_run_suite_times_each_model_once_here():
    table = run_suite(threads=1, processes=1, seconds_per_process=0.05, suite=TINY)
    assert list(table.columns) == COLUMNS
    assert list(table["model"]) == [r for r, _ in TINY]
    assert (table["latency_ms"] > 0).all() and (table["threads"] == 1).all()
    assert (table["p10_ms"] <= table["p90_ms"]).all()


def _cached_probe_here(tmp_path, monkeypatch, bandwidth_gbs=20.0):
    """A cached `hw probe` result for this host (the real probe takes half a minute)."""
    from advisor.hardware.host import detect_host
    from advisor.hardware.probe import cache_path

    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path / "cache"))
    path = cache_path(detect_host())
    path.parent.mkdir(parents=True)
    path.write_text(json.dumps({"mem_bw_gbs": bandwidth_gbs, "when": "test", "gflops": {}}))


def test_calibrate_local_runs_the_suite_saves_rows_and_a_profile(tmp_path, monkeypatch, unmeasured_host):
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    _cached_probe_here(tmp_path, monkeypatch)
    monkeypatch.setattr(suite_module, "SUITE", TINY)
    saved = tmp_path / "suite.csv"
    r = CliRunner().invoke(main, ["calibrate", "--hw", "local", "--threads", "1",
                                  "--save-measurements", str(saved), "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.output[r.output.index("{"):])
    assert out["hw_id"] == "local" and out["rows"] == 2 and out["factor"] > 0
    profile = load_profile("local")
    assert profile["factor"] == pytest.approx(out["factor"]) and "suite" in profile["source"]
    rows = pd.read_csv(saved)
    assert len(rows) == 2 and not list(tmp_path.glob("*.tmp")) and not list(tmp_path.glob(".*.tmp"))
    # the saved rows replay through --measurements and give the same factor
    again = CliRunner().invoke(main, ["calibrate", "--hw", "local", "--measurements", str(saved), "--json"])
    assert again.exit_code == 0, again.output
    assert json.loads(again.output)["factor"] == pytest.approx(out["factor"], rel=1e-6)


def test_calibrate_without_measurements_needs_local(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    r = CliRunner().invoke(main, ["calibrate", "--hw", "t4"])
    assert r.exit_code == 2 and "--measurements" in r.output and len(r.output.strip().splitlines()) == 1
    r = CliRunner().invoke(main, ["calibrate", "--hw", "t4", "--measurements", "x.csv", "--threads", "2"])
    assert r.exit_code == 2 and "local suite only" in r.output


def test_calibrate_local_probes_the_host_first_when_no_probe_is_cached(tmp_path, monkeypatch, unmeasured_host):
    import advisor.hardware.probe as probe

    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(suite_module, "SUITE", TINY[:1])
    calls = []

    def fake_probe(*args, **kwargs):       # stands in for the half-minute microbenchmarks
        calls.append(1)
        path = probe.cache_path(probe.detect_host())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps({"mem_bw_gbs": 25.0, "when": "test", "gflops": {}}))
        return {}

    monkeypatch.setattr(probe, "run_probe", fake_probe)
    r = CliRunner().invoke(main, ["calibrate", "--hw", "local", "--threads", "1", "--json"])
    assert r.exit_code == 0, r.output
    assert calls == [1] and json.loads(r.output[r.output.index("{"):])["rows"] == 1


def test_calibrate_local_on_a_measurement_host_calibrates_its_spec_without_probing(tmp_path, monkeypatch):
    import advisor.hardware.probe as probe
    from advisor.paths import data_dir
    from tests.conftest import as_host

    host_hash = sorted((data_dir() / "hosts").glob("*.yaml"))[0].stem
    as_host(monkeypatch, host_hash)
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setattr(suite_module, "SUITE", TINY[:1])
    monkeypatch.setattr(probe, "run_probe", lambda *a, **k: pytest.fail("the spec file has the bandwidth"))
    r = CliRunner().invoke(main, ["calibrate", "--hw", "local", "--threads", "1", "--json"])
    assert r.exit_code == 0, r.output
    assert json.loads(r.output[r.output.index("{"):])["hw_id"] == f"host-{host_hash}"
    assert load_profile(f"host-{host_hash}") is not None and load_profile("local") is None
