"""Splits (c) and (d) with and without the rows one of training's exclusion rules leaves out.

``advisor.training.assemble`` leaves out rows no spec row describes. This script assembles the
rows with one rule switched off, then scores (c) and (d) three ways: on all of them; on them
minus that rule's rows; and with that rule's rows kept out of training but scored, so that the
rule's effect on the model is seen on the same rows. Devices keep their folds
(``evaluation.device_folds``, fixed from the full row set in every variant), so the variants
differ in those rows alone. Last, each variant's (c) for the devices of the source and kind
the rule touches.

    python benchmarks/ablate_row_rule.py --rule family-outlier --public /tmp/public.csv.gz
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ablation_common import assembled_rows, report_cd

from advisor import training  # noqa: E402

#: rule name -> (the mask function in advisor.training, what its rows are); a mask function
#: takes the rows' metadata, and the family rule their log efficiency too
RULES = {"oversubscribed": ("oversubscribed_big_cores", "oversubscribed big-core rows"),
         "paravirtual-gpu": ("paravirtual_gpu_rows", "ncnn-vulkan rows through GPU paravirtualization"),
         "family-outlier": ("family_outlier_rows", "families a device timed unlike its others")}


def rule_mask(function: str, rule, data) -> np.ndarray:
    """The rows of assembled ``data`` that ``rule`` leaves out."""
    return rule(data.meta, data.y) if function == "family_outlier_rows" else rule(data.meta)


def report_devices(name: str, cd: dict, devices: list[str]) -> None:
    """(c) per device of ``devices``: MAPE and median predicted / measured."""
    breakdown = cd["c_breakdown"]
    cells = [f"{hw} {100 * breakdown[hw].mape:.1f}% (x{breakdown[hw].median_ratio:.2f})"
             for hw in devices if hw in breakdown]
    print(f"{name} (c) per device: " + ", ".join(cells), flush=True)


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import device_folds, split_cd
    from advisor.report_eval import EVAL_PARAMS
    pick = argparse.ArgumentParser(add_help=False)
    pick.add_argument("--rule", choices=RULES, required=True)
    chosen, rest = pick.parse_known_args(argv)
    function, what = RULES[chosen.rule]
    rule = getattr(training, function)
    setattr(training, function, lambda rows, *_: np.zeros(len(rows), bool))
    try:
        data, start = assembled_rows(__doc__, rest)
    finally:
        setattr(training, function, rule)
    dropped = rule_mask(function, rule, data)
    print(f"{int(dropped.sum())} {what} among them", flush=True)
    touched = data.meta[dropped][["source", "kind"]].drop_duplicates()
    peers = data.meta.merge(touched, on=["source", "kind"])["hw_id"].unique().tolist()
    folds = device_folds(data.meta["hw_id"].to_numpy())
    variants = {f"with the {what}": split_cd(data, EVAL_PARAMS, fold_of=folds),
                "without them": split_cd(data.subset(~dropped), EVAL_PARAMS, fold_of=folds),
                "without them in training, all scored": split_cd(data, EVAL_PARAMS, fold_of=folds,
                                                                 trainable=~dropped)}
    for name, cd in variants.items():
        report_cd(name, cd)
    for name, cd in variants.items():
        report_devices(name, cd, sorted(peers))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
