"""Split (b) refitted with other seeds: how much of a family's held-out error is the fit's luck.

Every held-out family is predicted by a model fitted without it (``evaluation.split_b``, the
evaluation's parameters); only the regressor's ``random_state`` (row and feature subsampling of
the trees) changes between runs. A family whose MAPE moves by 10 points between seeds cannot show
a 5-point gain from a model change in one run.

    python benchmarks/split_b_seeds.py --public /tmp/public.csv.gz [--seeds 0,1]
"""

from __future__ import annotations

import argparse
import sys
import time

import numpy as np

from ablation_common import assembled_rows


def main(argv: list[str] | None = None) -> int:
    from advisor.evaluation import split_b
    from advisor.report_eval import EVAL_PARAMS
    pick = argparse.ArgumentParser(add_help=False)
    pick.add_argument("--seeds", default="0,1", help="XGBoost seeds, comma-separated")
    args, rest = pick.parse_known_args(argv)
    seeds = [int(s) for s in args.seeds.split(",")]
    data, start = assembled_rows(__doc__, rest)
    runs = {}
    for seed in seeds:
        result = split_b(data, {**EVAL_PARAMS, "random_state": seed})
        runs[seed] = result
        print(f"seed {seed}: (b) MAPE {100 * result['model'].mape:.1f}% over {result['model'].n} rows "
              f"({time.time() - start:.0f} s)", flush=True)
    families = sorted(runs[seeds[0]]["by_family"])
    print("\nper held-out family, MAPE by seed (max - min in points):")
    for family in families:
        values = [100 * runs[s]["by_family"][family].mape for s in seeds]
        print(f"  {family:20s} " + "  ".join(f"{v:5.1f}%" for v in values)
              + f"   spread {max(values) - min(values):4.1f}", flush=True)
    overall = [100 * runs[s]["model"].mape for s in seeds]
    print(f"\n(b) overall: {', '.join(f'{v:.1f}%' for v in overall)}; "
          f"spread {max(overall) - min(overall):.1f} points, sd {np.std(overall, ddof=1):.2f}")
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
