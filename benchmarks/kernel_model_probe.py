"""Write ``reports/ablations/kernel_model_probe.md``: can per-kernel times predict unseen families?

A probe, not the product: it asks whether a latency model trained on onnxruntime's per-kernel
times (``--profile-runs`` profiles of our host) predicts the end-to-end latency of model families
it never saw better than the shipped predictor's split (b). Each kernel gets the features of
``advisor.kernel_times`` (category, FLOPs and bytes from the operator cost registry, threads,
precision); one gradient-boosted model predicts log kernel time; a row's prediction is the sum of
its kernels' predictions. Families are held out whole (leave one family group out, as split (b)).

Two kernel lists are summed: the one onnxruntime ran (an oracle: the per-kernel time model
alone) and the one ``advisor.kernels.fuse`` predicts from the graph, as a product version would
(``reports/kernel_profiles.md`` compares the two lists).

    python benchmarks/kernel_model_probe.py [--db data/measurements/measurements.sqlite]
"""

from __future__ import annotations

import argparse
import sys
import time
from datetime import datetime, timezone
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from advisor.kernel_times import feature_frame, predicted_kernel, profiled_kernel  # noqa: E402
from advisor.measure.store import KEY  # noqa: E402
from kernel_profile_report import load_profiles, our_kernel_list, seq_or_none  # noqa: E402
from noise_report import load_rows  # noqa: E402

GROUPS = 6   # family groups, as evaluation split (b)


def kernel_table(data: pd.DataFrame) -> pd.DataFrame:
    """One row per executed kernel of every profiled measurement (``advisor.kernel_times``)."""
    records = []
    for i, row in enumerate(data.itertuples(index=False)):
        for node in row.nodes:
            records.append({"row": i, "us": node[3], "threads": row.threads, "precision": row.precision,
                            "launches": 1, **profiled_kernel(node[1], node[4], node[5], *node[6:9])})
    return pd.DataFrame(records)


def our_kernels(source: str, batch: int, seq_len, threads: int, precision: str) -> pd.DataFrame | None:
    """``advisor.kernels.fuse``'s kernel list of a zoo recipe (None when it cannot be rebuilt)."""
    kernels = our_kernel_list(source, batch, seq_or_none(seq_len))
    if kernels is None:
        return None
    return pd.DataFrame([predicted_kernel(k) for k in kernels]).assign(threads=threads, precision=precision)


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
    X, y = feature_frame(kernels), np.log(np.maximum(kernels["us"].to_numpy(float), 0.05))
    families = sorted(data["family"].unique())
    group_of = {f: i % GROUPS for i, f in enumerate(families)}
    row_group = data["family"].map(group_of).to_numpy()
    kernel_group = row_group[kernels["row"].to_numpy()]
    predicted = np.full(len(data), np.nan)      # over onnxruntime's own kernel list
    ours = np.full(len(data), np.nan)           # over advisor.kernels.fuse's kernel list
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
        for i in np.flatnonzero((row_group == g) & (data["precision"] == "fp32").to_numpy()):
            r = data.iloc[i]
            listed = our_kernels(r.source, int(r.batch), r.seq_len, int(r.threads), r.precision)
            if listed is not None and len(listed):
                ms = np.exp(model.predict(feature_frame(listed))) / 1e3
                ours[i] = float((ms * listed["launches"].to_numpy(float)).sum())
    measured = data["median_ms"].to_numpy(float)
    kernel_sum = data["nodes"].map(lambda ns: sum(n[3] for n in ns) / 1e3).to_numpy(float)
    ape = np.abs(predicted / measured - 1)
    ape_ours = np.abs(ours / measured - 1)
    oracle = np.abs(kernel_sum / measured - 1)
    data = data.assign(ape=ape, ours=ape_ours, oracle=oracle)
    lines = ["# Probe: a per-kernel time model on held-out families", "",
             f"Generated by `benchmarks/kernel_model_probe.py` on {datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC "
             f"in {time.monotonic() - t0:.0f} s: {len(data)} profiled rows, {len(kernels)} kernels, "
             f"{len(families)} families dealt into {GROUPS} held-out groups.", "",
             "One gradient-boosted model of log kernel time (features from `advisor/kernel_times.py`: "
             "category, FLOPs and bytes costed by the operator registry, threads, precision), trained on "
             "the other groups' profiled kernels. A row's prediction is the sum of its kernels' "
             "predicted times, over two kernel lists: the one onnxruntime ran (*oracle list*: the "
             "kernel model alone) and the one `advisor.kernels.fuse` predicts from the graph "
             "(*our list*: what a product version would do; int8 rows lack the quantize/dequantize "
             "kernels onnxruntime adds, so that column is for fp32). *Measured kernel sum*: the "
             "profiled kernels' own total against the timed latency, the floor of this approach.", "",
             "| held-out family | rows | oracle list: MAPE | median APE | within 10% | our list, fp32 rows: MAPE | "
             "measured kernel sum: MAPE |",
             "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]

    def fp32_mape(frame: pd.DataFrame) -> str:
        values = frame.loc[frame.precision == "fp32", "ours"].dropna()
        return f"{values.mean():.1%} ({len(values)})" if len(values) else "-"
    for fam, g in data.groupby("family"):
        lines.append(f"| {fam} | {len(g)} | {g.ape.mean():.1%} | {g.ape.median():.1%} | "
                     f"{(g.ape <= 0.1).mean():.1%} | {fp32_mape(g)} | {g.oracle.mean():.1%} |")
    lines.append(f"| **all** | {len(data)} | {np.nanmean(ape):.1%} | {np.nanmedian(ape):.1%} | "
                 f"{np.nanmean(ape <= 0.1):.1%} | {fp32_mape(data)} | {oracle.mean():.1%} |")
    lines += ["", "Not comparable one-to-one with `reports/evaluation.md` (b): only the rows measured "
              "with profiles so far, one random deal of families into groups.", ""]
    Path(args.out).write_text("\n".join(lines))
    print(f"wrote {args.out}: MAPE {np.nanmean(ape):.1%} over {len(data)} rows")
    return 0


if __name__ == "__main__":
    sys.exit(main())
