"""Splits (c) and (d) with and without the spec-only group centres, on the same fitted trees.

A spec-only prediction used to be shifted by its (runtime, precision) group's mean residual over
the device-held-out folds (``EfficiencyRegressor(unseen_centres=True)``). The trees are the same
either way; only the shift differs. For each device partition the evaluation pools, each fold's
model is fitted once with the centres, then scored as fitted and with every spec-only centre set
to 0 (what ``unseen_centres=False`` stores), with the same calibration rows in (d).

    python benchmarks/ablate_unseen_centres.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import contextlib
import copy
import sys
import time

from ablation_common import assembled_rows, compare_cd_on_same_fits


def without_centres(model):
    """A shallow copy of ``model`` whose spec-only bands have centre 0."""
    out = copy.copy(model)
    out.intervals_ = dict(model.intervals_)
    out.intervals_["unseen"] = {k: (lo, 0.0, hi) for k, (lo, _, hi) in model.intervals_["unseen"].items()}
    return out


def main(argv: list[str] | None = None) -> int:
    from advisor.report_eval import EVAL_PARAMS
    data, start = assembled_rows(__doc__, argv)
    compare_cd_on_same_fits(data, {"centres on": contextlib.nullcontext,
                                   "centres off": lambda m: contextlib.nullcontext(without_centres(m))},
                            {**EVAL_PARAMS, "unseen_centres": True})
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
