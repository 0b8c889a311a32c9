"""Fuzzing the ONNX loader and analyzer, the spec parser and dim expressions with hypothesis.

Whatever the input, the only allowed outcomes are a sane answer or an ``AdvisorError``. CI runs a
bounded number of examples per test (derandomized, so a run is repeatable); set
``ADVISOR_FUZZ_EXAMPLES=5000`` (and optionally ``ADVISOR_FUZZ_SEED=random``) to fuzz longer.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import onnx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from onnx import TensorProto, helper

from advisor.errors import AdvisorError
from advisor.graph import analyze
from advisor.graph.analysis import MAX_NODE_BYTES, MAX_NODE_FLOPS
from advisor.graph.dims import MAX_DIM, _evaluate
from advisor.hardware.specfile import load_spec, spec_from_dict
from tests.onnx_helpers import model, tensor
from tests.test_hostile_onnx import small_net

EXAMPLES = int(os.environ.get("ADVISOR_FUZZ_EXAMPLES", "40"))
settings.register_profile(
    "advisor-fuzz", max_examples=EXAMPLES, deadline=None, database=None,
    derandomize=os.environ.get("ADVISOR_FUZZ_SEED") != "random",
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                           HealthCheck.function_scoped_fixture])
FUZZ = settings(settings.get_profile("advisor-fuzz"))
SEED_MODEL = small_net().SerializeToString()
_TMP = Path(tempfile.mkdtemp(prefix="advisor-fuzz-"))


def analyze_or_refuse(source) -> None:
    try:
        g = analyze(source)
    except AdvisorError as exc:
        assert str(exc) and "\n" not in str(exc)
        return
    assert 0 <= g.total_flops <= MAX_NODE_FLOPS * max(len(g.nodes), 1)
    assert 0 <= g.bytes_total <= MAX_NODE_BYTES * max(len(g.nodes), 1)


# --- mutated bytes of a valid model --------------------------------------------------------------
mutation = st.tuples(st.sampled_from(["flip", "insert", "delete", "truncate", "splice"]),
                     st.integers(0, len(SEED_MODEL) - 1), st.binary(min_size=1, max_size=16))


@FUZZ
@given(st.lists(mutation, min_size=1, max_size=6))
def test_mutated_model_bytes(mutations):
    data = bytearray(SEED_MODEL)
    for kind, pos, payload in mutations:
        pos = pos % max(len(data), 1)
        if kind == "flip":
            data[pos:pos + len(payload)] = bytes(b ^ p for b, p in zip(data[pos:pos + len(payload)], payload))
        elif kind == "insert":
            data[pos:pos] = payload
        elif kind == "delete":
            del data[pos:pos + len(payload)]
        elif kind == "truncate":
            del data[max(pos, 1):]
        else:
            data[pos:pos] = SEED_MODEL[: len(payload) * 8]
    path = _TMP / "mutated.onnx"
    path.write_bytes(bytes(data))
    analyze_or_refuse(path)


@FUZZ
@given(st.binary(min_size=0, max_size=2048))
def test_random_bytes(data):
    path = _TMP / "random.onnx"
    path.write_bytes(data)
    analyze_or_refuse(path)


# --- structurally random graphs ------------------------------------------------------------------
OPS = [("Relu", 1), ("Add", 2), ("Mul", 2), ("MatMul", 2), ("Conv", 2), ("Gemm", 2), ("Softmax", 1),
       ("Transpose", 1), ("Reshape", 2), ("Concat", 2), ("ReduceMean", 1), ("MaxPool", 1),
       ("LayerNormalization", 1), ("Gather", 2), ("Shape", 1), ("Expand", 2), ("Frob", 1), ("Slice", 3),
       ("Where", 3), ("Identity", 1), ("Cast", 1), ("Split", 1), ("Tile", 2)]
dims = st.one_of(st.integers(1, 64), st.sampled_from([0, -1, 2**31, 2**62, 2**63 - 1]),
                 st.sampled_from(["batch", "seq", "N", "past+1", "unk__1", ""]))


@st.composite
def random_graphs(draw):
    n_inputs = draw(st.integers(1, 3))
    inputs = [tensor(f"i{k}", draw(st.lists(dims, min_size=0, max_size=5)),
                     draw(st.sampled_from([TensorProto.FLOAT, TensorProto.INT64, TensorProto.FLOAT16])))
              for k in range(n_inputs)]
    names = [f"i{k}" for k in range(n_inputs)]
    nodes = []
    for index in range(draw(st.integers(1, 12))):
        op, arity = draw(st.sampled_from(OPS))
        args = [draw(st.sampled_from(names + ["", "ghost"])) for _ in range(arity)]
        attrs = {}
        if draw(st.booleans()):
            attrs[draw(st.sampled_from(["axis", "perm", "pads", "strides", "kernel_shape", "group"]))] = \
                draw(st.one_of(st.integers(-5, 9), st.lists(st.integers(-3, 5), min_size=1, max_size=6)))
        out = f"t{index}" if draw(st.integers(0, 9)) else draw(st.sampled_from(names))  # cycles too
        domain = "fuzz" if op == "Frob" else ""
        nodes.append(helper.make_node(op, args, [out], name=f"n{index}", domain=domain, **attrs))
        names.append(out)
    proto = model(nodes, inputs, [tensor(names[-1], None)], opset=draw(st.sampled_from([13, 17, 21])),
                  extra_opsets=[("fuzz", 1)])
    if draw(st.booleans()):
        proto.graph.value_info.append(tensor(draw(st.sampled_from(names)),
                                             draw(st.lists(st.integers(1, 2**62), max_size=4))))
    return proto


@FUZZ
@given(random_graphs())
def test_random_graphs(proto: onnx.ModelProto):
    analyze_or_refuse(proto)


# --- spec files and dim expressions --------------------------------------------------------------
scalars = st.one_of(st.none(), st.booleans(), st.integers(-2**70, 2**70), st.floats(allow_nan=True),
                    st.text(max_size=20))
values = st.recursive(scalars, lambda inner: st.one_of(st.lists(inner, max_size=4),
                                                        st.dictionaries(st.text(max_size=8), inner, max_size=4)),
                      max_leaves=12)
FIELDS = ["id", "name", "kind", "mem_bw_gbs", "peaks", "tflops_fp32", "aliases", "isa", "release_year",
          "mem_gb", "compute_units", "confidence", "source", "price_usd", "bogus"]
base = {"id": "x", "kind": "cpu", "mem_bw_gbs": 10.0, "peaks": {"fp32": 0.5}}


@FUZZ
@given(st.dictionaries(st.sampled_from(FIELDS), values, max_size=6))
def test_spec_dicts(overrides):
    try:
        hw = spec_from_dict({**base, **overrides}, where="fuzz.yaml")
    except AdvisorError as exc:
        assert str(exc).startswith("fuzz.yaml") and "\n" not in str(exc)
        return
    assert hw.mem_bw_gbs > 0 and all(v > 0 for v in hw.peaks.values())


@FUZZ
@given(st.one_of(st.text(max_size=300),
                 st.lists(st.sampled_from(["id: x\n", "kind: cpu\n", "mem_bw_gbs: 10\n", "peaks: {fp32: 1}\n",
                                           "&a [1, *a]\n", "!!python/object:os.system\n", "? [a]\n: b\n",
                                           "- *b\n", "{", "'", "\t", ".nan", "1e999", "!!binary AAAA\n"]),
                          max_size=12).map("".join)))
def test_spec_yaml_text(text):
    path = _TMP / "fuzz.yaml"
    path.write_text(text, encoding="utf-8", errors="surrogatepass")
    try:
        load_spec(path)
    except AdvisorError as exc:
        assert "\n" not in str(exc)


@FUZZ
@given(st.one_of(st.text(alphabet="0123456789+-*/() abn_", max_size=400), st.text(max_size=50)))
def test_dim_expressions(text):
    value = _evaluate(text, {"a": 3, "b": 5, "n": 7})
    assert value is None or 1 <= value <= MAX_DIM


@pytest.mark.skipif(EXAMPLES < 1000, reason="long fuzz runs only with ADVISOR_FUZZ_EXAMPLES >= 1000")
def test_long_run_marker():
    """Present so a long run's summary shows it ran in long mode."""
