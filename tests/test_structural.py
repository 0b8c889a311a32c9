"""The structural time model (roofline / e + kernels x o) and its blend with the plain trees."""

from __future__ import annotations

import json

import numpy as np
import pytest

from advisor.errors import AdvisorError
from advisor.features import feature_names
from advisor.predictor import EfficiencyRegressor
from advisor.structural import SPEED_FEATURES, StructuralBooster

NAMES = feature_names()


def rows(n=1500, seed=0):
    """Rows whose time is roofline / e + kernels x o: e set by the FLOPs (a speed-free feature),
    o by the batch; the speed features are noise around the roofline, as in real rows."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, len(NAMES)))
    log_roofline = rng.uniform(np.log(1e-5), np.log(1e-1), n)
    X[:, NAMES.index("log_roofline_s")] = log_roofline
    X[:, NAMES.index("log_kernels")] = rng.uniform(np.log(5), np.log(300), n)
    efficiency = np.exp(-1.0 + 0.4 * np.tanh(X[:, NAMES.index("log_flops")]))
    per_kernel = 8e-6 * np.exp(0.5 * np.tanh(X[:, NAMES.index("log_batch")]))
    seconds = np.exp(log_roofline) / efficiency + np.exp(X[:, NAMES.index("log_kernels")]) * per_kernel
    seconds *= np.exp(rng.normal(scale=0.02, size=n))
    return X, log_roofline - np.log(seconds)


def test_the_structure_learns_work_and_launch_cost():
    X, y = rows()
    model = StructuralBooster(n_estimators=300, max_depth=3, learning_rate=0.1).fit(X[:1200], y[:1200])
    error = np.abs(np.exp(y[1200:] - model.predict(X[1200:])) - 1)    # time ratio - 1
    assert np.median(error) < 0.05
    assert np.mean(error) < 0.10


@pytest.mark.parametrize("gamma", [0.0, 0.5])
def test_a_faster_spec_is_never_predicted_slower(gamma):
    """Halve the roofline and scramble every other speed feature: each row's predicted time
    falls (by at most half: its work halves, its launch cost by 2 ** gamma), whatever the speed
    features say."""
    X, y = rows()
    model = StructuralBooster(n_estimators=100, max_depth=4, launch_gamma=gamma).fit(X, y)
    faster = X.copy()
    faster[:, NAMES.index("log_roofline_s")] -= np.log(2.0)
    rng = np.random.default_rng(1)
    for name in SPEED_FEATURES - {"log_roofline_s"}:
        faster[:, NAMES.index(name)] = rng.normal(size=len(X)) * 3
    roofline = NAMES.index("log_roofline_s")
    seconds = np.exp(X[:, roofline] - model.predict(X))
    seconds_faster = np.exp(faster[:, roofline] - model.predict(faster))
    assert np.all(seconds_faster < seconds)
    assert np.all(seconds_faster >= seconds / 2 * (1 - 1e-9))


def test_a_launch_cost_that_scales_with_the_device_is_learned_only_with_gamma():
    """Rows whose cost per kernel is 8 us x (mean kernel roofline time / 10 us) ** 0.5: at gamma 0
    the trees cannot see the device's speed, so they cannot fit it; at gamma 0.5 they can."""
    X, _ = rows()
    names = NAMES
    log_roofline, log_kernels = X[:, names.index("log_roofline_s")], X[:, names.index("log_kernels")]
    per_kernel = 8e-6 * np.exp(0.5 * (log_roofline - log_kernels - np.log(1e-5)))
    seconds = np.exp(log_roofline) / 0.3 + np.exp(log_kernels) * per_kernel
    y = log_roofline - np.log(seconds)
    errors = {}
    for gamma in (0.0, 0.5):
        model = StructuralBooster(n_estimators=200, max_depth=3, learning_rate=0.1,
                                  launch_gamma=gamma).fit(X[:1200], y[:1200])
        errors[gamma] = np.median(np.abs(np.exp(y[1200:] - model.predict(X[1200:])) - 1))
    assert errors[0.5] < 0.02
    assert errors[0.0] > 2 * errors[0.5]


