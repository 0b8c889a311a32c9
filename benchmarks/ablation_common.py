"""What the ablation scripts share: the same rows for every variant, and one line per split."""

from __future__ import annotations

import argparse
import glob
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.training import TrainingSet, assemble  # noqa: E402


def assembled_rows(doc: str, argv: list[str] | None = None) -> tuple[TrainingSet, float]:
    """Parse ``--public`` and assemble every training row once; (rows, start time)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--public", required=True, help="imported public table (advisor data import)")
    args = ap.parse_args(argv)
    start = time.time()
    data = assemble(args.public, sorted(glob.glob(str(ROOT / "data/measurements/*.csv"))))
    print(f"{len(data)} rows assembled in {time.time() - start:.0f} s; digest {data.digest()}",
          flush=True)
    return data, start


def model_report_args(doc: str, default_out: str, argv: list[str] | None = None):
    """Parse ``--models`` and ``--out`` for a script that reports on one trained model;
    (args, the loaded regressor, start time)."""
    from advisor.api import load_regressor
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--models", default=None, help="model directory (default: the bundled one)")
    ap.add_argument("--out", default=default_out)
    args = ap.parse_args(argv)
    start = time.time()
    return args, load_regressor(args.models), start


def report_a(name: str, a: dict) -> None:
    m = a["model"]
    print(f"{name} (a): MAPE {100 * m.mape:.1f}% median {100 * m.median_ape:.1f}% "
          f"within 10% {100 * m.within_10:.1f}% coverage {100 * m.coverage:.1f}%", flush=True)


def report_cd(name: str, cd: dict) -> None:
    for split in ("c", "d"):
        m = cd[split]["model"]
        by_source = {str(s): f"{100 * v.mape:.1f}%" for s, v in cd[split]["by_source"].items()}
        print(f"{name} ({split}): MAPE {100 * m.mape:.1f}% median {100 * m.median_ape:.1f}% "
              f"within 20% {100 * m.within_20:.1f}% coverage {100 * m.coverage:.1f}% "
              f"by source {by_source}", flush=True)


def compare_acd(variants: list[tuple], start: float) -> int:
    """Score splits (a), (c) and (d) for each ``(name, rows)`` or ``(name, rows, fit options)``
    variant with the evaluation's parameters (updated by the variant's options, e.g.
    ``{"random_state": 1}``), one line per split, and the total time; the scripts' exit status."""
    from advisor.evaluation import split_a, split_cd
    from advisor.report_eval import EVAL_PARAMS
    for name, variant, *options in variants:
        params = {**EVAL_PARAMS, **(options[0] if options else {})}
        report_a(name, split_a(variant, params))
        report_cd(name, split_cd(variant, params))
    print(f"done in {time.time() - start:.0f} s", flush=True)
    return 0
