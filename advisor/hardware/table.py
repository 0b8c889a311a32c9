"""The bundled hardware table (``data/hardware.csv``): load, validate, and the ``Hardware`` record.

``load_table()`` returns a plain ``list[Hardware]`` (not a DataFrame) so callers need no pandas;
``table_frame()`` gives the same rows as a DataFrame for analysis. Peaks are dense (no sparsity)
TFLOPS (TOPS for integer formats); an empty cell means the device lacks the format or no figure is
published, never zero.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import asdict, dataclass, field
from pathlib import Path

from advisor.errors import AdvisorError, InputError
from advisor.paths import data_dir

PRECISIONS = ("fp32", "fp16", "bf16", "int8", "fp8", "int4")
#: NVIDIA architectures whose tensor cores run TF32 (fp32 tensors, 10-bit-mantissa products):
#: Ampere and later. Their dense TF32 rate is half the dense bf16 rate (fp32 accumulate) on every
#: such part whose datasheet gives both: A100 156 of 312, H100 SXM 495 of 989, L4 60 of 121,
#: RTX A6000 77.4 of 154.8, and the GeForce cards' TF32 (RTX 4090 82.6 of 165.2) equals
#: their fp32 CUDA-core rate.
TF32_ARCHS = ("ampere", "ada", "hopper", "blackwell")
KINDS = ("cpu", "gpu", "npu", "soc-cpu", "soc-gpu")
CONFIDENCE = ("datasheet", "derived", "approx", "measured")
NUMERIC = ("mem_bw_gbs", "mem_gb", "llc_mb", "compute_units", "boost_clock_ghz", "tdp_w", "price_usd")
# Plausible ranges, used to catch unit slips (GB/s vs TB/s, MHz vs GHz) in the table and in user files.
RANGES = {
    "mem_bw_gbs": (0.5, 20000.0), "mem_gb": (0.0625, 4096.0), "llc_mb": (0.0625, 4096.0),
    "compute_units": (1, 100000), "boost_clock_ghz": (0.1, 7.0), "tdp_w": (0.5, 3000.0),
    "price_usd": (5, 100000.0), "release_year": (1995, 2030),
}
PEAK_RANGE = (1e-4, 50000.0)  # TFLOPS


@dataclass(frozen=True)
class Hardware:
    """One device: identity, dense peak rates per precision, memory system, provenance."""

    id: str
    name: str
    kind: str
    vendor: str = ""
    aliases: tuple[str, ...] = ()
    arch: str = ""
    release_year: int | None = None
    peaks: dict[str, float] = field(default_factory=dict)  # precision -> TFLOPS (dense)
    mem_bw_gbs: float | None = None
    mem_gb: float | None = None
    llc_mb: float | None = None
    compute_units: int | None = None
    boost_clock_ghz: float | None = None
    tdp_w: float | None = None
    price_usd: float | None = None
    matrix_units: str = ""
    isa: tuple[str, ...] = ()
    confidence: str = "datasheet"
    source: str = ""
    #: CPUs with cores of different speeds: 'N@GHzxF' per cluster joined by '+' (cores, clock,
    #: fp32 FLOPs per cycle per core), e.g. '4@2.4x16+4@1.8x8'; empty when every core is alike
    clusters: str = ""

    def __hash__(self) -> int:
        return hash(self.id)

    def peak_tflops(self, precision: str) -> float | None:
        """Dense peak for ``precision`` (fp32, fp16, bf16, int8, fp8, int4, and tf32, derived:
        see ``TF32_ARCHS``), or None if unsupported."""
        p = precision.lower().replace("int4-weight", "int4")
        if p == "tf32":
            return self.tf32_peak()
        if p not in PRECISIONS:
            raise InputError(f"unknown precision {precision!r}; expected one of {', '.join(PRECISIONS)}")
        return self.peaks.get(p)

    def tf32_peak(self) -> float | None:
        """Dense TF32 tensor-core TFLOPS: half the bf16 peak on NVIDIA Ampere and later, else None."""
        family = self.arch.lower().split("-")[0]
        bf16 = self.peaks.get("bf16")
        if self.vendor.lower() == "nvidia" and family in TF32_ARCHS and bf16:
            return bf16 / 2
        return None

    def core_gflops(self) -> tuple[float, ...]:
        """fp32 GFLOPS of each core, fastest first; empty when the cores are alike or unknown."""
        return tuple(sorted((ghz * flops for n, ghz, flops in parse_clusters(self.clusters)
                             for _ in range(n)), reverse=True))

    def big_cores(self) -> int | None:
        """Cores ncnn counts as big (its powersave 2 runs on them alone): those clocked at least
        midway between the slowest and the fastest cluster; every core when they are alike."""
        clusters = parse_clusters(self.clusters)
        if not clusters:
            return self.compute_units
        clocks = [ghz for _, ghz, _ in clusters]
        midway = (min(clocks) + max(clocks)) / 2
        return sum(n for n, ghz, _ in clusters if ghz >= midway)

    @property
    def has_matrix_units(self) -> bool:
        return bool(self.matrix_units)

    @property
    def is_cpu(self) -> bool:
        return self.kind in ("cpu", "soc-cpu")

    def to_dict(self) -> dict:
        d = asdict(self)
        d["aliases"] = list(self.aliases)
        d["isa"] = list(self.isa)
        for p in PRECISIONS:
            d[f"tflops_{p}"] = self.peaks.get(p)
        d["tflops_tf32_derived"] = self.tf32_peak()
        del d["peaks"]
        return d


def _num(text: str, what: str, row_id: str) -> float | None:
    text = (text or "").strip()
    if not text:
        return None
    try:
        return float(text)
    except ValueError as exc:
        raise AdvisorError(f"hardware table row {row_id!r}: {what} is not a number: {text!r}") from exc


def parse_clusters(text: str) -> tuple[tuple[int, float, float], ...]:
    """'4@2.4x16+4@1.8x8' -> ((4, 2.4, 16.0), (4, 1.8, 8.0)): each cluster's cores, clock (GHz)
    and fp32 FLOPs per cycle per core."""
    out = []
    form = "is not 'cores@GHz x fp32 FLOPs per cycle', e.g. 4@2.4x16"
    for part in (text or "").split("+"):
        if not part.strip():
            continue
        cores, at, rest = part.partition("@")
        ghz, x, per_cycle = rest.partition("x")
        try:
            n, clock, flops = int(cores), float(ghz), float(per_cycle)
        except ValueError:
            raise AdvisorError(f"clusters part {part.strip()!r} {form}") from None
        if not (at and x and 1 <= n <= RANGES["compute_units"][1] and 0 < clock <= RANGES["boost_clock_ghz"][1]
                and 0 < flops <= 1024):
            raise AdvisorError(f"clusters part {part.strip()!r} {form}, with at least one core, a "
                               f"clock up to {RANGES['boost_clock_ghz'][1]:g} GHz and at most 1024 FLOPs per cycle")
        out.append((n, clock, flops))
    return tuple(out)


def row_to_hardware(row: dict[str, str]) -> Hardware:
    """Turn one CSV/dict row (string values) into a ``Hardware``."""
    hid = (row.get("id") or "").strip()
    peaks = {}
    for p in PRECISIONS:
        v = _num(row.get(f"tflops_{p}", ""), f"tflops_{p}", hid)
        if v is not None:
            peaks[p] = v
    nums = {k: _num(row.get(k, ""), k, hid) for k in NUMERIC}
    year = _num(row.get("release_year", ""), "release_year", hid)
    split = lambda s: tuple(a.strip() for a in (s or "").split(";") if a.strip())  # noqa: E731
    return Hardware(
        id=hid, name=(row.get("name") or hid).strip(), kind=(row.get("kind") or "").strip(),
        vendor=(row.get("vendor") or "").strip(), aliases=split(row.get("aliases")),
        arch=(row.get("arch") or "").strip(), release_year=int(year) if year else None, peaks=peaks,
        mem_bw_gbs=nums["mem_bw_gbs"], mem_gb=nums["mem_gb"], llc_mb=nums["llc_mb"],
        compute_units=int(nums["compute_units"]) if nums["compute_units"] else None,
        boost_clock_ghz=nums["boost_clock_ghz"], tdp_w=nums["tdp_w"], price_usd=nums["price_usd"],
        matrix_units=(row.get("matrix_units") or "").strip(), isa=split(row.get("isa")),
        confidence=(row.get("confidence") or "datasheet").strip(), source=(row.get("source") or "").strip(),
        clusters=(row.get("clusters") or "").strip())


def check_hardware(hw: Hardware) -> list[str]:
    """Problems with one record (empty list when it is sound). Shared by the table and spec files."""
    errs = []
    if not hw.id:
        errs.append("missing id")
    if hw.kind not in KINDS:
        errs.append(f"kind {hw.kind!r} is not one of {', '.join(KINDS)}")
    for p, v in hw.peaks.items():
        if v <= 0:
            errs.append(f"tflops_{p} must be positive (leave it empty when unsupported), got {v}")
        elif not PEAK_RANGE[0] <= v <= PEAK_RANGE[1]:
            errs.append(f"tflops_{p}={v} is outside {PEAK_RANGE} TFLOPS (unit slip?)")
    for k, (lo, hi) in RANGES.items():
        v = getattr(hw, k)
        if v is None:
            continue
        if v <= 0:
            errs.append(f"{k} must be positive, got {v}")
        elif not lo <= v <= hi:
            errs.append(f"{k}={v} is outside the plausible range [{lo}, {hi}]")
    fp32, fp16 = hw.peaks.get("fp32"), hw.peaks.get("fp16")
    if hw.has_matrix_units and fp32 and fp16 and fp16 < fp32 and not hw.is_cpu:
        errs.append(f"fp16 peak {fp16} is below fp32 {fp32} on a device that claims matrix units "
                    f"({hw.matrix_units})")
    try:
        clusters = parse_clusters(hw.clusters)
    except AdvisorError as exc:
        errs.append(str(exc))
    else:
        cores = sum(n for n, _, _ in clusters)
        gflops = sum(n * ghz * flops for n, ghz, flops in clusters)
        if cores and cores != hw.compute_units:
            errs.append(f"clusters count {cores} cores but compute_units is {hw.compute_units}")
        elif cores and fp32 and abs(gflops / 1e3 / fp32 - 1) > 0.05:
            errs.append(f"clusters add up to {gflops:g} GFLOPS but the fp32 peak is {fp32 * 1e3:g}")
    if hw.confidence not in CONFIDENCE:
        errs.append(f"confidence {hw.confidence!r} is not one of {', '.join(CONFIDENCE)}")
    if not hw.source:
        errs.append("missing source")
    return errs


def table_path() -> Path:
    return data_dir() / "hardware.csv"


@functools.lru_cache(maxsize=4)
def _load(path: str) -> tuple[Hardware, ...]:
    p = Path(path)
    if not p.exists():
        raise AdvisorError(f"hardware table not found: {p}")
    with open(p, newline="") as fh:
        rows = [row_to_hardware(r) for r in csv.DictReader(fh)]
    return tuple(rows)


def load_table(path: str | Path | None = None) -> list[Hardware]:
    """All devices of the bundled table (or of ``path``), in file order."""
    return list(_load(str(path or table_path())))


def table_frame(path: str | Path | None = None):
    """The table as a pandas DataFrame (one column per field, peaks as ``tflops_<precision>``)."""
    import pandas as pd

    return pd.DataFrame([h.to_dict() for h in load_table(path)])
