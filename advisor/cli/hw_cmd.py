"""``advisor hw``: list and show the hardware table, and probe this host."""

from __future__ import annotations

import click

from advisor.cli.output import emit_json, print_table
from advisor.hardware import PRECISIONS, get_hardware, load_table
from advisor.hardware.table import KINDS


@click.group("hw")
def command() -> None:
    """Hardware the predictor knows: the sourced table, your own spec files, this host."""


@command.command("list")
@click.option("--kind", type=click.Choice(KINDS), default=None, help="Only devices of this kind.")
@click.option("--vendor", default=None, help="Only this vendor (case-insensitive).")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(kind: str | None, vendor: str | None, as_json: bool) -> None:
    """List devices with their dense peaks (TFLOPS/TOPS) and memory bandwidth (GB/s)."""
    rows = [h for h in load_table()
            if (kind is None or h.kind == kind) and (vendor is None or h.vendor.lower() == vendor.lower())]
    if as_json:
        emit_json({"schema": "advisor.hw.list/1", "count": len(rows),
                   "devices": [h.to_dict() for h in rows]})
        return
    print_table(f"{len(rows)} devices (dense peaks in TFLOPS / TOPS; '-' = unsupported or unpublished)",
                ["id", "kind", "fp32", "fp16", "bf16", "int8", "fp8", "GB/s", "name"],
                [[h.id, h.kind] + [_p(h.peak_tflops(p)) for p in ("fp32", "fp16", "bf16", "int8", "fp8")]
                 + [_p(h.mem_bw_gbs), h.name] for h in rows])


@command.command("show")
@click.argument("name")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def show_cmd(name: str, as_json: bool) -> None:
    """Show one device: NAME is an id, alias, loose name, 'local', or a .yaml/.json spec file."""
    hw = get_hardware(name)
    if as_json:
        emit_json({"schema": "advisor.hw.show/1", **hw.to_dict()})
        return
    d = hw.to_dict()
    click.echo(f"{hw.id}: {hw.name}")
    for key in ("vendor", "kind", "arch", "release_year", "aliases", "mem_bw_gbs", "mem_gb", "llc_mb",
                "compute_units", "clusters", "boost_clock_ghz", "tdp_w", "price_usd", "matrix_units",
                "isa", "confidence"):
        v = d[key]
        if v not in (None, "", []):
            click.echo(f"  {key:16s} {', '.join(v) if isinstance(v, list) else v}")
    tf32 = hw.tf32_peak()
    click.echo("  dense peaks      " + "  ".join(f"{p} {_p(hw.peak_tflops(p))}" for p in PRECISIONS)
               + (f"  (tf32 {_p(tf32)}: half of bf16; what onnxruntime and TensorRT run fp32 on)"
                  if tf32 else ""))
    click.echo(f"  source           {hw.source}")


@command.command("probe")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
@click.option("--force", is_flag=True, help="Measure again even when a cached result exists.")
@click.option("--quick", is_flag=True, help="Smaller, faster runs; not cached.")
def probe_cmd(as_json: bool, force: bool, quick: bool) -> None:
    """Measure this host: GEMM GFLOPS per precision and memory bandwidth (cached per host)."""
    from advisor.hardware.host import detect_host, local_hardware, measured_clock_floor, per_core_rates
    from advisor.hardware.measured_hosts import this_host
    from advisor.hardware.probe import cache_path, run_probe

    host = detect_host()
    res = run_probe(quick=quick, use_cache=not force, host=host)
    local = local_hardware(host)
    res["formula_peaks_gflops"] = {p: round(v * 1000, 1) for p, v in local.peaks.items()}
    floor = measured_clock_floor(res["gflops"], per_core_rates(host)[1], host.physical_cores)
    above = floor if floor and local.boost_clock_ghz and floor[0] > local.boost_clock_ghz else None
    res["clock_floor_ghz"] = round(above[0], 3) if above else None
    if as_json:
        emit_json({"schema": "advisor.hw.probe/1", **res})
        return
    click.echo(f"host: {host.model}  ({host.physical_cores} cores, {host.logical_cpus} logical; "
               f"ISA {' '.join(host.isa) or '-'}; {host.mem_gb or 0:.1f} GB)")
    click.echo(f"fingerprint {host.fingerprint}; {'cached ' if res.get('cached') else ''}result from {res['when']}"
               + ("" if quick else f" ({cache_path(host)})"))
    print_table("", ["precision", "measured GFLOPS", "formula peak GFLOPS", "fraction"],
                [[p, _p(g), _p(res["formula_peaks_gflops"].get(p)),
                  _p(g / res["formula_peaks_gflops"][p]) if g and res["formula_peaks_gflops"].get(p) else "-"]
                 for p, g in res["gflops"].items()])
    click.echo(f"memory bandwidth (copy, read+write): {res['mem_bw_gbs']:.1f} GB/s")
    if above:
        measured = this_host()
        uses = (f"`--hw local` here is {measured.id}, whose spec file holds measured peaks" if measured else
                f"`--hw local` keeps the formula peaks, low here by {above[0] / local.boost_clock_ghz:.2f}x "
                f"or more: `advisor calibrate --hw local` fits this host's speed from real runs")
        click.echo(f"note: {above[1]} GEMM ran above its formula peak, so the cores run at {above[0]:.2f} GHz "
                   f"or more, not the {local.boost_clock_ghz:g} GHz the formula assumes; {uses}")


def _p(v: float | None) -> str:
    if v is None:
        return "-"
    return f"{v:.3g}" if v < 1000 else f"{v:,.0f}"
