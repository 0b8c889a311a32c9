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


def test_campaign_wide_tier_measures_only_its_new_graphs(fake_zoo):
    camp = load("measure_campaign")
    wide = [("mm_a:k=32", "mlp"), ("mm_a:k=96", "mlp")]
    jobs = camp.plan(models=[("mm_b", "mlp")], wide=wide)
    wide_tier = next(t for t in camp.TIERS if t.models == "wide")
    in_wide = [j for j in jobs if j.source.startswith("mm_a")]
    assert {j.source for j in in_wide} == {"mm_a:k=32", "mm_a:k=96"}
    assert {j.batch for j in in_wide} == set(wide_tier.batches)
    assert len(in_wide) == 2 * len(wide_tier.batches) * len(wide_tier.threads) * len(wide_tier.precisions)
    # the zoo's own models are not repeated in the wide tier (mm_b never at batch 1 twice)
    keys = [(j.source, j.batch, j.threads, j.precision) for j in jobs]
    assert len(keys) == len(set(keys))


def test_help_architectures_are_spread_and_connected(tmp_path: Path):
    camp = load("measure_campaign")
    ops = ["nor_conv_3x3", "nor_conv_1x1", "avg_pool_3x3", "skip_connect"]
    cells = [f"|{a}~0|+|{b}~0|{a}~1|+|{b}~0|{a}~1|{b}~2|" for a in ops for b in ops]
    dead = "|none~0|+|none~0|none~1|+|none~0|none~1|none~2|"   # output never sees the input
    (tmp_path / "help").mkdir()
    (tmp_path / "help" / "nasbench201_latency.csv").write_text(
        "arch_index,arch_str,pixel3_1\n" + f"0,{dead},1.0\n"
        + "".join(f"{i + 1},{c},1.0\n" for i, c in enumerate(cells)))
    got = camp.help_architectures("nasbench201", 4, tmp_path)
    assert len(got) == 4 and len(set(got)) == 4
    assert all(r.startswith("nasbench201:arch_str=|") for r in got)
    assert not any("none" in r for r in got)
    assert got[0].endswith(cells[0]) and got[1].endswith(cells[4])      # every 4th of 16
    assert camp.help_architectures("fbnet", 4, tmp_path) == []          # file absent: none


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
