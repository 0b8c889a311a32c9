"""How far off is `advisor predict` on a CPU host it was never trained on, before and after
`advisor calibrate`?

Scores the installed model's predictions for every ok row of one host's measurement CSV
(`advisor measure --export`) against the measured medians: spec-only (the host's spec file, as
`advisor predict --hw host.yaml` gives them), and after calibrating on 10 of the rows (the
correction `advisor calibrate` fits, scored on the other rows, averaged over random draws), and
after calibrating each precision on 10 of its rows with a correction of its own.

    python benchmarks/unseen_host_check.py --measurements data/measurements/epyc-zen5-2vcpu.csv \
        --hw data/hosts/6315d582a9ba.yaml --public /tmp/public.csv.gz \
        --against data/measurements/epyc-zen3-2vcpu.csv data/hosts/56ef061bfc0e.yaml --out reports/unseen_host.md

With ``--public`` (the `advisor data import` table) it first trains a model the way `advisor
train` does on that table and every other CSV in data/measurements, the checked host's CSVs
left out (name them all: ``--measurements A.csv B.csv``), and scores that model (the shipped one
is trained on the host's rows). Without it, it scores ``--models`` (default: the installed
model).
"""

from __future__ import annotations

import argparse
import json
import datetime as dt
import platform
import shutil
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from advisor.api import load_regressor, predict_many  # noqa: E402
from advisor.calibration import DROP_MARGIN, fit_checked_correction  # noqa: E402
from advisor.dataset.graphs import graph_for  # noqa: E402
from advisor.hardware.specfile import load_spec  # noqa: E402
from advisor.markdown import markdown_table, numbers_after_first  # noqa: E402
from advisor.paths import models_dir  # noqa: E402
from advisor.training import load_measurements  # noqa: E402

CALIBRATION_ROWS = 10
DRAWS = 50


def predictions(rows: pd.DataFrame, hw: str, models: str | None) -> tuple[np.ndarray, np.ndarray]:
    """(predicted ms, feature rows) per row, one predict_many call per (graph, threads)."""
    out, features = np.full(len(rows), np.nan), [None] * len(rows)
    for (graph, threads), group in rows.groupby(["graph", "threads"], sort=False):
        seq = group["seq_len"].iloc[0]
        seq = None if pd.isna(seq) else int(seq)
        frame, x = predict_many(graph_for(graph), [hw], sorted(set(group["batch"])), [seq],
                                sorted(set(group["precision"])), threads=int(threads),
                                models=models, with_features=True)
        lookup = {(int(b), p): (ms, i) for i, (b, p, ms) in
                  enumerate(zip(frame["batch"], frame["precision"], frame["latency_ms"]))}
        for index, b, p in zip(group.index, group["batch"], group["precision"]):
            ms, i = lookup[(int(b), p)]
            out[rows.index.get_loc(index)] = ms
            features[rows.index.get_loc(index)] = x[i]
    return out, np.vstack(features)


def summary(measured: np.ndarray, predicted: np.ndarray) -> list:
    ape = np.abs(predicted / measured - 1)
    ratio = predicted / measured
    return [len(measured), f"{100 * ape.mean():.1f}%", f"{100 * np.median(ape):.1f}%",
            f"{np.median(ratio):.2f}", f"{np.log(ratio).std():.2f}", f"{100 * (ape <= 0.2).mean():.1f}%"]


def calibrated(measured: np.ndarray, predicted: np.ndarray, features: np.ndarray, scale,
               groups: np.ndarray | None = None, seed: int = 0, always: bool = False,
               margin: float = DROP_MARGIN) -> list:
    """Mean over draws of the scores left after calibrating on CALIBRATION_ROWS random rows (of
    each group, with its own correction, when ``groups`` is given), scored on the other rows.
    The correction is `advisor calibrate`'s: with graph-local offsets over the rows' ``features``
    where the model has a feature ``scale``, and none where its leave-one-out MAPE over the
    calibration rows is not below ``margin`` x theirs uncorrected (``fit_checked_correction``);
    ``always``: the fitted correction applied regardless (what `advisor calibrate` stored until
    session 33); ``margin``: the drop rule's (``LeaveOneOut.helps``)."""
    rng = np.random.default_rng(seed)
    groups = np.zeros(len(measured), int) if groups is None else np.asarray(groups)
    mape, med, within, scored = [], [], [], 0
    for _ in range(DRAWS):
        ape = []
        for g in np.unique(groups):
            rows = np.flatnonzero(groups == g)
            calib = rng.choice(rows, CALIBRATION_ROWS, replace=False)
            rest = np.setdiff1d(rows, calib)
            checked = fit_checked_correction(predicted[calib], measured[calib], features[calib], scale,
                                             margin)
            correction = checked.fitted if always else checked.correction
            corrected = correction.apply(predicted[rest], features[rest])
            ape.append(np.abs(corrected / measured[rest] - 1))
        ape = np.concatenate(ape)
        scored = len(ape)
        mape.append(ape.mean())
        med.append(np.median(ape))
        within.append((ape <= 0.2).mean())
    return [scored, f"{100 * np.mean(mape):.1f}%", f"{100 * np.mean(med):.1f}%", "-", "-",
            f"{100 * np.mean(within):.1f}%"]


