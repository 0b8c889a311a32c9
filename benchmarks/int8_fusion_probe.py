"""Which matrix ops onnxruntime runs in int8 after static QDQ quantization, against our rule.

For each zoo graph: quantize it as `advisor measure` does (``quantize_static``, QDQ, random
calibration: ``advisor.measure.variants.make_variant``), let onnxruntime optimise the QDQ model
for the CPU and save it, and call a Conv/Gemm/MatMul *fused* when its node turned into QLinearConv,
QGemm, QLinearMatMul... (under its own name with a new op type, or gone from the optimised graph,
replaced by a renamed int8 node: the table checks those against the int8 matrix ops counted there)
and *unfused* when it is still the float op fed by DequantizeLinear. ``advisor.profile.qdq_unfused_nodes`` predicts the unfused ones
from the fp32 graph alone (activation input or output with more than one reader); the table
counts agreement. A second table puts our measured static-int8 / fp32 time ratios of the seeded
random MLPs (``data/measurements``, batch 1, per thread count) beside their activation and the rule's
unfused share. Writes ``reports/int8_fusion.md``::

    python benchmarks/int8_fusion_probe.py

About a minute; no timing, so it needs no idle machine.
"""

from __future__ import annotations

import datetime as dt
import platform
import sys
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import onnx
import onnxruntime as ort

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.dataset.graphs import graph_for  # noqa: E402
from advisor.graph import analyze  # noqa: E402
from advisor.paths import measurement_csvs  # noqa: E402
from advisor.training import load_measurements  # noqa: E402
from advisor.measure.timing import InputSpec, _elem_type_to_numpy  # noqa: E402
from advisor.measure.variants import make_variant  # noqa: E402
from advisor.profile import int8_unfused, qdq_unfused_nodes, weighted_matrix_nodes  # noqa: E402
from advisor.zoo.registry import build  # noqa: E402

CASES = [("mlp", {"act": "silu", "hidden": "512-512-512"}), ("mlp", {"act": "gelu", "hidden": "512-512-512"}),
         ("mlp", {"act": "tanh", "hidden": "512-512-512"}), ("mlp", {"act": "relu", "hidden": "512-512-512"}),
         ("mobilenet_v3_small", {}), ("efficientnet_b0", {}), ("regnet_y_400mf", {}), ("mobilenet_v2", {}),
         ("resnet18", {}), ("bert_tiny", {}), ("gpt2_tiny", {}), ("yolov5n", {"resolution": 320}),
         ("llama_tiny", {}), ("random_decoder", {"seed": 300})]


INT8_MATRIX_OPS = {"QLinearConv", "QGemm", "QLinearMatMul", "MatMulInteger", "ConvInteger",
                   "MatMulIntegerToFloat", "DynamicQuantizeMatMul"}


def probe(name: str, opts: dict, tmp: Path) -> tuple[Counter, int, int]:
    """(counts of (predicted, observed) per matrix op, ops not found by name in the optimised
    graph (counted as fused), int8 matrix ops in the optimised graph)."""
    model = build(name, **opts)
    src = tmp / f"{name}.onnx"
    onnx.save(model, str(src))
    weights = {t.name for t in model.graph.initializer}
    specs = [InputSpec(i.name, tuple(d.dim_value or 1 for d in i.type.tensor_type.shape.dim),
                       _elem_type_to_numpy(i.type.tensor_type.elem_type))
             for i in model.graph.input if i.name not in weights]
    variant = make_variant(src, "int8-static", tmp, inputs=specs)
    options = ort.SessionOptions()
    options.optimized_model_filepath = str(tmp / f"{name}.optimized.onnx")
    options.log_severity_level = 3
    ort.InferenceSession(str(variant.path), options, providers=["CPUExecutionProvider"])
    optimised = onnx.load(options.optimized_model_filepath).graph.node
    ran = {n.name: n.op_type for n in optimised}
    int8_ops = sum(n.op_type in INT8_MATRIX_OPS for n in optimised)
    graph = analyze(model)
    predicted = {n.name for n in qdq_unfused_nodes(graph)}
    counts, missing = Counter(), 0
    for node in weighted_matrix_nodes(graph):
        missing += node.name not in ran
        observed = "unfused" if ran.get(node.name) == node.op_type else "fused"
        counts[("unfused" if node.name in predicted else "fused", observed)] += 1
    return counts, missing, int8_ops


