"""The family-outlier rule: a HELP device's one family timed unlike its others leaves training."""

from __future__ import annotations

import numpy as np
import pandas as pd

from advisor.family_outliers import (MAX_FAMILY_SPREAD, REASON, family_departures,
                                     family_outlier_rows, outlying_families)
from advisor.training import assemble

DEVICES = ["cpu-a", "cpu-b", "cpu-c", "cpu-d"]


def efficiency_rows(source: str, odd_factor: float, odd_device: str = "cpu-d",
                    odd_family: str = "fbnet") -> tuple[pd.DataFrame, np.ndarray]:
    """Three rows per (device, family): each device near its peers' efficiency (log offsets
    0.0, 0.1, -0.1, 0.05) on both families, and ``odd_device`` runs ``odd_family`` at
    ``odd_factor`` its usual efficiency."""
    speed = dict(zip(DEVICES, (0.0, 0.1, -0.1, 0.05)))
    records, eff = [], []
    for hw in DEVICES:
        for family, family_eff in (("nasbench201", -1.0), ("fbnet", -2.0)):
            for jitter in (-0.05, 0.0, 0.05):
                records.append({"source": source, "hw_id": hw, "kind": "cpu", "family": family})
                odd = np.log(odd_factor) if (hw, family) == (odd_device, odd_family) else 0.0
                eff.append(speed[hw] + family_eff + odd + jitter)
    return pd.DataFrame(records), np.array(eff)


def test_a_family_timed_four_times_slower_than_the_device_runs_its_others_is_left_out():
    meta, eff = efficiency_rows("help", 1 / 4)
    mask = family_outlier_rows(meta, eff)
    assert set(map(tuple, meta[mask][["hw_id", "family"]].values)) == {("cpu-d", "fbnet")}
    assert mask.sum() == 3


def test_the_peers_not_the_spread_say_which_family_is_wrong():
    # the same spread either way: the family whose efficiency departs from its peers' goes
    meta, eff = efficiency_rows("help", 4.0, odd_family="nasbench201")
    assert outlying_families(family_departures(meta, eff)) == [("help", "cpu-d", "nasbench201")]


def test_with_three_families_the_one_off_the_devices_median_goes():
    # a device 2.5x its peers' efficiency on two families and 1/2 on the third: the third goes,
    # though the other two are further from the peers
    departures = pd.DataFrame({"source": "help", "hw_id": "cpu-d",
                               "family": ["nasbench201", "fbnet", "ofa"],
                               "departure": np.log([2.5, 2.5, 0.5])})
    assert outlying_families(departures) == [("help", "cpu-d", "ofa")]


def test_a_device_faster_than_its_peers_on_every_family_is_kept():
    meta, eff = efficiency_rows("help", 1.0)
    eff = eff + np.where(meta["hw_id"] == "cpu-c", np.log(10.0), 0.0)   # 10x its peers throughout
    assert not family_outlier_rows(meta, eff).any()


def test_a_spread_within_the_limit_is_kept():
    meta, eff = efficiency_rows("help", 1 / (0.8 * MAX_FAMILY_SPREAD))
    assert not family_outlier_rows(meta, eff).any()


def test_sources_timed_at_settings_that_differ_by_family_are_not_judged():
    meta, eff = efficiency_rows("ncnn", 1 / 10)
    assert not family_outlier_rows(meta, eff).any()


def test_a_family_with_too_few_peers_is_not_judged():
    meta, eff = efficiency_rows("help", 1 / 10)
    keep = meta["hw_id"].isin(["cpu-a", "cpu-d"]).to_numpy()   # one peer per family
    assert not family_outlier_rows(meta[keep], eff[keep]).any()


def test_training_leaves_the_outlying_family_out_and_says_why(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path / "cache"))
    devices = ["xeon-gold-6240", "xeon-gold-6226", "xeon-silver-4114", "xeon-silver-4210r"]
    graphs = {"nasbench201": "random_mlp:seed=1", "fbnet": "random_mlp:seed=2"}
    table = pd.DataFrame([{"source": "help", "graph": graph, "family": family, "hw_id": hw,
                           "kind": "cpu", "precision": "fp32", "batch": 1, "threads": None,
                           "runtime": "onnxruntime", "latency_ms": 1.0}
                          for hw in devices for family, graph in graphs.items()])
    table.to_csv(tmp_path / "help.csv", index=False)
    first = assemble(tmp_path / "help.csv", [], n_jobs=1)
    # every row at 20% of its roofline, but the Gold 6226's FBNet at 5%
    roofline_ms = dict(zip(zip(first.meta["hw_id"], first.meta["family"]), first.roofline_s * 1e3))
    table["latency_ms"] = [roofline_ms[(hw, fam)] / (0.05 if (hw, fam) == ("xeon-gold-6226", "fbnet")
                                                     else 0.2)
                           for hw, fam in zip(table["hw_id"], table["family"])]
    table.to_csv(tmp_path / "help.csv", index=False)
    data = assemble(tmp_path / "help.csv", [], n_jobs=1)
    assert REASON not in first.rejected and len(first) == 8
    assert data.rejected[REASON] == 1 and len(data) == 7
    assert ("xeon-gold-6226", "fbnet") not in set(zip(data.meta["hw_id"], data.meta["family"]))
