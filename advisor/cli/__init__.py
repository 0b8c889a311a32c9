"""The ``advisor`` command line: a thin click shell over the Python API.

Each command group lives in its own module and is registered below. Commands only parse
arguments, call the library and print; errors become one line and an exit code.
"""

from __future__ import annotations

import os
import sys

import click

from advisor.errors import AdvisorError


class OneLineUsageError(click.UsageError):
    """A click usage error shown as one line naming the problem (click's own show is a block)."""

    def __init__(self, original: click.UsageError) -> None:
        super().__init__(original.format_message(), original.ctx)
        self.exit_code = original.exit_code

    def show(self, file=None) -> None:
        hint = f" (see '{self.ctx.command_path} --help')" if self.ctx is not None else ""
        click.echo(f"Error: {one_line(self)}{hint}", file=file, err=True)


def _usage_error(exc: click.UsageError) -> click.UsageError:
    """The one-line form of ``exc``; a bare group or command asking for help keeps its help text."""
    if isinstance(exc, (click.exceptions.NoArgsIsHelpError, OneLineUsageError)):
        return exc
    return OneLineUsageError(exc)


class AdvisorGroup(click.Group):
    """Click group that turns library and usage errors into one-line messages with the right exit code.

    Usage errors (unknown option or command, missing or invalid value) are raised while parsing:
    the top-level arguments in ``make_context``, every subcommand's inside ``invoke``. Both are
    replaced here, so no command needs its own handling.
    """

    def make_context(self, info_name, args, parent=None, **extra) -> click.Context:
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except click.UsageError as exc:
            raise _usage_error(exc) from None

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            raise _usage_error(exc) from None
        except (click.exceptions.Exit, click.exceptions.Abort, click.ClickException):
            raise
        except AdvisorError as exc:
            click.echo(f"Error: {one_line(exc)}", err=True)
            ctx.exit(exc.exit_code)
        except BrokenPipeError:
            # Output piped into `head` and closed early: not an error worth a message.
            sys.stderr.close()
            os._exit(0)
        except KeyboardInterrupt:
            click.echo("Error: interrupted", err=True)
            ctx.exit(130)
        except Exception as exc:  # noqa: BLE001 - last line of defence: never a traceback
            if os.environ.get("ADVISOR_DEBUG"):
                raise
            click.echo(f"Error: internal error: {type(exc).__name__}: {one_line(exc)} "
                       "(set ADVISOR_DEBUG=1 for a traceback)", err=True)
            ctx.exit(1)


def one_line(exc: BaseException) -> str:
    text = " ".join(str(exc).split())
    return text[:500] if text else type(exc).__name__


@click.group("advisor", cls=AdvisorGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="advisor")
def main() -> None:
    """Predict neural-network latency on any hardware, and advise: upgrade or quantize?"""


def _register() -> None:
    # One line per command module; each module defines `command` (a click command or group).
    from advisor.cli import inspect_cmd
    main.add_command(inspect_cmd.command)
    from advisor.cli import measure_cmd; main.add_command(measure_cmd.command)  # noqa: E702
    from advisor.cli import zoo_cmd; main.add_command(zoo_cmd.command)  # noqa: E702
    from advisor.cli import hw_cmd; main.add_command(hw_cmd.command)  # noqa: E702
    from advisor.cli import predict_cmd; main.add_command(predict_cmd.command)  # noqa: E702
    from advisor.cli import train_cmd  # noqa: E402
    main.add_command(train_cmd.train_command)
    main.add_command(train_cmd.evaluate_command)
    from advisor.cli import calibrate_cmd; main.add_command(calibrate_cmd.command)  # noqa: E702
    from advisor.cli import data_cmd; main.add_command(data_cmd.command)  # noqa: E702
    from advisor.cli import report_cmd; main.add_command(report_cmd.command)  # noqa: E702
    from advisor.cli import advise_cmd; main.add_command(advise_cmd.advise_command); main.add_command(advise_cmd.plan_command)  # noqa: E702,E501


_register()

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
