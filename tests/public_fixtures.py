"""A minimal public-data folder (one ncnn benchmark row) for import tests."""

from __future__ import annotations

from pathlib import Path


def tiny_public_dir(root: Path) -> Path:
    """``root/pub`` with one ncnn model and one CPU benchmark row on a mapped device."""
    from advisor.dataset import devices

    real = devices.load_map()
    dev = real[(real.source == "ncnn") & (real.role == "cpu")].device_string.iloc[0]
    pub = root / "pub"
    (pub / "ncnn" / "models").mkdir(parents=True)
    (pub / "ncnn" / "models" / "resnet18.param").write_text("7767517\n0 0\n")
    (pub / "ncnn" / "benchmark.csv").write_text(
        "device,num_threads,powersave,gpu_device,vulkan_gpu_name,model,precision,min_ms,max_ms,avg_ms\n"
        f'"{dev}",2,0,-1,,resnet18,fp32(bf16/fp16 storage may apply),10,12,11\n')
    return pub
