"""Splits (c) and (d) with and without the spec-only group centres, on the same fitted trees.

A spec-only prediction used to be shifted by its (runtime, precision) group's mean residual over
the device-held-out folds (``EfficiencyRegressor(unseen_centres=True)``). The trees are the same
either way; only the shift differs. For each device partition the evaluation pools, each fold's
model is fitted once with the centres, then scored as fitted and with every spec-only centre set
to 0 (what ``unseen_centres=False`` stores), with the same calibration rows in (d).

    python benchmarks/ablate_unseen_centres.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import copy
import sys
import time

import numpy as np

from ablation_common import assembled_rows, report_cd


def without_centres(model):
    """A shallow copy of ``model`` whose spec-only bands have centre 0."""
    out = copy.copy(model)
    out.intervals_ = dict(model.intervals_)
    out.intervals_["unseen"] = {k: (lo, 0.0, hi) for k, (lo, _, hi) in model.intervals_["unseen"].items()}
    return out


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import (_fit, _score_unseen, device_folds, summarise_unseen,
                                    unseen_accumulators)
    from advisor.report_eval import CD_PARTITIONS, EVAL_PARAMS
    data, start = assembled_rows(__doc__, argv)
    public = (data.meta["source"] != "ours").to_numpy()
    devices = data.meta["hw_id"].to_numpy()
    params = {**EVAL_PARAMS, "unseen_centres": True}
    for partition in range(CD_PARTITIONS):
        layout = device_folds(devices, 5, partition)
        fold = np.array([layout[str(hw)] for hw in devices])
        # the same calibration rows in both variants: one generator each, drawn alike
        variants = {name: (unseen_accumulators(), np.random.default_rng(0))
                    for name in ("centres on", "centres off")}
        for k in range(fold.max() + 1):
            test_mask = (fold == k) & public
            if not test_mask.any():
                continue
            train, test = data.subset(fold != k), data.subset(test_mask)
            model = _fit(train, params, unseen_intervals=True)
            for name, scored in (("centres on", model), ("centres off", without_centres(model))):
                out, rng = variants[name]
                _score_unseen(scored, train, test, 10, rng, out, {})
        for name, (out, _) in variants.items():
            report_cd(f"partition {partition}, {name}", summarise_unseen(out))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
