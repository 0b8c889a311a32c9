"""``advisor train`` and ``advisor evaluate``: fit the efficiency model, and measure how good it is."""

from __future__ import annotations

import contextlib
import json
import sys

import click

from advisor.cli.output import emit_json
from advisor.errors import InputError
from advisor.paths import measurement_csvs, models_dir, project_root


@contextlib.contextmanager
def _progress(quiet: bool, label: str = "analysing graphs"):
    """A rich progress bar on stderr when it is a terminal; nothing when quiet or piped."""
    if quiet or not sys.stderr.isatty():
        yield None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
                  TimeRemainingColumn(), console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task(label, total=None)

        def report(done: int, total: int) -> None:
            bar.update(task, completed=done, total=total)

        yield report


@click.command("train")
@click.option("--public", "public_table", type=click.Path(dir_okay=False), default=None,
              help="Imported public table (from `advisor data import`).")
@click.option("--measurements", multiple=True, help="Measurement CSVs (default data/measurements/*.csv).")
@click.option("--out", "out_dir", type=click.Path(file_okay=False), default=None,
              help="Model directory (default models/).")
@click.option("--graphs-per-family", default=2500, show_default=True,
              help="NAS graphs sampled per family from the public table.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True)
def train_command(public_table, measurements, out_dir, graphs_per_family, quiet, as_json):
    """Fit the efficiency regressor on measured rows and save it (XGBoost JSON + metadata)."""
    from advisor.training import (assemble, fit_regressor, measured_threads, trained_runtimes,
                                  training_hardware)

    files = measurement_csvs(measurements)
    with _progress(quiet or as_json) as progress:
        data = assemble(public_table, files, graphs_per_family=graphs_per_family, progress=progress)
    if len(data) < 20:
        raise InputError(f"only {len(data)} usable training rows; need at least 20")
    model = fit_regressor(data)
    counts = data.meta["source"].value_counts().to_dict()
    meta_path = model.save(out_dir or models_dir(), extra={
        "training_rows": len(data), "rows_by_source": counts, "training_digest": data.digest(),
        "trained_hw_ids": sorted({training_hardware(h).id for h in data.meta["hw_id"].unique()}),
        "trained_runtimes_by_hw": trained_runtimes(data.meta),
        "default_threads_by_hw_runtime": measured_threads(data.meta),
        "rejected": data.rejected, "measurement_files": [str(f) for f in files],
        "public_table": str(public_table) if public_table else None,
        "graphs_per_family": graphs_per_family,
    })
    summary = {"schema": "advisor.train/1", "rows": len(data), "rows_by_source": counts, "rejected": data.rejected,
               "interval_log": list(model.interval_), "metadata": str(meta_path)}
    if as_json:
        emit_json(summary)
    else:
        click.echo(f"trained on {len(data)} rows {counts}; model saved to {meta_path.parent}")


@click.command("evaluate")
@click.option("--public", "public_table", type=click.Path(dir_okay=False), default=None)
@click.option("--measurements", multiple=True)
@click.option("--out", "out_path", type=click.Path(dir_okay=False), default=None,
              help="Markdown report (default reports/evaluation.md).")
@click.option("--graphs-per-family", default=2500, show_default=True)
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True)
def evaluate_command(public_table, measurements, out_path, graphs_per_family, quiet, as_json):
    """Held-out evaluation (splits a-d) against roofline baselines; writes a markdown report."""
    from advisor.report_eval import run_evaluation

    files = measurement_csvs(measurements)
    out = out_path or str(project_root() / "reports" / "evaluation.md")
    with _progress(quiet or as_json) as progress:
        summary = run_evaluation(public_table, files, out, graphs_per_family=graphs_per_family,
                                 progress=progress)
    if as_json:
        emit_json({"schema": "advisor.evaluate/1", **summary})
    else:
        click.echo(f"wrote {out}")
        click.echo(json.dumps(summary.get("headline", {}), indent=2))
