"""Hardware the predictor can target: the bundled table, user spec files and this host.

    from advisor.hardware import Hardware, load_table, get_hardware
    hw = get_hardware("a100")      # id, alias or loose name
    hw = get_hardware("local")     # this host (its data/hosts spec when it measured our rows)
    hw = get_hardware("my.yaml")   # a user device file
    hw.peak_tflops("int8")         # dense TOPS, or None when the format is unsupported
"""

from __future__ import annotations

from advisor.hardware.lookup import nearest_ids, resolve
from advisor.hardware.table import PRECISIONS, Hardware, check_hardware, load_table, table_frame

__all__ = ["Hardware", "PRECISIONS", "load_table", "table_frame", "get_hardware", "resolve",
           "nearest_ids", "check_hardware"]


def get_hardware(name: "str | Hardware") -> Hardware:
    """Resolve a device: a ``Hardware`` passes through; 'local' is this host (its spec file in
    ``data/hosts/`` when it measured training rows, else detected); ``host-<hash>`` is that
    measurement host; a path ending in .yaml/.yml/.json is a user spec file; anything else is
    looked up in the table."""
    if isinstance(name, Hardware):
        return name
    from advisor.hardware import measured_hosts
    from advisor.hardware.specfile import is_spec_path, load_spec

    text = str(name).strip()
    if text.lower() in ("local", "host", "this"):
        from advisor.hardware.host import local_hardware

        return measured_hosts.this_host() or local_hardware()
    if is_spec_path(text):
        return load_spec(text)
    return measured_hosts.by_id(text) or resolve(text)
