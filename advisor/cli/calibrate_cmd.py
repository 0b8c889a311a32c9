"""``advisor calibrate``: fit a device's correction from a handful of real measurements."""

from __future__ import annotations

import io
from pathlib import Path

import click
import numpy as np
import pandas as pd

from advisor.api import load_regressor, predict_with_features
from advisor.atomic import atomic_path
from advisor.calibration import DROP_MARGIN, fit_checked_correction, save_profile
from advisor.cli.output import emit_json
from advisor.errors import InputError
from advisor.graph.loader import read_regular_file

REQUIRED = ("model", "latency_ms")


def read_calibration_rows(path: str) -> pd.DataFrame:
    """CSV with columns model (ONNX path or zoo recipe), latency_ms, and optional batch,
    seq_len, precision, threads. Errors name the file, line and field."""
    raw = read_regular_file(Path(path), 64 * 2**20, "measurements")  # no FIFO, no device, <= 64 MiB
    try:
        table = pd.read_csv(io.BytesIO(raw))
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        raise InputError(f"{path}: not a readable CSV ({type(exc).__name__})") from None
    missing = [c for c in REQUIRED if c not in table.columns]
    if missing:
        raise InputError(f"{path}: missing column(s) {', '.join(missing)}")
    latency = pd.to_numeric(table["latency_ms"], errors="coerce")
    bad = ~(np.isfinite(latency) & (latency > 0))
    if bad.any():
        line = int(np.flatnonzero(bad.to_numpy())[0]) + 2
        raise InputError(f"{path}: line {line}: latency_ms must be a positive number, got "
                         f"{table['latency_ms'].iloc[line - 2]!r}")
    table["latency_ms"] = latency
    for column in ("batch", "seq_len", "threads"):
        if column in table.columns:
            values = pd.to_numeric(table[column], errors="coerce")
            wrong = table[column].notna() & ~(values.notna() & (values >= 1) & (values % 1 == 0))
            if wrong.any():
                line = int(np.flatnonzero(wrong.to_numpy())[0]) + 2
                raise InputError(f"{path}: line {line}: {column} must be a positive integer, got "
                                 f"{table[column].iloc[line - 2]!r}")
    duplicated = table.duplicated()
    if duplicated.any():
        line = int(np.flatnonzero(duplicated.to_numpy())[0]) + 2
        raise InputError(f"{path}: line {line}: duplicate of an earlier row")
    return table


def _graph(model: str):
    if model.endswith(".onnx"):
        return model
    from advisor.dataset.graphs import graph_for
    return graph_for(model)


def fit_from_table(hw, table: pd.DataFrame, source: str) -> dict:
    """Predict every row of ``table`` on ``hw`` (uncalibrated), fit the correction (with
    graph-local offsets where the installed model has a feature scale and they help) and store
    it, or the identity where its leave-one-out check says it would not help new rows."""
    predicted, features = [], []
    for row in table.itertuples(index=False):
        get = lambda name, default=None: getattr(row, name, default) if not pd.isna(getattr(row, name, np.nan)) else default  # noqa: E731
        p, x = predict_with_features(_graph(str(row.model)), hw, batch=int(get("batch", 1)),
                                     seq_len=int(get("seq_len")) if get("seq_len") else None,
                                     precision=str(get("precision", "fp32")),
                                     threads=int(get("threads")) if get("threads") else None,
                                     runtime=str(get("runtime", "onnxruntime")))
        predicted.append(p.latency_ms)
        features.append(x)
    predicted, features = np.asarray(predicted), np.vstack(features)
    measured = table["latency_ms"].to_numpy(float)
    scale = getattr(load_regressor(), "feature_scale_", None)
    checked = fit_checked_correction(predicted, measured, features, scale)
    correction, fitted, loo = checked.correction, checked.fitted, checked.leave_one_out
    corrected = correction.apply(predicted, features)
    spread = float(np.std(np.log(measured / corrected)))
    saved = save_profile(hw.id, correction, rows=len(table), spread=spread, source=source,
                         dropped=checked.dropped)
    before = float(np.mean(np.abs(predicted - measured) / measured))
    after = float(np.mean(np.abs(corrected - measured) / measured))
    return {"schema": "advisor.calibrate/4", "hw_id": hw.id, "factor": correction.factor,
            "slope": correction.slope, "pivot_ms": correction.pivot_ms, "rows": len(table),
            "local_offsets": (None if correction.local is None else
                              {"bandwidth": correction.local.bandwidth, "shrink": correction.local.shrink}),
            "dropped": checked.dropped,
            "fitted": {"factor": fitted.factor, "slope": fitted.slope, "pivot_ms": fitted.pivot_ms},
            "mape_before": before, "mape_after": after,
            "mape_leave_one_out": None if loo is None else loo.corrected, "profile": str(saved)}


