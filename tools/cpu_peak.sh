#!/usr/bin/env bash
# Measure this x86-64 host's vector peak rates and clock with tools/cpu_peak.c (needs gcc and
# an x86-64 CPU with FMA); prints a provenance header and each measurement's three
# runs and median, for 1 thread and for every logical CPU. Run on an idle machine:
#     bash tools/cpu_peak.sh > reports/hw/cpu_peak-<host>.txt
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
gcc -O3 -funroll-all-loops -march=native -pthread \
    "$here/cpu_peak.c" -o "$work/cpu_peak"
cpus="$(nproc)"
echo "# tools/cpu_peak.sh, $(date -u +%Y-%m-%dT%H:%M:%SZ), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), ${cpus} logical CPUs, $(gcc --version | head -1)"
echo "# 'clock' is GHz summed over threads (dependent imul chain, 3 cycles each); others are GOPS summed over threads"
for kind in clock fp32 fp16 int8; do
  for threads in 1 "$cpus"; do
    runs=()
    for _ in 1 2 3; do
      out="$("$work/cpu_peak" "$kind" "$threads" 2>/dev/null)" || { runs=(); break; }
      runs+=("${out##*=}")
    done
    if [ "${#runs[@]}" -eq 0 ]; then echo "$kind: not available on this CPU"; continue 2; fi
    median="$(printf '%s\n' "${runs[@]}" | sort -g | sed -n 2p)"
    echo "$kind threads=$threads runs=${runs[*]} median=$median"
  done
done
