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

from advisor.errors import InputError
from advisor.hardware.table import PRECISIONS, Hardware, check_hardware, row_to_hardware

REQUIRED = ("id", "kind", "mem_bw_gbs")
KNOWN = {"id", "name", "aliases", "vendor", "kind", "arch", "release_year", "peaks", "mem_bw_gbs",
         "mem_gb", "llc_mb", "compute_units", "boost_clock_ghz", "tdp_w", "price_usd",
         "matrix_units", "isa", "confidence", "source"} | {f"tflops_{p}" for p in PRECISIONS}


def is_spec_path(name: str) -> bool:
    return name.lower().endswith((".yaml", ".yml", ".json"))


def load_spec(path: str | Path) -> Hardware:
    """Read and validate one user device file."""
    p = Path(path)
    if not p.exists():
        raise InputError(f"hardware file not found: {p}")
    try:
        text = p.read_text()
        if p.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            import yaml

            data = yaml.safe_load(text)
    except Exception as exc:  # noqa: BLE001 - any parse error is the user's file
        raise InputError(f"{p}: cannot parse: {' '.join(str(exc).split())[:200]}") from exc
    return spec_from_dict(data, where=str(p))


def spec_from_dict(data: object, where: str = "hardware spec") -> Hardware:
    """Validate a mapping with table fields and return a ``Hardware`` (confidence defaults to 'datasheet')."""
    if not isinstance(data, dict):
        raise InputError(f"{where}: expected a mapping of fields, got {type(data).__name__}")
    unknown = sorted(set(data) - KNOWN)
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
                row[f"tflops_{pk}"] = _s(pv)
        elif k in ("aliases", "isa") and isinstance(v, list):
            row[k] = ";".join(map(str, v))
        else:
            row[k] = _s(v)
    if not any(row.get(f"tflops_{p}") for p in PRECISIONS):
        raise InputError(f"{where}: give at least one peak (peaks: {{fp32: ...}} in TFLOPS)")
    row.setdefault("source", f"user file {where}")
    try:
        hw = row_to_hardware(row)
    except Exception as exc:  # noqa: BLE001 - non-numeric values
        raise InputError(f"{where}: {exc}") from exc
    errs = check_hardware(hw)
    if errs:
        raise InputError(f"{where}: " + "; ".join(errs))
    return hw


def _s(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, bool):
        raise InputError(f"boolean {v!r} where a value was expected")
    return str(v)
