"""Split (d) under variants of the rule that drops a 10-row calibration correction.

`advisor calibrate` stores no correction whose leave-one-out MAPE over its rows is no lower than
the rows' uncorrected MAPE (``calibration.fit_checked_correction``). At session 33's model that
rule gave (d) 14.7% where the correction always applied gave 14.0% on the same draws. This
script scores, on one fit per device fold and the same calibration draws, the rule with a
margin: drop only where the leave-one-out MAPE exceeds ``margin`` x the uncorrected one
(1.0 is today's rule; the always-applied correction is (d_always) of every variant).

    python benchmarks/ablate_calibration_rule.py --public /tmp/public.csv.gz --folds 0 1
"""

from __future__ import annotations

import argparse
import sys
import time
from contextlib import contextmanager
from functools import partial

import numpy as np

from ablation_common import assembled_rows, report_cd

MARGINS = (1.0, 1.1, 1.25, 1.5)


@contextmanager
def drop_margin(margin: float):
    """``evaluation.fit_checked_correction`` dropping a fit only past ``margin``."""
    from advisor import calibration, evaluation
    original = evaluation.fit_checked_correction
    evaluation.fit_checked_correction = partial(calibration.fit_checked_correction, margin=margin)
    try:
        yield
    finally:
        evaluation.fit_checked_correction = original


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import (_fit, _score_unseen, device_folds, summarise_unseen,
                                    unseen_accumulators)
    from advisor.report_eval import EVAL_PARAMS
    pick = argparse.ArgumentParser(add_help=False)
    pick.add_argument("--folds", nargs="+", type=int, default=None,
                      help="device folds of partition 0 to fit (default all 5)")
    chosen, rest = pick.parse_known_args(argv)
    data, start = assembled_rows(__doc__, rest)
    public = (data.meta["source"] != "ours").to_numpy()
    layout = device_folds(data.meta["hw_id"].to_numpy())
    fold = np.array([layout[str(hw)] for hw in data.meta["hw_id"]])
    runs = {m: (unseen_accumulators(), np.random.default_rng(0)) for m in MARGINS}
    for k in chosen.folds if chosen.folds is not None else range(5):
        test_mask = (fold == k) & public
        if not test_mask.any():
            continue
        train, test = data.subset(fold != k), data.subset(test_mask)
        model = _fit(train, EVAL_PARAMS, unseen_intervals=True)
        for margin, (out, rng) in runs.items():
            with drop_margin(margin):
                _score_unseen(model, train, test, 10, rng, out, {})
        print(f"fold {k} done at {time.time() - start:.0f} s", flush=True)
    for margin, (out, _) in runs.items():
        result = summarise_unseen(out)
        print(f"margin {margin:g}: correction dropped for "
              f"{100 * result.get('d_dropped_share', 0):.1f}% of device draws", flush=True)
        report_cd(f"margin {margin:g}", {k: v for k, v in result.items() if k in ("d", "d_always")})
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
