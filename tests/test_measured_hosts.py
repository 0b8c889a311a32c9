"""Measurement hosts as devices: ``host-<hash>`` ids and 'local' on a host that measured rows."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from advisor.cli import main
from advisor.errors import InputError
from advisor.hardware import get_hardware
from advisor.paths import data_dir
from advisor.training import training_hardware
from tests.conftest import as_host

HOST_FILES = sorted((data_dir() / "hosts").glob("*.yaml"))


def test_every_measurement_host_is_named_by_its_file_and_resolves_by_id():
    assert HOST_FILES, "data/hosts/ holds the spec of every host that measured rows"
    for path in HOST_FILES:
        hw = get_hardware(f"host-{path.stem}")
        assert hw.id == f"host-{path.stem}" and hw.kind == "cpu" and hw.mem_bw_gbs > 0
        assert training_hardware(f"host:{path.stem}") == hw   # the device its rows trained on


def test_an_unknown_host_id_is_an_unknown_device():
    with pytest.raises(InputError, match="unknown hardware 'host-000000000000'"):
        get_hardware("host-000000000000")
    with pytest.raises(InputError, match="no spec file for measurement host 000000000000"):
        training_hardware("host:000000000000")


def test_local_on_a_measurement_host_is_its_spec_file(monkeypatch):
    path = HOST_FILES[0]
    as_host(monkeypatch, path.stem)
    hw, spec = get_hardware("local"), get_hardware(str(path))
    assert hw.id == spec.id == f"host-{path.stem}" and hw.peaks == spec.peaks
    assert hw.source.startswith(f"this host is measurement host {path.stem}")
    r = CliRunner().invoke(main, ["hw", "show", "local", "--json"])
    assert r.exit_code == 0 and json.loads(r.output)["id"] == f"host-{path.stem}"


def test_local_elsewhere_is_the_detected_host(unmeasured_host):
    hw = get_hardware("local")
    assert hw.id == "local" and "cores x" in hw.source
