"""Options shared by the commands that read a model."""

from __future__ import annotations

import click


def model_and_dims(func):
    """--model and --dim (repeatable NAME=VALUE for symbolic input dims)."""
    func = click.option("--dim", "dims", multiple=True, metavar="NAME=VALUE",
                        help="Value for a symbolic input dim (repeatable).")(func)
    func = click.option("--model", "model_path", required=True,
                        type=click.Path(dir_okay=True, path_type=str), help="ONNX model file.")(func)
    return func


def single_batch_and_seq(func):
    """--batch N and --seq-len N for commands that look at one configuration."""
    func = click.option("--seq-len", type=int, default=None,
                        help="Sequence length for dims that look like one (default 128).")(func)
    func = click.option("--batch", type=int, default=None,
                        help="Batch size for dims that look like a batch (default 1).")(func)
    return func
