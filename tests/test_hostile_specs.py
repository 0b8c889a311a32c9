"""Hostile spec files, measurement tables and model artifacts: clear errors naming file, line/row
and field; YAML never constructs Python objects; saved models never unpickle and are refused on a
digest or schema mismatch."""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from advisor.errors import AdvisorError, InputError
from advisor.hardware.specfile import load_spec

BASE = "id: board\nkind: cpu\nmem_bw_gbs: 25.6\npeaks: {fp32: 0.1}\n"

#: (file name, text, regex the one-line error must match). Each names the file and the field.
BAD_SPECS = [
    ("pyobj.yaml", BASE + "name: !!python/object/apply:os.system ['touch {marker}']\n", "cannot parse"),
    ("pynew.yaml", "!!python/object/new:os.system ['touch {marker}']\n", "cannot parse"),
    ("pyname.yaml", "id: !!python/name:os.system\nkind: cpu\n", "cannot parse"),
    ("nan.yaml", BASE.replace("25.6", ".nan"), "mem_bw_gbs=nan"),
    ("inf.yaml", BASE.replace("25.6", ".inf"), "mem_bw_gbs=inf"),
    ("neg.yaml", BASE.replace("25.6", "-3"), "mem_bw_gbs must be positive"),
    ("word.yaml", BASE.replace("25.6", "fast"), "mem_bw_gbs is not a number"),
    ("list.yaml", BASE.replace("25.6", "[1, 2]"), "'mem_bw_gbs' must be a single value"),
    ("bool.yaml", BASE.replace("25.6", "true"), "'mem_bw_gbs' is the boolean"),
    ("peak_nan.yaml", BASE.replace("0.1", ".nan"), "tflops_fp32=nan"),
    ("peak_neg.yaml", BASE.replace("0.1", "-1"), "tflops_fp32 must be positive"),
    ("peak_map.yaml", BASE.replace("0.1", "{a: 1}"), "'peaks.fp32' must be a single value"),
    ("peak_prec.yaml", BASE.replace("fp32", "fp33"), "unknown precision"),
    ("missing.yaml", "id: board\nkind: cpu\n", "missing required field.*mem_bw_gbs"),
    ("kind.yaml", BASE.replace("cpu", "toaster"), "kind 'toaster'"),
    ("unknown.yaml", BASE + "flux_capacitor: 1\n", "unknown field.*flux_capacitor"),
    ("intkey.yaml", BASE + "1: 2\n", "unknown field"),
    ("notmap.yaml", "- 1\n- 2\n", "expected a mapping"),
    ("scalar.yaml", "42\n", "expected a mapping"),
    ("empty.yaml", "", "empty"),
    ("id_list.yaml", BASE.replace("id: board", "id: [1, 2]"), "'id' must be a single value"),
    ("alias_map.yaml", BASE + "aliases: [a, {b: c}]\n", "'aliases' must be a single value"),
    ("laughs.yaml", BASE + "isa: &a [x, x, x, x, x, x, x, x, x]\nname: &b [*a, *a, *a, *a, *a, *a]\n",
     "'name' must be a single value"),
    ("year.yaml", BASE + "release_year: 1e400\n", "out of range"),
    ("binary.yaml", "\x00\x01garbage", "cannot parse"),
    ("deep.yaml", "[" * 20000 + "]" * 20000, "cannot parse|must be"),
    ("dupkeys.yaml", BASE + "mem_bw_gbs: nope\n", "mem_bw_gbs is not a number"),
    ("nan.json", '{"id": "b", "kind": "cpu", "mem_bw_gbs": NaN, "peaks": {"fp32": 0.1}}', "mem_bw_gbs=nan"),
    ("inf.json", '{"id": "b", "kind": "cpu", "mem_bw_gbs": 1e999, "peaks": {"fp32": 0.1}}', "mem_bw_gbs=inf"),
    ("trunc.json", '{"id": "b", "kind": "cp', "cannot parse"),
    ("types.json", '{"id": "b", "kind": "cpu", "mem_bw_gbs": "1", "peaks": [0.1]}', "'peaks' must map"),
    ("deep.json", "[" * 100000 + "]" * 100000, "cannot parse"),
]