def model_without_host(public: str, held_out: list[str], out_dir: str) -> list[str]:
    """Train into ``out_dir`` on ``public`` and the measurement CSVs `advisor train` uses by
    default, except the ``held_out`` ones; returns the measurement files used."""
    from advisor.cli.train_cmd import train_command
    from advisor.paths import measurement_csvs
    left_out = {Path(f).resolve() for f in held_out}
    files = [f for f in measurement_csvs() if Path(f).resolve() not in left_out]
    args = ["--public", public, "--out", out_dir, "--quiet"]
    for f in files:
        args += ["--measurements", f]
    train_command.main(args, standalone_mode=False)
    return files


def against_host(rows: pd.DataFrame, other_csv: str, this_hw: str, other_hw: str) -> str:
    """Markdown: how much faster this host ran than ``other_csv``'s host on the same (network,
    batch, threads, precision), beside what the two spec files say (peak, bandwidth)."""
    other = load_measurements([other_csv])
    key = ["graph", "batch", "threads", "precision"]
    pairs = rows.groupby(key)["latency_ms"].median().to_frame("this").join(
        other.groupby(key)["latency_ms"].median().to_frame("other"), how="inner").reset_index()
    pairs["speedup"] = pairs["other"] / pairs["this"]
    specs = [load_spec(f) for f in (this_hw, other_hw)]     # validated, as `--hw FILE` reads them
    bw = specs[0].mem_bw_gbs / specs[1].mem_bw_gbs
    out = []
    for precision, group in pairs.groupby("precision"):
        peak = "int8" if precision.startswith("int8") else precision
        ratio = specs[0].peaks.get(peak, np.nan) / specs[1].peaks.get(peak, np.nan)
        low, mid, high = np.quantile(group["speedup"], [0.1, 0.5, 0.9])
        out.append([precision, len(group), f"{mid:.2f}x", f"{low:.2f}-{high:.2f}x", f"{ratio:.2f}x", f"{bw:.2f}x"])
    return table(["precision", "rows in both", "median measured speedup", "10th-90th percentile",
                  "spec peak ratio (int8 peak for both int8 kinds)", "spec bandwidth ratio"], out)


