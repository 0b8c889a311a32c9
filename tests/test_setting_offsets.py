"""Per-setting offsets: shrunk mean out-of-fold residuals of devices the training data measured."""

import numpy as np
import pytest

from advisor.errors import AdvisorError
from advisor.features import feature_names
from advisor.kernel_sum import BASIS_GROUPS, runtime_precision_groups
from advisor.predictor import EfficiencyRegressor
from advisor.setting_offsets import fit_setting_offsets, offsets_for, prior_rows


def test_many_rows_move_an_offset_fully_and_one_row_barely():
    rng = np.random.default_rng(0)
    keys = np.array(["big"] * 200 + ["small"] + [f"other{i}" for i in range(40) for _ in range(5)])
    residuals = np.concatenate([0.5 + 0.05 * rng.normal(size=200), [0.5],
                                np.repeat(rng.normal(scale=0.3, size=40), 5) + 0.05 * rng.normal(size=200)])
    offsets, _ = fit_setting_offsets(residuals, keys)
    assert offsets["big"] == pytest.approx(0.5, abs=0.02)
    assert 0.0 < offsets["small"] < 0.4


def test_prior_rows_grow_when_settings_do_not_differ():
    rng = np.random.default_rng(1)
    keys = np.repeat(np.arange(30), 10).astype(str)
    alike = rng.normal(scale=0.3, size=300)                                   # no setting effect
    distinct = np.repeat(rng.normal(scale=0.5, size=30), 10) + 0.1 * rng.normal(size=300)
    assert prior_rows(alike, keys) > 10 * prior_rows(distinct, keys)


def test_leave_one_out_residuals_exclude_each_row_and_unusable_rows_stay_raw():
    residuals = np.array([1.0, 1.0, 1.0, 0.0, 0.0, 0.0, 0.7])
    keys = np.array(["a", "a", "a", "b", "b", "b", "a"])
    usable = np.array([True] * 6 + [False])
    offsets, adjusted = fit_setting_offsets(residuals, keys, usable)
    assert adjusted[6] == 0.7                              # not usable: raw residual
    assert "a" in offsets and offsets["a"] > offsets["b"]
    # row 0's offset is fitted from rows 1 and 2 only, so it is the same as rows 1 and 2 get
    assert adjusted[0] == pytest.approx(adjusted[1]) and adjusted[0] < 1.0
    assert offsets_for(offsets, ["a", "zzz"])[1] == 0.0