@pytest.mark.parametrize("name,text,message", BAD_SPECS, ids=[c[0] for c in BAD_SPECS])
def test_bad_spec_files_name_file_and_field(tmp_path: Path, name: str, text: str, message: str):
    marker = tmp_path / "PWNED"
    path = tmp_path / name
    path.write_bytes(text.replace("{marker}", str(marker)).encode("utf-8"))
    start = time.monotonic()
    with pytest.raises(InputError, match=message) as info:
        load_spec(path)
    assert time.monotonic() - start < 10
    text = str(info.value)
    assert str(path) in text and "\n" not in text and len(text) < 1000
    assert not marker.exists()  # nothing in the file ran


def test_good_spec_file_still_loads(tmp_path: Path):
    path = tmp_path / "ok.yaml"
    path.write_text(BASE + "aliases: [b1, b2]\nisa: [avx2, fma]\n")
    hw = load_spec(path)
    assert hw.id == "board" and hw.mem_bw_gbs == 25.6 and hw.aliases == ("b1", "b2")


def test_special_spec_paths_are_refused_quickly(tmp_path: Path):
    fifo = tmp_path / "dev.yaml"
    os.mkfifo(fifo)
    link = tmp_path / "zero.yaml"
    link.symlink_to("/dev/zero")
    big = tmp_path / "big.yaml"
    with open(big, "wb") as fh:
        fh.truncate(3 * 2**30)
    for path, message in ((fifo, "not a regular file"), (link, "not a regular file"),
                          (big, "over the"), (tmp_path, "directory"), (tmp_path / "no.yaml", "not found")):
        start = time.monotonic()
        with pytest.raises(InputError, match=message):
            load_spec(path)
        assert time.monotonic() - start < 2, path


def test_specfile_uses_safe_load_only():
    import inspect

    import advisor.hardware.specfile as specfile
    source = inspect.getsource(specfile)
    assert "safe_load" in source and "yaml.load(" not in source and "unsafe" not in source


# --- measurement / calibration CSVs --------------------------------------------------------------
def _calibration_reader():
    from advisor.cli.calibrate_cmd import read_calibration_rows
    return read_calibration_rows


BAD_CALIBRATION = [
    ("model,latency_ms\nm.onnx,nan\n", "line 2: latency_ms"),
    ("model,latency_ms\nm.onnx,1\nm.onnx,inf\n", "line 3: latency_ms"),
    ("model,latency_ms\nm.onnx,-4\n", "line 2: latency_ms"),
    ("model,latency_ms\nm.onnx,0\n", "line 2: latency_ms"),
    ("model,latency_ms\nm.onnx,fast\n", "line 2: latency_ms"),
    ("model,latency_ms\nm.onnx,\n", "line 2: latency_ms"),
    ("model\nm.onnx\n", "missing column.*latency_ms"),
    ("latency_ms\n3\n", "missing column.*model"),
    ("", "measurements file is empty"),
    ('model,latency_ms\n"m.onnx,3\n', "not a readable CSV|latency_ms"),
]


@pytest.mark.parametrize("text,message", BAD_CALIBRATION)
def test_bad_calibration_csv_names_file_line_and_field(tmp_path: Path, text: str, message: str):
    path = tmp_path / "cal.csv"
    path.write_text(text)
    with pytest.raises(InputError, match=message) as info:
        _calibration_reader()(str(path))
    assert str(path) in str(info.value)


def test_calibration_fit_refuses_nothing_usable():
    from advisor.calibration import fit_correction
    with pytest.raises(InputError):
        fit_correction([np.nan, -1, 0], [1, 2, np.inf])
    assert fit_correction([1, 2, np.nan], [2, 4, 5]).factor == pytest.approx(2.0)


