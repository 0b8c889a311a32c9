"""Detect this host: CPU model, cores, ISA extensions, memory (Linux /proc; portable fallbacks).

Used by ``get_hardware("local")``: the detected host is matched to a table row by model name
when possible; otherwise a record is built from the detected facts with peaks from the same
formula the table uses (cores x GHz x FP32 FLOPs/cycle), marked ``confidence='derived'``.
"""

from __future__ import annotations

import hashlib
import os
import platform
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

# x86 /proc/cpuinfo flag -> project ISA name; Arm "Features" names likewise.
_X86 = {"avx2": "avx2", "fma": "fma", "avx512f": "avx512", "avx512_vnni": "vnni", "avx_vnni": "avx_vnni",
        "avx512_bf16": "avx512_bf16", "avx512_fp16": "avx512_fp16", "amx_tile": "amx",
        "amx_bf16": "amx_bf16", "amx_int8": "amx_int8", "amx_fp16": "amx_fp16", "f16c": "f16c"}
_ARM = {"asimd": "neon", "fphp": "fp16", "asimdhp": "fp16", "asimddp": "dotprod", "bf16": "bf16",
        "i8mm": "i8mm", "sve": "sve", "sve2": "sve2", "sme": "sme"}


@dataclass
class HostInfo:
    """Facts about the machine we run on."""

    model: str
    arch: str
    logical_cpus: int
    physical_cores: int
    isa: list[str] = field(default_factory=list)
    mem_gb: float | None = None
    max_mhz: float | None = None
    vendor: str = ""
    flags_raw: list[str] = field(default_factory=list)
    llc_mb: float | None = None

    @property
    def fingerprint(self) -> str:
        """Stable id of the host for caching: model, cores, ISA, memory size (rounded)."""
        key = f"{self.model}|{self.arch}|{self.logical_cpus}|{self.physical_cores}|{','.join(self.isa)}|" \
              f"{round(self.mem_gb or 0)}"
        return hashlib.sha1(key.encode()).hexdigest()[:12]

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("flags_raw")
        d["fingerprint"] = self.fingerprint
        return d


def _read(path: str) -> str:
    try:
        return Path(path).read_text()
    except OSError:
        return ""


def parse_cpuinfo(text: str) -> dict:
    """Model, vendor, flags, logical count and physical cores from /proc/cpuinfo text."""
    model, vendor, flags = "", "", set()
    logical = 0
    cores = set()
    phys, core = None, None
    implementer, part = "", ""
    for line in text.splitlines() + [""]:
        if not line.strip():
            if phys is not None or core is not None:
                cores.add((phys, core))
            phys, core = None, None
            continue
        k, _, v = line.partition(":")
        k, v = k.strip().lower(), v.strip()
        if k == "processor":
            logical += 1
        elif k in ("model name", "hardware", "cpu model") and not model:
            model = v
        elif k == "vendor_id":
            vendor = v
        elif k in ("flags", "features"):
            flags.update(v.split())
        elif k == "physical id":
            phys = v
        elif k == "core id":
            core = v
        elif k == "cpu implementer":
            implementer = v
        elif k == "cpu part" and not part:
            part = v
    if not model and implementer:
        model = f"Arm implementer {implementer} part {part}"
    return dict(model=model, vendor=vendor, flags=sorted(flags), logical=logical,
                physical=len(cores) if cores and None not in {c[1] for c in cores} else 0)


def parse_meminfo(text: str) -> float | None:
    m = re.search(r"MemTotal:\s+(\d+)\s*kB", text)
    return int(m.group(1)) / 1024 ** 2 if m else None


def isa_from_flags(flags: list[str]) -> list[str]:
    out = set()
    for f in flags:
        if f in _X86:
            out.add(_X86[f])
        if f in _ARM:
            out.add(_ARM[f])
    if "amx_int8" in out or "amx_bf16" in out:
        out.add("amx")
    return sorted(out)


def parse_cache_size_mib(text: str) -> float | None:
    """MiB from a sysfs cache size such as ``32768K`` or ``8M``; None when unreadable."""
    m = re.fullmatch(r"\s*(\d+)\s*([KMG]?)\s*", text or "")
    if not m:
        return None
    return int(m.group(1)) * {"": 2 ** -20, "K": 2 ** -10, "M": 1.0, "G": 1024.0}[m.group(2)]


