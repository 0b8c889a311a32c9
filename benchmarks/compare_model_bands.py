"""Two trained model directories side by side: their spec-only residual bands and what those do to
one prediction's interval.

`advisor train` stores, per (runtime, precision) group with residuals from enough held-out devices,
the central band of the residuals its device-held-out folds left (log efficiency, measured minus
predicted); a spec-only prediction's 90% interval is that band around the prediction, widened to
contain it. This prints every group's band in both directories and the README's example
prediction (ResNet-50 on a T4 and an A100, onnxruntime) with each model.

    python benchmarks/compare_model_bands.py models /tmp/other-models
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.api import predict_many  # noqa: E402


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("models", nargs=2, help="two model directories (advisor train output)")
    args = ap.parse_args(argv)
    metas = [json.loads((Path(d) / "efficiency.meta.json").read_text()) for d in args.models]
    print("# Spec-only residual bands of two trained models\n")
    for d, m in zip(args.models, metas):
        print(f"- `{d}`: training digest `{m['training_digest']}`, {m['training_rows']} rows, by source {m['rows_by_source']}")
    keys = sorted(set().union(*(m["intervals"].get("unseen", {}) for m in metas)))
    print("\n| group | " + " | ".join(f"band in `{d}` (low, high)" for d in args.models) + " |")
    print("| --- | " + " | ".join("---" for _ in args.models) + " |")
    for key in keys:
        cells = []
        for m in metas:
            band = m["intervals"].get("unseen", {}).get(key)
            cells.append("- (overall band)" if band is None else f"{band[0]:+.2f}, {band[2]:+.2f}")
        print(f"| {key} | " + " | ".join(cells) + " |")
    graph = str(ROOT / "examples" / "resnet50-graph-only.onnx")
    print("\nREADME's example, `advisor predict --model examples/resnet50-graph-only.onnx --hw t4,a100 "
          "--batch 1,32 --precision fp32,fp16,int8` (spec-only, onnxruntime):\n")
    print("| hardware | precision | batch | " + " | ".join(f"ms (90% interval), `{d}`" for d in args.models) + " |")
    print("| --- | --- | ---: | " + " | ".join("---" for _ in args.models) + " |")
    frames = [predict_many(graph, ["t4", "a100"], [1, 32], [None], ["fp32", "fp16", "int8"], models=d)
              for d in args.models]
    for i in range(len(frames[0])):
        r = frames[0].iloc[i]
        cells = [f"{f.iloc[i]['latency_ms']:.3g} ({f.iloc[i]['interval_ms'][0]:.3g}-{f.iloc[i]['interval_ms'][1]:.3g})" for f in frames]
        print(f"| {r['hw_id']} | {r['precision']} | {r['batch']} | " + " | ".join(cells) + " |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
