"""The machines that measured our training rows, as devices: ``host-<hash>`` and, on one of them, 'local'.

Each host that produced rows in ``data/measurements/`` has a spec file ``data/hosts/<hash>.yaml``
(named by the ``host_hash`` the harness records) whose id is ``host-<hash>``: the id the trained
model knows it by. On such a host the detected spec would be the wrong device twice over: its
peaks follow the clock the VM reports (1.4-1.8x below what ``tools/cpu_peak.sh`` measured on our
hosts), and its id, 'local', is not one the model measured, so a prediction would be spec-only
where it could be measured-device. So 'local' there is the host's spec file.
"""

from __future__ import annotations

import dataclasses
import re
from pathlib import Path

from advisor.hardware.table import Hardware

#: Ids of measurement hosts: this prefix and the 12 hex characters of the host hash.
HOST_ID = re.compile(r"host-([0-9a-f]{12})")


def spec_path(host_hash: str) -> Path:
    """Where the spec file of measurement host ``host_hash`` lives (whether or not it exists)."""
    from advisor.paths import data_dir

    return data_dir() / "hosts" / f"{host_hash}.yaml"


def measured_host(host_hash: str) -> Hardware | None:
    """Measurement host ``host_hash`` from its spec file, or None when it has none."""
    from advisor.hardware.specfile import load_spec

    path = spec_path(host_hash)
    return load_spec(path) if path.is_file() else None


def by_id(text: str) -> Hardware | None:
    """The measurement host an id like ``host-6315d582a9ba`` names, or None when it names none."""
    match = HOST_ID.fullmatch(text.strip().lower())
    return measured_host(match.group(1)) if match else None


def this_host() -> Hardware | None:
    """This machine's spec file when it is a measurement host (None otherwise), its source saying
    so, for ``get_hardware('local')``."""
    from advisor.measure.host import host_info

    host_hash = host_info().host_hash
    hw = measured_host(host_hash)
    if hw is None:
        return None
    return dataclasses.replace(hw, source=f"this host is measurement host {host_hash} "
                                          f"(data/hosts/{host_hash}.yaml): {hw.source}")
