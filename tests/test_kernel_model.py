"""The per-kernel time model: learns kernel times from profiles, sums a graph's kernels, feeds the
regressor on profiled hosts only, and loads without trusting its files."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from advisor.api import predict
from advisor.errors import AdvisorError, InputError
from advisor.features import feature_names, kernel_time_column
from advisor.graph import analyze
from advisor.kernel_model import MIN_PROFILES, KernelTimeModel, ProfiledRow, profiled_row
from advisor.kernel_time_fit import (KernelData, cross_fitted_kernel_time, kernel_time_seconds,
                                     our_kernel_features)
from advisor.kernel_times import feature_frame
from advisor.measure.store import read_node_export
from advisor.precision import get_precision
from advisor.predictor import EfficiencyRegressor
from advisor.profile import profile_graph
from advisor.training import TrainingSet
from tests.test_measure import conv_model
from tests.test_predictor import FakeHW, gemm_model

LAUNCH_US = 7.0


def true_us(desc: pd.DataFrame) -> np.ndarray:
    """The synthetic host: conv at 10 GFLOP/s, matmul at 20, plus 2 us each."""
    rate = np.where(desc["category"] == "conv", 1e4, 2e4)      # FLOPs per us
    return 2.0 + desc["flops"].to_numpy(float) / rate


def descriptions(rng, n: int, threads: int = 1) -> pd.DataFrame:
    flops = 10 ** rng.uniform(5, 9, n)
    return pd.DataFrame({"category": rng.choice(["conv", "matmul"], n), "flops": flops,
                         "activation_bytes": flops / 40, "weight_bytes": flops / 80, "output_bytes": 0.0,
                         "threads": threads, "precision": "fp32"})


def synthetic_profiles(n_rows: int = 60, seed: int = 0):
    """Profiled rows whose measured latency is their kernels plus LAUNCH_US per kernel (our kernel
    list is the profiled one here)."""
    rng = np.random.default_rng(seed)
    rows, measured, ours = [], [], []
    for _ in range(n_rows):
        desc = descriptions(rng, int(rng.integers(3, 9)))
        us = true_us(desc)
        features = feature_frame(desc).to_numpy(np.float32)
        rows.append(ProfiledRow(features, np.log(us), float(us.sum())))
        measured.append(us.sum() + LAUNCH_US * len(desc))
        ours.append(features)
    return rows, np.array(measured), ours


@pytest.fixture(scope="module")
def fitted() -> KernelTimeModel:
    rows, measured, ours = synthetic_profiles()
    return KernelTimeModel().fit(["fake"] * len(rows), rows, measured, ours, ["1|fp32"] * len(rows))


def test_kernel_times_are_learned_and_summed_with_the_time_between_kernels(fitted):
    assert fitted.hosts == ["fake"]
    assert fitted.launch_us("fake", "1|fp32") == pytest.approx(LAUNCH_US, abs=0.5)
    # an unmeasured thread count takes the nearest measured one of its precision
    assert fitted.launch_us("fake", "2|fp32") == fitted.launch_us("fake", "1|fp32")
    assert fitted.launch_us("elsewhere", "1|fp32") == 0.0
    rng = np.random.default_rng(7)
    new = [descriptions(rng, 6) for _ in range(20)]                    # kernels never seen
    features = np.vstack([feature_frame(d).to_numpy(np.float32) for d in new])
    owner = np.repeat(np.arange(20), 6)
    seconds = fitted.predict_seconds("fake", features, owner, 20, ["1|fp32"] * 20)
    truth = np.array([(true_us(d).sum() + LAUNCH_US * 6) * 1e-6 for d in new])
    assert np.median(np.abs(seconds / truth - 1)) < 0.15
    assert np.isnan(fitted.predict_seconds("elsewhere", features, owner, 20, ["1|fp32"] * 20)).all()


def test_a_host_with_too_few_profiles_gets_no_model():
    rows, measured, ours = synthetic_profiles(MIN_PROFILES - 1)
    model = KernelTimeModel().fit(["h"] * len(rows), rows, measured, ours, ["1|fp32"] * len(rows))
    assert model.hosts == []


def test_a_profiled_kernel_and_our_kernel_get_the_same_features():
    graph = conv_model(cin=8, cout=16, hw=16, batch=1)
    ours = our_kernel_features(profile_graph(analyze(graph)), get_precision("fp32"), 2)
    node = ["conv", "FusedConv", "CPUExecutionProvider", 12.5, "float:1x8x16x16;float:16x8x3x3;float:16",
            "float:1x16x16x16", 8 * 16 * 16 * 4, (16 * 8 * 9 + 16) * 4, 16 * 16 * 16 * 4]
    theirs = profiled_row([node], threads=2, precision="fp32")
    assert theirs.kernel_sum_us == 12.5 and theirs.log_us[0] == pytest.approx(np.log(12.5))
    assert ours.shape == theirs.features.shape == (1, ours.shape[1])
    assert np.allclose(ours, theirs.features, atol=0.02)     # ours adds the fused Relu's FLOPs
    int8 = profiled_row([node], threads=2, precision="int8")   # advisor's name for static QDQ
    assert our_kernel_features(profile_graph(analyze(graph)), get_precision("int8"), 2)[0, -1] == \
        int8.features[0, -1] == 1.0


def test_save_load_round_trip_and_tampering(fitted, tmp_path):
    meta = fitted.save(tmp_path)
    meta = json.loads(json.dumps(meta))                        # as stored in the metadata file
    loaded = KernelTimeModel.load(tmp_path, meta)
    features = np.vstack([r.features for r in synthetic_profiles(3, seed=5)[0]])
    owner = np.zeros(len(features), int)
    assert loaded.predict_seconds("fake", features, owner, 1, ["1|fp32"]) == \
        pytest.approx(fitted.predict_seconds("fake", features, owner, 1, ["1|fp32"]))
    assert loaded.launch_us_ == fitted.launch_us_
    booster = tmp_path / "kernel_time.0.xgb.json"
    booster.write_text(booster.read_text() + " ")
    with pytest.raises(AdvisorError, match="digest"):
        KernelTimeModel.load(tmp_path, meta)
    fitted.save(tmp_path)
    for broken in ({**meta, "features": ["x"]},
                   {**meta, "hosts": {"../../etc": meta["hosts"]["fake"]}},
                   {**meta, "hosts": {"fake": {**meta["hosts"]["fake"], "launch_us": {"1|fp32": -3}}}}):
        with pytest.raises(AdvisorError, match="kernel-time model"):
            KernelTimeModel.load(tmp_path, broken)


def test_node_export_reader_rejects_malformed_kernels(tmp_path):
    import gzip
    record = {"graph_hash": "g", "settings_key": "s", "host_hash": "h", "tag": "", "source": "x",
              "date_utc": "2026-11-29", "runs": 5, "nodes": [["only", "three", "fields"]]}
    path = tmp_path / "bad-kernels.jsonl.gz"
    with gzip.open(path, "wt") as fh:
        fh.write(json.dumps(record) + "\n")
    with pytest.raises(InputError, match="bad-kernels.jsonl.gz:1: not a node-profile record"):
        read_node_export(path)


def training_set(rows, measured, ours) -> TrainingSet:
    """Host rows with profiles (first len(rows)), then two public-device rows without kernels."""
    n = len(rows) + 2
    counts = np.array([len(f) for f in ours])
    ends = np.cumsum(counts)
    spans = np.zeros((n, 2), int)
    spans[:len(rows)] = np.stack([ends - counts, ends], axis=1)
    keys = [f"k{i}" for i in range(len(rows))] + ["", ""]
    meta = pd.DataFrame({"graph": [f"g{i // 2}" for i in range(n)], "threads": [1] * n, "precision": "fp32",
                         "latency_ms": np.concatenate([measured / 1e3, [1.0, 1.0]]),
                         "source": ["ours"] * len(rows) + ["help", "help"],
                         "family": [f"f{(i // 2) % 4}" for i in range(n)],
                         "profile_key": keys, "hw_id": ["host:1"] * len(rows) + ["t4", "t4"]})
    setting_keys = ["fake|onnxruntime|fp32|1"] * len(rows) + ["t4|tensorrt|fp32|-"] * 2
    return TrainingSet(meta, np.zeros((n, len(feature_names()))), np.full(n, 1e-5), {},
                       setting_keys=setting_keys, kernel_spans=spans,
                       kernel_data=KernelData(np.vstack(ours), dict(zip(keys, rows))))


def test_cross_fitted_feature_covers_host_rows_only_and_predicts_held_out_graphs():
    rows, measured, ours = synthetic_profiles(120, seed=3)
    data = training_set(rows, measured, ours)
    oof = cross_fitted_kernel_time(data)
    host = np.arange(len(data)) < len(rows)
    assert np.isfinite(oof[host]).all() and np.isnan(oof[~host]).all()
    assert np.median(np.abs(oof[host] / (measured * 1e-6) - 1)) < 0.2
    # a model fitted on every row predicts a subset as the full set predicts it
    from advisor.kernel_time_fit import fit_kernel_time
    model = fit_kernel_time(data)
    subset = data.subset(np.arange(len(data)) % 3 == 0)
    assert kernel_time_seconds(model, subset) == \
        pytest.approx(kernel_time_seconds(model, data)[np.arange(len(data)) % 3 == 0], nan_ok=True)
    X = subset.features_for(None, model)
    column = X[:, kernel_time_column()]
    assert np.isfinite(column[subset.kernel_spans[:, 1] > 0]).all()
    assert np.isnan(column[subset.kernel_spans[:, 1] == 0]).all()


def test_predict_on_a_profiled_host_feeds_the_kernel_model_to_the_regressor(fitted, tmp_path):
    """A regressor that learned 'latency = the kernel model's time' reproduces that time on the
    profiled host, and ignores the model on any other device."""
    rng = np.random.default_rng(0)
    X = np.zeros((1500, len(feature_names())))      # nothing to learn from but the kernel model
    X[:, kernel_time_column()] = rng.uniform(-2, 9, 1500)
    # the plain trees alone: the structure never sees the kernel model's feature (a speed feature)
    regressor = EfficiencyRegressor(n_estimators=300, max_depth=3, structural_weight=0.0).fit(
        X, -X[:, kernel_time_column()], groups=np.arange(1500) // 3)
    regressor.kernel_time_ = fitted
    regressor.save(tmp_path)
    graph = gemm_model(256, 256, 256)
    host = FakeHW(kind="cpu")
    p = predict(graph, host, threads=1, models=str(tmp_path))
    features = our_kernel_features(profile_graph(analyze(graph)), get_precision("fp32"), 1)
    expected = fitted.predict_seconds("fake", features, np.zeros(len(features), int), 1, ["1|fp32"])[0]
    assert p.latency_ms == pytest.approx(expected * 1e3, rel=0.15)
    regressor.kernel_time_ = None
    regressor.save(tmp_path / "plain")
    other = FakeHW(id="other", kind="cpu")
    with_model = predict(graph, other, threads=1, models=str(tmp_path))
    without = predict(graph, other, threads=1, models=str(tmp_path / "plain"))
    assert with_model.latency_ms == without.latency_ms
    assert predict(graph, host, threads=1, models=str(tmp_path / "plain")).latency_ms != \
        pytest.approx(p.latency_ms, rel=0.05)


def test_family_held_out_split_scores_the_kernel_model_fitted_without_the_family():
    from advisor.evaluation import split_b
    rows, measured, ours = synthetic_profiles(160, seed=4)
    data = training_set(rows, measured, ours)
    b = split_b(data, {"n_estimators": 20, "n_folds": 2}, folds=2)
    # every held-out host row is predicted by a kernel model fitted on the other families' kernels
    assert b["kernel_model"].n == len(rows)
    assert b["kernel_model"].median_ape < 0.2


def test_training_hides_the_per_kernel_feature_only_where_the_kernel_sum_is_hidden_too():
    """A device no measurement has seen has neither the kernel-sum nor the per-kernel feature, so
    some rows of our profiled host must lack both to teach the trees that regime."""
    from advisor.features import kernel_sum_column
    from advisor.training import (DEVICE_FEATURE_DROPOUT, KERNEL_TIME_DROPOUT_SHARE,
                                  hide_device_fitted_features)
    rng = np.random.default_rng(1)
    X = rng.normal(size=(8000, len(feature_names())))
    X[6000:, kernel_time_column()] = np.nan          # public rows: no per-kernel model
    X[7000:, kernel_sum_column()] = np.nan           # and some without a kernel sum either
    before = X.copy()
    dropped, had = hide_device_fitted_features(X)
    assert had.tolist() == [True] * 7000 + [False] * 1000
    assert abs(dropped.mean() - DEVICE_FEATURE_DROPOUT) < 0.03
    assert np.isnan(X[dropped, kernel_sum_column()]).all()
    kept = ~dropped & had
    assert (X[kept, kernel_sum_column()] == before[kept, kernel_sum_column()]).all()
    ours = np.arange(8000) < 6000
    time_hidden = ours & np.isnan(X[:, kernel_time_column()])
    assert not (time_hidden & ~dropped).any()        # never the per-kernel feature alone
    share = time_hidden.sum() / (dropped & ours).sum()
    assert abs(share - KERNEL_TIME_DROPOUT_SHARE) < 0.05
    other = np.ones(X.shape[1], bool)
    other[[kernel_time_column(), kernel_sum_column()]] = False
    assert (X[:, other] == before[:, other]).all()
