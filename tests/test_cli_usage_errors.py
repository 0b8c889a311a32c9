"""Usage mistakes (unknown option or command, missing option or argument, bad choice or type) print
exactly one line on stderr naming the problem and where the help is, and exit 2; never click's
multi-line usage block, never a traceback.
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from advisor.cli import main

# (arguments, words the one line must contain, the command whose --help it points to)
USAGE_ERRORS = [
    (["predict", "--hw", "a100"], ["missing option", "--model"], "advisor predict"),
    (["predict", "--bogus"], ["no such option", "--bogus"], "advisor predict"),
    (["predict", "--model", "m.onnx", "--hw", "t4", "--threads", "many"], ["--threads", "many"],
     "advisor predict"),
    (["advise", "--model", "m.onnx", "--hw", "t4", "--objective", "speed"],
     ["--objective", "speed", "latency"], "advisor advise"),
    (["advise", "--model", "m.onnx", "--hw", "t4", "--candidates", "a100", "--kind", "gpu"],
     ["--candidates", "--kind"], "advisor advise"),
    (["hw", "list", "--kind", "quantum"], ["--kind", "quantum"], "advisor hw list"),
    (["hw", "show"], ["missing argument", "name"], "advisor hw show"),
    (["zoo", "build", "resnet50"], ["missing option", "--output"], "advisor zoo build"),
    (["zoo", "frobnicate"], ["no such command", "frobnicate"], "advisor zoo"),
    (["nosuchcommand"], ["no such command", "nosuchcommand"], "advisor"),
    (["--bogus"], ["no such option", "--bogus"], "advisor"),
    (["plan", "--model", "m.onnx"], ["missing option", "--target-ms"], "advisor plan"),
]


@pytest.mark.parametrize("args,words,command", USAGE_ERRORS, ids=[" ".join(a) for a, _, _ in USAGE_ERRORS])
def test_usage_error_is_one_line_naming_the_problem_with_exit_2(args, words, command):
    res = CliRunner().invoke(main, args)
    assert res.exit_code == 2, res.output
    assert res.stdout == "", res.stdout
    lines = res.stderr.splitlines()
    assert len(lines) == 1, res.stderr
    line = lines[0]
    assert line.startswith("Error: ") and "Usage:" not in line and "Traceback" not in res.output
    for word in words:
        assert word in line.lower(), (word, line)
    assert line.endswith(f"(see '{command} --help')"), line


def test_usage_error_keeps_the_library_error_format():
    """A usage error and an input error from the library read alike: 'Error: <what>'."""
    usage = CliRunner().invoke(main, ["hw", "show", "--bogus"])
    library = CliRunner().invoke(main, ["hw", "show", "no-such-device-xyz"])
    assert usage.exit_code == library.exit_code == 2
    for res in (usage, library):
        assert len(res.stderr.splitlines()) == 1 and res.stderr.startswith("Error: ")


def test_a_bare_group_still_shows_its_help():
    """No subcommand is a request for help, not a mistake to shorten: the help text stays."""
    res = CliRunner().invoke(main, ["hw"])
    assert "Commands:" in res.output and "list" in res.output and "probe" in res.output


def test_help_and_version_are_not_errors():
    for args in (["predict", "--help"], ["--help"], ["--version"]):
        res = CliRunner().invoke(main, args)
        assert res.exit_code == 0 and "Error" not in res.output, args
