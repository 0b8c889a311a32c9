"""Which part of the prediction carries a held-out set's error? Split (b)'s fold of one family, or
split (a)'s held-out rows of one source.

Fits the split's model as `advisor evaluate` does (``--family F``: every row of family F out, as
split (b); ``--split-a SOURCE``: split (a)'s hashed graph fold) and prints, per group of held-out
rows, the median predicted / measured: as evaluated, without the per-setting offsets, the plain
trees, the plain trees with the kernel-sum and per-kernel features hidden (NaN), and as an unseen
device; with the two features' values (median, NaN when hidden on every row), the share of rows
with a kernel-sum value, and the measured log efficiency; *offset_any_mix*: the offsets applied
whatever a row's kernel mix (as before session 26's mix rule in ``offset_applies``);
*no_blend*: seen-device predictions from the trees alone, without the kernel sum's weight
(``advisor.kernel_sum_blend``; offsets and bands as fitted with it); and the MAPE of four of
them. A few minutes on 2 cores::

    python benchmarks/holdout_parts.py /tmp/public.csv.gz --family random_decoder
    python benchmarks/holdout_parts.py /tmp/public.csv.gz --split-a mlperf
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import _fit, split_a_sets  # noqa: E402
from advisor.features import kernel_sum_column, kernel_time_column  # noqa: E402
from advisor.kernel_sum import group_shares  # noqa: E402
from advisor.paths import measurement_csvs  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402
from advisor.training import assemble  # noqa: E402


def held_out_sets(data, family: str | None, split_a_source: str | None):
    """(train, test, grouping columns) of the asked split."""
    meta = data.meta
    if family is not None:
        held = (meta["family"] == family).to_numpy()
        ours = (meta["source"] == "ours").to_numpy()
        mode = np.where(meta["graph"].astype(str).str.contains("mode=decode"), "decode", "prefill")
        data.meta = meta.assign(mode=mode)
        return data.subset(~held), data.subset(held & ours), ["precision", "mode"]
    train, test = split_a_sets(data)
    keep = (test.meta["source"] == split_a_source).to_numpy()
    test = test.subset(keep)
    test.meta = test.meta.assign(model=test.meta["graph"].astype(str).str.slice(0, 40))
    return train, test, ["model", "runtime", "precision"]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("public", help="`advisor data import` table")
    which = ap.add_mutually_exclusive_group(required=True)
    which.add_argument("--family", help="split (b): hold out this family, score our rows of it")
    which.add_argument("--split-a", dest="split_a", metavar="SOURCE",
                       help="split (a): score its held-out rows of this source")
    args = ap.parse_args(argv)
    start = time.time()
    data = assemble(args.public, measurement_csvs())
    print("assembled", len(data), f"{time.time() - start:.0f}s", flush=True)
    train, test, by = held_out_sets(data, args.family, args.split_a)
    if not len(test):
        print("no held-out rows", file=sys.stderr)
        return 1
    model = _fit(train, EVAL_PARAMS)
    X = test.features_for(model.kernel_sum_, getattr(model, "kernel_time_", None))
    parts = [kernel_sum_column(), kernel_time_column()]

    def ratio(log_eff):
        return test.roofline_s / np.exp(log_eff) / test.measured_s

    seen = np.zeros(len(test), bool)
    _, full, _ = model.predict_interval(X, unseen=seen, setting_keys=test.setting_keys,
                                        offset_shares=group_shares(test.basis))
    _, any_mix, _ = model.predict_interval(X, unseen=seen, setting_keys=test.setting_keys)
    _, no_offset, _ = model.predict_interval(X, unseen=seen)
    weights, model.kernel_sum_weights_ = model.kernel_sum_weights_, {}
    _, no_blend, _ = model.predict_interval(X, unseen=seen, setting_keys=test.setting_keys,
                                            offset_shares=group_shares(test.basis))
    model.kernel_sum_weights_ = weights
    hidden = X.copy()
    hidden[:, parts] = np.nan
    df = test.meta[by].reset_index(drop=True).assign(
        rows=1, full=ratio(full), no_blend=ratio(no_blend), offset_any_mix=ratio(any_mix), no_offset=ratio(no_offset), plain_trees=ratio(model.predict(X)),
        no_kernel_parts=ratio(model.predict(hidden)), as_unseen_device=ratio(model.predict(X, unseen=True)),
        kernel_sum_feat=X[:, parts[0]], kernel_sum_rows=np.isfinite(X[:, parts[0]]).astype(float),
        kernel_time_feat=X[:, parts[1]], log_eff_measured=test.y)
    grouped = df.groupby(by)
    table = grouped.median(numeric_only=True).drop(columns="rows")
    table.insert(0, "rows", grouped.size())
    table["kernel_sum_rows"] = grouped["kernel_sum_rows"].mean()
    print(f"median predicted / measured of {len(test)} held-out rows, by {', '.join(by)}")
    print(table.round(2).to_string())
    ape = lambda r: 100 * float(np.mean(np.abs(r - 1)))  # noqa: E731
    print(f"MAPE: full {ape(df['full']):.1f}%, offsets on any kernel mix {ape(df['offset_any_mix']):.1f}%, "
          f"no offsets {ape(df['no_offset']):.1f}%, trees without the kernel-sum blend "
          f"{ape(df['no_blend']):.1f}%")
    print("kernel-sum weights:", {k: round(v, 2) for k, v in model.kernel_sum_weights_.items()})
    if args.family is not None:
        host = str(test.setting_keys[0]).split("|")[0]
        print("offsets of the host's settings:",
              {k: round(v, 2) for k, v in model.setting_offsets_.items() if k.startswith(host)})
    print(f"done {time.time() - start:.0f}s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
