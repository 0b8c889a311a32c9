"""``advisor data``: build the training table from the public measured data."""

from __future__ import annotations

import sys

import click

from advisor.cli.output import emit_json, print_table
from advisor.dataset.build import IMPORTERS, import_public


@click.group("data")
def command() -> None:
    """Training data: import the public measurements into one table."""


@command.command("import")
@click.option("--out", "out", required=True, type=click.Path(dir_okay=False),
              help="Output table: .csv, .csv.gz or .parquet (Parquet needs pyarrow).")
@click.option("--public", "public", type=click.Path(file_okay=False),
              help="Public data folder (default: ../shared/data/public or $ADVISOR_PUBLIC_DATA).")
@click.option("--source", "sources", multiple=True, type=click.Choice(list(IMPORTERS)),
              help="Import only this source (repeatable; default all).")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable report.")
def import_cmd(out: str, public: str | None, sources: tuple[str, ...], quiet: bool,
               as_json: bool) -> None:
    """Import ncnn, HELP, MLPerf and OpenCV Zoo rows into one table; report what was rejected."""
    names = list(sources) or list(IMPORTERS)
    steps = names + ["write"]
    show = sys.stderr.isatty() and not (as_json or quiet)
    if show:
        with click.progressbar(length=len(steps), label="importing", file=sys.stderr,
                               item_show_func=lambda s: s) as bar:
            def progress(step: str) -> None:
                bar.update(1 if step != names[0] else 0, step)
            report = import_public(public, out, names, progress=progress)
            bar.update(1, "done")
    else:
        report = import_public(public, out, names)
    if as_json:
        emit_json({"schema": "advisor.data.import/1", **report.to_dict()})
        return
    rows = []
    for name, s in report.sources.items():
        top = sorted(s.rejected.items(), key=lambda kv: -kv[1])
        rows.append((name, s.imported, s.considered - s.imported,
                     f"{100.0 * s.imported / s.considered:.1f}%" if s.considered else "-",
                     top[0][0][:70] if top else ""))
    print_table(f"advisor data import -> {report.out_path} ({report.rows} rows, {report.format}, "
                f"{report.seconds:.1f} s)", ["source", "imported", "rejected", "kept", "main rejection"],
                rows)
    for name in report.missing_sources:
        click.echo(f"warning: source {name} skipped: its files are not in the public folder", err=True)
