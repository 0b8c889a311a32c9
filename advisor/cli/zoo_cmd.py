"""``advisor zoo``: list the built-in networks, or build one as an ONNX file."""

from __future__ import annotations

import os

import click
import onnx

from advisor.atomic import atomic_path
from advisor.cli.output import emit_json, print_table
from advisor.errors import InputError
from advisor.zoo import build, list_models, parse_recipe, recipe_of
from advisor.zoo.registry import parse_value


@click.group("zoo")
def command() -> None:
    """Well-known networks and random families, built as ONNX graphs."""


@command.command("list")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable output.")
def list_cmd(as_json: bool) -> None:
    """List zoo networks with their family and default options."""
    rows = list_models()
    if as_json:
        emit_json({"schema": "advisor.zoo.list/1", "count": len(rows),
                   "models": [{"name": n, "family": f, "description": d, "defaults": o}
                              for n, f, d, o in rows]})
        return
    print_table("advisor zoo", ["name", "family", "description"], [(n, f, d) for n, f, d, _ in rows])


@command.command("build")
@click.argument("name")
@click.option("--batch", type=int, help="Batch size.")
@click.option("--resolution", type=int, help="Input image side, pixels.")
@click.option("--seq-len", "seq_len", type=int, help="Sequence length (transformers).")
@click.option("--width", type=float, help="Width multiplier (where the network has one).")
@click.option("--dynamic", is_flag=True, default=None, help="Symbolic 'batch' / 'seq_len' dims.")
@click.option("--graph-only", "graph_only", is_flag=True, default=None,
              help="No weight data: external initializers that exist nowhere (for analysis only).")
@click.option("--opt", "extra", multiple=True, metavar="KEY=VALUE", help="Any other builder option.")
@click.option("-o", "--output", "out", required=True, type=click.Path(dir_okay=False),
              help="Where to write the .onnx file.")
@click.option("--json", "as_json", is_flag=True, help="Machine-readable summary.")
def build_cmd(name: str, batch, resolution, seq_len, width, dynamic, graph_only, extra, out,
              as_json: bool) -> None:
    """Build zoo network NAME (or a recipe 'name:key=val,...') and save it as ONNX."""
    base, opts = parse_recipe(name)
    for item in extra:
        key, sep, value = item.partition("=")
        if not sep or not key.strip():
            raise InputError(f"invalid --opt {item!r}: expected KEY=VALUE")
        opts[key.strip()] = parse_value(value)
    for key, val in (("batch", batch), ("resolution", resolution), ("seq_len", seq_len),
                     ("width", width), ("dynamic", dynamic), ("graph_only", graph_only)):
        if val is not None:
            opts[key] = val
    model = build(base, **opts)
    if model.ByteSize() > 2_000_000_000:
        raise InputError("model is over 2 GB with weights; add --graph-only")
    try:
        with atomic_path(out) as tmp:
            onnx.save(model, str(tmp))
    except OSError as exc:
        raise InputError(f"cannot write {out}: {exc.strerror or exc}") from None
    graph_only = any(t.data_location == onnx.TensorProto.EXTERNAL for t in model.graph.initializer)
    params = sum(int(_numel(t.dims)) for t in model.graph.initializer)
    info = {"schema": "advisor.zoo.build/1", "recipe": recipe_of(model), "path": os.path.abspath(out), "bytes": os.path.getsize(out),
            "nodes": len(model.graph.node), "initializer_elements": params, "graph_only": graph_only,
            "inputs": [_io(v) for v in model.graph.input], "outputs": [_io(v) for v in model.graph.output]}
    if as_json:
        emit_json(info)
        return
    click.echo(f"wrote {out}: {info['recipe']}, {info['nodes']} nodes, {params / 1e6:.2f}M weights"
               + (" (graph only: no weight data, not runnable)" if graph_only else ""))


def _numel(dims) -> int:
    n = 1
    for d in dims:
        n *= int(d)
    return n


def _io(v: onnx.ValueInfoProto) -> dict:
    tt = v.type.tensor_type
    return {"name": v.name, "dtype": onnx.helper.tensor_dtype_to_np_dtype(tt.elem_type).name,
            "shape": [d.dim_param if d.dim_param else d.dim_value for d in tt.shape.dim]}