def test_corrupt_calibration_profile_is_refused(tmp_path: Path, monkeypatch):
    from advisor.calibration import _profile_path, load_profile, save_profile
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path))
    save_profile("dev", 1.5, rows=3, spread=0.1, source="t")
    assert load_profile("dev")["factor"] == 1.5
    path = _profile_path("dev")
    for text in ("{", "[]", '{"schema": "advisor.calibration/1", "factor": "NaN"}',
                 '{"schema": "other", "factor": 2}', '{"schema": "advisor.calibration/1", "factor": -1}',
                 '{"schema": "advisor.calibration/2", "factor": 2, "slope": 7, "pivot_ms": 1}',
                 '{"schema": "advisor.calibration/2", "factor": 2, "slope": 0, "pivot_ms": 0}'):
        path.write_text(text)
        with pytest.raises(InputError, match=str(path)):
            load_profile("dev")
    assert _profile_path("../../etc/passwd").parent == _profile_path("dev").parent  # no escape


# --- the public-table schema validator -----------------------------------------------------------
def _table(n: int = 3) -> pd.DataFrame:
    return pd.DataFrame({
        "source": ["ncnn"] * n, "source_ref": [f"f.csv:{i}" for i in range(n)], "graph": ["resnet18"] * n,
        "family": ["resnet"] * n, "hw_id": ["pi4"] * n, "device_string": ["Pi 4"] * n,
        "kind": ["soc-cpu"] * n, "precision": ["fp32"] * n, "batch": [1] * n, "threads": [4.0] * n,
        "runtime": ["ncnn"] * n, "latency_ms": [10.0 + i for i in range(n)], "latency_stat": ["avg"] * n,
        "powersave": [0.0] * n, "date": ["2024-01-01"] * n, "version": ["v1"] * n,
        "precision_note": [None] * n,
    })


@pytest.mark.parametrize("column,value,message", [
    ("latency_ms", np.nan, "row\\(s\\) 3: required field 'latency_ms' is empty"),
    ("latency_ms", np.inf, "row\\(s\\) 3: field 'latency_ms' is infinite"),
    ("latency_ms", -2.0, "row\\(s\\) 3: field 'latency_ms' must be > 0"),
    ("latency_ms", "fast", "row\\(s\\) 3: field 'latency_ms' is not a number"),
    ("batch", 1.5, "row\\(s\\) 3: field 'batch' must be an integer"),
    ("batch", 0, "row\\(s\\) 3: field 'batch' must be > 0"),
    ("precision", "fp33", "row\\(s\\) 3: field 'precision' = 'fp33'"),
    ("graph", None, "row\\(s\\) 3: required field 'graph'"),
    ("source_ref", "f.csv:0", "row\\(s\\) 3: duplicate"),
])
def test_schema_validator_names_where_row_and_field(column: str, value, message: str):
    from advisor.dataset.schema import validate
    df = _table().astype({column: object})
    df.loc[1, column] = value
    with pytest.raises(InputError, match=message) as info:
        validate(df, where="t.csv")
    assert str(info.value).startswith("t.csv: ")


def test_schema_read_table_names_the_file(tmp_path: Path):
    from advisor.dataset.schema import read_table, validate
    df = _table(4)
    df.loc[2, "latency_ms"] = -1
    path = tmp_path / "t.csv"
    df.to_csv(path, index=False)
    with pytest.raises(InputError, match=f"{path}: row\\(s\\) 4: field 'latency_ms'"):
        read_table(path)
    (tmp_path / "cols.csv").write_text("a,b\n1,2\n")
    with pytest.raises(InputError, match="missing column"):
        read_table(tmp_path / "cols.csv")
    assert len(validate(_table())) == 3


# --- model artifacts -----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def saved_model(tmp_path_factory) -> Path:
    from advisor.features import feature_names
    from advisor.predictor import EfficiencyRegressor
    rng = np.random.default_rng(0)
    X = rng.normal(size=(40, len(feature_names())))
    y = rng.normal(scale=0.1, size=40) - 1
    directory = tmp_path_factory.mktemp("model")
    EfficiencyRegressor(n_estimators=5, max_depth=2, n_folds=2, n_jobs=1).fit(X, y).save(directory)
    return directory


def _copy(saved: Path, into: Path) -> Path:
    into.mkdir()
    for f in saved.iterdir():
        (into / f.name).write_bytes(f.read_bytes())
    return into