def detect_llc_mib(cache_dir: str = "/sys/devices/system/cpu/cpu0/cache") -> float | None:
    """Size of the highest cache level cpu0 sees (the last-level cache), in MiB."""
    best = (0, None)
    for index in sorted(Path(cache_dir).glob("index*")):
        level = _read(str(index / "level")).strip()
        size = parse_cache_size_mib(_read(str(index / "size")))
        if level.isdigit() and size and int(level) >= best[0]:
            best = (int(level), size)
    return best[1]


def detect_host() -> HostInfo:
    """Inspect the running machine (Linux /proc, else ``platform``/``os`` fallbacks)."""
    info = parse_cpuinfo(_read("/proc/cpuinfo"))
    logical = info["logical"] or os.cpu_count() or 1
    try:
        logical = len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        pass
    physical = info["physical"] or logical
    physical = min(physical, logical)
    mhz = None
    txt = _read("/sys/devices/system/cpu/cpu0/cpufreq/cpuinfo_max_freq")
    if txt.strip().isdigit():
        mhz = int(txt) / 1000
    else:
        m = re.search(r"@\s*([\d.]+)\s*GHz", info["model"])
        if m:
            mhz = float(m.group(1)) * 1000
    return HostInfo(model=info["model"] or platform.processor() or platform.machine(),
                    arch=platform.machine(), logical_cpus=logical, physical_cores=physical,
                    isa=isa_from_flags(info["flags"]), mem_gb=parse_meminfo(_read("/proc/meminfo")),
                    max_mhz=mhz, vendor=info["vendor"], flags_raw=info["flags"],
                    llc_mb=detect_llc_mib())


# Per-core FP32 FLOPs/cycle and int8/bf16/fp16 ops/cycle by detected ISA, the same rules as the
# table (benchmarks/build_hardware_table_inputs.py UARCH). Arm parts by MIDR part number.
_ARM_PARTS = {"0xd03": ("cortex-a53", 8, 16, None, None), "0xd05": ("cortex-a55", 8, 32, 16, None),
              "0xd07": ("cortex-a57", 8, 16, None, None), "0xd08": ("cortex-a72", 8, 16, None, None),
              "0xd09": ("cortex-a73", 8, 16, None, None), "0xd0a": ("cortex-a75", 8, 32, 16, None),
              "0xd0b": ("cortex-a76", 16, 64, 32, None), "0xd0c": ("neoverse-n1", 16, 64, 32, None),
              "0xd0d": ("cortex-a77", 16, 64, 32, None), "0xd41": ("cortex-a78", 16, 64, 32, None),
              "0xd42": ("cortex-a78ae", 16, 64, 32, None), "0xd44": ("cortex-x1", 32, 128, 64, None),
              "0xd40": ("neoverse-v1", 32, 128, 64, 64), "0xd49": ("neoverse-n2", 16, 64, 32, 32),
              "0xd4f": ("neoverse-v2", 32, 128, 64, 64), "0xd81": ("cortex-a720", 16, 64, 32, 32),
              "0xd82": ("cortex-x4", 32, 128, 64, 64)}