ACTIVATIONS = {"Relu": "relu", "Tanh": "tanh", "Sigmoid": "silu", "Erf": "gelu"}


def measured_mlp_ratios() -> list[str]:
    """Table rows: activation, graphs, unfused FLOP share range, int8/fp32 ratio range (batch 1)."""
    rows = load_measurements(measurement_csvs())
    mlp = rows[(rows["family"] == "random_mlp") & (rows["batch"] == 1)]
    # ratios within a host (hw_id), never across: hosts differ in their int8 instructions
    times = mlp.pivot_table(index=["hw_id", "graph", "threads"], columns="precision",
                            values="latency_ms", aggfunc="median")
    if "int8" not in times or "fp32" not in times:
        return []
    ratio = (times["int8"] / times["fp32"]).dropna().groupby(level="graph").median()
    by_activation: dict[str, list[tuple[float, float]]] = {}
    for graph, r in ratio.items():
        model = graph_for(graph)
        ops = {n.op_type for n in model.graph.node}
        activation = next((a for op, a in ACTIVATIONS.items() if op in ops), "other")
        share = int8_unfused(analyze(model))["int8_unfused_flops_share"]
        by_activation.setdefault(activation, []).append((share, float(r)))
    out = []
    for activation, values in sorted(by_activation.items()):
        shares, ratios = np.array(values).T
        out.append(f"| {activation} | {len(values)} | {shares.min():.2f}-{shares.max():.2f} | "
                   f"{ratios.min():.2f}-{ratios.max():.2f} | {np.median(ratios):.2f} |")
    return out


def main() -> int:
    rows, total = [], Counter()
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, opts) in enumerate(CASES):
            case_dir = Path(tmp) / str(i)
            case_dir.mkdir()
            counts, missing, int8_ops = probe(name, opts, case_dir)
            total.update(counts)
            label = name + (" " + ",".join(f"{k}={v}" for k, v in opts.items()) if opts else "")
            rows.append(f"| {label} | {counts[('fused', 'fused')]} | {counts[('unfused', 'unfused')]} | "
                        f"{counts[('fused', 'unfused')]} | {counts[('unfused', 'fused')]} | {missing} | {int8_ops} |")
    agree = total[("fused", "fused")] + total[("unfused", "unfused")]
    n = sum(total.values())
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    print("# Static int8: which matrix ops onnxruntime fuses\n")
    print(f"Generated by `benchmarks/int8_fusion_probe.py` on {now}, host `{platform.node()}`, "
          f"onnxruntime {ort.__version__}. Each graph quantized with `quantize_static` (QDQ, int8 "
          "activations and weights, MinMax on random inputs) and optimised by onnxruntime for the CPU; "
          "a weighted Conv/Gemm/MatMul counts as *fused* when onnxruntime turned it into its int8 "
          "form, *unfused* when it still runs the float op on dequantized weights. The rule "
          "(`advisor.profile.qdq_unfused_nodes`): unfused when the op's activation input or its "
          "output has more than one reader in the fp32 graph.\n")
    print("| graph | fused, rule says fused | unfused, rule says unfused | unfused, rule says fused "
          "| fused, rule says unfused | of the fused: renamed | int8 matrix ops run |")
    print("| --- | ---: | ---: | ---: | ---: | ---: | ---: |")
    print("\n".join(rows))
    print(f"\nAgreement: {agree} of {n} matrix ops ({100 * agree / max(n, 1):.1f}%); the rule calls "
          f"{total[('unfused', 'fused')]} fused ops unfused and misses {total[('fused', 'unfused')]} "
          "unfused ones.")
    measured = measured_mlp_ratios()
    if measured:
        print("\n## Measured: static int8 over fp32 time of the seeded random MLPs\n")
        print("Our onnxruntime rows (`data/measurements`), batch 1, each graph's median ratio over "
              "the thread counts measured; the activation read from the graph (SiLU is "
              "Sigmoid and Mul, GELU is Erf), the unfused share from the rule.\n")
        print("| activation | graphs | unfused FLOP share | int8 / fp32 time | median |")
        print("| --- | ---: | ---: | ---: | ---: |")
        print("\n".join(measured))
    return 0


if __name__ == "__main__":
    sys.exit(main())