def table(header: list[str], rows: list[list]) -> str:
    return "\n".join(markdown_table(header, rows, numbers_after_first(header)))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--measurements", required=True, nargs="+",
                    help="one host's `advisor measure --export` CSVs (every one is left out of training)")
    ap.add_argument("--hw", required=True, help="that host's spec file")
    ap.add_argument("--models", default=None, help="model directory (default: the installed one)")
    ap.add_argument("--public", default=None,
                    help="train a model without this host's rows on this public table and score it")
    ap.add_argument("--against", nargs=2, metavar=("CSV", "SPEC"), default=None,
                    help="another host's measurement CSV and spec file: compare measured speed and spec ratios")
    ap.add_argument("--margins", nargs="*", type=float, default=[],
                    help="also score the drop rule with these margins (the correction kept where its "
                         "leave-one-out MAPE is below MARGIN x uncorrected)")
    ap.add_argument("--out", required=True)
    args = ap.parse_args(argv)
    raw = pd.concat([pd.read_csv(f) for f in args.measurements], ignore_index=True)
    if raw["host_hash"].nunique() != 1:
        ap.error(f"--measurements must be one host's rows; found hosts {sorted(raw['host_hash'].unique())}")
    start = time.time()
    trained_on = None
    if args.public:
        args.models = tempfile.mkdtemp(prefix="advisor-unseen-host-")
        trained_on = model_without_host(args.public, args.measurements, args.models)
    rows = load_measurements(args.measurements).reset_index(drop=True)
    predicted, features = predictions(rows, args.hw, args.models)
    scale = getattr(load_regressor(args.models), "feature_scale_", None)
    measured = rows["latency_ms"].to_numpy(float)
    header = ["rows", "rows", "MAPE", "median APE", "median predicted / measured",
              "sd of log(predicted / measured)", "within 20%"]
    by = []
    for (precision, threads), group in rows.groupby(["precision", "threads"]):
        idx = group.index.to_numpy()
        by.append([f"{precision}, {threads} thread{'s' * (threads > 1)}"]
                  + summary(measured[idx], predicted[idx]))
    by_family = []
    for family, group in sorted(rows.groupby("family"), key=lambda kv: (-len(kv[1]), kv[0])):
        idx = group.index.to_numpy()
        by_family.append([family] + summary(measured[idx], predicted[idx]))
    meta_path = Path(args.models or models_dir()) / "efficiency.meta.json"
    meta = json.loads(meta_path.read_text())
    model_source = (f"a model trained for this check on `{args.public}` and {', '.join(f'`{Path(f).name}`' for f in trained_on)}"
                    if trained_on is not None else f"the model in `{meta_path.parent}`")
    hosts = sorted(h for h in meta.get("trained_hw_ids", []) if str(h).startswith("host"))
    ok = raw[raw["status"] == "ok"]
    first = ok.iloc[0]
    text = f"""# Predictions on a CPU host never trained on

Generated by `benchmarks/unseen_host_check.py` on {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC (host `{platform.node()}`, {time.time() - start:.0f} s) with {model_source} (trained on {meta.get('training_rows')} rows, digest `{meta.get('training_digest')}`; its onnxruntime hosts: {', '.join(hosts)}), for the {len(rows)} ok rows of {', '.join(f'`{f}`' for f in args.measurements)}: {first['cpu_model']}, {first['physical_cores']} cores, ISA {first['isa_flags']}, onnxruntime {first['ort_version']}, measured {ok['date_utc'].min()} to {ok['date_utc'].max()} (host `{first['host_hash']}`; spec file `{args.hw}`). Where this host is not among the model's hosts, it is predicted from its spec row alone (`spec-only`), as `advisor predict --hw {args.hw}` does.

{table(["predictor"] + header[1:], [["spec-only"] + summary(measured, predicted), [f"calibrated on {CALIBRATION_ROWS} rows as `advisor calibrate` does: the correction dropped where its leave-one-out MAPE is not below {DROP_MARGIN:g}x uncorrected (mean of {DRAWS} draws, scored on the others)"] + calibrated(measured, predicted, features, scale), [f"calibrated on {CALIBRATION_ROWS} rows, the fitted correction always applied (until session 33; same draws)"] + calibrated(measured, predicted, features, scale, always=True), *([f"calibrated on {CALIBRATION_ROWS} rows, the correction dropped where its leave-one-out MAPE is not below {m:g}x uncorrected (same draws)"] + calibrated(measured, predicted, features, scale, margin=m) for m in args.margins), [f"calibrated on {CALIBRATION_ROWS} rows of each precision, one correction per precision, each dropped by the same rule (same)"] + calibrated(measured, predicted, features, scale, rows["precision"].to_numpy())])}

`advisor calibrate` fits one correction per device; the last row shows what one per (device, precision) would leave.

Spec-only, by precision and threads:

{table(["setting"] + header[1:], by)}

Spec-only, by model family (a family off by one factor is a bias a calibration row of it could
fix; a wide spread within it is not):

{table(["family"] + header[1:], by_family)}
"""
    if args.against:
        text += f"""
Measured against `{args.against[0]}` (spec `{args.against[1]}`) on the rows both hosts ran (median
latency per network, batch, threads, precision): how much faster this host ran, beside the
ratios of the two spec files' peaks and bandwidths, which is all a spec-only prediction knows.

{against_host(rows, args.against[0], args.hw, args.against[1])}
"""
    if trained_on is not None:
        shutil.rmtree(args.models, ignore_errors=True)
    Path(args.out).write_text(text)
    print(text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
