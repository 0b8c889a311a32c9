"""Splits (c) and (d) for each partition of the devices the evaluation pools, one at a time.

`advisor evaluate` deals the devices into 5 folds three times over (``evaluation.device_folds``,
partitions 0-2) and scores the pooled rows. This prints each partition's own (c) and (d), and
scikit-learn's GroupKFold partition (the evaluation's folds until session 17) beside them: how far
the choice of which devices are held out together moves the numbers.

    python benchmarks/partition_spread.py --public /tmp/public.csv.gz
"""

from __future__ import annotations

import sys
import time

import numpy as np
from sklearn.model_selection import GroupKFold

from ablation_common import assembled_rows, report_cd


def group_kfold(devices: np.ndarray, folds: int = 5) -> dict[str, int]:
    """scikit-learn's GroupKFold over the rows' devices (balances rows; the largest apart)."""
    out: dict[str, int] = {}
    for k, (_, test) in enumerate(GroupKFold(n_splits=folds).split(devices, groups=devices)):
        out.update((str(hw), k) for hw in np.unique(devices[test]))
    return out


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import device_folds, split_cd
    from advisor.report_eval import CD_PARTITIONS, EVAL_PARAMS
    data, start = assembled_rows(__doc__, argv)
    devices = data.meta["hw_id"].to_numpy()
    for partition in range(CD_PARTITIONS):
        report_cd(f"hash partition {partition}",
                  split_cd(data, EVAL_PARAMS, fold_of=device_folds(devices, 5, partition)))
    report_cd("GroupKFold", split_cd(data, EVAL_PARAMS, fold_of=group_kfold(devices)))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