def _leave_one_out_line(result: dict) -> str | None:
    """One line on whether the fitted correction helps rows it was not fitted on, and so whether
    it was stored (None without the leave-one-out estimate: under 3 rows)."""
    loo = result["mape_leave_one_out"]
    if loo is None:
        return None
    line = (f"leave-one-out (each row predicted by the correction fitted on the others): "
            f"MAPE {100 * result['mape_before']:.1f}% uncorrected -> {100 * loo:.1f}% corrected")
    if not result["dropped"] and loo >= result["mape_before"]:
        line += (f"; within the {DROP_MARGIN:g}x margin a leave-one-out estimate over so few rows "
                 "cannot tell from no change, so the correction was stored")
    if result["dropped"]:
        fitted = result["fitted"]
        line += (f"; these rows show no offset a correction can carry to new rows (leave-one-out "
                 f"not below {DROP_MARGIN:g}x uncorrected), so the fitted "
                 f"one (x{fitted['factor']:.3f}) was not stored and predictions keep the spec-only "
                 "centre: time more networks, at the precisions and batches you deploy")
    return line


def _ensure_probed(quiet: bool) -> None:
    """This host's roofline needs a measured bandwidth: run `advisor hw probe` once if none is cached."""
    from advisor.hardware.probe import cached_probe, run_probe

    if cached_probe() is None:
        if not quiet:
            click.echo("no `advisor hw probe` result for this host yet: measuring it first ...", err=True)
        run_probe()


@click.command("calibrate")
@click.option("--hw", "hw_id", required=True,
              help="Hardware id, alias or spec file to calibrate; 'local' can run the suite here.")
@click.option("--measurements", "path", default=None, type=click.Path(dir_okay=False),
              help="CSV: model, latency_ms[, batch, seq_len, precision, threads, runtime]. "
                   "Without it, --hw local times a short suite of zoo networks on this host.")
@click.option("--threads", default=None, type=click.IntRange(1),
              help="Suite only: intra-op threads (default: every logical core).")
@click.option("--save-measurements", "save_path", default=None, type=click.Path(dir_okay=False),
              help="Suite only: also write the timed rows to this CSV (replayable with --measurements).")
@click.option("--json", "as_json", is_flag=True)
def command(hw_id: str, path: str | None, threads: int | None, save_path: str | None,
            as_json: bool) -> None:
    """Fit and store a per-device correction; later predictions for HW use it.

    With --measurements FILE the rows come from that file. With --hw local and no file, a
    suite of ten batch-1 zoo networks is timed here first (about a minute on 2 cores).
    """
    from advisor.hardware import get_hardware

    if path is None and hw_id != "local":
        raise click.UsageError("--measurements FILE is required unless --hw local "
                               "(which times a short calibration suite on this host)")
    if path is not None and (threads is not None or save_path is not None):
        raise click.UsageError("--threads and --save-measurements apply to the local suite only")
    hw = get_hardware(hw_id)
    if hw_id == "local" and not hw.mem_bw_gbs:   # detected, never probed (a host spec file has it)
        _ensure_probed(quiet=as_json)
        hw = get_hardware(hw_id)
    if path is not None:
        table, source = read_calibration_rows(path), str(path)
    else:
        from advisor.calibration_suite import SUITE, run_suite

        if not as_json:
            click.echo(f"timing {len(SUITE)} calibration networks on this host ...", err=True)
        table = run_suite(threads=threads)
        source = f"calibration suite run here ({len(table)} of {len(SUITE)} networks)"
        if save_path:
            with atomic_path(save_path) as tmp:
                table.to_csv(tmp, index=False)
    result = fit_from_table(hw, table, source)
    if as_json:
        emit_json(result)
    else:
        slope = (f", slope {result['slope']:+.2f} about {result['pivot_ms']:.3g} ms"
                 if result["slope"] else "")
        if result["local_offsets"]:
            slope += " and graph-local offsets"
        what = ("no correction (see below)" if result["dropped"] else
                f"correction x{result['factor']:.3f}{slope}")
        click.echo(f"{hw.id}: {what} from {result['rows']} measurements "
                   f"(MAPE on them {100 * result['mape_before']:.1f}% -> "
                   f"{100 * result['mape_after']:.1f}%); saved {result['profile']}")
        if (line := _leave_one_out_line(result)) is not None:
            click.echo(line)
