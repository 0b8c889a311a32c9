"""Fingerprint of the machine a measurement ran on.

Every measured row carries these fields so that rows from different hosts never mix silently, and
so a row can be traced to the CPU, ISA and memory that produced it. The short hash changes only
when something that affects speed changes (CPU model, core count, ISA flags, memory, OS kernel
family, architecture), not on reboot.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import platform
from dataclasses import asdict, dataclass
from pathlib import Path

# ISA extensions that change which kernels onnxruntime picks (x86 and Arm). Others are ignored so
# the fingerprint does not churn on irrelevant flags (e.g. virtualisation or security bits).
ISA_FLAGS_OF_INTEREST = (
    "sse4_1", "sse4_2", "avx", "avx2", "fma", "f16c", "bmi2",
    "avx512f", "avx512bw", "avx512vl", "avx512dq", "avx512cd", "avx512_vnni", "avx512_bf16",
    "avx512_fp16", "avx_vnni", "avx_vnni_int8", "amx_tile", "amx_int8", "amx_bf16", "amx_fp16",
    # Arm (/proc/cpuinfo "Features")
    "asimd", "asimdhp", "asimddp", "sve", "sve2", "i8mm", "bf16", "fphp",
)


@dataclass(frozen=True)
class HostInfo:
    """What a measurement row needs to know about the machine."""

    cpu_model: str
    logical_cores: int
    physical_cores: int
    isa_flags: str          # space-separated, sorted, only ISA_FLAGS_OF_INTEREST present
    memory_gb: float
    os: str
    arch: str
    host_hash: str          # 12 hex chars of sha256 over the fields above
    hw_fingerprint: str = ""  # advisor.hardware.host's id of the same machine (cross-reference)

    def as_dict(self) -> dict:
        return asdict(self)


def _cpuinfo_text() -> str:
    try:
        return Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return ""


def _parse_cpuinfo(text: str) -> tuple[str, int, set[str]]:
    """(model name, physical core count or 0, set of flags) from /proc/cpuinfo text."""
    model = ""
    flags: set[str] = set()
    cores: set[tuple[str, str]] = set()
    phys_id = core_id = ""
    for line in text.splitlines():
        if ":" not in line:
            if phys_id or core_id:
                cores.add((phys_id, core_id))
            phys_id = core_id = ""
            continue
        key, _, value = line.partition(":")
        key, value = key.strip().lower(), value.strip()
        if key in ("model name", "hardware", "cpu model") and not model:
            model = value
        elif key in ("flags", "features") and not flags:
            flags = set(value.split())
        elif key == "physical id":
            phys_id = value
        elif key == "core id":
            core_id = value
    if phys_id or core_id:
        cores.add((phys_id, core_id))
    return model, len(cores), flags


def _memory_gb() -> float:
    try:
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                return round(int(line.split()[1]) / 1024 / 1024, 1)
    except (OSError, ValueError, IndexError):
        pass
    try:
        return round(os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 1024**3, 1)
    except (ValueError, OSError, AttributeError):
        return 0.0


def _os_name() -> str:
    pretty = ""
    try:
        for line in Path("/etc/os-release").read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                pretty = line.split("=", 1)[1].strip().strip('"')
    except OSError:
        pass
    return f"{platform.system()} {pretty}".strip() if pretty else platform.platform(terse=True)


def fingerprint_hash(fields: dict) -> str:
    """12 hex chars of sha256 over the speed-relevant host fields (stable across reboots)."""
    key = {k: fields[k] for k in ("cpu_model", "logical_cores", "physical_cores", "isa_flags",
                                  "memory_gb", "os", "arch")}
    # Memory rounded to whole GB so a few MB of firmware reservation never changes the hash.
    key["memory_gb"] = round(float(key["memory_gb"]))
    return hashlib.sha256(json.dumps(key, sort_keys=True).encode()).hexdigest()[:12]


@functools.lru_cache(maxsize=1)
def host_info() -> HostInfo:
    """Fingerprint of this machine (cached for the process)."""
    model, physical, flags = _parse_cpuinfo(_cpuinfo_text())
    try:
        logical = len(os.sched_getaffinity(0))    # the CPUs this process may actually use
    except AttributeError:  # pragma: no cover - not Linux
        logical = os.cpu_count() or 1
    fields = dict(
        cpu_model=model or platform.processor() or platform.machine() or "unknown",
        logical_cores=logical,
        physical_cores=physical or logical,
        isa_flags=" ".join(sorted(f for f in flags if f in ISA_FLAGS_OF_INTEREST)),
        memory_gb=_memory_gb(),
        os=_os_name(),
        arch=platform.machine(),
    )
    return HostInfo(**fields, host_hash=fingerprint_hash(fields), hw_fingerprint=_hw_fingerprint())


def _hw_fingerprint() -> str:
    """The hardware module's id of this host (``advisor.hardware.host``), for joining rows to
    ``get_hardware("local")``; empty when that module is unavailable. Not part of the store key,
    so a change in its definition never makes a rerun re-measure everything."""
    try:
        from advisor.hardware.host import detect_host
        return str(detect_host().fingerprint)
    except Exception:  # noqa: BLE001 - optional cross-reference only
        return ""
