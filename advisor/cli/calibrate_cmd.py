"""``advisor calibrate``: fit a device's correction from a handful of real measurements."""

from __future__ import annotations

import io
from pathlib import Path

import click
import numpy as np
import pandas as pd

from advisor.api import predict
from advisor.calibration import fit_correction, save_profile
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


@click.command("calibrate")
@click.option("--hw", "hw_id", required=True, help="Hardware id, alias or spec file to calibrate.")
@click.option("--measurements", "path", required=True, type=click.Path(dir_okay=False),
              help="CSV: model, latency_ms[, batch, seq_len, precision, threads, runtime].")
@click.option("--json", "as_json", is_flag=True)
def command(hw_id: str, path: str, as_json: bool) -> None:
    """Fit and store a per-device correction; later predictions for HW use it."""
    from advisor.hardware import get_hardware

    hw = get_hardware(hw_id)
    table = read_calibration_rows(path)
    predicted = []
    for row in table.itertuples(index=False):
        get = lambda name, default=None: getattr(row, name, default) if not pd.isna(getattr(row, name, np.nan)) else default  # noqa: E731
        p = predict(_graph(str(row.model)), hw, batch=int(get("batch", 1)),
                    seq_len=int(get("seq_len")) if get("seq_len") else None,
                    precision=str(get("precision", "fp32")),
                    threads=int(get("threads")) if get("threads") else None,
                    runtime=str(get("runtime", "onnxruntime")), ignore_calibration=True)
        predicted.append(p.latency_ms)
    predicted = np.asarray(predicted)
    measured = table["latency_ms"].to_numpy(float)
    factor = fit_correction(predicted, measured)
    spread = float(np.std(np.log(measured / (predicted * factor))))
    saved = save_profile(hw.id, factor, rows=len(table), spread=spread, source=str(path))
    before = float(np.mean(np.abs(predicted - measured) / measured))
    after = float(np.mean(np.abs(predicted * factor - measured) / measured))
    result = {"schema": "advisor.calibrate/1", "hw_id": hw.id, "factor": factor, "rows": len(table), "mape_before": before,
              "mape_after": after, "profile": str(saved)}
    if as_json:
        emit_json(result)
    else:
        click.echo(f"{hw.id}: correction x{factor:.3f} from {len(table)} measurements "
                   f"(MAPE on them {100 * before:.1f}% -> {100 * after:.1f}%); saved {saved}")
