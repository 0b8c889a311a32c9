"""Device calibration: a factor, and a slope over log latency only where the rows carry one."""

import json

import numpy as np
import pytest

from advisor.calibration import (BAND_ROWS, Correction, calibrated_residuals, fit_correction,
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