def per_core_rates(host: HostInfo) -> tuple[str, dict[str, float]]:
    """(micro-architecture guess, ops/cycle/core per precision) from the detected ISA."""
    isa = set(host.isa)
    if host.arch in ("x86_64", "AMD64", "i686"):
        amd = "AMD" in host.vendor or "AMD" in host.model
        if "amx" in isa:
            r = {"fp32": 64, "fp16": 1024 if "amx_fp16" in isa else 128, "bf16": 1024, "int8": 2048}
            return ("graniterapids" if "amx_fp16" in isa else "sapphirerapids"), r
        if "avx512" in isa:
            if amd:  # Zen 4 runs AVX-512 on 256-bit units; Zen 5 desktop/server has full width
                zen5 = "avx_vnni" in isa and "avx512_vp2intersect" in host.flags_raw
                fp32 = 64 if zen5 else 32
                return ("zen5" if zen5 else "zen4"), {"fp32": fp32, "bf16": 2 * fp32, "int8": 4 * fp32}
            r = {"fp32": 64, "int8": 256 if "vnni" in isa else 128}
            if "avx512_bf16" in isa:
                r["bf16"] = 128
            return ("icelake/cascadelake-class" if "vnni" in isa else "skylake-sp"), r
        if "avx2" in isa and "fma" in isa:
            int8 = 128 if "avx_vnni" in isa else 64
            return ("zen2/zen3" if amd else "haswell..raptorlake"), {"fp32": 32, "int8": int8}
        return "sse", {"fp32": 8, "int8": 16}
    part = ""
    m = re.search(r"part (0x[0-9a-f]+)", host.model)
    if m:
        part = m.group(1)
    else:
        for line in _read("/proc/cpuinfo").splitlines():
            if line.lower().startswith("cpu part"):
                part = line.split(":")[1].strip()
                break
    if part in _ARM_PARTS:
        name, fp32, int8, fp16, bf16 = _ARM_PARTS[part]
        r = {"fp32": fp32, "int8": int8}
        if fp16:
            r["fp16"] = fp16
        if bf16:
            r["bf16"] = bf16
        return name, r
    r = {"fp32": 8, "int8": 32 if "dotprod" in isa else 16}
    if "fp16" in isa:
        r["fp16"] = 16
    return "arm-unknown", r


def measured_clock_floor(gflops: dict[str, float | None], rates: dict[str, float],
                         cores: int) -> tuple[float, str] | None:
    """(GHz, precision): the lowest clock at which every measured GEMM rate fits under its
    per-core peak (``rates``, ops/cycle), and the precision that sets it; None without a pair.

    A VM without cpufreq reports a nominal 'cpu MHz', which can be far below the boost its cores
    run at; a GEMM that beats the formula peak proves it (`advisor hw probe` says so).
    """
    pairs = [(g / (cores * rates[p]), p) for p, g in gflops.items()
             if g and rates.get(p) and cores]
    return max(pairs) if pairs else None


def local_hardware(host: HostInfo | None = None):
    """A ``Hardware`` record for this host: peaks by formula from detected cores, clock and ISA.

    Memory bandwidth comes from a cached ``advisor hw probe`` run when present (measured),
    else it is left empty.
    """
    from advisor.hardware.table import Hardware

    host = host or detect_host()
    uarch, rates = per_core_rates(host)
    mhz, clock_src = host.max_mhz, "max frequency"
    if mhz is None:
        m = re.search(r"cpu MHz\s*:\s*([\d.]+)", _read("/proc/cpuinfo"))
        mhz = float(m.group(1)) if m else 2000.0
        clock_src = "current 'cpu MHz' (no cpufreq max; boost may be higher)" if m else "assumed 2 GHz"
    ghz = mhz / 1000
    cores = host.physical_cores
    peaks = {p: cores * ghz * r / 1000 for p, r in rates.items()}
    parts = ", ".join(f"{p} {r} ops/cycle" for p, r in rates.items())
    src = (f"detected host: {cores} cores x {ghz:.3f} GHz [{clock_src}] x per-core rates ({uarch}: {parts}); "
           f"ISA {' '.join(host.isa) or 'none detected'}"
           + (f"; last-level cache {host.llc_mb:g} MiB (sysfs)" if host.llc_mb else ""))
    bw = None
    try:
        from advisor.hardware.probe import cached_probe

        cached = cached_probe(host)
        if cached and cached.get("mem_bw_gbs"):
            bw = float(cached["mem_bw_gbs"])
            src += f"; memory bandwidth measured by `advisor hw probe` ({cached.get('when', '')})"
    except Exception:  # noqa: BLE001 - the cache is optional
        pass
    return Hardware(id="local", name=f"this host: {host.model} ({cores} cores)", kind="cpu",
                    vendor=host.vendor, aliases=(), arch=uarch, peaks=peaks, mem_bw_gbs=bw,
                    mem_gb=round(host.mem_gb, 1) if host.mem_gb else None, llc_mb=host.llc_mb,
                    compute_units=cores,
                    boost_clock_ghz=round(ghz, 3), matrix_units="amx" if "amx" in host.isa else "",
                    isa=tuple(host.isa), confidence="derived", source=src)
