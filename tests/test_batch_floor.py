"""No batch is predicted faster than batch 1 of the same configuration."""

from __future__ import annotations

import numpy as np
import pytest
from onnx import helper

import advisor.api as api
from advisor.api import Prediction, predict_many
from advisor.batch_floor import floor_at_batch_one
from tests.onnx_helpers import model, tensor, weight
from tests.test_predictor import FakeHW


def row(batch: int, latency: float, precision: str = "fp32", hw: str = "gpu-a") -> Prediction:
    roofline = 0.5 * batch
    efficiency = roofline / latency
    share = min(efficiency, 1.0)
    return Prediction(model="m", hw_id=hw, hw_name=hw, precision=precision, batch=batch, seq_len=None,
                      threads=None, runtime="tensorrt", latency_ms=latency,
                      interval_ms=(0.8 * latency, 1.5 * latency), coverage=0.9, roofline_ms=roofline,
                      efficiency=efficiency, compute_share=0.6 * share, memory_share=0.4 * share,
                      overhead_share=1.0 - share)


def test_a_batch_predicted_faster_than_batch_one_is_raised_to_it():
    one, eight, thirty_two = row(1, 6.0), row(8, 7.0), row(32, 1.3)
    assert floor_at_batch_one([thirty_two, one, eight]) == 1
    assert thirty_two.latency_ms == 6.0
    assert thirty_two.interval_ms == (max(0.8 * 1.3, 0.8 * 6.0), 1.5 * 6.0)
    assert thirty_two.efficiency == pytest.approx(16.0 / 6.0)
    assert thirty_two.compute_share + thirty_two.memory_share + thirty_two.overhead_share == pytest.approx(1)
    assert "batch 32 at 1.3 ms" in thirty_two.notes[0]
    assert (eight.latency_ms, eight.notes) == (7.0, [])      # slower than batch 1: untouched
    assert one.latency_ms == 6.0


def test_rows_of_another_configuration_are_not_a_reference():
    other_precision, other_device = row(32, 1.3, precision="int8"), row(32, 1.3, hw="gpu-b")
    assert floor_at_batch_one([row(1, 6.0), other_precision, other_device]) == 0
    assert other_precision.latency_ms == other_device.latency_ms == 1.3


def test_shares_follow_the_lower_efficiency():
    slow_one, fast = row(1, 40.0), row(32, 8.0)     # efficiency 2.0 raised to 0.4
    floor_at_batch_one([slow_one, fast])
    assert fast.compute_share == pytest.approx(0.6 * 0.4)
    assert fast.overhead_share == pytest.approx(0.6)


def mlp():
    nodes = [helper.make_node("MatMul", ["x", "w"], ["y"]), helper.make_node("Relu", ["y"], ["z"])]
    return model(nodes, [tensor("x", ("batch", 256))], [tensor("z", None)], [weight("w", (256, 256))])


def superlinear_efficiency(rows, features, regressor, keys, ignore_calibration=False, shares=None):
    """A stand-in for the learned efficiency that grows as batch squared, as a bad fit might."""
    for r in rows:
        r.efficiency = float(r.batch) ** 2
        r.latency_ms = r.roofline_ms / r.efficiency
        r.interval_ms = (0.9 * r.latency_ms, 1.2 * r.latency_ms)


def test_the_api_floors_batches_whether_or_not_batch_one_was_asked(monkeypatch, tmp_path):
    monkeypatch.setattr(api, "_apply_efficiency", superlinear_efficiency)
    both = predict_many(mlp(), [FakeHW()], batch=[1, 32], models=str(tmp_path)).set_index("batch")
    alone, features = predict_many(mlp(), [FakeHW()], batch=[32], models=str(tmp_path), with_features=True)
    assert list(alone["batch"]) == [32] and len(features) == 1
    assert alone["latency_ms"].iloc[0] == both.loc[32, "latency_ms"] == both.loc[1, "latency_ms"]
    rows = api.score_profiles("m", {None: api.model_profile(mlp())}, [FakeHW()], [32],
                              [api.get_precision("fp32")], batch_floor=False)
    assert rows[0].latency_ms < both.loc[1, "latency_ms"] / 100   # what the floor prevents
    assert np.isfinite(both["latency_ms"]).all()
