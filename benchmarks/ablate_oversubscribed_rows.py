"""Splits (c) and (d) with and without ncnn's oversubscribed big-core rows, devices held out in the
same folds.

``advisor.training.runtime_conventions`` leaves out ncnn powersave-2 rows with more threads than
the device's big cores. Dropping them removes a device (the Snapdragon 888's only rows), which
reshuffles scikit-learn's device folds for every other device; this script fixes the folds from
the full row set, so the two variants differ in those rows alone.

    python benchmarks/ablate_oversubscribed_rows.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import sys
import time

import numpy as np

from ablation_common import assembled_rows, report_cd

from advisor import training  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import device_folds, split_cd
    from advisor.report_eval import EVAL_PARAMS
    keep_all = training.oversubscribed_big_cores
    training.oversubscribed_big_cores = lambda rows: np.zeros(len(rows), bool)
    try:
        data, start = assembled_rows(__doc__, argv)
    finally:
        training.oversubscribed_big_cores = keep_all
    crowded = keep_all(data.meta)
    print(f"{int(crowded.sum())} oversubscribed big-core rows among them", flush=True)
    folds = device_folds(data.meta["hw_id"].to_numpy())
    report_cd("with the oversubscribed rows", split_cd(data, EVAL_PARAMS, fold_of=folds))
    report_cd("without them", split_cd(data.subset(~crowded), EVAL_PARAMS, fold_of=folds))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
