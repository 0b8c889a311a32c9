"""Device calibration: a factor, and a slope over log latency only where the rows carry one."""

import json

import numpy as np
import pytest

from advisor.calibration import (BAND_ROWS, DROP_MARGIN, IDENTITY, Correction, calibrated_residuals,
                                 fit_checked_correction, fit_correction, leave_one_out_mape,
                                 load_profile, save_profile)


def test_rows_with_a_size_trend_get_a_slope_and_rows_without_one_a_factor():
    rng = np.random.default_rng(0)
    predicted = np.exp(rng.uniform(np.log(0.1), np.log(100), 10))
    # small workloads 3x slower than predicted, large ones 1.2x: a trend one factor cannot fit
    measured = predicted * np.exp(np.log(3.0) - 0.2 * np.log(predicted / 0.1))
    trend = fit_correction(predicted, measured)
    assert trend.slope == pytest.approx(-0.2, abs=0.03)
    assert np.allclose(trend.apply(predicted), measured, rtol=0.05)
    flat = fit_correction(predicted, 2.0 * predicted * np.exp(0.05 * rng.normal(size=10)))
    assert abs(flat.slope) < 0.02 and flat.factor == pytest.approx(2.0, rel=0.05)


def test_few_rows_give_the_median_ratio_robust_to_one_outlier():
    c = fit_correction([1, 1, 1, 10], [2, 2, 2, 2])
    assert (c.factor, c.slope) == (pytest.approx(2.0), 0.0)


def test_a_profile_round_trips_and_version_1_profiles_still_load(tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path))
    save_profile("dev", Correction(1.5, 0.25, 4.0), rows=10, spread=0.1, source="t")
    assert load_profile("dev")["correction"] == Correction(1.5, 0.25, 4.0)
    assert load_profile("dev")["rows"] == 10
    path = tmp_path / "calibration" / "dev.json"
    path.write_text(json.dumps({"schema": "advisor.calibration/1", "factor": 2.0}))
    assert load_profile("dev")["correction"] == Correction(2.0)
    assert load_profile("dev")["rows"] is None          # version 1 kept no count


def test_predict_applies_a_sloped_profile_to_the_latency_and_its_interval(tmp_path, monkeypatch):
    import onnx
    from onnx import helper

    from advisor.api import load_regressor, predict
    from tests.onnx_helpers import model, tensor, weight

    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    path = tmp_path / "g.onnx"
    onnx.save(model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", (128, 128))],
                    [tensor("y", None)], [weight("w", (128, 128))]), path)
    plain = predict(str(path), "t4", batch=4)
    correction = Correction(2.0, 0.5, plain.latency_ms / 4)
    save_profile("t4", correction, rows=10, spread=0.1, source="test")
    calibrated = predict(str(path), "t4", batch=4)
    assert calibrated.latency_ms == pytest.approx(float(correction.apply(plain.latency_ms)), rel=1e-9)
    assert calibrated.basis.startswith("calibrated (10 measurements)")
    # the interval is the spread the shipped model measured after calibrating held-out devices
    # on 10 rows each, around the corrected latency
    low, high = load_regressor().calibrated_band(10)
    assert calibrated.interval_ms == pytest.approx(
        (calibrated.latency_ms / np.exp(high), calibrated.latency_ms / np.exp(low)), rel=1e-9)
    # two rows are fewer than any stored band: both ends of the spec-only interval are corrected
    # (log(corrected) = log(2) + 1.5 log(predicted) - 0.5 log(pivot): 1.5x wider in log)
    save_profile("t4", correction, rows=2, spread=0.1, source="test")
    few = predict(str(path), "t4", batch=4)
    for end in (0, 1):
        assert few.interval_ms[end] == pytest.approx(float(correction.apply(plain.interval_ms[end])), rel=1e-9)
    # a version-1 profile (a factor, no row count) applies without a band and says so plainly
    (tmp_path / "config" / "calibration" / "t4.json").write_text(
        json.dumps({"schema": "advisor.calibration/1", "factor": 2.0}))
    old = predict(str(path), "t4", batch=4)
    assert old.latency_ms == pytest.approx(2 * plain.latency_ms, rel=1e-9) and old.basis == "calibrated"


