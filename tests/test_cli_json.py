"""Every command's ``--json`` output parses and follows its documented schema; bad input exits 2
with one line.

The schemas, as documented for scripts: objects carry ``"schema": "advisor.<command>/<version>"``
plus the top-level keys listed in ``OBJECT_SCHEMAS``; the two listing commands are objects too, with
their records under one named key (``LIST_SCHEMAS``: schema, key, keys every record carries).
"""

from __future__ import annotations

import json

import onnx
import pytest
from click.testing import CliRunner
from onnx import helper

from advisor.cli import main
from tests.onnx_helpers import model, tensor, weight

OBJECT_SCHEMAS = {
    "inspect": ("advisor.inspect/1", {"totals", "op_types", "heaviest_nodes", "assumed_dims", "notes"}),
    "predict": ("advisor.predict/1", {"predictions"}),
    "hw show": ("advisor.hw.show/1", {"id", "name", "kind", "mem_bw_gbs", "tflops_fp32", "source"}),
    "hw probe": ("advisor.hw.probe/1", {"gflops", "mem_bw_gbs", "when", "formula_peaks_gflops", "clock_floor_ghz"}),
    "zoo build": ("advisor.zoo.build/1", {"recipe", "path", "nodes", "graph_only", "inputs", "outputs"}),
    "data import": ("advisor.data.import/1", {"out_path", "rows", "sources", "missing_sources"}),
    "measure": ("advisor.measure/1", {"summary", "rows_in_store", "exported", "db", "rows"}),
    "calibrate": ("advisor.calibrate/4", {"hw_id", "factor", "slope", "pivot_ms", "rows", "local_offsets",
                                          "dropped", "fitted", "mape_before", "mape_after",
                                          "mape_leave_one_out"}),
    "report": ("advisor.report/1", {"html", "png", "charts", "hw_ids", "predictions"}),
}
LIST_SCHEMAS = {
    "hw list": ("advisor.hw.list/1", "devices",
                {"id", "name", "kind", "vendor", "mem_bw_gbs", "tflops_fp32", "tflops_int8", "source"}),
    "zoo list": ("advisor.zoo.list/1", "models", {"name", "family", "description", "defaults"}),
}
PREDICTION_KEYS = {"model", "hw_id", "precision", "batch", "latency_ms", "interval_ms", "roofline_ms",
                   "efficiency", "compute_share", "memory_share", "overhead_share", "basis", "notes"}


