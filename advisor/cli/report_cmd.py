"""``advisor report``: a self-contained HTML report (and PNG charts) for a model on some devices."""

from __future__ import annotations

import click

from advisor.cli.options import model_and_dims
from advisor.cli.output import emit_json
from advisor.errors import AdvisorError, InputError
from advisor.graph.dims import parse_dim_overrides


@click.command("report")
@model_and_dims
@click.option("--hw", "hw_ids", required=True, multiple=True,
              help="Hardware id, alias or spec file; repeat or comma-separate (one roofline each).")
@click.option("--batch", type=int, default=1, show_default=True, help="Batch size.")
@click.option("--seq-len", type=int, default=None, help="Sequence length for transformer inputs.")
@click.option("--precision", "precisions", default="fp32,fp16,int8", show_default=True,
              help="Precisions for the options chart; the first one drives the rooflines.")
@click.option("--out", default="report.html", show_default=True, type=click.Path(dir_okay=False),
              help="HTML file to write.")
@click.option("--png", "png_dir", default=None, type=click.Path(file_okay=False),
              help="Also write every chart as PNG into this folder.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable summary of what was written.")
def command(model_path, dims, hw_ids, batch, seq_len, precisions, out, png_dir, as_json):
    """Write an HTML report for MODEL on each HW: rooflines, options, breakdown, more compute."""
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        raise AdvisorError("advisor report needs matplotlib: pip install 'advisor[report]'") from None
    from advisor.report import build_report

    if batch < 1:
        raise InputError("--batch must be at least 1")
    if seq_len is not None and seq_len < 1:
        raise InputError("--seq-len must be at least 1")
    hardware = list(dict.fromkeys(h.strip() for item in hw_ids for h in item.split(",") if h.strip()))
    precision_list = [p.strip() for p in precisions.split(",") if p.strip()]
    if not hardware:
        raise InputError("--hw needs at least one device")
    if not precision_list:
        raise InputError("--precision needs at least one precision")
    summary = build_report(model_path, hardware, batch=batch, precisions=precision_list,
                           seq_len=seq_len, dims=parse_dim_overrides(dims), out=out, png_dir=png_dir)
    if as_json:
        emit_json(summary)
        return
    click.echo(f"wrote {summary['html']} ({len(summary['charts'])} charts: {', '.join(summary['charts'])})")
    if summary["png"]:
        click.echo(f"wrote {len(summary['png'])} PNG files to {png_dir}")
