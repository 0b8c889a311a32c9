"""User device files (``--hw mydevice.yaml`` / ``.json``): same fields as the table, validated.

Minimal file::

    id: my-board
    name: My edge board
    kind: soc-cpu            # cpu | gpu | npu | soc-cpu | soc-gpu
    mem_bw_gbs: 25.6
    peaks: {fp32: 0.1, int8: 0.4}     # TFLOPS, dense; or tflops_fp32: 0.1 ...
    source: vendor datasheet rev 2

Errors name the file and the field and say what is wrong, in one line.
"""

from __future__ import annotations

import json
from pathlib import Path

from advisor.errors import AdvisorError, InputError
from advisor.hardware.table import PRECISIONS, Hardware, check_hardware, row_to_hardware

REQUIRED = ("id", "kind", "mem_bw_gbs")
#: A device file is a few hundred bytes; anything past this is not one.
MAX_SPEC_BYTES = 1 << 20
KNOWN = {"id", "name", "aliases", "vendor", "kind", "arch", "release_year", "peaks", "mem_bw_gbs",
         "mem_gb", "llc_mb", "compute_units", "boost_clock_ghz", "tdp_w", "price_usd",
         "matrix_units", "isa", "confidence", "source", "clusters"} | {f"tflops_{p}" for p in PRECISIONS}


def is_spec_path(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml", ".json"))


def load_spec(path: str | Path) -> Hardware:
    """Read and validate one user device file."""
    from advisor.graph.loader import read_regular_file

    p = Path(path)
    if not p.exists():
        raise InputError(f"hardware file not found: {p}")
    raw = read_regular_file(p, MAX_SPEC_BYTES, "hardware")  # no FIFO/device, bounded size
    try:
        text = raw.decode("utf-8")
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)  # safe_load: python/object tags are refused, never run
    except Exception as exc:  # noqa: BLE001 - any parse error is the user's file
        raise InputError(f"{p}: cannot parse: {' '.join(str(exc).split())[:200]}") from None
    return spec_from_dict(data, where=str(p))


def spec_from_dict(data: object, where: str = "hardware spec") -> Hardware:
    """Validate a mapping with table fields and return a ``Hardware`` (confidence defaults to 'datasheet')."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
    unknown = sorted(str(k) for k in set(data) - KNOWN)
    if unknown:
        raise InputError(f"{where}: unknown field(s) {', '.join(unknown)}; known: {', '.join(sorted(KNOWN))}")
    missing = [k for k in REQUIRED if data.get(k) in (None, "")]
    if missing:
        raise InputError(f"{where}: missing required field(s): {', '.join(missing)}")
    row: dict[str, str] = {}
    for k, v in data.items():
        if k == "peaks":
            if not isinstance(v, dict):
                raise InputError(f"{where}: 'peaks' must map precision -> TFLOPS")
            for pk, pv in v.items():
                if pk not in PRECISIONS:
                    raise InputError(f"{where}: unknown precision {pk!r} in peaks; use {', '.join(PRECISIONS)}")
                row[f"tflops_{pk}"] = _s(pv, where, f"peaks.{pk}")
        elif k in ("aliases", "isa") and isinstance(v, list):
            row[k] = ";".join(_s(item, where, k) for item in v)
        else:
            row[k] = _s(v, where, k)
    if not any(row.get(f"tflops_{p}") for p in PRECISIONS):
        raise InputError(f"{where}: give at least one peak (peaks: {{fp32: ...}} in TFLOPS)")
    row.setdefault("source", f"user file {where}")
    try:
        hw = row_to_hardware(row)
    except AdvisorError as exc:  # a non-numeric value, named by the table's parser
        raise InputError(f"{where}: {exc}") from None
    except (ValueError, OverflowError, TypeError) as exc:  # e.g. release_year: 1e400
        raise InputError(f"{where}: a numeric field is out of range ({exc})") from None
    errs = check_hardware(hw)
    if errs:
        raise InputError(f"{where}: " + "; ".join(errs))
    return hw


def _s(v: object, where: str, field: str) -> str:
    """One scalar field as text; lists, mappings and booleans are refused naming the field."""
    if v is None:
        return ""
    if isinstance(v, bool):
        raise InputError(f"{where}: field {field!r} is the boolean {v!r}; a value was expected")
    if not isinstance(v, (str, int, float)):
        raise InputError(f"{where}: field {field!r} must be a single value, got a "
                         f"{type(v).__name__}")
    if len(str(v)) > 1000:
        raise InputError(f"{where}: field {field!r} is {len(str(v))} characters long")
    return str(v)
