"""Attach hardware ids to imported rows through ``data/public_device_map.csv``.

The map (written with the hardware table) has one line per (source, device string, role):
``role`` is ``cpu`` / ``gpu<N>`` / ``gpu`` (ncnn, by ``gpu_device``), ``device`` (HELP column
names), ``cpu`` / ``gpu`` / ``npu`` (OpenCV Zoo targets), ``accelerator`` / ``host_cpu`` (MLPerf
system columns). ``match`` is ``exact``, ``uncertain`` (kept, its note carried into
``precision_note``) or ``excluded`` (rejected with the map's note). ``kind`` comes from the
hardware table row of the id.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import numpy as np
import pandas as pd

from advisor.errors import AdvisorError
from advisor.paths import data_dir


def map_path() -> Path:
    return data_dir() / "public_device_map.csv"


def load_map(path: str | Path | None = None) -> pd.DataFrame:
    p = Path(path or map_path())
    if not p.exists():
        raise AdvisorError(f"device map not found: {p}")
    m = pd.read_csv(p, dtype=str, keep_default_na=False)
    need = {"source", "device_string", "role", "hw_id", "match"}
    if not need <= set(m.columns):
        raise AdvisorError(f"{p}: device map needs columns {sorted(need)}, has {list(m.columns)}")
    for c in m.columns:
        m[c] = m[c].str.strip()
    if "notes" not in m.columns:
        m["notes"] = ""
    return m.drop_duplicates(["source", "device_string", "role"], keep="first")


def load_kinds(path: str | Path | None = None) -> dict[str, str]:
    """hardware id -> kind, from ``data/hardware.csv`` (or ``path``)."""
    from advisor.hardware.table import load_table

    return {h.id: h.kind for h in load_table(path)}


def attach(rows: pd.DataFrame, device_map: pd.DataFrame, kinds: dict[str, str]
           ) -> tuple[pd.DataFrame, Counter]:
    """Fill ``hw_id`` and ``kind`` from ``_map_role`` candidates (``role`` or ``a|b`` tried in
    order); reject rows whose device is unmapped, excluded or whose id is not in the table."""
    rejected: Counter = Counter()
    if rows.empty:
        return rows, rejected
    rows = rows.reset_index(drop=True)
    hw = pd.Series([None] * len(rows), dtype=object)
    match = pd.Series([""] * len(rows), dtype=object)
    notes = pd.Series([""] * len(rows), dtype=object)
    roles = rows["_map_role"].astype(str).str.split("|")
    n_alt = int(roles.map(len).max())
    for k in range(n_alt):
        role_k = roles.map(lambda r: r[k] if k < len(r) else None)
        todo = hw.isna() & (match == "") & role_k.notna()
        if not todo.any():
            continue
        key = pd.DataFrame({"source": rows.loc[todo, "source"], "device_string": rows.loc[todo, "device_string"],
                            "role": role_k[todo]})
        j = key.merge(device_map, on=["source", "device_string", "role"], how="left")
        j.index = key.index
        hit = j["match"].notna() & (j["match"] != "")
        idx = j.index[hit]
        hw.loc[idx] = j.loc[idx, "hw_id"].replace("", None)
        match.loc[idx] = j.loc[idx, "match"]
        notes.loc[idx] = j.loc[idx, "notes"]
    unmapped = match == ""
    excluded = (match == "excluded") | (~unmapped & hw.isna())
    for (src, note), n in pd.DataFrame({"s": rows.loc[excluded, "source"],
                                        "n": notes[excluded].replace("", "no id")}).value_counts().items():
        rejected[f"device excluded by the device map ({note})"] += int(n)
    for dev, n in rows.loc[unmapped, "device_string"].fillna("").value_counts().items():
        rejected[f"device not in data/public_device_map.csv: {dev!r}"] += int(n)
    ok = ~unmapped & ~excluded
    kind = hw.map(kinds)
    notable = ok & kind.isna()
    for h, n in hw[notable].value_counts().items():
        rejected[f"hw_id {h!r} not in data/hardware.csv"] += int(n)
    ok &= ~notable
    out = rows.copy()
    out["hw_id"], out["kind"] = hw, kind
    unsure = ok & (match == "uncertain")
    add = "device mapping uncertain: " + notes.where(notes != "", "see map")
    prev = out["precision_note"].fillna("").astype(str)
    out.loc[unsure, "precision_note"] = np.where(prev[unsure] != "", prev[unsure] + "; " + add[unsure],
                                                 add[unsure])
    return out[ok.to_numpy()].reset_index(drop=True), rejected
