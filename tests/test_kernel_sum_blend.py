"""The kernel sum's weight beside the trees: fitted per group from out-of-fold residuals."""

import json

import numpy as np
import pytest

from advisor.errors import AdvisorError
from advisor.features import feature_names, kernel_sum_column
from advisor.kernel_sum_blend import MIN_ROWS, blend_kernel_sum, kernel_sum_weights
from advisor.predictor import EfficiencyRegressor


def _held_out(rng, n, tree_noise, kernel_noise):
    y = rng.normal(scale=0.5, size=n)
    tree_residuals = tree_noise * rng.normal(size=n)                  # y - trees
    kernel_efficiency = y + kernel_noise * rng.normal(size=n)         # the kernel sum's log eff
    return y, tree_residuals, kernel_efficiency


def test_the_better_predictor_gets_the_weight_and_the_blend_beats_both():
    rng = np.random.default_rng(0)
    n = 400
    units = np.arange(n) // 10
    y1, t1, k1 = _held_out(rng, n, tree_noise=0.3, kernel_noise=0.05)   # kernel sum better
    y2, t2, k2 = _held_out(rng, n, tree_noise=0.05, kernel_noise=0.3)   # trees better
    y3, t3, k3 = _held_out(rng, n, tree_noise=0.2, kernel_noise=0.2)    # as good, independent
    keys = np.repeat(["ort|fp32", "pytorch|fp32", "tflite|fp32"], n)
    weights, blended = kernel_sum_weights(np.concatenate([y1, y2, y3]), np.concatenate([t1, t2, t3]),
                                          np.concatenate([k1, k2, k3]), keys, np.tile(units, 3))
    assert weights["ort|fp32"] > 0.9
    assert weights["pytorch|fp32"] < 0.1
    assert weights["tflite|fp32"] == pytest.approx(0.5, abs=0.1)
    third = slice(2 * n, 3 * n)
    rms = lambda r: float(np.sqrt(np.mean(r ** 2)))  # noqa: E731
    assert rms(blended[third]) < 0.8 * min(rms(t3), rms(y3 - k3))
    # the blend's residual is the trees' moved by the weight towards the kernel sum's
    w = weights["tflite|fp32"]
    np.testing.assert_allclose(blended[third], (1 - w) * t3 + w * (y3 - k3))


def test_groups_without_enough_rows_units_or_kernel_sums_keep_the_trees():
    rng = np.random.default_rng(1)
    y, tree, kernel = _held_out(rng, 200, tree_noise=0.3, kernel_noise=0.05)
    keys = np.array(["few"] * (MIN_ROWS - 1) + ["one unit"] * 80 + ["no sum"] * (200 - MIN_ROWS + 1 - 80))
    units = np.where(keys == "one unit", 0, np.arange(200))
    kernel = np.where(keys == "no sum", np.nan, kernel)
    weights, blended = kernel_sum_weights(y, tree, kernel, keys, units)
    assert weights == {}
    np.testing.assert_allclose(blended, tree)


def test_one_wild_kernel_sum_cannot_decide_a_weight():
    rng = np.random.default_rng(2)
    y, tree, kernel = _held_out(rng, 300, tree_noise=0.3, kernel_noise=0.05)
    kernel[0] = y[0] - 50.0                         # a kernel sum 5e21 times too slow
    weights, _ = kernel_sum_weights(y, tree, kernel, np.full(300, "g"), np.arange(300))
    assert weights["g"] > 0.8


def test_blend_moves_only_covered_rows_of_weighted_groups():
    X = np.zeros((4, len(feature_names())))
    X[:, kernel_sum_column()] = [np.log(2.0), np.nan, np.log(2.0), np.log(2.0)]  # twice the roofline
    raw = np.array([0.0, 0.0, 0.0, 0.0])
    keys = np.array(["g", "g", "other", "g"])
    out = blend_kernel_sum(raw, X, keys, {"g": 0.25}, np.array([True, True, True, False]))
    assert out[0] == pytest.approx(0.25 * -np.log(2.0))       # a quarter of the way to log 1/2
    assert out[1:].tolist() == [0.0, 0.0, 0.0]                # no sum, no weight, not asked


