"""Resolve the symbolic dimensions of a model's inputs to concrete sizes.

Exporters name dynamic axes ("batch", "sequence_length", "past_sequence_length + 1", "unk__0"...).
The user's values win (``--dim NAME=VALUE``); otherwise names that look like a batch or a sequence
length take ``batch`` / ``seq_len``; anything else is an error that names the dim and how to set it.
Every value used is reported back with where it came from.
"""

from __future__ import annotations

import ast
import operator
import re
from dataclasses import dataclass

import onnx

from advisor.errors import InputError

DEFAULT_BATCH = 1
DEFAULT_SEQ_LEN = 128
MAX_DIM = 2**31 - 1
#: Longest symbolic-dim expression evaluated; real exports write a few dozen characters.
MAX_EXPRESSION_CHARS = 200

_BATCH_NAME = re.compile(r"^(n|b|bs|batch|batch_?size|.*batch.*|unk__\d+|dynamic_axes_\d+|\?)$", re.I)
_PAST_NAME = re.compile(r".*(past|cache|kv).*", re.I)
_SEQ_NAME = re.compile(r".*(seq|sequence|length|len|token|time|step|position|total).*", re.I)


@dataclass(frozen=True)
class AssumedDim:
    """One symbolic dim, the value it was given, and why (user / default-batch / ...)."""

    name: str
    value: int
    origin: str


def parse_dim_overrides(items: list[str] | tuple[str, ...]) -> dict[str, int]:
    """Parse ``NAME=VALUE`` strings from the command line into a dict."""
    dims: dict[str, int] = {}
    for item in items:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(f"invalid --dim '{item}': expected NAME=VALUE, e.g. --dim batch=8")
        dims[name] = _positive_int(value.strip(), f"--dim {name}")
    return dims


