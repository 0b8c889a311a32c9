"""Atomic writes: a failed writer leaves the old file and no temporary behind."""

from pathlib import Path

import pytest

from advisor.atomic import atomic_path, write_text_atomically


def test_a_completed_write_replaces_the_target(tmp_path: Path):
    target = tmp_path / "sub" / "report.md"
    write_text_atomically(target, "old")
    write_text_atomically(target, "new")
    assert target.read_text() == "new"
    assert [p.name for p in target.parent.iterdir()] == ["report.md"]


def test_a_writer_that_fails_halfway_leaves_the_old_file_untouched(tmp_path: Path):
    target = tmp_path / "model.json"
    target.write_text("complete old content")
    with pytest.raises(OSError):
        with atomic_path(target) as tmp:
            tmp.write_text("half of the new")
            raise OSError("disk full")
    assert target.read_text() == "complete old content"
    assert [p.name for p in tmp_path.iterdir()] == ["model.json"]