def test_calibrated_residuals_keep_the_spread_a_device_offset_does_not_explain():
    rng = np.random.default_rng(1)
    devices = np.repeat(np.arange(8), 60)
    offset = rng.normal(scale=0.8, size=8)[devices]      # what a spec-only prediction misses
    noise = 0.05 * rng.normal(size=len(devices))
    log_roofline = rng.uniform(-9, -3, len(devices))
    y = rng.normal(size=len(devices))
    residuals = offset + noise
    after = calibrated_residuals(log_roofline, y, residuals, devices, rows=10)
    used = np.isnan(after)
    assert used.sum() == 8 * 10                              # the calibration rows are not scored
    assert np.std(after[~used]) < 0.1 < np.std(residuals)    # the offset is gone, the noise stays
    # a device with no more rows than the calibration uses is skipped
    few = calibrated_residuals(log_roofline[:12], y[:12], residuals[:12], np.zeros(12), rows=12)
    assert np.isnan(few).all()
    assert BAND_ROWS == tuple(sorted(BAND_ROWS))


def _grouped_rows(rng, n: int, offset: float = 0.4):
    """Feature rows of two kinds of graph on one device (their operator mix apart, settings
    alike), whose measurements sit ``offset`` above and below what the device-wide correction
    can say; and rows of many graphs and devices to standardise them by."""
    from advisor.features import feature_names

    names = feature_names()
    mix = [i for i, name in enumerate(names) if name.startswith(("time_share_", "flops_share_"))]
    training = rng.normal(size=(400, len(names)))
    training[:, mix] = rng.uniform(0, 1, (400, len(mix)))
    X = rng.normal(size=len(names)) + rng.normal(scale=0.05, size=(n, len(names)))
    kind = np.arange(n) % 2
    X[:, mix] = np.where(kind[:, None] == 0, 0.9, 0.1)
    return X, np.where(kind == 0, offset, -offset), training


def test_local_offsets_carry_a_residual_to_graphs_like_the_calibration_rows():
    from advisor.calibration_local import FeatureScale

    rng = np.random.default_rng(4)
    X, residual, training = _grouped_rows(rng, 60)
    scale = FeatureScale.fit(training)
    predicted = np.exp(rng.uniform(0, 3, 60))
    measured = 2.0 * predicted * np.exp(residual + 0.03 * rng.normal(size=60))
    calib, rest = np.arange(10), np.arange(10, 60)
    plain = fit_correction(predicted[calib], measured[calib])
    local = fit_correction(predicted[calib], measured[calib], X[calib], scale)
    assert plain.local is None and local.local is not None
    error = lambda c, f=None: np.mean(np.abs(np.log(c.apply(predicted[rest], f) / measured[rest])))  # noqa: E731
    assert error(plain) > 0.3 and error(local, X[rest]) < 0.1
    # without feature rows the correction is the device-wide one alone
    assert np.allclose(local.apply(predicted[rest]), plain.apply(predicted[rest]))
    # a graph unlike every calibration row gets (almost) no offset
    far = X[rest[:1]].copy()
    far[0, scale.columns.index("log_flops")] = 40 * scale.sd[scale.columns.index("log_flops")]
    assert abs(local.local.offsets(far)[0]) < 0.01


def test_rows_without_graph_structure_keep_the_device_correction_alone():
    from advisor.calibration_local import FeatureScale, fit_local_offsets

    rng = np.random.default_rng(5)
    X, _, training = _grouped_rows(rng, 40)
    scale = FeatureScale.fit(training)
    assert fit_local_offsets(X[:10], np.zeros(10), scale) is None       # nothing left to explain
    assert fit_local_offsets(X[:4], rng.normal(size=4), scale) is None   # too few rows to choose
    noise = fit_local_offsets(X[:10], 0.05 * rng.normal(size=10), scale)
    assert noise is None or np.abs(noise.offsets(X[10:])).max() < 0.05


