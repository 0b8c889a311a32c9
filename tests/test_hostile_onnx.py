"""Hostile and broken ONNX files: every one gets a clear AdvisorError or a sane answer, quickly.

The case builders here (``hostile_models``) are reused by ``benchmarks/reliability_report.py``,
which runs more of them under ``strace`` and counts crashes, hangs and files opened.
"""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
import sys
import textwrap
import time
from pathlib import Path
from typing import Iterator

import numpy as np
import onnx
import pytest
from click.testing import CliRunner
from onnx import TensorProto, helper

from advisor.errors import AdvisorError, InputError
from advisor.graph import analyze
from advisor.graph.analysis import MAX_NODE_BYTES, MAX_NODE_FLOPS
from tests.onnx_helpers import model, tensor, weight

#: Wall-clock bound for one hostile input of ordinary size (the large-graph case has its own).
CASE_SECONDS = 10.0


# --- builders ------------------------------------------------------------------------------------
def small_net() -> onnx.ModelProto:
    """Conv -> Relu -> Reshape -> MatMul with real weights: a few kB, every shape known."""
    shape = onnx.numpy_helper.from_array(np.array([1, -1], dtype=np.int64), "flat")
    nodes = [helper.make_node("Conv", ["x", "w1"], ["c"], pads=[1, 1, 1, 1], name="conv"),
             helper.make_node("Relu", ["c"], ["r"], name="relu"),
             helper.make_node("Reshape", ["r", "flat"], ["f"], name="flatten"),
             helper.make_node("MatMul", ["f", "w2"], ["y"], name="fc")]
    return model(nodes, [tensor("x", ["batch", 3, 8, 8])], [tensor("y", None)],
                 [weight("w1", (4, 3, 3, 3)), shape, weight("w2", (256, 10))])


def relu_chain(n: int, unknown_first: bool = False) -> onnx.ModelProto:
    """``n`` Relu nodes in a chain; ``unknown_first`` puts a custom op first so that onnx's shape
    inference leaves every shape open and onnxruntime's symbolic inference runs too."""
    nodes = [helper.make_node("Relu", [f"t{i}"], [f"t{i + 1}"]) for i in range(n)]
    extra = []
    if unknown_first:
        nodes.insert(0, helper.make_node("Frob", ["x"], ["t0"], domain="hostile.test"))
        extra = [("hostile.test", 1)]
    first = "x" if unknown_first else "t0"
    return model(nodes, [tensor(first, [1, 8])], [tensor(f"t{n}", None)], extra_opsets=extra)


def nested_if(depth: int) -> onnx.ModelProto:
    """``depth`` levels of If inside If (the else branch stays a leaf, so the size is linear)."""
    leaf = helper.make_graph([helper.make_node("Relu", ["x"], ["r"])], "leaf", [], [tensor("r", [1, 3])])
    inner = leaf
    for i in range(depth):
        node = helper.make_node("If", ["c"], [f"o{i}"], then_branch=inner, else_branch=leaf)
        inner = helper.make_graph([node], f"level{i + 1}", [], [tensor(f"o{i}", [1, 3])])
    top = helper.make_node("If", ["c"], ["y"], then_branch=inner, else_branch=leaf)
    return model([top], [tensor("x", [1, 3]), tensor("c", [], TensorProto.BOOL)], [tensor("y", [1, 3])])


def _varint(n: int) -> bytes:
    out = bytearray()
    while True:
        byte, n = n & 0x7F, n >> 7
        out.append(byte | (0x80 if n else 0))
        if not n:
            return bytes(out)


def _field(number: int, payload: bytes) -> bytes:
    return _varint(number << 3 | 2) + _varint(len(payload)) + payload


def nested_if_bytes(depth: int) -> bytes:
    """A serialized model nested ``depth`` If levels deep, written directly in the protobuf wire
    format (onnx.helper itself refuses to build past protobuf's nesting limit)."""
    relu = _field(1, b"x") + _field(2, b"r") + _field(4, b"Relu")
    graph = _field(1, relu) + _field(2, b"leaf") + _field(12, _field(1, b"r"))
    for _ in range(depth):
        attr = _field(1, b"then_branch") + _field(6, graph) + _varint(20 << 3) + _varint(5)
        node = _field(1, b"c") + _field(2, b"r") + _field(4, b"If") + _field(5, attr)
        graph = _field(1, node) + _field(2, b"g") + _field(12, _field(1, b"r"))
    opset = _varint(2 << 3) + _varint(17)
    return _varint(1 << 3) + _varint(8) + _field(7, graph) + _field(8, opset)


