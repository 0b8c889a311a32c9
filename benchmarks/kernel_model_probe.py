"""Write ``reports/ablations/kernel_model_probe.md``: can per-kernel times predict unseen families?

A probe, not the product: it asks whether a latency model trained on onnxruntime's per-kernel
times (``--profile-runs`` profiles of our host) predicts the end-to-end latency of model families
it never saw better than the shipped predictor's split (b). Each kernel gets features computable
from its op type and shapes alone (FLOPs, elements read and written, weight elements, threads,
precision); one gradient-boosted model predicts log kernel time; a row's prediction is the sum of
its kernels' predictions. Families are held out whole (leave one family group out, as split (b)).

The kernel list used here is the one onnxruntime ran (an oracle): this measures the per-kernel
time model alone. A product version also has to predict that list from the graph
(``reports/kernel_profiles.md`` compares ``advisor.kernels.fuse`` with it).

    python benchmarks/kernel_model_probe.py [--db data/measurements/measurements.sqlite]
"""

from __future__ import annotations

import argparse
import math
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from advisor.measure.store import KEY  # noqa: E402
from kernel_profile_report import load_profiles  # noqa: E402
from noise_report import load_rows  # noqa: E402

GROUPS = 6   # family groups, as evaluation split (b)
MATRIX_OPS = {"Conv", "FusedConv", "ConvInteger", "QLinearConv", "NchwcConv", "MatMul", "Gemm",
              "FusedMatMul", "MatMulInteger", "QLinearMatMul", "DynamicQuantizeMatMul",
              "MatMulIntegerToFloat", "FusedGemm", "ConvTranspose"}


def _dims(text: str) -> list[list[int]]:
    out = []
    for part in text.split(";") if text else []:
        _, _, dims = part.partition(":")
        out.append([int(d) for d in dims.split("x") if d] if dims else [])
    return out


def _numel(dims: list[int]) -> int:
    return int(np.prod(dims)) if dims else 1


def kernel_features(op: str, inputs: str, outputs: str) -> dict:
    """Shape-derived features of one executed kernel."""
    ins, outs = _dims(inputs), _dims(outputs)
    out_elems = sum(_numel(d) for d in outs)
    in_elems = sum(_numel(d) for d in ins)
    first = _numel(ins[0]) if ins else 0
    weight = _numel(ins[1]) if len(ins) > 1 and op in MATRIX_OPS else 0
    if op in MATRIX_OPS and "Conv" in op and len(ins) > 1 and len(ins[1]) >= 3:
        reduce = _numel(ins[1][1:])                       # cin/groups * kh * kw
        # QLinearConv's weight is its 4th input (x, x_scale, x_zp, w, ...)
        if op == "QLinearConv" and len(ins) > 3:
            reduce, weight = _numel(ins[3][1:]), _numel(ins[3])
        flops = 2 * out_elems * reduce
    elif op in MATRIX_OPS and ins and ins[0]:
        flops = 2 * out_elems * ins[0][-1]
    else:
        flops = out_elems
    spatial = outs[0][-1] * outs[0][-2] if outs and len(outs[0]) >= 4 else 0
    return {"log_flops": math.log1p(flops), "log_out": math.log1p(out_elems), "log_in": math.log1p(in_elems),
            "log_first": math.log1p(first), "log_weight": math.log1p(weight),
            "log_spatial": math.log1p(spatial), "n_inputs": len(ins),
            "rank_out": len(outs[0]) if outs else 0}