def test_a_profile_keeps_its_local_offsets_and_drops_those_over_unknown_features(tmp_path, monkeypatch):
    from advisor.calibration_local import FeatureScale

    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path))
    rng = np.random.default_rng(6)
    X, residual, training = _grouped_rows(rng, 30)
    predicted = np.exp(rng.uniform(0, 3, 30))
    correction = fit_correction(predicted[:10], 1.5 * predicted[:10] * np.exp(residual[:10]),
                                X[:10], FeatureScale.fit(training))
    assert correction.local is not None
    save_profile("dev", correction, rows=10, spread=0.1, source="t")
    loaded = load_profile("dev")
    assert loaded["local_dropped"] is None
    assert np.allclose(loaded["correction"].apply(predicted[10:], X[10:]),
                       correction.apply(predicted[10:], X[10:]))
    path = tmp_path / "calibration" / "dev.json"
    data = json.loads(path.read_text())
    data["local"]["scale"]["columns"][0] = "a_feature_from_elsewhere"
    path.write_text(json.dumps(data))
    dropped = load_profile("dev")
    assert "run `advisor calibrate` again" in dropped["local_dropped"]
    assert dropped["correction"].local is None and dropped["correction"] == correction
    data["local"]["residuals"] = data["local"]["residuals"][:-1]          # one anchor too many
    path.write_text(json.dumps(data))
    from advisor.errors import InputError
    with pytest.raises(InputError, match="malformed local offsets"):
        load_profile("dev")


def test_calibrated_residuals_with_features_remove_what_the_graph_kind_explains():
    from advisor.calibration_local import FeatureScale

    rng = np.random.default_rng(7)
    devices = np.repeat(np.arange(6), 80)
    X, kind_residual, training = _grouped_rows(rng, len(devices))
    # each device runs one kind of graph faster than the other, by its own amount
    residuals = rng.normal(scale=0.6, size=6)[devices] * (2 * kind_residual) + 0.03 * rng.normal(size=len(devices))
    log_roofline = rng.uniform(-9, -3, len(devices))
    y = rng.normal(size=len(devices))
    plain = calibrated_residuals(log_roofline, y, residuals, devices, rows=10)
    local = calibrated_residuals(log_roofline, y, residuals, devices, rows=10, features=X,
                                 scale=FeatureScale.fit(training))
    assert np.array_equal(np.isnan(plain), np.isnan(local))
    assert np.nanstd(local) < 0.5 * np.nanstd(plain)


def test_predict_moves_a_graph_by_the_local_offset_of_calibration_rows_like_it(tmp_path, monkeypatch):
    import onnx
    from onnx import helper

    from advisor.api import predict, predict_with_features
    from advisor.calibration_local import FeatureScale, LocalOffsets
    from tests.onnx_helpers import model, tensor, weight

    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    path = tmp_path / "g.onnx"
    onnx.save(model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", (128, 128))],
                    [tensor("y", None)], [weight("w", (128, 128))]), path)
    plain, features = predict_with_features(str(path), "t4", batch=4)
    assert plain.latency_ms == pytest.approx(predict(str(path), "t4", batch=4).latency_ms, rel=1e-12)
    scale = FeatureScale.fit(features[None, :])
    # one calibration row: this very configuration ran e^0.5 slower than the device factor says
    local = LocalOffsets(scale, scale.standardize(features), np.array([0.5]), bandwidth=0.5, shrink=0.1)
    save_profile("t4", Correction(2.0, local=local), rows=10, spread=0.1, source="test")
    same = predict(str(path), "t4", batch=4)
    assert same.latency_ms == pytest.approx(2.0 * plain.latency_ms * np.exp(0.5 / 1.1), rel=1e-9)
    # another batch is another configuration: a smaller share of the offset reaches it
    other = predict(str(path), "t4", batch=64)
    other_plain = predict(str(path), "t4", batch=64, ignore_calibration=True)
    assert 2.0 * other_plain.latency_ms < other.latency_ms < 2.0 * other_plain.latency_ms * np.exp(0.5 / 1.1)


def test_leave_one_out_says_whether_the_correction_carries_to_rows_it_was_not_fitted_on():
    """Rows all 2x slower than predicted: the factor fitted on nine carries to the tenth. Rows
    centred on the prediction, each off its own way by the same amount: the correction fitted on
    the others moves every held-out row the wrong way, so it does worse than none, though on the
    rows it was fitted on it can only look better."""
    predicted = np.geomspace(0.5, 50, 10)
    before, after = leave_one_out_mape(predicted, 2 * predicted)
    assert before == pytest.approx(0.5) and after < 0.01
    scatter = np.exp(0.5 * np.array([1, -1] * 5))
    before, after = leave_one_out_mape(predicted, predicted * scatter)
    assert after > before
    in_sample = fit_correction(predicted, predicted * scatter).apply(predicted)
    assert np.abs(in_sample / (predicted * scatter) - 1).mean() <= before
    assert leave_one_out_mape(predicted[:2], predicted[:2]) is None   # too few rows
    # rows that are not positive and finite are left out, as fit_correction leaves them out
    with_bad = leave_one_out_mape(np.r_[predicted, np.nan], np.r_[2 * predicted, 1.0])
    assert with_bad == pytest.approx(leave_one_out_mape(predicted, 2 * predicted))


