"""The unified training table: its columns, their types, and a validator with precise errors.

Every public source is imported into these columns (one row = one measured latency of one graph
on one device in one setting). The predictor reads exactly these names. ``validate`` checks a
frame and raises ``InputError`` naming the file, row and field of the first problems found:
wrong types, NaN/inf, non-positive latencies, unknown categorical values, duplicated rows.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from advisor.errors import InputError

SOURCES = ("ncnn", "help", "mlperf", "opencv_zoo", "measure")
KINDS = ("cpu", "gpu", "npu", "soc-cpu", "soc-gpu")
PRECISIONS = ("fp32", "fp16", "bf16", "int8", "int8-dynamic", "int8-weight", "int4-weight", "fp8")


@dataclass(frozen=True)
class Column:
    name: str
    dtype: str          # "str", "int", "float", "bool"
    required: bool      # may not be empty
    doc: str


COLUMNS: tuple[Column, ...] = (
    Column("source", "str", True, "public source: ncnn / help / mlperf / opencv_zoo"),
    Column("source_ref", "str", True, "file and row/column of the original number"),
    Column("graph", "str", True, "graph identity accepted by advisor.dataset.graph_for"),
    Column("family", "str", True, "network family (resnet, mobilenet_v2, nasbench201, ...)"),
    Column("hw_id", "str", True, "id in data/hardware.csv"),
    Column("device_string", "str", True, "the device text as the source wrote it"),
    Column("kind", "str", True, "cpu / gpu / npu / soc-cpu / soc-gpu (from the hardware row)"),
    Column("precision", "str", True, "number format the kernels ran in"),
    Column("batch", "int", True, "samples per inference"),
    Column("threads", "float", False, "CPU threads (empty for GPUs and when unknown)"),
    Column("runtime", "str", True, "ncnn, ncnn-vulkan, pytorch, tflite, tensorrt, ..."),
    Column("latency_ms", "float", True, "wall time of one inference of one batch, ms"),
    Column("latency_stat", "str", True, "avg / mean / min / median / p90 / offline_amortized ..."),
    Column("powersave", "float", False, "ncnn powersave mode (0 all cores, 1 little, 2 big)"),
    Column("date", "str", False, "date of the measurement where known"),
    Column("version", "str", False, "runtime or benchmark-round version where known"),
    Column("precision_note", "str", False, "caveats on precision, batch or latency derivation"),
)
COLUMN_NAMES: tuple[str, ...] = tuple(c.name for c in COLUMNS)
_BY_NAME = {c.name: c for c in COLUMNS}
_CATEGORIES = {"source": SOURCES, "kind": KINDS, "precision": PRECISIONS}
# Two rows with these equal are the same measurement imported twice.
KEY = ("source", "source_ref")


def empty_frame() -> pd.DataFrame:
    """A zero-row frame with every column in its dtype."""
    return conform(pd.DataFrame({c: [] for c in COLUMN_NAMES}))


def conform(df: pd.DataFrame) -> pd.DataFrame:
    """Columns in schema order, missing optional columns added empty, dtypes normalised.

    Strings become pandas ``object`` with ``None`` for empty; ints ``int64``; floats ``float64``.
    Does not validate values (see ``validate``); raises ``InputError`` if a required column is
    missing.
    """
    missing = [c.name for c in COLUMNS if c.required and c.name not in df.columns]
    if missing:
        raise InputError(f"training table lacks required column(s) {missing}")
    out = pd.DataFrame(index=df.index)
    for c in COLUMNS:
        col = df[c.name] if c.name in df.columns else pd.Series([None] * len(df), index=df.index)
        if c.dtype == "str":
            col = col.astype(object).where(col.notna(), None)
            out[c.name] = col.map(lambda v: v if v is None else str(v))
        elif c.dtype == "int":
            out[c.name] = pd.to_numeric(col, errors="coerce")
            if out[c.name].notna().all():
                out[c.name] = out[c.name].astype("int64")
        else:
            out[c.name] = pd.to_numeric(col, errors="coerce").astype("float64")
    return out.reset_index(drop=True)


def _fmt_rows(idx: pd.Index, limit: int = 5) -> str:
    rows = [str(int(i) + 2) for i in list(idx[:limit])]  # +2: header line, 1-based
    more = f" and {len(idx) - limit} more" if len(idx) > limit else ""
    return ", ".join(rows) + more


def problems(df: pd.DataFrame, where: str = "training table") -> list[str]:
    """Every problem found in ``df``, each naming ``where``, the row(s) and the field."""
    errs: list[str] = []
    missing = [c for c in COLUMN_NAMES if c not in df.columns]
    if missing:
        return [f"{where}: missing column(s) {missing}"]
    df = df.reset_index(drop=True)
    for c in COLUMNS:
        col = df[c.name]
        empty = col.isna() | (col.astype(str).str.strip() == "") if c.dtype == "str" else col.isna()
        if c.dtype in ("int", "float"):
            num = pd.to_numeric(col, errors="coerce")
            bad_type = num.isna() & col.notna() & (col.astype(str).str.strip() != "")
            if bad_type.any():
                i = bad_type[bad_type].index
                errs.append(f"{where}: row(s) {_fmt_rows(i)}: field {c.name!r} is not a number "
                            f"(e.g. {col[i[0]]!r})")
            inf = np.isinf(num.fillna(0).to_numpy(dtype=float))
            if inf.any():
                i = df.index[inf]
                errs.append(f"{where}: row(s) {_fmt_rows(i)}: field {c.name!r} is infinite")
            if c.dtype == "int":
                frac = num.notna() & ~np.isinf(num.fillna(0)) & (num.fillna(0) % 1 != 0)
                if frac.any():
                    i = frac[frac].index
                    errs.append(f"{where}: row(s) {_fmt_rows(i)}: field {c.name!r} must be an "
                                f"integer (e.g. {col[i[0]]!r})")
            empty = empty & ~bad_type
        if c.required and empty.any():
            i = empty[empty].index
            errs.append(f"{where}: row(s) {_fmt_rows(i)}: required field {c.name!r} is empty or NaN")
        if c.name in _CATEGORIES:
            bad = ~empty & ~col.isin(_CATEGORIES[c.name])
            if bad.any():
                i = bad[bad].index
                errs.append(f"{where}: row(s) {_fmt_rows(i)}: field {c.name!r} = {col[i[0]]!r} is not "
                            f"one of {', '.join(_CATEGORIES[c.name])}")
    for name in ("latency_ms", "batch", "threads"):
        num = pd.to_numeric(df[name], errors="coerce")
        bad = num.notna() & (num <= 0)
        if bad.any():
            i = bad[bad].index
            errs.append(f"{where}: row(s) {_fmt_rows(i)}: field {name!r} must be > 0 "
                        f"(e.g. {df[name][i[0]]!r})")
    dup = df.duplicated(list(KEY), keep="first")
    if dup.any():
        i = dup[dup].index
        errs.append(f"{where}: row(s) {_fmt_rows(i)}: duplicate of an earlier row with the same "
                    f"{' and '.join(KEY)} (e.g. {df.loc[i[0], 'source_ref']!r})")
    return errs


def validate(df: pd.DataFrame, where: str = "training table") -> pd.DataFrame:
    """Check ``df`` against the schema; return it conformed, or raise ``InputError`` listing
    the first problems (file/row/field)."""
    errs = problems(df, where)
    if errs:
        shown = "; ".join(errs[:6]) + (f"; and {len(errs) - 6} more problem(s)" if len(errs) > 6 else "")
        raise InputError(shown)
    return conform(df)


def read_table(path) -> pd.DataFrame:
    """Read a training table (CSV, CSV.gz or Parquet) and validate it."""
    from pathlib import Path

    p = Path(path)
    if not p.exists():
        raise InputError(f"training table not found: {p}")
    if p.suffix == ".parquet":
        df = pd.read_parquet(p)
    else:
        df = pd.read_csv(p, dtype={c.name: object for c in COLUMNS if c.dtype == "str"},
                         keep_default_na=True)
    return validate(df, where=str(p))