def test_model_load_never_unpickles(saved_model: Path, tmp_path: Path, monkeypatch):
    import pickle

    from advisor.predictor import EfficiencyRegressor

    def refuse(*args, **kwargs):
        raise AssertionError("unpickling attempted")
    monkeypatch.setattr(pickle, "load", refuse)
    monkeypatch.setattr(pickle, "loads", refuse)
    model = EfficiencyRegressor.load(saved_model)
    assert model.predict(np.zeros((1, model.n_features_in_))).shape == (1,)
    boosters = {"efficiency.xgb.json", "efficiency.structure.xgb.json", "efficiency.seen.xgb.json"}
    assert {f.name for f in saved_model.iterdir()} == boosters | {"efficiency.meta.json"}
    for booster in boosters:
        json.loads((saved_model / booster).read_text())  # plain JSON, not a pickle


@pytest.mark.parametrize("tamper,message", [
    ("booster_bytes", "does not match the digest"),
    ("schema", "feature schema"),
    ("names", "feature schema"),
    ("digest", "does not match the digest"),
    ("meta_garbage", "not valid JSON"),
    ("meta_list", "not a JSON object"),
    ("interval", "interval"),
    ("pickle_booster", "does not match the digest|cannot be loaded"),
    ("missing", "no trained model"),
    ("structure_bytes", "does not match the digest"),
    ("structure_pickle", "does not match the digest|cannot be loaded"),
    ("structure_missing", "missing or does not match"),
    ("structure_one_output", "cannot be loaded"),
    ("structural_weight", "structural_weight"),
    ("structural_launch_gamma", "structural_launch_gamma"),
    ("seen_bytes", "does not match the digest"),
    ("seen_pickle", "does not match the digest|cannot be loaded"),
    ("seen_missing", "missing or does not match"),
])
def test_tampered_artifacts_are_refused(saved_model: Path, tmp_path: Path, tamper: str, message: str):
    from advisor.predictor import EfficiencyRegressor, _sha256
    d = _copy(saved_model, tmp_path / "m")
    meta_path, booster = d / "efficiency.meta.json", d / "efficiency.xgb.json"
    structure, seen = d / "efficiency.structure.xgb.json", d / "efficiency.seen.xgb.json"
    meta = json.loads(meta_path.read_text())
    if tamper == "booster_bytes":
        booster.write_text(booster.read_text().replace('"', "'", 1))
    elif tamper == "schema":
        meta["feature_schema_version"] = -1
    elif tamper == "names":
        meta["feature_names"] = meta["feature_names"][::-1]
    elif tamper == "digest":
        meta["booster_sha256"] = "0" * 64
    elif tamper == "interval":
        meta["interval"] = ["a", None]
    elif tamper == "pickle_booster":
        import pickle
        booster.write_bytes(pickle.dumps({"x": 1}))
        meta["booster_sha256"] = _sha256(booster)  # even a consistent digest cannot make it load
    elif tamper == "missing":
        booster.unlink()
    elif tamper.split("_")[0] in ("structure", "seen") and tamper != "structure_one_output":
        # the structure's and the seen-device trees' files: changed bytes, a pickle, gone
        kind, action = tamper.split("_", 1)
        path = structure if kind == "structure" else seen
        if action == "bytes":
            path.write_text(path.read_text().replace('"', "'", 1))
        elif action == "pickle":
            import pickle
            path.write_bytes(pickle.dumps({"x": 1}))
            meta[f"{kind}_sha256"] = _sha256(path)
        else:
            path.unlink()
    elif tamper == "structure_one_output":    # a valid booster, but not the structure's kind
        booster_json = booster.read_text()
        structure.write_text(booster_json)
        meta["structure_sha256"] = _sha256(structure)
    elif tamper == "structural_weight":
        meta["params"]["structural_weight"] = "half"
    elif tamper == "structural_launch_gamma":    # a negative gamma would break monotonicity
        meta["params"]["structural_launch_gamma"] = -1.0
    if tamper == "meta_garbage":
        meta_path.write_text("{not json")
    elif tamper == "meta_list":
        meta_path.write_text("[1, 2]")
    else:
        meta_path.write_text(json.dumps(meta))
    with pytest.raises(AdvisorError, match=message):
        EfficiencyRegressor.load(d)
