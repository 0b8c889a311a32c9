"""``advisor predict``: latency of a model on a device, without running it."""

from __future__ import annotations

import click

from advisor.api import SCHEMA, predict_many
from advisor.cli.options import model_and_dims
from advisor.cli.output import emit_csv, emit_json, print_table
from advisor.errors import InputError
from advisor.graph.dims import parse_dim_overrides

CSV_COLUMNS = ["model", "hw_id", "precision", "batch", "seq_len", "threads", "latency_ms",
               "interval_low_ms", "interval_high_ms", "throughput_per_s", "roofline_ms", "efficiency",
               "compute_share", "memory_share", "overhead_share", "basis"]


def int_list(text: str | None, what: str) -> list[int | None]:
    if text is None:
        return [None]
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"invalid {what} '{text}': expected integers separated by commas") from None
    if not values or any(v < 1 for v in values):
        raise InputError(f"invalid {what} '{text}': values must be positive integers")
    return values


@click.command("predict")
@model_and_dims
@click.option("--hw", "hw_ids", required=True, multiple=True,
              help="Hardware id, alias, 'local', or a spec file (.yaml/.json); repeat or comma-separate.")
@click.option("--batch", "batches", default="1", show_default=True, help="Batch sizes, e.g. 1,8,32.")
@click.option("--seq-len", "seq_lens", default=None, help="Sequence lengths, e.g. 128,512.")
@click.option("--precision", "precisions", default="fp32", show_default=True,
              help="Precisions, e.g. fp32,fp16,int8,int4-weight.")
@click.option("--threads", type=int, default=None, help="CPU threads (default: all cores).")
@click.option("--runtime", default="onnxruntime", show_default=True,
              help="Runtime whose kernels to assume (onnxruntime, tensorrt, pytorch, ncnn, tflite...).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--csv", "as_csv", is_flag=True, help="CSV output, one row per configuration.")
def command(model_path, dims, hw_ids, batches, seq_lens, precisions, threads, runtime, as_json, as_csv):
    """Predict latency (median and 90% interval), throughput and bottleneck of MODEL on HW."""
    if as_json and as_csv:
        raise click.UsageError("choose one of --json and --csv")
    if threads is not None and threads < 1:
        raise InputError("--threads must be at least 1")
    hardware = [h.strip() for item in hw_ids for h in item.split(",") if h.strip()]
    frame = predict_many(model_path, hardware, batch=int_list(batches, "--batch"),
                         seq_len=int_list(seq_lens, "--seq-len"), precision=precisions.split(","),
                         threads=threads, runtime=runtime, dims=parse_dim_overrides(dims))
    frame["interval_low_ms"] = frame["interval_ms"].map(lambda v: v[0])
    frame["interval_high_ms"] = frame["interval_ms"].map(lambda v: v[1])
    if as_json:
        emit_json({"schema": SCHEMA, "predictions": frame.drop(columns=["interval_low_ms", "interval_high_ms"]).to_dict("records")})
        return
    if as_csv:
        emit_csv(frame.to_dict("records"), CSV_COLUMNS)
        return
    print_table(f"predicted latency of {model_path}",
                ["hardware", "precision", "batch", "seq", "latency ms", "90% interval ms", "items/s",
                 "compute", "memory", "overhead", "basis"],
                [[r.hw_id, r.precision, r.batch, r.seq_len if r.seq_len else "-", r.latency_ms,
                  f"{r.interval_low_ms:.3g}-{r.interval_high_ms:.3g}", r.throughput_per_s,
                  f"{100 * r.compute_share:.0f}%", f"{100 * r.memory_share:.0f}%",
                  f"{100 * r.overhead_share:.0f}%", r.basis] for r in frame.itertuples()])
    first = frame.iloc[0]
    tops = ", ".join(f"{op} {100 * share:.0f}%" for op, share in first["top_op_types"])
    click.echo(f"\nheaviest op kinds (share of roofline time, first row): {tops}")
    for note in sorted({n for notes in frame["notes"] for n in notes}):
        click.echo(f"note: {note}")
