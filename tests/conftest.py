"""Fixtures shared across test modules."""

from __future__ import annotations

import dataclasses

import pytest

import advisor.measure.host as measure_host


def as_host(monkeypatch, host_hash: str) -> None:
    """Make this machine's host hash ``host_hash``, whichever machine runs the tests."""
    pretend = dataclasses.replace(measure_host.host_info(), host_hash=host_hash)
    monkeypatch.setattr(measure_host, "host_info", lambda: pretend)


@pytest.fixture
def unmeasured_host(monkeypatch):
    """This machine as one that measured no training rows, so 'local' is the detected host
    (CI may run on one of the hosts in data/hosts/)."""
    as_host(monkeypatch, "0" * 12)
