"""``advisor advise`` (upgrade or quantize?) and ``advisor plan`` (cheapest device meeting a target)."""

from __future__ import annotations

import click

from advisor.cli.options import model_and_dims, single_batch_and_seq
from advisor.cli.output import emit_json, print_table
from advisor.errors import InputError
from advisor.graph.dims import parse_dim_overrides


def _batches(text: str | None) -> list[int]:
    if not text:
        return []
    try:
        values = [int(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"invalid --try-batch '{text}': expected integers separated by commas") from None
    if any(v < 1 for v in values):
        raise InputError(f"invalid --try-batch '{text}': batch sizes must be at least 1")
    return values


def _prune(text: str) -> list[float]:
    try:
        values = [float(v) for v in text.split(",") if v.strip()]
    except ValueError:
        raise InputError(f"invalid --prune '{text}': expected fractions such as 0.25,0.5") from None
    if any(not 0 <= v < 1 for v in values):
        raise InputError(f"invalid --prune '{text}': fractions must be in [0, 1)")
    return values


def _pct(v: float) -> str:
    return f"{100 * v:.0f}%"


def _money(v) -> str:
    return "-" if v is None else f"${v:,.0f}"


@click.command("advise")
@model_and_dims
@single_batch_and_seq
@click.option("--hw", "hw_id", required=True, help="Today's device: id, alias, 'local' or a spec file.")
@click.option("--precision", default="fp32", show_default=True, help="Precision the model runs in today.")
@click.option("--threads", type=int, default=None, help="CPU threads used today (default: all cores).")
@click.option("--runtime", default="onnxruntime", show_default=True, help="Runtime whose kernels to assume.")
@click.option("--candidates", default=None, help="Upgrade devices, comma-separated (default: from the table).")
@click.option("--kind", default=None, help="Choose upgrade candidates of this kind from the table (gpu, cpu...).")
@click.option("--target-ms", type=float, default=None, help="Latency target, ms.")
@click.option("--budget-usd", type=float, default=None, help="Most to spend on a device, USD.")
@click.option("--objective", type=click.Choice(["latency", "cost"]), default="latency", show_default=True)
@click.option("--prune", "prune_text", default="0.25,0.5", show_default=True,
              help="Structured-pruning fractions to evaluate as what-ifs ('' for none).")
@click.option("--try-batch", "try_batch", default=None, help="Other batch sizes to evaluate, e.g. 8,32.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def advise_command(model_path, dims, batch, seq_len, hw_id, precision, threads, runtime, candidates,
                   kind, target_ms, budget_usd, objective, prune_text, try_batch, as_json):
    """Upgrade or quantize? Predict every option for MODEL on HW, rank and explain."""
    from advisor.advise import advise

    if candidates is not None and kind is not None:
        raise click.UsageError("choose one of --candidates and --kind")
    cands = [c for c in candidates.split(",") if c.strip()] if candidates is not None else None
    advice = advise(model_path, hw_id, batch=batch or 1, seq_len=seq_len,
                    dims=parse_dim_overrides(dims), precision=precision, threads=threads,
                    runtime=runtime, candidates=cands, kind=kind, budget_usd=budget_usd,
                    target_ms=target_ms, objective=objective, prune=_prune(prune_text),
                    batches=_batches(try_batch))
    if as_json:
        emit_json(advice.to_dict())
        return
    b, t = advice.bottleneck, advice.today
    click.echo(f"{advice.model} on {advice.hw_id} ({advice.precision}, batch {advice.batch}): "
               f"{t.latency_ms:.3g} ms [{t.interval_ms[0]:.3g}-{t.interval_ms[1]:.3g}]"
               + (f", {t.tokens_per_s:.4g} tokens/s" if advice.decoding else "") + f"  ({t.basis})")
    click.echo(f"bottleneck: {b.regime}; compute {_pct(b.compute_share)}, memory {_pct(b.memory_share)}, "
               f"overhead {_pct(b.overhead_share)}; intensity {b.intensity:.3g} FLOP/B vs ridge "
               f"{b.ridge:.3g} ({b.peak_tflops:.3g} TFLOPS / {b.bandwidth_gbs:.4g} GB/s)\n")
    rate = "tokens/s" if advice.decoding else "items/s"
    print_table("options (feasible first, fastest first)",
                ["option", "latency ms", "90% interval", "speedup", rate, "price", "$/x", "risk",
                 "basis", "feasible"],
                [[o.label, o.latency_ms, f"{o.interval_ms[0]:.3g}-{o.interval_ms[1]:.3g}",
                  f"{o.speedup:.2f}x", o.throughput_per_s, _money(o.price_usd), _money(o.usd_per_speedup),
                  o.accuracy_risk, o.basis.split(" (")[0],
                  "yes" if o.feasible and o.within_budget else ("over budget" if o.feasible else "no: " + o.reason)]
                 for o in advice.options])
    if advice.compute_sweep:
        click.echo("\nmore compute at the same bandwidth (and more bandwidth at the same compute):")
        click.echo("  " + "   ".join(f"{r['compute_x']:g}x/{r['bandwidth_x']:g}x bw: {r['speedup']:.2f}x"
                                     for r in advice.compute_sweep))
    rec = advice.recommendation
    click.echo(f"\nrecommendation ({advice.objective}): {rec.label if rec else 'none'}")
    click.echo(advice.reason)
    for note in advice.notes:
        click.echo(f"note: {note}")


@click.command("plan")
@model_and_dims
@single_batch_and_seq
@click.option("--target-ms", type=float, required=True, help="Latency target, ms.")
@click.option("--qps", type=float, default=None, help="Samples per second to serve; devices needed = "
              "ceil(qps / per-device samples per second).")
@click.option("--budget-usd", type=float, default=None, help="Most to spend in total, USD.")
@click.option("--kind", default=None, help="Device kinds to consider (gpu, cpu, npu...; comma-separated).")
@click.option("--candidates", default=None, help="Devices to consider, comma-separated (default: the table).")
@click.option("--max-risk", type=click.Choice(["none", "low", "medium", "high"]), default="high",
              show_default=True, help="Highest accuracy risk of a precision to allow.")
@click.option("--runtime", default="onnxruntime", show_default=True)
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def plan_command(model_path, dims, batch, seq_len, target_ms, qps, budget_usd, kind, candidates,
                 max_risk, runtime, as_json):
    """Cheapest hardware and precision meeting --target-ms (and devices needed for --qps)."""
    from advisor.plan import plan

    if candidates is not None and kind is not None:
        raise click.UsageError("choose one of --candidates and --kind")
    for value, what in ((target_ms, "--target-ms"), (qps, "--qps"), (budget_usd, "--budget-usd")):
        if value is not None and not value > 0:
            raise InputError(f"{what} must be positive, got {value:g}")
    cands = [c for c in candidates.split(",") if c.strip()] if candidates is not None else None
    result = plan(model_path, target_ms=target_ms, qps=qps, budget_usd=budget_usd, kind=kind,
                  candidates=cands, batch=batch or 1, seq_len=seq_len, dims=parse_dim_overrides(dims),
                  max_risk=max_risk, runtime=runtime)
    if as_json:
        emit_json(result.to_dict())
        return
    print_table(f"cheapest options meeting {target_ms:g} ms ({result.considered} configurations predicted)",
                ["device", "precision", "latency ms", "per device/s", "devices", "total", "risk", "basis"],
                [[r.hw_id, r.precision, r.latency_ms, r.throughput_per_s, r.devices_needed,
                  _money(r.total_usd), r.accuracy_risk, r.basis.split(" (")[0]] for r in result.rows])
    if result.unpriced:
        click.echo("\nalso meeting the target, no price in the table: "
                   + ", ".join(f"{r.precision} on {r.hw_id} ({r.latency_ms:.3g} ms)" for r in result.unpriced))
    click.echo(f"\nplan: {result.reason}")
    for note in result.notes:
        click.echo(f"note: {note}")


command = advise_command