def test_the_regressor_corrects_a_device_its_features_cannot_tell_apart(tmp_path):
    """Two devices with identical features, one measured 40% slower: its offset learns that."""
    rng = np.random.default_rng(2)
    n = 800
    X = rng.normal(size=(n, len(feature_names())))
    device = rng.integers(0, 2, n)
    y = -1.0 + 0.4 * X[:, 0] - 0.5 * device + 0.03 * rng.normal(size=n)
    keys = np.where(device == 1, "slow|ort|fp32|1", "fast|ort|fp32|1")
    fitted = EfficiencyRegressor(n_estimators=100, max_depth=3).fit(
        X[:600], y[:600], groups=np.arange(600) // 4, setting_keys=keys[:600])
    X, y, keys, device = X[600:], y[600:], keys[600:], device[600:]     # new graphs
    _, plain, _ = fitted.predict_interval(X)
    low, mid, high = fitted.predict_interval(X, setting_keys=keys)
    err_plain = np.abs(plain - y)[device == 1].mean()
    err_offset = np.abs(mid - y)[device == 1].mean()
    assert err_offset < err_plain / 3
    assert 0.8 < np.mean((y >= low) & (y <= high)) < 1.0
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.setting_offsets_ == pytest.approx(fitted.setting_offsets_)
    np.testing.assert_allclose(loaded.predict_interval(X[:5], setting_keys=keys[:5])[1], mid[:5])


def test_a_model_file_with_impossible_offsets_is_refused(tmp_path):
    import json
    rng = np.random.default_rng(3)
    X = rng.normal(size=(200, len(feature_names())))
    y = 0.3 * X[:, 0]
    EfficiencyRegressor(n_estimators=10, max_depth=2).fit(
        X, y, setting_keys=np.array(["a"] * 200)).save(tmp_path)
    meta_path = tmp_path / "efficiency.meta.json"
    meta = json.loads(meta_path.read_text())
    meta["setting_offsets"] = {"a": 50.0}
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(AdvisorError, match="setting_offsets"):
        EfficiencyRegressor.load(tmp_path)
    # a kernel mix with a share above 1, or the wrong number of groups
    for mix in ([1.5] + [0.0] * 7, [0.5, 0.5]):
        meta["setting_offsets"] = {"a": 0.1}
        meta["setting_offset_mix"] = {"a": mix}
        meta_path.write_text(json.dumps(meta))
        with pytest.raises(AdvisorError, match="setting_offset_mix"):
            EfficiencyRegressor.load(tmp_path)


def test_a_setting_measured_on_two_graphs_moves_less_than_one_measured_on_many():
    """Evidence counts per graph: 300 rows of 2 graphs are not 300 independent residuals."""
    rng = np.random.default_rng(3)
    few = np.repeat([0.8, 0.6], 150) + 0.02 * rng.normal(size=300)
    many = 0.7 + 0.3 * rng.normal(size=300)
    others = np.repeat(rng.normal(scale=0.5, size=60), 5) + 0.1 * rng.normal(size=300)
    residuals = np.concatenate([few, many, others])
    keys = np.array(["few"] * 300 + ["many"] * 300 + [f"o{i}" for i in range(60) for _ in range(5)])
    graphs = np.concatenate([np.repeat(["g0", "g1"], 150), [f"m{i}" for i in range(300)],
                             [f"o{i}-{j}" for i in range(60) for j in range(5)]])
    by_row, _ = fit_setting_offsets(residuals, keys)
    by_graph, adjusted = fit_setting_offsets(residuals, keys, graphs=graphs)
    assert by_row["few"] == pytest.approx(0.7, abs=0.03)        # rows: full trust
    # two graphs are shrunk visibly; three hundred graphs hardly at all
    assert by_graph["few"] / by_row["few"] < 0.9
    assert by_graph["many"] / by_row["many"] > 0.98
    # a row's held-out offset leaves its whole graph out: g0's rows get g1's evidence only
    held_out_g0 = residuals[:150] - adjusted[:150]
    held_out_g1 = residuals[150:300] - adjusted[150:300]
    assert np.ptp(held_out_g0) < 1e-12 and np.ptp(held_out_g1) < 1e-12   # one value per graph
    assert held_out_g1[0] > held_out_g0[0] > 0   # g1's comes from g0 (0.8), g0's from g1 (0.6)


def test_an_offset_measured_at_small_batches_is_not_carried_to_large_ones(tmp_path):
    """A device measured at batch 1-8 only: its offset corrects batch 4, not batch 32, where the
    prediction gets the wider interval calibrated on unmeasured devices instead."""
    names = feature_names()
    rng = np.random.default_rng(6)
    n = 900
    X = rng.normal(size=(n, len(names)))
    batch = rng.choice([1, 2, 4, 8, 16, 32, 64], n)
    device = rng.integers(0, 9, n)
    small_only = device == 0
    batch[small_only] = rng.choice([1, 8], small_only.sum())
    X[:, names.index("log_batch")] = np.log(batch)
    y = 0.4 * X[:, 0] + np.where(small_only, 0.6, 0.0) + 0.03 * rng.normal(size=n)
    keys = np.array([f"d{d}|ort|fp32|-" for d in device])
    # the plain trees alone, one set for every row: rows outside the offset's batches are
    # predicted as unseen devices are, which would otherwise blend in the structure (and use the
    # shallower trees of spec-only rows)
    fitted = EfficiencyRegressor(n_estimators=60, max_depth=3, structural_weight=0.0,
                                 seen_max_depth=None).fit(
        X, y, groups=np.arange(n) // 3, setting_keys=keys, devices=device)
    assert fitted.setting_offset_batches_["d0|ort|fp32|-"] == (1.0, 8.0)
    assert fitted.setting_offsets_["d0|ort|fp32|-"] > 0.3
    query = np.repeat(X[:1], 3, axis=0)
    query[:, names.index("log_batch")] = np.log([4, 32, 0.5])
    key = ["d0|ort|fp32|-"] * 3
    assert fitted.offset_applies(query, key).tolist() == [True, False, False]
    low, mid, high = fitted.predict_interval(query, setting_keys=key)
    plain_low, plain, plain_high = fitted.predict_interval(query)
    assert mid[0] - plain[0] == pytest.approx(fitted.setting_offsets_["d0|ort|fp32|-"], abs=0.02)
    group = runtime_precision_groups(key)[0]
    unseen, seen = fitted.intervals_["unseen"][group], fitted.intervals_["seen"]["*"]
    assert mid[1] == pytest.approx(plain[1] - seen[1] + unseen[1], abs=1e-9)   # no offset
    assert high[1] - low[1] == pytest.approx(unseen[2] - unseen[0])             # the unseen band
    assert unseen[2] - unseen[0] > seen[2] - seen[0]
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.setting_offset_batches_ == fitted.setting_offset_batches_
    np.testing.assert_allclose(loaded.predict_interval(query, setting_keys=key)[1], mid)


def test_an_offset_measured_on_one_kernel_mix_is_not_carried_to_another(tmp_path):
    """A device measured on convolution-heavy graphs only: its offset corrects a row with that
    mix, not a row that spends its time in matrix products, which gets no offset and the wider
    interval of unmeasured devices; the mix survives a save and load."""
    names = feature_names()
    groups = len(BASIS_GROUPS)
    rng = np.random.default_rng(7)
    n = 900
    X = rng.normal(size=(n, len(names)))
    X[:, names.index("log_batch")] = 0.0
    device = rng.integers(0, 9, n)
    shares = np.zeros((n, groups))
    conv, matmul = list(BASIS_GROUPS).index("conv"), list(BASIS_GROUPS).index("matmul")
    share_conv = rng.uniform(0.6, 0.95, n)
    shares[:, conv], shares[:, matmul] = share_conv, 1 - share_conv
    y = 0.4 * X[:, 0] + np.where(device == 0, 0.6, 0.0) + 0.03 * rng.normal(size=n)
    keys = np.array([f"d{d}|ort|fp32|-" for d in device])
    fitted = EfficiencyRegressor(n_estimators=60, max_depth=3, structural_weight=0.0,
                                 seen_max_depth=None).fit(
        X, y, groups=np.arange(n) // 3, setting_keys=keys, devices=device, offset_shares=shares)
    key = "d0|ort|fp32|-"
    assert fitted.setting_offsets_[key] > 0.3
    assert fitted.setting_offset_mix_[key][matmul] == pytest.approx(
        (1 - share_conv[device == 0]).max(), abs=1e-6)
    query = np.repeat(X[:1], 3, axis=0)
    mixes = np.zeros((3, groups))
    mixes[0, conv], mixes[0, matmul] = 0.8, 0.2          # the measured mix
    mixes[1, conv], mixes[1, matmul] = 0.1, 0.9          # a decoder's
    mixes[2, conv], mixes[2, matmul] = 0.45, 0.55        # 0.55 against at most 0.4: past the margin
    keys3 = [key] * 3
    assert fitted.offset_applies(query, keys3, mixes).tolist() == [True, False, False]
    assert fitted.offset_applies(query, keys3).tolist() == [True, True, True]   # no mix given
    mid = fitted.predict_interval(query, setting_keys=keys3, offset_shares=mixes)[1]
    plain = fitted.predict_interval(query)[1]
    assert mid[0] - plain[0] == pytest.approx(fitted.setting_offsets_[key], abs=0.02)
    group = runtime_precision_groups([key])[0]
    unseen, seen = fitted.intervals_["unseen"][group], fitted.intervals_["seen"]["*"]
    assert mid[1] == pytest.approx(plain[1] - seen[1] + unseen[1], abs=1e-9)   # no offset
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.setting_offset_mix_ == fitted.setting_offset_mix_
    assert loaded.offset_applies(query, keys3, mixes).tolist() == [True, False, False]
