"""Splits (c) and (d) with and without the rows one of training's exclusion rules leaves out.

``advisor.training.runtime_conventions`` leaves out rows no spec row describes. This script
assembles the rows with one rule switched off, then scores (c) and (d) on them and on them minus
that rule's rows. Devices keep their folds (``evaluation.device_folds``; the folds are fixed
from the full row set in both variants), so the two differ in those rows alone.

    python benchmarks/ablate_row_rule.py --rule paravirtual-gpu --public /tmp/public.csv.gz
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ablation_common import assembled_rows, report_cd

from advisor import training  # noqa: E402

#: rule name -> (the mask function in advisor.training, what its rows are)
RULES = {"oversubscribed": ("oversubscribed_big_cores", "oversubscribed big-core rows"),
         "paravirtual-gpu": ("paravirtual_gpu_rows", "ncnn-vulkan rows through GPU paravirtualization")}


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import device_folds, split_cd
    from advisor.report_eval import EVAL_PARAMS
    pick = argparse.ArgumentParser(add_help=False)
    pick.add_argument("--rule", choices=RULES, required=True)
    chosen, rest = pick.parse_known_args(argv)
    function, what = RULES[chosen.rule]
    rule = getattr(training, function)
    setattr(training, function, lambda rows: np.zeros(len(rows), bool))
    try:
        data, start = assembled_rows(__doc__, rest)
    finally:
        setattr(training, function, rule)
    dropped = rule(data.meta)
    print(f"{int(dropped.sum())} {what} among them", flush=True)
    folds = device_folds(data.meta["hw_id"].to_numpy())
    report_cd(f"with the {what}", split_cd(data, EVAL_PARAMS, fold_of=folds))
    report_cd("without them", split_cd(data.subset(~dropped), EVAL_PARAMS, fold_of=folds))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
