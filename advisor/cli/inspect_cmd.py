"""``advisor inspect``: what a graph costs, node by node, with no hardware involved."""

from __future__ import annotations

import click

from advisor.cli.options import model_and_dims, single_batch_and_seq
from advisor.cli.output import emit_json, human_bytes, human_count, print_table
from advisor.graph import analyze
from advisor.graph.dims import parse_dim_overrides
from advisor.graph.summary import summarize


@click.command("inspect")
@model_and_dims
@single_batch_and_seq
@click.option("--top", default=10, show_default=True, help="How many heaviest nodes to list.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def command(model_path: str, batch: int | None, seq_len: int | None, dims: tuple[str, ...],
            top: int, as_json: bool) -> None:
    """Count FLOPs, parameters and bytes of an ONNX model, per node, without its weights."""
    graph = analyze(model_path, batch=batch, seq_len=seq_len, dims=parse_dim_overrides(dims))
    summary = summarize(graph, top=top)
    if as_json:
        emit_json(summary)
        return
    totals = summary["totals"]
    click.echo(f"model: {model_path}  (opset {summary['opset']}, shapes: {summary['shape_inference']})")
    for name, dim in summary["assumed_dims"].items():
        click.echo(f"  dim {name or '(unnamed)'} = {dim['value']}  [{dim['origin']}]")
    click.echo(f"  {human_count(totals['gflops'] * 1e9)}FLOPs ({human_count(totals['gmacs'] * 1e9)}MACs), "
               f"{human_count(totals['params'])} params, weights {human_bytes(totals['weight_bytes'])}, "
               f"activations moved {human_bytes(totals['activation_bytes'])}, "
               f"intensity {totals['arithmetic_intensity']:.1f} FLOP/B")
    kinds = totals["nodes_by_kind"]
    click.echo(f"  nodes: {totals['nodes']} ({kinds['compute']} compute, {kinds['shape']} shape-only, "
               f"{kinds['constant']} constant-folded, {kinds['control']} control-flow)")
    click.echo("")
    print_table("per op type", ["op", "count", "GFLOPs", "FLOPs %", "MB moved", "bytes %"],
                [[r["op_type"], r["count"], r["flops"] / 1e9, f"{100 * r['flops_share']:.1f}%",
                  r["bytes"] / 1e6, f"{100 * r['bytes_share']:.1f}%"] for r in summary["op_types"]])
    click.echo("")
    print_table(f"heaviest {len(summary['heaviest_nodes'])} nodes", ["node", "op", "GFLOPs", "MB moved"],
                [[n["name"], n["op_type"], n["flops"] / 1e9, n["bytes"] / 1e6]
                 for n in summary["heaviest_nodes"]])
    if summary["unknown_ops"]:
        click.echo("")
        print_table("operators the cost registry does not know (counted as bytes only)",
                    ["op", "count", "nodes %", "bytes %"],
                    [[u["op_type"], u["count"], f"{100 * u['node_share']:.1f}%",
                      f"{100 * u['bytes_share']:.1f}%"] for u in summary["unknown_ops"]])
    for note in summary["notes"]:
        click.echo(f"note: {note}")
