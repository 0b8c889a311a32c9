"""The kernel-sum model: basis terms add up to the roofline terms, fits compose, JSON is safe."""

from __future__ import annotations

import json

import numpy as np
import pytest

from advisor.errors import AdvisorError
from advisor.graph import analyze
from advisor.kernel_sum import (BASIS_GROUPS, BASIS_NAMES, KernelSumModel, basis_row, cross_fitted,
                                group_shares, log_ratio_feature, setting_key, with_kernel_sum)
from advisor.features import feature_names, kernel_sum_column
from advisor.precision import get_precision
from advisor.profile import profile_graph
from advisor.roofline import kernel_bounds
from tests.test_predictor import FakeHW, gemm_model, mlp_model


def test_basis_terms_add_up_to_the_roofline_terms():
    profile = profile_graph(analyze(mlp_model(batch=4, width=256, layers=3)))
    prec = get_precision("int8")
    bounds = kernel_bounds(profile, FakeHW(), prec)
    b = basis_row(profile, bounds, prec)
    terms = {name: b[i] for i, name in enumerate(BASIS_NAMES)}
    compute = sum(v for k, v in terms.items() if k.endswith("_compute_s"))
    memory = sum(v for k, v in terms.items() if k.endswith(("_weight_s", "_activation_s")))
    assert compute == pytest.approx(bounds.compute_s.sum())
    assert memory == pytest.approx(bounds.memory_s.sum())
    assert sum(v for k, v in terms.items() if k.endswith("_kernels_M")) == pytest.approx(profile.n_kernels * 1e-6)
    # int8 weights: 3 layers x 256 x 256 bytes read at 1000 GB/s, all in the matmul group
    assert terms["matmul_weight_s"] == pytest.approx(3 * 256 * 256 / 1e12)


def _synthetic(n_graphs=40, rows_per_graph=3, seed=0):
    """Rows whose time is an exact kernel sum with known coefficients, on two settings."""
    rng = np.random.default_rng(seed)
    true = {"dev|ort|fp32|1": np.zeros(len(BASIS_NAMES)), "dev|ort|fp32|2": np.zeros(len(BASIS_NAMES))}
    for k, scale in (("dev|ort|fp32|1", 1.0), ("dev|ort|fp32|2", 0.6)):
        true[k][BASIS_NAMES.index("conv_compute_s")] = 2.0 * scale     # half of peak
        true[k][BASIS_NAMES.index("pointwise_activation_s")] = 1.5
        true[k][BASIS_NAMES.index("pointwise_kernels_M")] = 20.0        # 20 us per kernel
    basis, keys, graphs = [], [], []
    for g in range(n_graphs):
        for _ in range(rows_per_graph):
            row = np.zeros(len(BASIS_NAMES))
            row[BASIS_NAMES.index("conv_compute_s")] = rng.uniform(1e-4, 1e-2)
            row[BASIS_NAMES.index("pointwise_activation_s")] = rng.uniform(1e-5, 1e-3)
            row[BASIS_NAMES.index("pointwise_kernels_M")] = rng.integers(5, 200) * 1e-6
            basis.append(row)
            keys.append("dev|ort|fp32|1" if rng.random() < 0.5 else "dev|ort|fp32|2")
            graphs.append(f"g{g}")
    basis, keys = np.array(basis), np.array(keys)
    seconds = np.array([b @ true[k] for b, k in zip(basis, keys)])
    return basis, seconds, keys, np.array(graphs)


def test_fit_recovers_times_and_leaves_unknown_settings_empty():
    basis, seconds, keys, graphs = _synthetic()
    train = graphs != "g0"
    model = KernelSumModel().fit(basis[train], seconds[train], keys[train], graphs[train])
    pred = model.predict(basis[~train], keys[~train])
    assert np.allclose(pred, seconds[~train], rtol=1e-3)
    assert np.isnan(model.predict(basis[:1], ["other|ort|fp32|1"])).all()
    # too few rows or graphs for a setting: no coefficients rather than a wild fit
    few = KernelSumModel().fit(basis[:10], seconds[:10], keys[:10], graphs[:10])
    assert few.coefficients_ == {}


def test_cross_fitting_never_uses_a_rows_own_graph():
    basis, clean, keys, graphs = _synthetic()
    outlier = graphs == "g3"
    # one graph has a kernel category no other graph has (a small share of its roofline time,
    # within MIX_MARGIN, so the kernel sum still applies to it), and runs 10x slower than the rule
    conv = BASIS_NAMES.index("conv_compute_s")
    basis[outlier, conv] = np.maximum(basis[outlier, conv], 5e-3)
    basis[outlier, BASIS_NAMES.index("norm_compute_s")] = 3e-4
    # (its conv terms grew, so its time by the other graphs' rule is refitted)
    clean[outlier] = KernelSumModel().fit(basis[~outlier], clean[~outlier], keys[~outlier],
                                          graphs[~outlier]).predict(basis[outlier], keys[outlier])
    seconds = np.where(outlier, clean * 10.0, clean)
    oof = cross_fitted(basis, seconds, keys, graphs, folds=5)
    in_sample = KernelSumModel().fit(basis, seconds, keys, graphs).predict(basis, keys)
    # out of fold, nothing was learned about that category: the rule of the other graphs ...
    assert np.allclose(oof[outlier], clean[outlier], rtol=0.05)
    # ... while an in-sample fit explains the outlier away with the unseen category
    assert np.allclose(in_sample[outlier], seconds[outlier], rtol=0.2)


