"""benchmarks/measure_campaign.py (breadth-first plan) and benchmarks/noise_report.py."""

from __future__ import annotations

import importlib.util
import sys
import types
from pathlib import Path

import pytest

from advisor.errors import InputError
from advisor.measure import runner
from advisor.measure.store import Store, settings_key
from tests.test_measure import embed_model, matmul_model

BENCH = Path(__file__).resolve().parent.parent / "benchmarks"


def load(name: str):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = mod            # dataclasses look their module up there
    spec.loader.exec_module(mod)
    return mod


@pytest.fixture()
def fake_zoo(monkeypatch):
    def build_recipe(recipe: str):
        name, _, opts = recipe.partition(":")
        kv = dict(o.split("=") for o in opts.split(",") if o)
        if name.startswith("emb") or name.startswith("gpt"):
            return embed_model()
        if name.startswith("mm"):
            return matmul_model(k=int(kv.get("k", 64)))
        raise InputError(f"unknown model {name}")
    zoo = types.SimpleNamespace(build_recipe=build_recipe, list_models=lambda: [
        ("mm_a", "mlp"), ("mm_b", "mlp"), ("mm_c", "mlp"), ("emb_a", "bert"), ("gpt_a", "gpt2")])
    monkeypatch.setattr(runner, "_zoo", lambda: zoo)
    monkeypatch.setattr(runner, "_zoo_entries", lambda: zoo.list_models())


def test_campaign_plan_is_breadth_first(fake_zoo):
    camp = load("measure_campaign")
    jobs = camp.plan(models=[("mm_a", "mlp"), ("mm_b", "mlp"), ("mm_c", "mlp"),
                             ("emb_a", "bert"), ("gpt_a", "gpt2")])
    fams = [j.family for j in jobs]
    # every family appears within the first tier's first round
    first = {f: fams.index(f) for f in set(fams)}
    assert max(first.values()) < 2 * 3 + 2 * 2      # mm_a(2 jobs) emb_a(2) gpt_a(2+2) ...
    assert {j.batch for j in jobs} >= {1, 2, 4, 8, 16, 32, 64}
    assert {j.threads for j in jobs} == {1, 2}
    assert {j.precision for j in jobs} == {"fp32", "int8-dynamic", "int8-static"}
    # sequence lengths only for sequence models; decode mode only for decoders
    assert all(j.seq_len is None for j in jobs if j.family == "mlp")
    assert {j.seq_len for j in jobs if j.family == "bert"} >= {16, 128, 512}
    assert any("mode=decode" in j.source for j in jobs if j.family == "gpt2")
    assert not any("mode=decode" in j.source for j in jobs if j.family == "bert")
    # the job keys are unique
    keys = [(j.source, j.batch, j.seq_len, j.threads, j.precision) for j in jobs]
    assert len(keys) == len(set(keys))


def test_campaign_gflop_cap_drops_heavy_configs(fake_zoo, monkeypatch):
    camp = load("measure_campaign")
    monkeypatch.setattr(camp, "gflop_per_run", lambda recipe, b, s: 10.0 * b)
    jobs = camp.plan(models=[("mm_a", "mlp")], max_gflop=100)
    assert max(j.batch for j in jobs) == 8


def _row(i, tag, median, family="cnn", cv=0.02, spread=0.05):
    return dict(graph_hash=f"g{i}", source=f"m{i}", source_kind="zoo", family=family, batch=1,
                threads=1, inter_op=1, precision="fp32", opt_level="all", provider="CPU",
                status="ok", median_ms=median, cv=cv, spread=spread, idle=True, host_hash="h",
                cpu_model="Test CPU", date_utc=f"2025-01-0{1 if tag == '' else 2}T00:00:00+00:00",
                tag=tag, settings_key=settings_key(1, None, 1, 1, "fp32", "all", "CPU"))


def test_noise_report_from_store(tmp_path: Path):
    # synthetic rows, only to exercise the report's arithmetic (never committed as data)
    db = tmp_path / "m.sqlite"
    with Store(db) as st:
        for i in range(4):
            st.insert(_row(i, "", 10.0 + i, cv=0.01 * (i + 1)))
        st.insert(_row(0, "repeat", 11.0))       # +10%
        st.insert(_row(1, "repeat", 11.0))       # 0%
        st.insert(_row(9, "", 5.0, family="bert", cv=0.2))
        st.insert(dict(_row(10, "", None, family="bert"), status="unsupported", error="x"))
    rep = load("noise_report")
    out = tmp_path / "noise.md"
    assert rep.main(["--db", str(db), "-o", str(out)]) == 0
    text = out.read_text()
    assert "| cnn | 6 | 2.0% |" in text and "| bert | 1 | 20.0% |" in text
    assert "2 rows measured twice" in text and "within 10%: 100.0%" in text
    assert "Within 5%: 50.0%" in text and "unsupported 1" in text
    df = rep.load_rows(str(db))
    pairs = rep.repeat_pairs(df[df.status == "ok"])
    assert sorted(pairs["ratio"].round(3)) == [1.0, 1.1]


def test_noise_report_without_rows(tmp_path: Path):
    rep = load("noise_report")
    out = tmp_path / "noise.md"
    rep.main(["--csv", str(tmp_path / "none*.csv"), "-o", str(out)])
    assert "No measurement rows yet" in out.read_text()