def kernel_table(data: pd.DataFrame) -> pd.DataFrame:
    """One row per executed kernel of every profiled measurement."""
    records = []
    for i, row in enumerate(data.itertuples(index=False)):
        for name, op, provider, us, ins, outs in row.nodes:
            records.append({"row": i, "op": op, "us": us, "threads": row.threads,
                            "precision": row.precision, **kernel_features(op, ins, outs)})
    return pd.DataFrame(records)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--nodes", default=str(ROOT / "data/measurements/*-kernels.jsonl.gz"))
    ap.add_argument("--csv", default=str(ROOT / "data/measurements/*.csv"))
    ap.add_argument("--db", default=None)
    ap.add_argument("-o", "--out", default=str(ROOT / "reports/ablations/kernel_model_probe.md"))
    args = ap.parse_args(argv)
    from xgboost import XGBRegressor
    t0 = time.monotonic()
    profiles = load_profiles(args.nodes, args.db)
    rows = load_rows(db=args.db, csv_glob=args.csv)
    data = profiles.merge(rows[rows.status == "ok"], on=list(KEY), how="inner",
                          suffixes=("_profile", "")).reset_index(drop=True)
    kernels = kernel_table(data)
    ops = kernels["op"].value_counts()
    common = list(ops[ops >= 20].index)
    X = pd.get_dummies(kernels["op"].where(kernels["op"].isin(common), "other"), prefix="op", dtype=float)
    X = pd.concat([kernels.drop(columns=["row", "op", "us", "precision"]), X,
                   pd.get_dummies(kernels["precision"], prefix="p", dtype=float)], axis=1).astype(float)
    y = np.log(np.maximum(kernels["us"].to_numpy(float), 0.05))
    families = sorted(data["family"].unique())
    group_of = {f: i % GROUPS for i, f in enumerate(families)}
    row_group = data["family"].map(group_of).to_numpy()
    kernel_group = row_group[kernels["row"].to_numpy()]
    predicted = np.full(len(data), np.nan)
    for g in range(GROUPS):
        test = kernel_group == g
        if not test.any() or test.all():
            continue
        model = XGBRegressor(n_estimators=400, max_depth=8, learning_rate=0.05, subsample=0.8,
                             colsample_bytree=0.8, n_jobs=2, random_state=0)
        model.fit(X[~test], y[~test])
        per_kernel_ms = np.exp(model.predict(X[test])) / 1e3
        sums = pd.Series(per_kernel_ms).groupby(kernels["row"].to_numpy()[test]).sum()
        predicted[sums.index.to_numpy()] = sums.to_numpy()
    measured = data["median_ms"].to_numpy(float)
    kernel_sum = data["nodes"].map(lambda ns: sum(n[3] for n in ns) / 1e3).to_numpy(float)
    ape = np.abs(predicted / measured - 1)
    oracle = np.abs(kernel_sum / measured - 1)
    data = data.assign(ape=ape, oracle=oracle)
    lines = ["# Probe: a per-kernel time model on held-out families", "",
             f"Generated by `benchmarks/kernel_model_probe.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
             f"in {time.monotonic() - t0:.0f} s: {len(data)} profiled rows, {len(kernels)} kernels, "
             f"{len(families)} families dealt into {GROUPS} held-out groups.", "",
             "Prediction = sum over the kernels onnxruntime ran (oracle kernel list) of a gradient-"
             "boosted model's kernel time, trained on the other groups' kernels. *Measured kernel sum* "
             "is the profiled kernels' own total against the timed latency: the floor this approach "
             "can reach with a perfect kernel model.", "",
             "| held-out family | rows | MAPE | median APE | within 10% | measured kernel sum: MAPE |",
             "| --- | ---: | ---: | ---: | ---: | ---: |"]
    for fam, g in data.groupby("family"):
        lines.append(f"| {fam} | {len(g)} | {g.ape.mean():.1%} | {g.ape.median():.1%} | "
                     f"{(g.ape <= 0.1).mean():.1%} | {g.oracle.mean():.1%} |")
    lines.append(f"| **all** | {len(data)} | {np.nanmean(ape):.1%} | {np.nanmedian(ape):.1%} | "
                 f"{np.nanmean(ape <= 0.1):.1%} | {oracle.mean():.1%} |")
    lines += ["", "Not comparable one-to-one with `reports/evaluation.md` (b): these are only the rows "
              "measured with profiles so far, and the kernel list is given, not predicted.", ""]
    Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}: MAPE {np.nanmean(ape):.1%} over {len(data)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
