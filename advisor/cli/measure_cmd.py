"""``advisor measure``: time ONNX models with onnxruntime on this host, append rows safely."""

from __future__ import annotations

import click

from advisor.cli.output import emit_json
from advisor.errors import InputError
from advisor.paths import data_dir


def _int_list(text: str | None, what: str) -> list[int | None]:
    if not text:
        return [None]
    out: list[int | None] = []
    for part in text.split(","):
        part = part.strip()
        if not part:
            continue
        try:
            v = int(part)
        except ValueError:
            raise InputError(f"invalid {what} {part!r}: expected integers like 1,8") from None
        if v < 1:
            raise InputError(f"invalid {what} {v}: must be >= 1")
        out.append(v)
    return out or [None]


def _dims(items: tuple[str, ...]) -> dict[str, int]:
    dims: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        if not sep or not name.strip() or not value.strip().isdigit() or int(value) < 1:
            raise InputError(f"invalid --dim {item!r}: expected NAME=N with N >= 1")
        dims[name.strip()] = int(value)
    return dims


def default_db() -> str:
    return str(data_dir() / "measurements" / "measurements.sqlite")


@click.command("measure")
@click.option("--model", "models", multiple=True, type=click.Path(dir_okay=False),
              help="ONNX model file to time (repeatable).")
@click.option("--zoo", "zoo_specs", multiple=True, metavar="SPEC",
              help="Zoo models: 'all', a family, a name, or recipes joined by ';' (repeatable).")
@click.option("--batch", default=None, metavar="1,8", help="Batch sizes (default: the model's own / 1).")
@click.option("--threads", default="1", show_default=True, metavar="1,2", help="Intra-op thread counts.")
@click.option("--precision", default="fp32", show_default=True,
              metavar="fp32,int8-dynamic,int8-static,fp16", help="Precision variants to time.")
@click.option("--seq-len", default=None, metavar="128,512", help="Sequence lengths (sequence models).")
@click.option("--dim", "dims", multiple=True, metavar="NAME=N", help="Value for a symbolic input dim.")
@click.option("--family", default=None, help="Family name recorded for --model files (default: file stem).")
@click.option("--processes", default=3, show_default=True, type=click.IntRange(1, 50),
              help="Separate timing processes per row; the row's median is their median.")
@click.option("--seconds-per-process", default=5.0, show_default=True, type=click.FloatRange(0.01),
              help="Timing budget of each process (it stops earlier when the median is stable).")
@click.option("--budget-minutes", default=None, type=click.FloatRange(0), help="Stop starting new rows after this long.")
@click.option("--opt-level", default="all", show_default=True,
              type=click.Choice(["disable", "basic", "extended", "all"]), help="Graph optimisation level.")
@click.option("--provider", default="CPUExecutionProvider", show_default=True, help="Execution provider.")
@click.option("--max-retries", default=3, show_default=True, type=click.IntRange(0),
              help="Processes rerun (per row) because other processes were busy.")
@click.option("--max-other-cores", default=0.10, show_default=True, type=click.FloatRange(0),
              help="Machine counts as idle while other processes use at most this many cores.")
@click.option("--tag", default="", help="Campaign tag (a repeat run on another day uses a new tag).")
@click.option("--retry-failed", is_flag=True, help="Re-measure rows stored as failed/unsupported.")
@click.option("--db", "db_path", default=None, help="SQLite store [default: data/measurements/measurements.sqlite].")
@click.option("--import", "import_paths", multiple=True, type=click.Path(dir_okay=False),
              help="Load rows from a measurement CSV into the store first (resume from a checkout).")
@click.option("--export", "export_path", default=None, type=click.Path(dir_okay=False),
              help="Write every stored row to this CSV afterwards (works without --model/--zoo).")
@click.option("--profile-runs", default=0, show_default=True, type=click.IntRange(0, 1000),
              help="After timing each new row, profile this many runs per kernel (onnxruntime's "
                   "profiler, in a separate session) and store the kernel times.")
@click.option("--export-nodes", "export_nodes_path", default=None, type=click.Path(dir_okay=False),
              help="Write every stored kernel profile to this gzipped JSON-lines file afterwards.")