def _positive_int(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise InputError(f"invalid value for {what}: '{text}' is not an integer") from None
    if value < 1 or value > MAX_DIM:
        raise InputError(f"invalid value for {what}: {value} (must be 1..{MAX_DIM})")
    return value


def resolve_input_dims(model: onnx.ModelProto, *, skip: set[str], batch: int | None,
                       seq_len: int | None, dims: dict[str, int] | None) -> dict[str, AssumedDim]:
    """Give every symbolic dim of the graph inputs (except ``skip``) a value, in place.

    The same names are substituted in outputs and value_info so that declared shapes agree.
    Returns the assumed dims by name.
    """
    for what, value in (("batch", batch), ("seq-len", seq_len)):
        if value is not None and (value < 1 or value > MAX_DIM):
            raise InputError(f"invalid --{what} {value} (must be 1..{MAX_DIM})")
    user = dict(dims or {})
    for name, value in user.items():
        try:
            number = operator.index(value)  # ints and numpy integers; not floats or strings
        except TypeError:
            number = None
        if isinstance(value, bool) or number is None or not 1 <= number <= MAX_DIM:
            raise InputError(f"invalid value for --dim {_short(str(name))}: {value!r} "
                             f"(must be an integer 1..{MAX_DIM})")
        user[name] = number
    assumed: dict[str, AssumedDim] = {}
    unresolved: list[str] = []

    def value_of(name: str, axis: int, input_name: str) -> int | None:
        if name in assumed:
            return assumed[name].value
        if name in user:
            assumed[name] = AssumedDim(name, user[name], "user")
        elif name and _is_expression(name):
            value = _evaluate(name, {k: v.value for k, v in assumed.items()} | user)
            if value is None:
                return None  # try again after the other names are known
            assumed[name] = AssumedDim(name, value, "expression")
        elif _BATCH_NAME.match(name or "?") and (name or axis == 0):
            origin = "user --batch" if batch is not None else "default batch"
            assumed[name] = AssumedDim(name, batch or DEFAULT_BATCH, origin)
        elif _PAST_NAME.match(name):
            value = seq_len or DEFAULT_SEQ_LEN
            assumed[name] = AssumedDim(name, value, "past length = seq-len")
        elif _SEQ_NAME.match(name):
            origin = "user --seq-len" if seq_len is not None else "default seq-len"
            assumed[name] = AssumedDim(name, seq_len or DEFAULT_SEQ_LEN, origin)
        else:
            return None
        return assumed[name].value

    inputs = [i for i in model.graph.input if i.name not in skip]
    for _ in range(2):  # a second pass resolves expressions that name later dims
        unresolved = []
        for value_info in inputs:
            if not value_info.type.HasField("tensor_type"):
                continue
            tensor_type = value_info.type.tensor_type
            if not tensor_type.HasField("shape"):
                raise InputError(f"input '{value_info.name}' has no declared shape (rank unknown); "
                                 "the model must declare its input ranks")
            for axis, dim in enumerate(tensor_type.shape.dim):
                if dim.HasField("dim_value"):
                    if dim.dim_value < 0 or dim.dim_value > MAX_DIM:
                        raise InputError(f"input '{value_info.name}' has an invalid dimension {dim.dim_value}")
                    if dim.dim_value == 0:
                        raise InputError(f"input '{value_info.name}' has a zero dimension at axis {axis}")
                    continue
                label = dim.dim_param
                value = value_of(label, axis, value_info.name)
                if value is None:
                    where = f"{_short(value_info.name)}[{axis}]"
                    unresolved.append(where + (f" '{_short(label)}'" if label else ""))
                    continue
                dim.Clear()
                dim.dim_value = value
    if unresolved:
        raise InputError("cannot resolve symbolic input dims " + ", ".join(unresolved[:6])
                         + "; give them with --dim NAME=VALUE")
    referenced = set(assumed)
    for name in assumed:
        referenced.update(re.findall(r"[A-Za-z_]\w*", name))
    unknown_user = sorted(set(user) - referenced)
    if unknown_user:
        raise InputError(f"--dim names not in the model's inputs: {', '.join(unknown_user)}")
    known = {name: a.value for name, a in assumed.items()}
    for value_info in list(model.graph.output) + list(model.graph.value_info):
        if value_info.type.HasField("tensor_type") and value_info.type.tensor_type.HasField("shape"):
            for dim in value_info.type.tensor_type.shape.dim:
                if dim.HasField("dim_param"):
                    value = known.get(dim.dim_param)
                    dim.Clear()  # an unknown symbol: let shape inference decide
                    if value is not None:
                        dim.dim_value = value
    return assumed


def _short(text: str, limit: int = 60) -> str:
    """A name cut to ``limit`` characters for one-line messages (hostile files carry huge ones)."""
    return text if len(text) <= limit else text[:limit] + "..."


def _is_expression(name: str) -> bool:
    return bool(re.search(r"[+\-*/()]", name))


_OPS = {ast.Add: operator.add, ast.Sub: operator.sub, ast.Mult: operator.mul,
        ast.FloorDiv: operator.floordiv, ast.Div: operator.floordiv}


def _evaluate(expression: str, names: dict[str, int]) -> int | None:
    """Evaluate a dim expression such as ``past_sequence_length + 1`` without ``eval``.

    Exporters write short expressions; a long one (a hostile file's ``1+1+...+1``) is left
    unresolved rather than parsed, so neither the parser nor the walk can exhaust the stack.
    """
    if len(expression) > MAX_EXPRESSION_CHARS:
        return None
    try:
        tree = ast.parse(expression, mode="eval")
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return None

    def walk(node: ast.AST) -> int:
        if isinstance(node, ast.Expression):
            return walk(node.body)
        if isinstance(node, ast.Constant) and isinstance(node.value, int):
            return node.value
        if isinstance(node, ast.Name):
            if node.id not in names:
                raise KeyError(node.id)
            return names[node.id]
        if isinstance(node, ast.BinOp) and type(node.op) in _OPS:
            return _OPS[type(node.op)](walk(node.left), walk(node.right))
        raise ValueError(expression)

    try:
        value = walk(tree)
    except (KeyError, ValueError, ZeroDivisionError, RecursionError):
        return None
    return value if 1 <= value <= MAX_DIM else None