def test_feature_column_and_json_round_trip_reject_bad_files():
    basis, seconds, keys, graphs = _synthetic()
    model = KernelSumModel().fit(basis, seconds, keys, graphs)
    again = KernelSumModel.from_json(json.loads(json.dumps(model.to_json())))
    assert np.allclose(again.predict(basis, keys), model.predict(basis, keys))
    X = np.zeros((3, len(feature_names())))
    filled = with_kernel_sum(X, model, basis[:3], keys[:3], seconds[:3] * 2)
    assert np.allclose(filled[:, kernel_sum_column()], np.log(0.5), atol=1e-3)
    assert np.isnan(with_kernel_sum(X, None, basis[:3], keys[:3], seconds[:3])[:, kernel_sum_column()]).all()
    bad = model.to_json()
    key = next(iter(bad["coefficients"]))
    bad["coefficients"][key] = [-1.0] * len(BASIS_NAMES)
    with pytest.raises(AdvisorError, match="invalid coefficients"):
        KernelSumModel.from_json(bad)
    with pytest.raises(AdvisorError, match="basis"):
        KernelSumModel.from_json({**model.to_json(), "basis": ["x"]})
    # an artifact without the kernel mix each setting was fitted on cannot say where it applies
    with pytest.raises(AdvisorError, match="kernel-mix coverage"):
        KernelSumModel.from_json({k: v for k, v in model.to_json().items() if k != "max_shares"})
    bad = model.to_json()
    bad["max_shares"][key] = [2.0] * len(BASIS_GROUPS)
    with pytest.raises(AdvisorError, match="kernel-mix shares"):
        KernelSumModel.from_json(bad)


def test_a_kernel_mix_the_setting_was_not_fitted_on_gets_no_kernel_sum():
    """Coefficients of a group no fitted row spent time in are unconstrained: a graph that spends
    its time there (a decoder's matrix products on a device fitted on convnets) gets NaN, not a
    number the regressor would trust; a graph within the fitted mix keeps its kernel sum."""
    basis, seconds, keys, graphs = _synthetic()
    model = KernelSumModel().fit(basis, seconds, keys, graphs)
    conv_only = basis[:1].copy()
    matmul_heavy = conv_only.copy()
    matmul_heavy[0, BASIS_NAMES.index("matmul_compute_s")] = 4 * conv_only[0, BASIS_NAMES.index("conv_compute_s")]
    slight = conv_only.copy()          # a matmul share of 5%: within MIX_MARGIN of the fitted 0%
    roofline_terms = [i for i, name in enumerate(BASIS_NAMES) if not name.endswith("_kernels_M")]
    slight[0, BASIS_NAMES.index("matmul_compute_s")] = 0.05 / 0.95 * conv_only[0, roofline_terms].sum()
    rows = np.vstack([conv_only, matmul_heavy, slight])
    key = [keys[0]] * 3
    matmul = list(BASIS_GROUPS).index("matmul")
    assert group_shares(rows)[1, matmul] == pytest.approx(0.8, abs=0.05)
    assert group_shares(rows)[2, matmul] == pytest.approx(0.05)
    assert list(model.covers(rows, key)) == [True, False, True]
    pred = model.predict(rows, key)
    assert np.isfinite(pred[[0, 2]]).all() and np.isnan(pred[1])
    # the coverage travels with the model
    again = KernelSumModel.from_json(json.loads(json.dumps(model.to_json())))
    assert list(again.covers(rows, key)) == [True, False, True]
    assert list(model.covers(rows, ["other|ort|fp32|1"] * 3)) == [False] * 3


def test_setting_key_and_log_ratio():
    assert setting_key("a100", "onnxruntime", "fp16", None) == "a100|onnxruntime|fp16|-"
    assert setting_key("h", "ncnn", "fp32", float("nan")) == "h|ncnn|fp32|-"
    assert setting_key("h", "ncnn", "fp32", 2.0) == "h|ncnn|fp32|2"
    assert np.isnan(log_ratio_feature(np.array([np.nan]), np.array([1.0]))).all()


def test_interval_groups_are_runtime_and_precision_of_a_setting():
    from advisor.kernel_sum import runtime_precision_groups
    keys = [setting_key("t4", "tensorrt", "int8", None), setting_key("h", "onnxruntime", "fp32", 2)]
    assert list(runtime_precision_groups(keys)) == ["tensorrt|int8", "onnxruntime|fp32"]
