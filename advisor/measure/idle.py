"""Is the machine idle? Other processes' CPU use, from /proc/stat minus our own /proc/self/stat.

One other busy process can triple a measured latency on a small host, so the harness samples the
CPU time used by everyone else before a measurement (in the parent) and during it (in the timing
subprocess) and retries when it was busy. Other processes' CPU is expressed in *cores*: 1.0 means
someone else kept one core fully busy on average over the window.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100

# Default threshold: others may use at most this many cores on average (kernel threads and
# monitoring agents use ~0.01-0.03 on a quiet VM).
DEFAULT_MAX_OTHER_CORES = 0.10


@dataclass(frozen=True)
class CpuSample:
    """A snapshot of busy CPU time for the whole machine and for our process (clock ticks)."""

    wall: float
    system_busy: int
    own: int


@dataclass(frozen=True)
class IdleReport:
    """CPU used by other processes between two samples."""

    seconds: float
    other_cores: float      # average cores used by other processes over the window
    own_cores: float        # average cores used by our process
    available: bool         # False when /proc is not readable (not Linux): idleness unknown

    def is_idle(self, max_other_cores: float = DEFAULT_MAX_OTHER_CORES) -> bool:
        """True when others stayed under the threshold (unknown counts as idle, flagged apart)."""
        return (not self.available) or self.other_cores <= max_other_cores


def _system_busy_ticks() -> int | None:
    """Busy ticks of all CPUs: user+nice+system+irq+softirq+steal (idle and iowait excluded)."""
    try:
        with open("/proc/stat") as fh:
            first = fh.readline().split()
    except OSError:
        return None
    if not first or first[0] != "cpu":
        return None
    vals = [int(v) for v in first[1:]]
    vals += [0] * (8 - len(vals))
    user, nice, system, _idle, _iowait, irq, softirq, steal = vals[:8]
    # guest time is already included in user/nice, so it is not added again
    return user + nice + system + irq + softirq + steal


def _own_ticks(pid: str = "self") -> int | None:
    """utime+stime of a process (all its threads), from /proc/<pid>/stat."""
    try:
        text = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    # the command name may contain spaces; fields after the last ')' are space-separated
    fields = text.rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])   # utime, stime (fields 14 and 15 of the man page)


def sample() -> CpuSample | None:
    """Take a snapshot, or None where /proc is unavailable."""
    busy, own = _system_busy_ticks(), _own_ticks()
    if busy is None or own is None:
        return None
    return CpuSample(wall=time.monotonic(), system_busy=busy, own=own)


def between(start: CpuSample | None, end: CpuSample | None) -> IdleReport:
    """Other processes' CPU use between two snapshots."""
    if start is None or end is None:
        return IdleReport(seconds=0.0, other_cores=0.0, own_cores=0.0, available=False)
    seconds = max(end.wall - start.wall, 1e-6)
    own = max(end.own - start.own, 0)
    other = max(end.system_busy - start.system_busy - own, 0)
    return IdleReport(seconds=seconds, other_cores=other / CLK_TCK / seconds,
                      own_cores=own / CLK_TCK / seconds, available=True)


def check_idle(window_s: float = 0.5) -> IdleReport:
    """Sleep for ``window_s`` and report how busy everyone else kept the machine meanwhile."""
    start = sample()
    time.sleep(window_s)
    return between(start, sample())


def wait_until_idle(max_wait_s: float, window_s: float = 0.5,
                    max_other_cores: float = DEFAULT_MAX_OTHER_CORES) -> IdleReport:
    """Poll until the machine is idle or ``max_wait_s`` has passed; return the last report."""
    deadline = time.monotonic() + max_wait_s
    report = check_idle(window_s)
    while not report.is_idle(max_other_cores) and time.monotonic() < deadline:
        report = check_idle(window_s)
    return report