def run_json(args: list[str]):
    res = CliRunner().invoke(main, [*args, "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def check_object(command: str, data) -> dict:
    schema, keys = OBJECT_SCHEMAS[command]
    assert isinstance(data, dict)
    assert data["schema"] == schema
    assert keys <= set(data), f"{command}: missing {keys - set(data)}"
    return data


@pytest.fixture(scope="module")
def tiny(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("json") / "tiny.onnx"
    nodes = [helper.make_node("Conv", ["x", "w"], ["c"], pads=[1, 1, 1, 1]),
             helper.make_node("Relu", ["c"], ["y"])]
    onnx.save(model(nodes, [tensor("x", (1, 3, 32, 32))], [tensor("y", None)], [weight("w", (8, 3, 3, 3))]),
              path)
    return str(path)


def test_inspect_and_predict(tiny):
    check_object("inspect", run_json(["inspect", "--model", tiny]))
    data = check_object("predict", run_json(["predict", "--model", tiny, "--hw", "t4,rpi4",
                                             "--precision", "fp32,int8"]))
    assert len(data["predictions"]) == 4
    for row in data["predictions"]:
        assert PREDICTION_KEYS <= set(row) and row["schema"] == "advisor.predict/1"


def test_hw_and_zoo_listings_are_schema_objects_of_documented_records():
    for command, args in (("hw list", ["hw", "list", "--kind", "gpu"]), ("zoo list", ["zoo", "list"])):
        schema, key, keys = LIST_SCHEMAS[command]
        data = run_json(args)
        assert isinstance(data, dict) and data["schema"] == schema
        rows = data[key]
        assert isinstance(rows, list) and rows and data["count"] == len(rows)
        assert all(keys <= set(r) for r in rows)


def test_every_json_output_is_an_object_with_a_schema(tiny):
    """No command prints a bare array or scalar: scripts can always read ``data["schema"]``."""
    for args in (["hw", "list"], ["zoo", "list"], ["hw", "show", "t4"], ["inspect", "--model", tiny]):
        data = run_json(args)
        assert isinstance(data, dict) and str(data.get("schema", "")).startswith("advisor."), args


def test_hw_show_and_probe(tmp_path, monkeypatch):
    check_object("hw show", run_json(["hw", "show", "a100"]))
    monkeypatch.setenv("ADVISOR_CACHE", str(tmp_path))
    from advisor.hardware.host import detect_host
    from advisor.hardware.probe import cache_path

    host = detect_host()
    cache_path(host).write_text(json.dumps({  # a cached probe result, so nothing is timed here
        "host": host.to_dict(), "when": "2026-01-01T00:00:00+00:00", "gemm_n": 1024, "probe_version": 2,
        "gflops": {"fp32": 50.0, "fp16": None, "int8": 80.0}, "mem_bw_gbs": 20.0}))
    check_object("hw probe", run_json(["hw", "probe"]))


def test_zoo_build(tmp_path):
    data = check_object("zoo build", run_json(["zoo", "build", "squeezenet1_1", "--graph-only",
                                               "-o", str(tmp_path / "s.onnx")]))
    assert data["graph_only"] is True and (tmp_path / "s.onnx").exists()


def test_data_import_on_a_tiny_public_folder(tmp_path):
    from tests.public_fixtures import tiny_public_dir

    pub = tiny_public_dir(tmp_path)
    data = check_object("data import", run_json(["data", "import", "--out", str(tmp_path / "t.csv"),
                                                 "--public", str(pub), "--source", "ncnn", "--quiet"]))
    assert data["rows"] == 1


def test_measure_export_only(tmp_path):
    # Export-only runs time nothing: an empty store exports zero rows.
    data = check_object("measure", run_json(["measure", "--db", str(tmp_path / "m.sqlite"),
                                             "--export", str(tmp_path / "m.csv"), "--quiet"]))
    assert data["rows"] == [] and data["rows_in_store"] == 0


def test_calibrate(tiny, tmp_path, monkeypatch):
    monkeypatch.setenv("ADVISOR_CONFIG", str(tmp_path / "config"))
    csv = tmp_path / "m.csv"
    csv.write_text(f"model,latency_ms\n{tiny},2.0\n{tiny},2.2\n")
    data = check_object("calibrate", run_json(["calibrate", "--hw", "t4", "--measurements", str(csv)]))
    assert data["rows"] == 2 and data["factor"] > 0
    assert data["mape_leave_one_out"] is None          # two rows: too few to leave one out


def test_report(tiny, tmp_path):
    pytest.importorskip("matplotlib", reason="the report extra (matplotlib) is not installed")
    data = check_object("report", run_json(["report", "--model", tiny, "--hw", "t4", "--precision", "fp32",
                                            "--out", str(tmp_path / "r.html")]))
    assert data["html"] == str(tmp_path / "r.html")


ADVICE_ARGS = {"advise": ["--hw", "t4"], "plan": ["--target-ms", "5", "--candidates", "t4,a100"]}


@pytest.mark.parametrize("name", ["advise", "plan"])
def test_advice_commands_when_present(name, tiny):
    if name not in main.commands:
        pytest.skip(f"no `advisor {name}` command registered yet")
    res = CliRunner().invoke(main, [name, "--model", tiny, *ADVICE_ARGS[name], "--json"])
    if res.exit_code == 2 and "no such option" in res.output.lower():
        pytest.skip(f"`advisor {name}` takes other options: {res.output.strip().splitlines()[-1]}")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert isinstance(data, dict) and str(data.get("schema", "")).startswith(f"advisor.{name}/")


# --- exit codes: 0 ok, 1 failure, 2 bad usage or input; library errors are one line ---------------

BAD_INPUT = [
    (["inspect", "--model", "/nonexistent/m.onnx"], "not found"),
    (["predict", "--model", "{tiny}", "--hw", "no-such-device-xyz"], "nearest"),
    (["predict", "--model", "{tiny}", "--hw", "t4", "--precision", "fp12"], "precision"),
    (["hw", "show", "no-such-device-xyz"], "nearest"),
    (["zoo", "build", "no_such_net", "-o", "{tmp}/x.onnx"], "no_such_net"),
    (["measure", "--model", "{tiny}", "--batch", "0", "--db", "{tmp}/m.sqlite"], "batch"),
    (["calibrate", "--hw", "t4", "--measurements", "{tmp}/none.csv"], "not found"),
]


@pytest.mark.parametrize("args,needle", BAD_INPUT, ids=[" ".join(a[:2]) + f"-{i}" for i, (a, _) in
                                                        enumerate(BAD_INPUT)])
def test_bad_input_exits_2_with_one_line(args, needle, tiny, tmp_path):
    args = [a.format(tiny=tiny, tmp=tmp_path) for a in args]
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    lines = res.output.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("Error: "), res.output
    assert needle in lines[0].lower()
    assert "Traceback" not in res.output


def test_usage_errors_exit_2_with_one_error_line(tiny):
    for args in (["predict", "--model", tiny], ["report", "--hw", "t4"], ["measure", "--batch", "x"],
                 ["nosuchcommand"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 2, (args, res.output)
        lines = res.output.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith("Error: "), (args, res.output)


def test_failures_exit_1(tmp_path):
    bad = tmp_path / "broken.onnx"
    bad.write_bytes(b"this is not a protobuf")
    res = CliRunner().invoke(main, ["inspect", "--model", str(bad)])
    assert res.exit_code in (1, 2), res.output  # unreadable file: input error or failure, never a traceback
    assert len(res.output.strip().splitlines()) == 1 and res.output.startswith("Error: ")


# --- progress bars: only on a terminal, never with --quiet --------------------------------------

def test_train_progress_only_on_a_terminal(monkeypatch):
    import io
    import sys

    from advisor.cli.train_cmd import _progress

    class FakeTTY(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setattr(sys, "stderr", io.StringIO())
    with _progress(False) as report:
        assert report is None  # piped: silent
    monkeypatch.setattr(sys, "stderr", FakeTTY())
    with _progress(True) as report:
        assert report is None  # --quiet
    with _progress(False) as report:
        assert callable(report)
        report(1, 2)
        report(2, 2)


def test_data_import_has_quiet_and_measure_is_quiet_when_piped():
    for args in (["data", "import", "--help"], ["measure", "--help"], ["train", "--help"],
                 ["evaluate", "--help"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0 and "--quiet" in res.output, args
