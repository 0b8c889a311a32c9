"""The evaluation splits on a small synthetic training set: right rows held out, sane scores."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from advisor.evaluation import (device_breakdown, device_folds, score, split_a, split_a_sets, split_b,
                                split_cd)
from advisor.features import feature_names
from advisor.training import TrainingSet, fold_units, source_weights

PARAMS = {"n_estimators": 30, "max_depth": 3, "n_folds": 2}


def synthetic_set(n=900, seed=0) -> TrainingSet:
    rng = np.random.default_rng(seed)
    devices = np.array([f"dev{i}" for i in range(8)])
    families = np.array(["cnn", "mlp", "vit", "rnn"])
    meta = pd.DataFrame({
        "source": np.where(rng.random(n) < 0.3, "ours", "public"),
        "graph": [f"g{i}" for i in rng.integers(0, 150, n)],
        "family": families[rng.integers(0, 4, n)],
        "hw_id": devices[rng.integers(0, 8, n)],
        "kind": "cpu", "precision": "fp32", "batch": 1, "threads": 1, "runtime": "onnxruntime",
    })
    X = rng.normal(size=(n, len(feature_names())))
    log_eff = -1.0 + 0.4 * X[:, 0]
    roofline = np.exp(rng.normal(size=n)) * 1e-3
    meta["latency_ms"] = roofline / np.exp(log_eff) * 1e3
    return TrainingSet(meta, X, roofline, {})


def test_score_metrics():
    s = score(np.array([1.0, 2.0, 4.0]), np.array([1.05, 2.0, 2.0]), np.array([0.5, 1, 1]), np.array([2, 3, 3]))
    assert s.mape == pytest.approx((0.05 + 0 + 0.5) / 3)
    assert s.within_10 == pytest.approx(2 / 3)
    assert s.coverage == pytest.approx(2 / 3)


def test_source_weights_balance_sources():
    meta = pd.DataFrame({"source": ["a"] * 90 + ["b"] * 10, "hw_id": ["x"] * 90 + ["y"] * 10})
    w = source_weights(meta)
    assert w.mean() == pytest.approx(1.0)
    assert w[-1] / w[0] == pytest.approx(3.0)  # sqrt(90 / 10)


def test_source_weights_balance_devices_inside_a_source():
    # source "a": device x has 80 rows, device y 20; source "b": 100 rows of z
    meta = pd.DataFrame({"source": ["a"] * 100 + ["b"] * 100,
                         "hw_id": ["x"] * 80 + ["y"] * 20 + ["z"] * 100})
    plain = source_weights(meta, balance_devices=False)
    assert plain[0] == pytest.approx(plain[99])            # by source only: x and y rows alike
    w = source_weights(meta)
    assert w.mean() == pytest.approx(1.0)
    assert w[99] / w[0] == pytest.approx(2.0)              # sqrt(80 / 20): a y row counts more
    assert w[:100].sum() == pytest.approx(w[100:].sum())   # each source keeps its total weight
    assert w[:80].sum() / w[80:100].sum() == pytest.approx(2.0)  # x gets sqrt(80)/sqrt(20) of y


def test_interval_folds_hold_out_our_families_and_public_graphs():
    meta = pd.DataFrame({"source": ["ours", "ours", "help", "help"],
                         "family": ["resnet", "resnet", "nasbench201", "nasbench201"],
                         "graph": ["resnet18", "resnet50", "nb:1", "nb:2"]})
    units = fold_units(meta)
    assert units[0] == units[1]                 # siblings of our zoo leave training together
    assert units[2] != units[3]                 # a public NAS space is split by graph
    assert units[0] != fold_units(meta.assign(family="vgg"))[0]


def test_splits_run_and_learn_the_signal():
    data = synthetic_set()
    a = split_a(data, PARAMS)
    assert a["model"].n == pytest.approx(0.2 * len(data), rel=0.35)
    assert a["model"].mape < a["roofline"].mape  # the roofline alone is off by e^1
    b = split_b(data, PARAMS)
    assert set(b["by_family"]) == {"cnn", "mlp", "vit", "rnn"}
    assert b["model"].n == int((data.meta["source"] == "ours").sum())
    rows = b["rows"]       # the scored rows themselves: their errors are the scores'
    assert len(rows) == b["model"].n and set(rows["family"]) == set(b["by_family"])
    ape = (rows["predicted_s"] / rows["measured_s"] - 1).abs()
    assert ape.mean() == pytest.approx(b["model"].mape)
    mlp = rows["family"] == "mlp"
    assert ape[mlp].mean() == pytest.approx(b["by_family"]["mlp"].mape)
    grouped = split_b(data, PARAMS, folds=2)       # two families out at a time: same rows scored
    assert set(grouped["by_family"]) == set(b["by_family"]) and grouped["model"].n == b["model"].n
    cd = split_cd(data, PARAMS, folds=4)
    assert cd["c"]["model"].n == int((data.meta["source"] != "ours").sum())
    assert cd["d"]["model"].n < cd["c"]["model"].n  # calibration rows are not scored
    assert set(cd["per_device_c"]) <= set(data.meta["hw_id"])
    # the breakdown's points add up to (c)'s MAPE, device by device
    assert cd["c_breakdown"].keys() == cd["per_device_c"].keys()
    assert sum(d.points for d in cd["c_breakdown"].values()) == pytest.approx(cd["c"]["model"].mape)
    assert all(d.mape == pytest.approx(cd["per_device_c"][hw].mape) for hw, d in cd["c_breakdown"].items())
    by_source = cd["c"]["by_source"]
    assert set(by_source) == set(data.meta["source"]) - {"ours"}
    assert sum(s.n for s in by_source.values()) == cd["c"]["model"].n
    # two partitions of the devices: every public row is predicted once in each
    twice = split_cd(data, PARAMS, folds=4, partitions=2)
    assert twice["c"]["model"].n == 2 * cd["c"]["model"].n
    assert device_folds(data.meta["hw_id"].to_numpy(), 4, 1) != device_folds(data.meta["hw_id"].to_numpy(), 4, 0)
    assert twice["per_device_c"].keys() == cd["per_device_c"].keys()
    assert all(twice["per_device_c"][hw].n == 2 * cd["per_device_c"][hw].n for hw in cd["per_device_c"])


def test_split_a_keeps_its_held_out_graphs_when_graphs_are_added():
    """A graph's side of split (a) depends on its id alone: graphs added to the data (here, a
    set drawn over ids g150-g299) leave every earlier graph on the side it was on."""
    small = synthetic_set()
    more = synthetic_set(seed=1)
    more.meta["graph"] = "g" + (more.meta["graph"].str[1:].astype(int) + 150).astype(str)
    both = TrainingSet(pd.concat([small.meta, more.meta], ignore_index=True),
                       np.vstack([small.X, more.X]), np.concatenate([small.roofline_s, more.roofline_s]), {})
    held = lambda data: set(split_a_sets(data)[1].meta["graph"])  # noqa: E731
    train, test = split_a_sets(small)
    assert len(train) + len(test) == len(small)
    assert not set(train.meta["graph"]) & set(test.meta["graph"])     # by graph, never by row
    assert 0.1 < len(held(small)) / small.meta["graph"].nunique() < 0.3
    old_graphs = set(small.meta["graph"])
    assert held(both) & old_graphs == held(small)
    assert held(both) - old_graphs                                       # new graphs drawn too
    assert held(small) != set(split_a_sets(small, seed=1)[1].meta["graph"])


def test_fixed_device_folds_score_a_smaller_row_set_with_the_same_devices_held_out():
    data = synthetic_set()
    folds = device_folds(data.meta["hw_id"].to_numpy(), 4)
    assert set(folds) == set(data.meta["hw_id"]) and set(folds.values()) <= {0, 1, 2, 3}
    assert len(set(folds.values())) > 1
    # a device's fold depends on its id alone: the same with half the devices gone
    half = sorted(folds)[::2]
    assert device_folds(np.array(half), 4) == {hw: folds[hw] for hw in half}
    # every row of one device dropped: the others keep their folds, and one fold may be empty
    lone = [hw for hw, k in folds.items() if list(folds.values()).count(k) == 1]
    gone = lone[0] if lone else sorted(folds)[0]
    fewer = data.subset((data.meta["hw_id"] != gone).to_numpy())
    cd = split_cd(fewer, PARAMS, fold_of=folds)
    assert cd["c"]["model"].n == int((fewer.meta["source"] != "ours").sum())
    assert gone not in cd["per_device_c"] and set(cd["per_device_c"]) == set(folds) - {gone}


def test_split_a_scores_only_devices_the_training_side_measured():
    """A device measured only on graphs the hash holds out has no training row: it is not a
    seen device, so (a) scores it apart, as a spec-only prediction, not among seen devices."""
    data = synthetic_set()
    _, test = split_a_sets(data)
    held = data.meta["graph"].isin(set(test.meta["graph"])).to_numpy()
    lonely = held & (np.arange(len(data)) % 3 == 0)           # a third of the held-out rows ...
    data.meta.loc[lonely, "hw_id"] = "lonely"                  # ... on a device nothing else measured
    a = split_a(data, PARAMS)
    assert a["model"].n == held.sum() - lonely.sum()
    assert a["unmeasured"].n == lonely.sum() and a["unmeasured"].coverage is None
    assert sum(s.n for s in a["by_source"].values()) == a["model"].n
    assert a["roofline"].n == a["model"].n                     # baselines on the same rows
    assert a["unmeasured_runtimes"] == ["onnxruntime"]
    # the same device measured with a second runtime on a training graph is still unmeasured for
    # its first runtime: the pair is what `advisor predict` looks up
    one = np.flatnonzero(~held)[0]
    data.meta.loc[one, ["hw_id", "runtime"]] = ["lonely", "tflite"]
    again = split_a(data, PARAMS)
    assert again["unmeasured"].n == lonely.sum()
    assert split_a(synthetic_set(), PARAMS)["unmeasured"] is None


def test_device_breakdown_separates_a_device_wide_factor_from_spread():
    """A device predicted 2x too slow on every row is all factor: nothing is left once its
    median is divided out. One whose rows scatter both ways keeps its error."""
    measured = np.array([1.0, 2.0, 4.0, 8.0])
    pooled = {"biased": (measured, 2 * measured),
              "scattered": (measured, measured * np.array([0.5, 2.0, 0.5, 2.0]))}
    out = device_breakdown(pooled, total_rows=10)
    biased, scattered = out["biased"], out["scattered"]
    assert biased.median_ratio == pytest.approx(2.0) and biased.log_sd == pytest.approx(0.0)
    assert biased.mape == pytest.approx(1.0) and biased.mape_without_bias == pytest.approx(0.0)
    assert biased.points == pytest.approx(4 * 1.0 / 10)     # its summed APE over all 10 rows
    assert scattered.median_ratio == pytest.approx(1.0)
    assert scattered.mape_without_bias == pytest.approx(scattered.mape) == pytest.approx(0.75)


def test_breakdown_section_states_points_by_source_and_the_error_left_without_device_factors():
    from advisor.report_eval import _breakdown_section
    measured = np.array([1.0, 2.0, 3.0, 4.0])
    pooled = {"phone": (measured, 2 * measured),                                  # APE 1.0, all factor
              "gpu": (measured, measured * np.array([0.8, 1.2, 0.8, 1.2]))}      # APE 0.2, all spread
    devices = device_breakdown(pooled, total_rows=8)
    c = {"model": score(np.r_[measured, measured], np.r_[2 * measured, pooled["gpu"][1]]),
         "by_source": {"help": score(measured, 2 * measured), "ncnn": score(measured, pooled["gpu"][1])}}
    text = "\n".join(_breakdown_section(c, devices))
    assert "60.0% MAPE" in text                            # (4 x 1.0 + 4 x 0.2) / 8
    assert "help 50.0, ncnn 10.0" in text                  # points by source, largest first
    gpu_left = devices["gpu"].mape_without_bias            # the phone's factor divides out entirely
    assert f"(c) would be {100 * gpu_left * 4 / 8:.1f}%" in text
    rows = [line for line in text.splitlines() if line.startswith("| phone") or line.startswith("| gpu")]
    assert rows[0].startswith("| phone") and "| 2.00 |" in rows[0]   # most points first