def test_a_fitted_model_blends_seen_rows_and_keeps_its_weights_through_save_and_load(tmp_path):
    """Trees that cannot see an effect, and a kernel sum that carries it: the fitted weight
    follows the kernel sum, seen-device medians move to it, spec-only ones do not."""
    names = feature_names()
    rng = np.random.default_rng(3)
    n = 600
    X = rng.normal(size=(n, len(names)))
    X[:, names.index("log_batch")] = 0.0
    hidden = 0.6 * rng.normal(size=n)                # what only the kernel sum knows
    y = 0.4 * X[:, 0] + hidden + 0.02 * rng.normal(size=n)
    kernel_efficiency = y + 0.03 * rng.normal(size=n)
    X[:, kernel_sum_column()] = np.nan               # the trees do not get it as a feature here
    keys = np.array([f"d{i % 5}|ort|fp32|-" for i in range(n)])
    fitted = EfficiencyRegressor(n_estimators=60, max_depth=3, structural_weight=0.0,
                                 seen_max_depth=None).fit(
        X, y, groups=np.arange(n) // 3, setting_keys=keys, kernel_sum_efficiency=kernel_efficiency)
    assert fitted.kernel_sum_weights_["ort|fp32"] > 0.8
    query = X[:2].copy()
    query[:, kernel_sum_column()] = -kernel_efficiency[:2]
    seen = fitted.predict_interval(query, setting_keys=keys[:2])[1]
    unseen = fitted.predict_interval(query, setting_keys=keys[:2], unseen=[True, True])[1]
    assert np.abs(seen - y[:2]).max() < 0.25
    assert np.abs(seen - y[:2]).max() < np.abs(unseen - y[:2]).max()
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.kernel_sum_weights_ == fitted.kernel_sum_weights_
    np.testing.assert_allclose(loaded.predict_interval(query, setting_keys=keys[:2])[1], seen)


@pytest.mark.parametrize("bad", [{"ort|fp32": 1.5}, {"ort|fp32": True}, ["ort|fp32", 0.5]])
def test_invalid_weights_in_a_model_file_are_refused(tmp_path, bad):
    names = feature_names()
    rng = np.random.default_rng(4)
    X = rng.normal(size=(120, len(names)))
    fitted = EfficiencyRegressor(n_estimators=10, max_depth=2, structural_weight=0.0,
                                 seen_max_depth=None).fit(X, 0.3 * X[:, 0])
    fitted.save(tmp_path)
    meta_path = tmp_path / "efficiency.meta.json"
    meta = json.loads(meta_path.read_text())
    meta["kernel_sum_weights"] = bad
    meta_path.write_text(json.dumps(meta))
    with pytest.raises(AdvisorError, match="kernel_sum_weights"):
        EfficiencyRegressor.load(tmp_path)


def test_rows_whose_trees_lacked_the_feature_do_not_set_the_weight():
    """Training hides the kernel sum from some rows' trees; their larger residuals would make
    the kernel sum look better than it is beside trees that had it."""
    rng = np.random.default_rng(5)
    n = 400
    y, tree, kernel = _held_out(rng, n, tree_noise=0.05, kernel_noise=0.2)
    hidden = np.arange(n) % 2 == 0
    tree = np.where(hidden, 0.8 * rng.normal(size=n), tree)      # those trees were far off
    keys, units = np.full(n, "g"), np.arange(n)
    assert kernel_sum_weights(y, tree, kernel, keys, units)[0]["g"] > 0.5
    assert kernel_sum_weights(y, tree, kernel, keys, units, usable=~hidden)[0]["g"] < 0.15
