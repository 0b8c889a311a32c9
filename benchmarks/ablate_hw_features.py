"""Splits (c) and (d) side by side: every feature, then named hardware features held constant.

Produced ``reports/ablations/with_release_year_and_tdp.md`` (run before feature schema 3 removed
the two features; on the current schema, name any other feature to test)::

    python benchmarks/ablate_hw_features.py --public /tmp/public.csv.gz --drop log_llc,log_units

Prints MAPE, median APE, coverage and MAPE by source for each variant. About 8 minutes on 2 cores.
"""

from __future__ import annotations

import argparse
import glob
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.evaluation import split_cd  # noqa: E402
from advisor.features import feature_names  # noqa: E402
from advisor.report_eval import EVAL_PARAMS  # noqa: E402
from advisor.training import assemble  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--public", required=True, help="imported public table (advisor data import)")
    ap.add_argument("--drop", required=True, help="comma list of feature names to hold constant")
    args = ap.parse_args(argv)
    drop = [f.strip() for f in args.drop.split(",") if f.strip()]
    unknown = [f for f in drop if f not in feature_names()]
    if unknown:
        ap.error(f"unknown features {unknown}")
    start = time.time()
    data = assemble(args.public, sorted(glob.glob(str(ROOT / "data/measurements/*.csv"))))
    print(f"{len(data)} rows assembled in {time.time() - start:.0f} s", flush=True)
    for name, held in (("all features", []), (f"without {', '.join(drop)}", drop)):
        variant = data.subset(np.ones(len(data), bool))
        variant.X = data.X.copy()
        for feature in held:
            variant.X[:, feature_names().index(feature)] = 0.0
        cd = split_cd(variant, EVAL_PARAMS)
        for split in ("c", "d"):
            m = cd[split]["model"]
            by_source = {s: f"{100 * v.mape:.1f}%" for s, v in cd[split]["by_source"].items()}
            print(f"{name} ({split}): MAPE {100 * m.mape:.1f}% median {100 * m.median_ape:.1f}% "
                  f"coverage {100 * m.coverage:.1f}% by source {by_source}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
