"""Shared CLI plumbing: lazily loaded subcommands and one-line errors.

Each command lives in its own module (``augment/cli/stats.py`` ...) as a click command that only
parses options, opens files and calls a library function. A group lists its commands as
``name -> "module:attribute"`` and imports a module only when its command runs, so ``--help``
stays fast and adding a command is adding a file plus one line.
"""

from __future__ import annotations

import errno
import importlib
import logging
import os
import sys
import traceback

import click

from augment.core.errors import XnerError, printable

VERBOSE_ENV = "XNER_VERBOSE"
QUIET_ENV = "XNER_QUIET"  # read by augment.core.progress


def toolkit_version() -> str:
    """The installed ``xner`` version (``unknown`` when run from a source tree not installed)."""
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("xner")
    except PackageNotFoundError:
        return "unknown"


class LazyGroup(click.Group):
    """A group that imports a command's module only when it runs, and gives every command the
    shared ``--verbose``/``--quiet`` options (accepted before or after the command name) and
    itself ``--version``."""

    def __init__(self, *args, lazy_subcommands: dict[str, str] | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        self.lazy_subcommands = lazy_subcommands or {}
        _add_shared_options(self)
        if not any(p.name == "version" for p in self.params):
            self.params.append(click.Option(["--version"], is_flag=True, expose_value=False, is_eager=True,
                                            callback=_print_version, help="Show the version and exit."))

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(set(super().list_commands(ctx)) | set(self.lazy_subcommands))

    def get_command(self, ctx: click.Context, name: str):
        if name in self.lazy_subcommands:
            module_name, attr = self.lazy_subcommands[name].split(":")
            try:
                module = importlib.import_module(module_name)
            except ModuleNotFoundError as err:
                if err.name and err.name.startswith(module_name.split(".")[0]):
                    return None  # command not built in this version
                raise
            return _add_shared_options(getattr(module, attr))
        command = super().get_command(ctx, name)
        return _add_shared_options(command) if command is not None else None


def _print_version(ctx: click.Context, param: click.Parameter, value: bool) -> None:
    if value and not ctx.resilient_parsing:
        click.echo(f"{ctx.find_root().info_name} (xner) {toolkit_version()}")
        ctx.exit()


def _set_verbose(ctx, param, value):
    if value:
        os.environ[VERBOSE_ENV] = "1"
        logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return value


def _set_quiet(ctx, param, value):
    if value:
        os.environ[QUIET_ENV] = "1"
    return value


def _shared_options() -> list[click.Option]:
    return [
        click.Option(["--verbose", "-v"], is_flag=True, expose_value=False, is_eager=True, callback=_set_verbose,
                     help="Show full tracebacks and progress logging."),
        click.Option(["--quiet", "-q"], is_flag=True, expose_value=False, is_eager=True, callback=_set_quiet,
                     help="No progress bars and no per-epoch lines (errors and results still print)."),
    ]


def _add_shared_options(command: click.Command) -> click.Command:
    """Give ``command`` ``--verbose`` and ``--quiet`` unless it has options of those names."""
    names = {p.name for p in command.params}
    command.params += [o for o in _shared_options() if o.name not in names]
    return command


def verbose_option(f):
    """``--verbose``: show tracebacks and INFO logging (groups made with :class:`LazyGroup` and
    their commands have it already; this is for standalone commands)."""
    return click.option("--verbose", "-v", is_flag=True, expose_value=False, is_eager=True,
                        callback=_set_verbose, help="Show full tracebacks and progress logging.")(f)


def run_main(group: click.Group, prog_name: str) -> None:
    """Run a click group, turning toolkit errors into one line on stderr and exit status 1
    (usage errors: one line too, with click's status 2)."""
    from augment.core.process import configure_process

    configure_process()  # the one place process-wide defaults are set
    try:
        group.main(prog_name=prog_name, standalone_mode=False)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except click.exceptions.NoArgsIsHelpError as e:
        e.show()  # the help text, as for --help
        sys.exit(e.exit_code)
    except click.UsageError as e:  # bad option or argument: one line, click's exit status 2
        hint = f" (see '{e.ctx.command_path} --help')" if e.ctx is not None else ""
        _error(f"{e.format_message().rstrip('.')}{hint}")
        sys.exit(e.exit_code)
    except click.ClickException as e:
        _error(e.format_message())
        sys.exit(e.exit_code)
    except click.Abort:  # click turns Ctrl-C into Abort
        click.echo("interrupted; rerun the same command to resume", err=True)
        sys.exit(130)
    except XnerError as e:
        if os.environ.get(VERBOSE_ENV):
            traceback.print_exc()
        _error(str(e))
        sys.exit(1)
    except KeyboardInterrupt:
        click.echo("interrupted; rerun the same command to resume", err=True)
        sys.exit(130)
    except OSError as e:  # an OS-reported mistake no layer turned into an XnerError: still one line
        from augment.core.state import WRITE_ERRNOS, os_error

        if e.filename is None or (e.errno not in WRITE_ERRNOS and e.errno != errno.ENOENT):
            raise
        if os.environ.get(VERBOSE_ENV):
            traceback.print_exc()
        _error(str(os_error(e, e.filename, "cannot use")))
        sys.exit(1)
    except BrokenPipeError:
        sys.exit(0)


def _error(message: str) -> None:
    """The one line every error becomes, its data values made harmless to the terminal
    (:func:`augment.core.errors.printable`: a tag read from a file cannot clear the screen)."""
    click.echo(f"error: {printable(message)}", err=True)


def format_option(name: str = "--format", help: str = "Input format (default: from extension/content).") :
    from augment.core.io import FORMATS

    return click.option(name, type=click.Choice(FORMATS), default=None, help=help)


def label_names_option(f):
    """``--label-names O,B-PER,...``: names of integer tag ids (Hugging Face ``ner_tags``), in id
    order. Not passed to the command: :func:`augment.core.io.read_corpus` finds it in the click
    context, so every command that reads corpora honours it."""

    def callback(ctx, param, value):
        from augment.core.errors import ConfigError
        from augment.core.io import LABEL_NAMES_KEY, parse_label_names

        if value is not None:
            try:
                ctx.meta[LABEL_NAMES_KEY] = parse_label_names(value)
            except ConfigError as err:
                raise click.BadParameter(err.message.removeprefix("--label-names: "), ctx, param) from None
        return value

    return click.option("--label-names", default=None, metavar="O,B-PER,...", expose_value=False,
                        callback=callback,
                        help="Tag names of integer tag ids (Hugging Face ner_tags), in id order.")(f)


def scheme_options(f):
    """``--scheme``, ``--repair-tags`` and ``--label-names`` for commands that read tagged corpora."""
    f = label_names_option(f)
    f = click.option("--repair-tags", is_flag=True,
                     help="Repair invalid sequences (an I-X with no opening becomes B-X) instead of failing.")(f)
    f = click.option("--in-scheme", default="auto", show_default=True,
                     help="Tag scheme of the input: auto, iob1, iob2 (bio), iobes.")(f)
    return f