def external_weight_model(location: str) -> onnx.ModelProto:
    """MatMul whose weight claims to live in external data at ``location``."""
    w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=[4, 4])
    w.data_location = TensorProto.EXTERNAL
    w.external_data.add(key="location", value=location)
    w.external_data.add(key="length", value="64")
    return model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", [1, 4])],
                 [tensor("y", None)], [w])


def absurd_models() -> Iterator[tuple[str, onnx.ModelProto]]:
    """Dims that are negative, zero, 2^62, or whose products overflow int64."""
    relu = [helper.make_node("Relu", ["x"], ["y"])]
    for dim in (-5, 0, 2**31, 2**62, 2**63 - 1):
        yield f"input dim {dim}", model(relu, [tensor("x", [1, dim])], [tensor("y", None)])
    for dims in ([2**62], [2**31, 2**31], [2**40, 2**40], [-1, 3], [2**21] * 3):
        w = TensorProto(name="w", data_type=TensorProto.FLOAT, dims=dims)
        yield f"weight dims {dims}", model([helper.make_node("MatMul", ["x", "w"], ["y"])],
                                           [tensor("x", [1, 4])], [tensor("y", None)], [w])
    for target in ([2**31, 2**31], [2**62, 2], [2**30] * 4):
        shape = helper.make_tensor("s", TensorProto.INT64, [len(target)], target)
        yield f"Reshape to {target}", model([helper.make_node("Reshape", ["x", "s"], ["y"])],
                                            [tensor("x", [1, 4])], [tensor("y", None)], [shape])
        yield f"Expand to {target}", model([helper.make_node("Expand", ["x", "s"], ["y"])],
                                           [tensor("x", [1, 1])], [tensor("y", None)], [shape])
        yield f"ConstantOfShape {target}", model(
            [helper.make_node("ConstantOfShape", ["s"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
            [tensor("x", [1])], [tensor("y", None)], [shape])
    m = model([helper.make_node("Relu", ["x"], ["h"]), helper.make_node("MatMul", ["h", "h"], ["y"])],
              [tensor("x", [1, 4])], [tensor("y", None)])
    m.graph.value_info.append(tensor("h", [2**62, 2**62]))
    yield "value_info dims 2^62", m
    body = helper.make_graph([helper.make_node("Identity", ["cond"], ["cond_out"]),
                              helper.make_node("MatMul", ["x", "x"], ["z"])], "body",
                             [tensor("i", [], TensorProto.INT64), tensor("cond", [], TensorProto.BOOL)],
                             [tensor("cond_out", [], TensorProto.BOOL), tensor("z", [64, 64])])
    trips = helper.make_tensor("trips", TensorProto.INT64, [], [2**62])
    yield "Loop trip count 2^62", model(
        [helper.make_node("Loop", ["trips", ""], ["zs"], body=body)], [tensor("x", [64, 64])],
        [tensor("zs", None)], [trips])
    for text in ("+".join(["1"] * 5000), "(" * 300 + "1" + ")" * 300, "*".join(["99999999999"] * 3000),
                 "9" * 5000, "batch" * 2000):
        yield f"dim expression of {len(text)} chars", model(relu, [tensor("x", [1, text])],
                                                             [tensor("y", None)])


def broken_graphs() -> Iterator[tuple[str, onnx.ModelProto]]:
    yield "cycle", model([helper.make_node("Relu", ["z"], ["y"]), helper.make_node("Relu", ["y"], ["z"])],
                         [tensor("x", [1, 3])], [tensor("y", None)])
    yield "self loop", model([helper.make_node("Add", ["x", "y"], ["y"])], [tensor("x", [1, 3])],
                             [tensor("y", None)])
    yield "dangling input", model([helper.make_node("Add", ["x", "ghost"], ["y"])],
                                  [tensor("x", [1, 3])], [tensor("y", None)])
    yield "empty graph", model([], [tensor("x", [1, 3])], [tensor("y", None)])
    yield "no inputs", model([helper.make_node("Relu", ["x"], ["y"])], [], [tensor("y", None)])
    yield "input without shape", model([helper.make_node("Relu", ["x"], ["y"])], [tensor("x", None)],
                                       [tensor("y", None)])
    yield "unknown op only", model([helper.make_node("Frob", ["x"], ["y"], domain="evil")],
                                   [tensor("x", [1, 3])], [tensor("y", None)], extra_opsets=[("evil", 1)])
    yield "wrong arity", model([helper.make_node("Conv", ["x"], ["y"])], [tensor("x", [1, 3, 4, 4])],
                               [tensor("y", None)])
    yield "attribute garbage", model([helper.make_node("Conv", ["x", "w"], ["y"], pads=[-9] * 7,
                                                       strides=[0, 0], dilations=[-1])],
                                     [tensor("x", [1, 3, 4, 4])], [tensor("y", None)],
                                     [weight("w", (2, 3, 3, 3))])
    yield "opset 0", model([helper.make_node("Relu", ["x"], ["y"])], [tensor("x", [1, 3])],
                           [tensor("y", None)], opset=0)
    yield "opset 9999", model([helper.make_node("Relu", ["x"], ["y"])], [tensor("x", [1, 3])],
                              [tensor("y", None)], opset=9999)
    yield "duplicate outputs", model([helper.make_node("Relu", ["x"], ["y"]),
                                      helper.make_node("Sigmoid", ["x"], ["y"])],
                                     [tensor("x", [1, 3])], [tensor("y", None)])
    m = model([helper.make_node("Relu", ["x"], ["y"])], [tensor("x", [1, 3])], [tensor("y", None)])
    m.graph.node[0].op_type = "R\u00e9lu\x00"
    yield "odd op name", m


def truncations(data: bytes, count: int, seed: int = 0) -> list[int]:
    """``count`` cut points: the first bytes, evenly spaced ones and random ones."""
    rng = np.random.default_rng(seed)
    cuts = set(range(1, min(16, len(data))))
    cuts.update(np.linspace(1, len(data) - 1, num=max(count // 2, 2), dtype=int).tolist())
    cuts.update(rng.integers(1, len(data), size=count).tolist())
    return sorted(cuts)[:count] if len(cuts) > count else sorted(cuts)


def check(source, **kwargs):
    """analyze() must either answer sanely or raise an AdvisorError, within CASE_SECONDS."""
    start = time.monotonic()
    try:
        g = analyze(source, **kwargs)
    except AdvisorError as exc:
        message = str(exc)
        assert message and "\n" not in message and len(message) < 1000, message
        result = exc
    else:
        assert 0 <= g.total_flops <= MAX_NODE_FLOPS * max(len(g.nodes), 1)
        assert 0 <= g.bytes_total <= MAX_NODE_BYTES * max(len(g.nodes), 1)
        result = g
    assert time.monotonic() - start < CASE_SECONDS
    return result


# --- tests ---------------------------------------------------------------------------------------
def test_random_bytes_are_refused(tmp_path: Path):
    rng = np.random.default_rng(1)
    for i, size in enumerate([1, 7, 100, 4096, 65536]):
        path = tmp_path / f"random{i}.onnx"
        path.write_bytes(rng.integers(0, 256, size, dtype=np.uint8).tobytes())
        result = check(path)
        assert isinstance(result, InputError) or result.nodes is not None
    (tmp_path / "text.onnx").write_text("ir_version: 8\ngraph { node { op_type: 'Relu' } }\n")
    assert isinstance(check(tmp_path / "text.onnx"), InputError)


def test_truncated_protobufs(tmp_path: Path):
    data = small_net().SerializeToString()
    path = tmp_path / "cut.onnx"
    refused = 0
    for cut in truncations(data, 60):
        path.write_bytes(data[:cut])
        refused += isinstance(check(path), AdvisorError)
    assert refused >= 40  # most cuts break the message; the rest are valid smaller models


@pytest.mark.parametrize("label,proto", list(broken_graphs()), ids=lambda v: v if isinstance(v, str) else "")
def test_broken_graphs(label: str, proto: onnx.ModelProto):
    result = check(proto)
    if label in ("cycle", "self loop"):
        assert isinstance(result, InputError) and "cycle" in str(result)
    elif label == "dangling input":
        assert isinstance(result, InputError) and "ghost" in str(result)
    elif label in ("empty graph", "input without shape"):
        assert isinstance(result, InputError)


@pytest.mark.parametrize("label,proto", list(absurd_models()), ids=lambda v: v if isinstance(v, str) else "")
def test_absurd_dims_are_refused_or_sane(label: str, proto: onnx.ModelProto):
    result = check(proto)
    if label != "dim expression of 10000 chars":  # 'batchbatch...' reads as a batch name: 1
        assert isinstance(result, InputError), label


def test_products_past_int64_are_refused_with_a_clear_message():
    shape = helper.make_tensor("s", TensorProto.INT64, [3], [2**62, 2**62, 2**62])
    m = model([helper.make_node("ConstantOfShape", ["s"], ["c"]), helper.make_node("Add", ["x", "c"], ["y"])],
              [tensor("x", [1])], [tensor("y", None)], [shape])
    with pytest.raises(InputError, match="absurd shape"):
        analyze(m)
    with pytest.raises(InputError, match="negative|absurd"):
        analyze(model([helper.make_node("MatMul", ["x", "w"], ["y"])], [tensor("x", [1, 4])],
                      [tensor("y", None)], [TensorProto(name="w", data_type=1, dims=[2**40, 2**40])]))


def test_user_dims_are_validated():
    m = model([helper.make_node("Relu", ["x"], ["y"])], [tensor("x", [1, "n"])], [tensor("y", None)])
    assert analyze(m, dims={"n": np.int64(5)}).inputs[0].shape == (1, 5)
    for bad in (2**62, 0, -1, 2.5, "7", True):
        with pytest.raises(InputError, match="--dim n"):
            analyze(m, dims={"n": bad})


def test_large_graph_finishes_in_bounded_time():
    start = time.monotonic()
    g = analyze(relu_chain(20_000))
    assert len(g.compute_nodes) == 20_000 and g.total_flops == 20_000 * 8
    assert time.monotonic() - start < 30


def test_deep_control_flow_nesting():
    g = check(nested_if(25))  # as deep as protobuf lets onnx.helper build
    assert not isinstance(g, AdvisorError) and g.total_flops == 3
    for depth in (40, 500, 5000):  # deeper: only hand-written bytes get there
        with pytest.raises(InputError, match="not a valid ONNX"):
            analyze_bytes(nested_if_bytes(depth))


def analyze_bytes(data: bytes):
    import tempfile
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "m.onnx"
        path.write_bytes(data)
        return analyze(path)


def test_hand_written_bytes_encoder_is_valid():
    proto = onnx.load_model_from_string(nested_if_bytes(3))
    assert proto.graph.node[0].op_type == "If"


def _plant_secrets(tmp_path: Path) -> tuple[Path, list[Path]]:
    folder = tmp_path / "models"
    outside = tmp_path / "secret"
    folder.mkdir()
    outside.mkdir()
    secrets = [outside / "weights.bin", outside / "absolute.bin"]
    for s in secrets:
        s.write_bytes(b"\0" * 64)
    cases = {"relative.onnx": "../secret/weights.bin", "absolute.onnx": str(secrets[1]),
             "dotdot.onnx": "../../../../../../.." + str(secrets[0])}
    for name, location in cases.items():
        onnx.save(external_weight_model(location), folder / name)
    return folder, secrets


def test_external_data_outside_the_folder_is_never_opened(tmp_path: Path, monkeypatch):
    folder, secrets = _plant_secrets(tmp_path)
    opened: list[str] = []
    import builtins
    import io
    real_open, real_os_open, real_io_open = builtins.open, os.open, io.open

    def spy(real):
        def wrapper(file, *args, **kwargs):
            if isinstance(file, (str, bytes, os.PathLike)):
                opened.append(os.fsdecode(os.fspath(file)))
            return real(file, *args, **kwargs)
        return wrapper

    monkeypatch.setattr(builtins, "open", spy(real_open))
    monkeypatch.setattr(io, "open", spy(real_io_open))
    monkeypatch.setattr(os, "open", spy(real_os_open))
    for path in sorted(folder.glob("*.onnx")):
        g = analyze(path)
        assert g.params == 16 and g.weight_bytes == 64  # the weight's size, from its dims
    resolved = {os.path.realpath(p) for p in opened}
    assert not resolved & {str(s) for s in secrets}
    assert {os.path.realpath(p) for p in folder.glob("*.onnx")} <= resolved


STRACE_CHILD = textwrap.dedent("""
    import sys
    from advisor.graph import analyze
    for path in sys.argv[1:]:
        analyze(path)
""")


@pytest.mark.skipif(shutil.which("strace") is None, reason="strace is not installed")
def test_external_data_never_opened_at_the_syscall_level(tmp_path: Path):
    """The in-process spy cannot see C++ opens (onnx, onnxruntime): strace sees every one."""
    folder, secrets = _plant_secrets(tmp_path)
    log = tmp_path / "strace.log"
    models = [str(p) for p in sorted(folder.glob("*.onnx"))]
    proc = subprocess.run(["strace", "-f", "-qq", "-e", "trace=open,openat,openat2,creat",
                           "-o", str(log), sys.executable, "-c", STRACE_CHILD, *models],
                          capture_output=True, text=True, timeout=120,
                          cwd=Path(__file__).resolve().parents[1])
    if proc.returncode != 0 and "ptrace" in proc.stderr:
        pytest.skip(f"strace cannot trace here: {proc.stderr.strip()[:200]}")
    assert proc.returncode == 0, proc.stderr[-2000:]
    trace = log.read_text()
    assert all(m in trace for m in models)  # the trace does see the model files opened
    for secret in secrets:
        assert secret.name not in trace and str(secret.parent) not in trace


def test_files_over_2gb_are_refused_without_reading(tmp_path: Path):
    big = tmp_path / "big.onnx"
    with open(big, "wb") as fh:
        fh.truncate(3 * 2**30)  # sparse: no disk used
    start = time.monotonic()
    with pytest.raises(InputError, match="2 GiB"):
        analyze(big)
    assert time.monotonic() - start < 1.0


def test_special_paths_are_refused(tmp_path: Path):
    fifo = tmp_path / "pipe.onnx"
    os.mkfifo(fifo)
    cases = {tmp_path: "directory", fifo: "not a regular file", Path("/dev/zero"): "not a regular file",
             Path("/dev/null"): "not a regular file", tmp_path / "missing.onnx": "not found"}
    link = tmp_path / "zero.onnx"
    link.symlink_to("/dev/zero")
    cases[link] = "not a regular file"
    dangling = tmp_path / "dangling.onnx"
    dangling.symlink_to(tmp_path / "nowhere.onnx")
    cases[dangling] = "not found"
    loop = tmp_path / "loop.onnx"
    loop.symlink_to(loop)
    cases[loop] = "not found|cannot open"
    (tmp_path / "empty.onnx").write_bytes(b"")
    cases[tmp_path / "empty.onnx"] = "empty"
    for path, message in cases.items():
        start = time.monotonic()
        with pytest.raises(InputError, match=message):
            analyze(path)
        assert time.monotonic() - start < 2.0, path


def test_symlink_to_a_real_model_is_followed(tmp_path: Path):
    real = tmp_path / "real.onnx"
    onnx.save(small_net(), real)
    link = tmp_path / "link.onnx"
    link.symlink_to(real)
    assert analyze(link).total_flops == analyze(real).total_flops > 0


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_unreadable_file_is_refused(tmp_path: Path):
    path = tmp_path / "locked.onnx"
    onnx.save(small_net(), path)
    path.chmod(0)
    try:
        with pytest.raises(InputError, match="cannot open"):
            analyze(path)
    finally:
        path.chmod(stat.S_IRUSR | stat.S_IWUSR)


def test_cli_prints_one_line_and_exits_2(tmp_path: Path):
    from advisor.cli import main
    bad = tmp_path / "bad.onnx"
    bad.write_bytes(b"\x08\x96\x01garbage")
    fifo = tmp_path / "pipe.onnx"
    os.mkfifo(fifo)
    for path in (bad, fifo, Path("/dev/zero")):
        result = CliRunner().invoke(main, ["inspect", "--model", str(path)])
        assert result.exit_code == 2, result.output
        lines = [line for line in result.output.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("Error:"), result.output


def test_control_flow_reading_activations_through_outer_scope_is_costed():
    """An If on a constant condition whose branches read an activation by capture (not as an
    input) is real work: it used to be folded away as a constant."""
    branch = helper.make_graph([helper.make_node("MatMul", ["x", "x"], ["r"])], "b", [],
                               [tensor("r", [8, 8])])
    cond = helper.make_tensor("c", TensorProto.BOOL, [], [True])
    m = model([helper.make_node("If", ["c"], ["y"], then_branch=branch, else_branch=branch)],
              [tensor("x", [8, 8])], [tensor("y", [8, 8])], [cond])
    assert analyze(m).total_flops == 2 * 8 * 8 * 8
