"""Import every public source into one validated training table and write it.

    from advisor.dataset import import_public
    report = import_public(public_data_dir(), "public_table.csv.gz")

Sources are read from the public folder (never copied into the repository); each importer
returns rows and a ``Counter`` of rejection reasons; hardware ids are attached through
``data/public_device_map.csv``; the merged frame is validated against the schema and written as
Parquet (``.parquet``, needs pyarrow), gzip CSV (``.csv.gz``) or CSV. The same public files give
the same table byte for byte.
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import pandas as pd

from advisor.atomic import atomic_path
from advisor.dataset import devices, schema
from advisor.dataset.importers.help import import_help
from advisor.dataset.importers.mlperf import import_mlperf
from advisor.dataset.importers.ncnn import after_attach as ncnn_after_attach
from advisor.dataset.importers.ncnn import import_ncnn
from advisor.dataset.importers.opencv_zoo import import_opencv_zoo
from advisor.errors import InputError
from advisor.paths import public_data_dir

IMPORTERS: dict[str, Callable[[Path], tuple[pd.DataFrame, Counter]]] = {
    "ncnn": import_ncnn, "help": import_help, "mlperf": import_mlperf, "opencv_zoo": import_opencv_zoo,
}
# Source-specific checks that need the hardware kind (run after the device map).
AFTER_ATTACH: dict[str, Callable[[pd.DataFrame], tuple[pd.DataFrame, Counter]]] = {
    "ncnn": ncnn_after_attach}
INPUT_FILES = {"ncnn": ["ncnn/benchmark.csv"], "mlperf": ["mlperf/results_v1.0-v4.1.csv"],
               "opencv_zoo": ["opencv_zoo/benchmark.csv"],
               "help": ["help/nasbench201_latency.csv", "help/fbnet_latency.csv", "help/ofa_latency.csv"]}


@dataclass
class SourceReport:
    source: str
    imported: int
    rejected: dict[str, int]

    @property
    def considered(self) -> int:
        return self.imported + sum(self.rejected.values())


@dataclass
class ImportReport:
    out_path: str | None
    format: str | None
    rows: int
    seconds: float
    sources: dict[str, SourceReport] = field(default_factory=dict)
    missing_sources: list[str] = field(default_factory=list)

    def to_dict(self) -> dict:
        return {"out_path": self.out_path, "format": self.format, "rows": self.rows,
                "seconds": round(self.seconds, 2), "missing_sources": self.missing_sources,
                "sources": {k: {"imported": v.imported, "considered": v.considered,
                                "rejected": v.rejected} for k, v in self.sources.items()}}


def has_pyarrow() -> bool:
    try:
        import pyarrow  # noqa: F401
    except ImportError:
        return False
    return True


def output_format(path: str | Path) -> str:
    name = str(path).lower()
    if name.endswith(".parquet"):
        if not has_pyarrow():
            raise InputError("writing Parquet needs pyarrow, which is not installed; "
                             "use an output ending in .csv or .csv.gz")
        return "parquet"
    if name.endswith(".csv.gz"):
        return "csv.gz"
    if name.endswith(".csv"):
        return "csv"
    raise InputError(f"output {path} must end in .csv, .csv.gz or .parquet")


def write_table(df: pd.DataFrame, path: str | Path) -> str:
    """Write ``df`` in the format its suffix names; returns the format."""
    fmt = output_format(path)
    with atomic_path(path) as p:
        if fmt == "parquet":
            df.to_parquet(p, index=False)
        elif fmt == "csv.gz":
            # mtime=0 keeps the gzip header, and so the file, identical between runs.
            df.to_csv(p, index=False, compression={"method": "gzip", "mtime": 0})
        else:
            df.to_csv(p, index=False)
    return fmt


def collect(public_dir: str | Path | None = None, sources: list[str] | None = None,
            device_map: pd.DataFrame | None = None, kinds: dict[str, str] | None = None,
            progress: Callable[[str], None] | None = None) -> tuple[pd.DataFrame, ImportReport]:
    """Run the importers and the device map; the validated table and its report (nothing written)."""
    t0 = time.perf_counter()
    public = Path(public_dir or public_data_dir())
    if not public.is_dir():
        raise InputError(f"public data folder not found: {public}")
    dmap = device_map if device_map is not None else devices.load_map()
    kinds = kinds if kinds is not None else devices.load_kinds()
    report = ImportReport(None, None, 0, 0.0)
    frames = []
    for name in sources or list(IMPORTERS):
        if name not in IMPORTERS:
            raise InputError(f"unknown source {name!r}; choose from {', '.join(IMPORTERS)}")
        if progress:
            progress(name)
        if not all((public / f).exists() for f in INPUT_FILES[name]):
            report.missing_sources.append(name)
            continue
        rows, rejected = IMPORTERS[name](public)
        rows, rej_dev = devices.attach(rows, dmap, kinds)
        rejected.update(rej_dev)
        if name in AFTER_ATTACH and len(rows):
            rows, rej_post = AFTER_ATTACH[name](rows)
            rejected.update(rej_post)
        frames.append(rows)
        report.sources[name] = SourceReport(name, len(rows), {k: v for k, v in rejected.items() if v})
    if frames:
        table = pd.concat(frames, ignore_index=True)
    else:
        table = schema.empty_frame()
    table = table[[c for c in schema.COLUMN_NAMES]]
    table = schema.validate(table, where="imported public table")
    report.rows = len(table)
    report.seconds = time.perf_counter() - t0
    return table, report


def import_public(public_dir: str | Path | None, out_path: str | Path, sources: list[str] | None = None,
                  progress: Callable[[str], None] | None = None) -> ImportReport:
    """Import the public sources under ``public_dir`` and write the table to ``out_path``."""
    output_format(out_path)  # fail before the work if the suffix is wrong
    table, report = collect(public_dir, sources, progress=progress)
    if progress:
        progress("write")
    report.format = write_table(table, out_path)
    report.out_path = str(out_path)
    return report