@click.option("--quiet", is_flag=True, help="No progress bar.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(models, zoo_specs, batch, threads, precision, seq_len, dims, family, processes,
            seconds_per_process, budget_minutes, opt_level, provider, max_retries,
            max_other_cores, tag, retry_failed, db_path, import_paths, export_path, profile_runs,
            export_nodes_path, quiet, as_json) -> None:
    """Time models with onnxruntime here and append rows to the measurement store.

    Each row is the median over --processes fresh processes, each warmed up and repeated until
    its median is stable. Rows already stored (same graph, settings, host and tag) are skipped,
    so an interrupted run resumes where it stopped.
    """
    from advisor.measure import RunOptions, Store, TimingSettings, expand_jobs, run_jobs
    from advisor.measure.runner import expand_zoo_spec

    if not models and not zoo_specs and not export_path and not import_paths and not export_nodes_path:
        raise click.UsageError("give --model FILE or --zoo SPEC (or --import / --export / --export-nodes only)")
    kw = dict(batches=_int_list(batch, "batch"),
              threads=[t for t in _int_list(threads, "threads") if t] or [1],
              precisions=[p for p in precision.split(",") if p.strip()],
              seq_lens=_int_list(seq_len, "sequence length"), dims=_dims(dims))
    jobs = []
    if models:
        jobs += expand_jobs(list(models), "file", family=family, **kw)
    for spec in zoo_specs:
        jobs += expand_jobs(expand_zoo_spec(spec), "zoo", **kw)
    opts = RunOptions(
        settings=TimingSettings(opt_level=opt_level, provider=provider, budget_s=seconds_per_process,
                                min_time_s=min(0.3, seconds_per_process)),
        processes=processes, max_retries=max_retries, max_other_cores=max_other_cores,
        budget_s=None if budget_minutes is None else budget_minutes * 60, tag=tag,
        retry_failed=retry_failed, profile_runs=profile_runs)
    with Store(db_path or default_db()) as store:
        imported = [(p, *store.import_csv(p)) for p in import_paths]
        summary = run_jobs(jobs, store, opts, progress=False if (quiet or as_json) else None)
        exported = store.export_csv(export_path) if export_path else None
        exported_nodes = store.export_nodes(export_nodes_path) if export_nodes_path else None
        total = store.count()
    if as_json:
        emit_json(dict(schema="advisor.measure/1", summary=summary.as_dict(), rows_in_store=total,
                       exported=exported, exported_node_profiles=exported_nodes,
                       imported=[{"path": p, "inserted": n, "already_stored": k} for p, n, k in imported],
                       db=db_path or default_db(),
                       rows=[{k: r.get(k) for k in ("source", "family", "batch", "seq_len",
                                                    "threads", "precision", "status", "median_ms",
                                                    "p10_ms", "p90_ms", "cv", "idle", "error")}
                             for r in summary.rows]))
        return
    for p, n, k in imported:
        click.echo(f"imported {n} rows from {p} ({k} already stored)")
    for r in summary.rows:
        if r.get("status") == "ok":
            click.echo(f"{r['source']}  b={r['batch']} s={r.get('seq_len') or '-'} t={r['threads']} "
                       f"{r['precision']}: {r['median_ms']:.3f} ms (p10 {r['p10_ms']:.3f}, "
                       f"p90 {r['p90_ms']:.3f}, cv {r['cv']:.3f}, "
                       f"{'idle' if r['idle'] else 'BUSY'})")
        else:
            click.echo(f"{r['source']}  {r.get('precision', '')}: {r['status']}: {r.get('error')}")
    s = summary.as_dict()
    click.echo(f"measured {s['measured']}, skipped {s['skipped']} (already stored), unsupported "
               f"{s['unsupported']}, failed {s['failed']}, not started {s['not_started']} "
               f"in {s['seconds']:.0f} s; {total} rows in {db_path or default_db()}")
    if exported is not None:
        click.echo(f"exported {exported} rows to {export_path}")
    if exported_nodes is not None:
        click.echo(f"exported {exported_nodes} kernel profiles to {export_nodes_path}")