def test_spec_only_rows_get_the_blend_and_it_survives_save_and_load(tmp_path):
    X, y = rows(600)
    groups = np.arange(600) // 3
    fitted = EfficiencyRegressor(n_estimators=40, max_depth=3, n_folds=2).fit(X, y, groups=groups)
    plain = np.minimum(fitted.model_.plain.predict(X), np.log(4.0))
    deeper = np.minimum(fitted.model_.seen.predict(X), np.log(4.0))
    structure = fitted.model_.structural.predict(X)
    assert not np.allclose(plain, structure) and not np.allclose(plain, deeper)
    # seen devices: the deeper plain trees; devices known by their spec alone: the geometric
    # mean of the structure and the plain trees at max_depth
    assert np.allclose(fitted.predict(X), deeper)
    assert np.allclose(fitted.predict(X, unseen=True), (plain + structure) / 2)
    unseen = np.arange(600) % 2 == 0
    _, mid, _ = fitted.predict_interval(X, unseen=unseen)
    _, mid_seen, _ = fitted.predict_interval(X, unseen=np.zeros(600, bool))
    _, mid_unseen, _ = fitted.predict_interval(X, unseen=np.ones(600, bool))
    assert np.allclose(mid, np.where(unseen, mid_unseen, mid_seen))
    fitted.save(tmp_path / "blend")
    loaded = EfficiencyRegressor.load(tmp_path / "blend")
    assert np.allclose(loaded.predict(X, unseen=True), fitted.predict(X, unseen=True))
    assert np.allclose(loaded.predict(X), fitted.predict(X))
    # a model saved before the structure existed (no digest for it) is the plain trees alone
    meta_path = tmp_path / "blend" / "efficiency.meta.json"
    meta = json.loads(meta_path.read_text())
    del meta["structure_sha256"]
    meta_path.write_text(json.dumps(meta))
    old = EfficiencyRegressor.load(tmp_path / "blend")
    assert old.structural_weight == 0.0
    assert np.allclose(old.predict(X, unseen=True), plain)
    # and one saved before the seen-device trees existed predicts seen rows with the plain trees
    del meta["seen_sha256"]
    meta_path.write_text(json.dumps(meta))
    older = EfficiencyRegressor.load(tmp_path / "blend")
    assert older.seen_max_depth is None and older.model_.seen is None
    assert np.allclose(older.predict(X), plain)


def _depth(trees) -> int:
    return int(json.loads(trees.get_booster().save_config())["learner"]["gradient_booster"]
               ["tree_train_param"]["max_depth"])


@pytest.mark.parametrize("seen_max_depth", [None, 3, 6])
def test_seen_devices_get_trees_of_their_own_depth_only_when_it_differs(tmp_path, seen_max_depth):
    X, y = rows(600)
    fitted = EfficiencyRegressor(n_estimators=30, max_depth=3, n_folds=2,
                                 seen_max_depth=seen_max_depth).fit(X, y)
    fitted.save(tmp_path)
    has_seen = seen_max_depth == 6
    assert (tmp_path / "efficiency.seen.xgb.json").exists() == has_seen
    assert _depth(fitted.model_.plain) == 3
    if has_seen:
        assert _depth(fitted.model_.seen) == 6
        assert not np.allclose(fitted.predict(X), fitted.predict(X, unseen=True))
    else:
        assert fitted.model_.seen is None
    loaded = EfficiencyRegressor.load(tmp_path)
    assert np.allclose(loaded.predict(X), fitted.predict(X))
    assert np.allclose(loaded.predict(X, unseen=True), fitted.predict(X, unseen=True))
    # retrained without them, the directory drops the older seen trees
    EfficiencyRegressor(n_estimators=5, max_depth=3, n_folds=2, seen_max_depth=None).fit(X, y).save(tmp_path)
    assert not (tmp_path / "efficiency.seen.xgb.json").exists()


def test_a_seen_trees_file_that_does_not_match_its_digest_is_refused(tmp_path):
    X, y = rows(300)
    EfficiencyRegressor(n_estimators=5, max_depth=2, n_folds=2, seen_max_depth=3).fit(X, y).save(tmp_path)
    path = tmp_path / "efficiency.seen.xgb.json"
    path.write_text(path.read_text().replace("0", "1", 1))
    with pytest.raises(AdvisorError, match="efficiency.seen.xgb.json.*digest"):
        EfficiencyRegressor.load(tmp_path)


def test_the_launch_scaling_survives_save_and_load_and_older_models_load_at_gamma_0(tmp_path):
    X, y = rows(600)
    fitted = EfficiencyRegressor(n_estimators=30, max_depth=3, n_folds=2,
                                 structural_launch_gamma=0.5).fit(X, y)
    fitted.save(tmp_path)
    loaded = EfficiencyRegressor.load(tmp_path)
    assert loaded.model_.structural.launch_gamma == 0.5
    assert np.allclose(loaded.predict(X, unseen=True), fitted.predict(X, unseen=True))
    # metadata from before the parameter existed: the structure was fitted at gamma 0
    meta_path = tmp_path / "efficiency.meta.json"
    meta = json.loads(meta_path.read_text())
    del meta["params"]["structural_launch_gamma"]
    meta_path.write_text(json.dumps(meta))
    older = EfficiencyRegressor.load(tmp_path)
    assert older.model_.structural.launch_gamma == 0.0
    assert not np.allclose(older.predict(X, unseen=True), fitted.predict(X, unseen=True))


@pytest.mark.parametrize("weight", [0.0, 1.0])
def test_the_weight_picks_either_model_alone(tmp_path, weight):
    X, y = rows(600)
    fitted = EfficiencyRegressor(n_estimators=30, max_depth=3, n_folds=2,
                                 structural_weight=weight).fit(X, y)
    fitted.save(tmp_path)
    files = {f.name for f in tmp_path.iterdir()}
    assert ("efficiency.structure.xgb.json" in files) == (weight > 0)
    if weight == 1.0:
        assert np.allclose(fitted.model_.predict(X, 1.0), fitted.model_.structural.predict(X))
    else:
        assert fitted.model_.structural is None
    loaded = EfficiencyRegressor.load(tmp_path)
    assert np.allclose(loaded.predict(X, unseen=True), fitted.predict(X, unseen=True))
