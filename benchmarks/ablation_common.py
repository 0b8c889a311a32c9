"""What the ablation scripts share: the same rows for every variant, and one line per split."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.paths import measurement_csvs  # noqa: E402
from advisor.training import TrainingSet, assemble  # noqa: E402


def assembled_rows(doc: str, argv: list[str] | None = None) -> tuple[TrainingSet, float]:
    """Parse ``--public`` and assemble every training row once; (rows, start time)."""
    ap = argparse.ArgumentParser(description=doc.split("\n\n")[0])
    ap.add_argument("--public", required=True, help="imported public table (advisor data import)")
    args = ap.parse_args(argv)
    start = time.time()
    data = assemble(args.public, measurement_csvs())
    print(f"{len(data)} rows assembled in {time.time() - start:.0f} s; digest {data.digest()}",
          flush=True)
    return data, start


def error_summary(predicted, measured) -> str:
    """MAPE, median and share within 10% of predicted against measured times, on one line."""
    import numpy as np
    ape = np.abs(np.asarray(predicted) / np.asarray(measured) - 1)
    return (f"MAPE {100 * ape.mean():6.1f}%  median {100 * np.median(ape):5.1f}%  "
            f"within 10% {100 * (ape <= 0.1).mean():5.1f}%")


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
    for split in ("c", "d", "d_always"):
        if split not in cd:
            continue
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


def compare_cd_on_same_fits(data: TrainingSet, variants: dict, params: dict | None = None) -> None:
    """Splits (c) and (d) per device partition the evaluation pools, each fold's model fitted
    once and scored under every variant: ``variants`` maps a name to ``prepare(model)``, a
    context manager giving the model to score (the same calibration rows for every variant)."""
    import numpy as np

    from advisor.evaluation import (_fit, _score_unseen, device_folds, summarise_unseen,
                                    unseen_accumulators)
    from advisor.report_eval import CD_PARTITIONS, EVAL_PARAMS
    public = (data.meta["source"] != "ours").to_numpy()
    devices = data.meta["hw_id"].to_numpy()
    for partition in range(CD_PARTITIONS):
        layout = device_folds(devices, 5, partition)
        fold = np.array([layout[str(hw)] for hw in devices])
        # one generator per variant, drawn alike: the same calibration rows in each
        scores = {name: (unseen_accumulators(), np.random.default_rng(0)) for name in variants}
        for k in range(fold.max() + 1):
            test_mask = (fold == k) & public
            if not test_mask.any():
                continue
            train, test = data.subset(fold != k), data.subset(test_mask)
            model = _fit(train, params or EVAL_PARAMS, unseen_intervals=True)
            for name, prepare in variants.items():
                out, rng = scores[name]
                with prepare(model) as scored:
                    _score_unseen(scored, train, test, 10, rng, out, {})
        for name, (out, _) in scores.items():
            report_cd(f"partition {partition}, {name}", summarise_unseen(out))
