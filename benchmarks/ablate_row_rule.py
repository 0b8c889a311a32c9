"""Splits (c) and (d) with and without the rows one of training's exclusion rules leaves out.

``advisor.training.assemble`` leaves out rows no spec row describes. This script assembles the
rows with one rule switched off, then scores (c) and (d) three ways: on all of them; on them
minus that rule's rows; and with that rule's rows kept out of training but scored, so that the
rule's effect on the model is seen on the same rows. Devices keep their folds
(``evaluation.device_folds``, partition 0 of the full row set, in every variant), so the
variants differ in those rows alone. Last, each variant's (c) for the devices of the source and
kind the rule touches. ``--folds-of DEVICE...`` fits only the folds holding those devices: a
probe of the devices a rule should help, not a score of the whole split.

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


def score_variants(data, dropped: np.ndarray, fold_of: dict[str, int], what: str,
                   only_folds: set[int] | None = None) -> dict[str, dict]:
    """Splits (c) and (d), per device fold (``only_folds``, or all): with the ``dropped`` rows
    in training and scored; with them out of training, scored on the rows the rule keeps
    ("without them": what training with the rule is scored on); and scored on every row ("...
    all scored": the rule's effect on the model, on the same rows as with them). One fit per fold
    and training set (a fold whose training holds none of the rows fits once); each scoring
    draws its calibration rows from its own generator, as ``split_cd`` does."""
    from advisor.evaluation import (_fit, _score_unseen, summarise_unseen_by_device,
                                    unseen_accumulators)
    from advisor.report_eval import EVAL_PARAMS
    public = (data.meta["source"] != "ours").to_numpy()
    fold = np.array([fold_of[str(hw)] for hw in data.meta["hw_id"]])
    everything = np.ones_like(dropped)
    # name -> (train without the rule's rows?, rows scored)
    scorings = {f"with the {what}": (False, everything), "without them": (True, ~dropped),
                "without them in training, all scored": (True, everything)}
    runs = {name: (unseen_accumulators(), {}, np.random.default_rng(0)) for name in scorings}
    for k in range(fold.max() + 1):
        if not ((fold == k) & public).any() or (only_folds is not None and k not in only_folds):
            continue
        train = {False: data.subset(fold != k)}
        model = {False: _fit(train[False], EVAL_PARAMS, unseen_intervals=True)}
        if (dropped & (fold != k)).any():
            train[True] = data.subset((fold != k) & ~dropped)
            model[True] = _fit(train[True], EVAL_PARAMS, unseen_intervals=True)
        else:   # none of the rule's rows in this fold's training: the same fit
            train[True], model[True] = train[False], model[False]
        for name, (without, scored) in scorings.items():
            test = (fold == k) & public & scored
            if test.any():
                out, per_device, rng = runs[name]
                _score_unseen(model[without], train[without], data.subset(test), 10, rng,
                              out, per_device)
    return {name: summarise_unseen_by_device(out, per_device) for name, (out, per_device, _) in runs.items()}


def report_devices(name: str, cd: dict, devices: list[str]) -> None:
    """(c) per device of ``devices``: MAPE and median predicted / measured."""
    breakdown = cd["c_breakdown"]
    cells = [f"{hw} {100 * breakdown[hw].mape:.1f}% (x{breakdown[hw].median_ratio:.2f})"
             for hw in devices if hw in breakdown]
    print(f"{name} (c) per device: " + ", ".join(cells), flush=True)


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import device_folds
    pick = argparse.ArgumentParser(add_help=False)
    pick.add_argument("--rule", choices=RULES, required=True)
    pick.add_argument("--folds-of", nargs="+", default=None, metavar="DEVICE",
                      help="fit and score only the folds holding these devices (a probe; "
                           "default every fold)")
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
    only = None if chosen.folds_of is None else {folds[hw] for hw in chosen.folds_of}
    if only is not None:
        print(f"only the folds {sorted(only)} of partition 0, holding "
              f"{sorted(hw for hw, k in folds.items() if k in only)}", flush=True)
    variants = score_variants(data, dropped, folds, what, only)
    for name, cd in variants.items():
        report_cd(name, cd)
    for name, cd in variants.items():
        report_devices(name, cd, sorted(peers))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