def test_a_checked_correction_is_kept_where_it_carries_to_left_out_rows_and_dropped_where_not():
    predicted = np.geomspace(0.5, 50, 10)
    offset = fit_checked_correction(predicted, 2 * predicted)
    assert not offset.dropped and offset.correction == offset.fitted
    assert offset.correction.factor == pytest.approx(2.0, rel=1e-6)
    # six rows 1.65x slow, four 0.61x: the fit (a factor of about 1.2) moves the held-out rows
    # the wrong way more than it helps them, so the identity is applied
    scatter = np.exp(0.5 * np.array([1, -1, 1, -1, 1, -1, 1, -1, 1, 1]))
    centred = fit_checked_correction(np.full(10, 3.0), 3.0 * scatter)
    assert centred.dropped and centred.correction == IDENTITY
    assert centred.fitted.factor == pytest.approx(np.exp(0.1), rel=1e-6)
    assert centred.leave_one_out.corrected >= DROP_MARGIN * centred.leave_one_out.uncorrected
    # with a margin past the leave-one-out ratio the same fit is kept
    ratio = centred.leave_one_out.corrected / centred.leave_one_out.uncorrected
    lenient = fit_checked_correction(np.full(10, 3.0), 3.0 * scatter, margin=1.01 * ratio)
    assert not lenient.dropped and lenient.correction == centred.fitted
    # seven rows 1.35x slow, three 0.74x: the leave-one-out MAPE is about 1.07x uncorrected,
    # inside the default margin (a 10-row leave-one-out MAPE is noisy), so the fit is kept;
    # session 33's margin of 1 drops it
    near = np.exp(0.3 * np.array([1, -1, 1, -1, 1, -1, 1, 1, 1, 1]))
    kept = fit_checked_correction(np.full(10, 3.0), 3.0 * near)
    assert 1.0 < kept.leave_one_out.corrected / kept.leave_one_out.uncorrected < DROP_MARGIN
    assert kept.margin == DROP_MARGIN and not kept.dropped and kept.correction == kept.fitted
    assert fit_checked_correction(np.full(10, 3.0), 3.0 * near, margin=1.0).dropped
    # under 3 rows there is nothing to check: the fit stands
    few = fit_checked_correction(predicted[:2], 2 * predicted[:2])
    assert few.leave_one_out is None and not few.dropped and few.correction.factor == pytest.approx(2.0)


def test_calibrated_residuals_leave_a_device_uncorrected_where_the_check_drops_its_correction():
    """Device 0 is off by one factor: calibration removes it. Device 1 is centred, each row off
    its own way (six of its eleven rows measured 1.65x the prediction, five 0.61x): whichever ten
    calibrate it, the correction fails its leave-one-out check (or is the identity), so its
    left-out row keeps its residual."""
    devices = np.repeat([0, 1], 11)
    # a residual r is log(predicted / measured) efficiency: -0.5 is a row measured 1.65x slower
    residuals = np.r_[np.full(11, 0.8) + 0.01 * np.arange(11),
                      -0.5 * np.array([1, -1, 1, -1, 1, -1, 1, -1, 1, -1, 1])]
    log_roofline = np.full(22, -6.0)
    y = residuals.copy()     # every prediction alike, so no slope: the measurements differ
    for seed in range(5):
        after = calibrated_residuals(log_roofline, y, residuals, devices, rows=10, seed=seed)
        rest = np.flatnonzero(~np.isnan(after))
        assert len(rest) == 2
        first, second = rest
        assert abs(after[first]) < 0.1                       # the factor is removed
        assert after[second] == pytest.approx(residuals[second], abs=1e-12)   # left alone
