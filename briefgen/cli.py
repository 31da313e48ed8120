"""The ``briefgen`` command line: parses options, calls the library, reports, sets exit codes."""

from __future__ import annotations

import logging
import sys
from dataclasses import replace
from pathlib import Path

import click

from . import campaigns as _campaigns
from . import pipeline
from .errors import OptionError, Problem, errors_in, printable
from .options import DEFAULT_FORMATS, DOCUMENT_TIMEOUT, FORMATS, ONLY, PDF_VARIANTS, BuildOptions
from .progress import progress_for
from .project import CAMPAIGNS, default_campaigns, default_output


def _paths(paths: tuple[Path, ...]) -> list[Path]:
    if paths:
        return list(paths)
    folder = default_campaigns()
    if folder is None:
        raise click.UsageError("no campaign given and there is no 'briefs/' folder here")
    return [folder]


def _formats(_ctx: click.Context, _param: click.Parameter, value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip() for f in value.split(",") if f.strip()))
    for fmt in formats:
        if fmt not in FORMATS:
            raise click.BadParameter(f"unknown format '{fmt}' (expected: {', '.join(FORMATS)})")
    if not formats:
        raise click.BadParameter("give at least one format")
    return formats


def _report_problems(problems: list[Problem]) -> None:
    for problem in problems:
        click.echo(str(problem), err=True)


def _setup_logging(verbose: bool) -> None:
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(logging.WARNING)
    logging.getLogger("briefgen").setLevel(logging.INFO if verbose else logging.WARNING)


PATHS = click.argument(
    "paths", nargs=-1, type=click.Path(exists=True, path_type=Path, dir_okay=True)
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="briefgen")
def cli() -> None:
    """Turn a campaign YAML file into a policy brief and tailored letters.

    \b
    Example:
      briefgen check briefs/eu-azerbaijan-2020.yaml
      briefgen build briefs/eu-azerbaijan-2020.yaml -o output
    """


@cli.command()
@PATHS
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to write into (default: output/ of the campaign's project, the folder that "
    "holds briefs/; else output/ here).",
)
@click.option(
    "-f",
    "--format",
    "formats",
    default=",".join(DEFAULT_FORMATS),
    show_default=True,
    callback=_formats,
    help=f"Comma-separated formats: {', '.join(FORMATS)}.",
)
@click.option(
    "--recipient",
    "recipients",
    multiple=True,
    metavar="ID",
    help="Write the letter to this recipient only (repeatable); skips the brief.",
)
@click.option(
    "--only",
    type=click.Choice(ONLY),
    help="Write only the brief or only the letters.",
)
@click.option(
    "-j",
    "--jobs",
    type=click.IntRange(min=1),
    default=None,
    help="Worker processes (default: one per CPU).",
)
@click.option("--force", is_flag=True, help="Render every document, even those up to date.")
@click.option(
    "--pdf-variant",
    type=click.Choice(PDF_VARIANTS),
    help="PDF standard (default: the campaign's, else pdf/ua-1); PDF/A-3 variants embed the "
    "campaign file.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=1),
    default=DOCUMENT_TIMEOUT,
    show_default=True,
    help="Seconds a document may take before it is stopped (it then fails alone).",
)
@click.option(
    "--attach-docx",
    is_flag=True,
    help="E-mail drafts (-f eml) also attach the letter as DOCX (they always attach its PDF "
    "and the brief it encloses).",
)
@click.option(
    "-w",
    "--watch",
    is_flag=True,
    help="Keep running: rebuild what changed each time a campaign, asset or template is saved.",
)
@click.option("-q", "--quiet", is_flag=True, help="Print only problems and the summary.")
@click.option("-v", "--verbose", is_flag=True, help="List every file written.")
def build(
    paths: tuple[Path, ...],
    output: Path | None,
    formats: tuple[str, ...],
    recipients: tuple[str, ...],
    only: str | None,
    jobs: int | None,
    force: bool,
    pdf_variant: str | None,
    timeout: float,
    attach_docx: bool,
    watch: bool,
    quiet: bool,
    verbose: bool,
) -> int:
    """Render campaigns (files or folders; default: briefs/) into OUTPUT/<campaign-id>/.

    \b
    Examples:
      briefgen build
      briefgen build briefs/eu-azerbaijan-2020.yaml -f pdf,html
      briefgen build briefs/eu-azerbaijan-2020.yaml --recipient mep-droi
      briefgen build briefs/ -j 4 --force
      briefgen build briefs/my-campaign.yaml --watch
    """
    _setup_logging(verbose)
    try:
        options = BuildOptions(
            formats=formats,
            only=only,
            recipients=recipients,
            jobs=jobs,
            force=force,
            pdf_variant=pdf_variant,
            timeout=timeout,
            attach_docx=attach_docx,
        )
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None
    campaign_paths = _paths(paths)
    if output is None:
        output = default_output(campaign_paths)
    if not watch:
        return _build_once(campaign_paths, output, options, quiet)
    from .watch import Watcher

    # Listening before the first build: a save made while it runs is caught too.
    watcher = Watcher(campaign_paths, output)
    _build_once(campaign_paths, output, options, quiet)
    click.echo(
        f"watching {', '.join(str(f) for f in watcher.folders)} for changes (Ctrl-C to stop)",
        err=True,
    )

    def rebuild(changed: list[Path]) -> None:
        shown = [p for p in changed if p.exists()] or changed  # not editors' vanished temps
        names = ", ".join(p.name for p in shown[:3]) + (" ..." if len(shown) > 3 else "")
        click.echo(printable(f"changed: {names}; rebuilding"), err=True)
        # Only what the change affects.
        _build_once(campaign_paths, output, replace(options, force=False), quiet)
        click.echo("watching for changes (Ctrl-C to stop)", err=True)

    try:
        watcher.run(rebuild)
    finally:
        watcher.close()
    return 0


def _build_once(paths: list[Path], output: Path, options: BuildOptions, quiet: bool) -> int:
    progress = progress_for(quiet)
    try:
        report = pipeline.build(paths, output, options, progress=progress)
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:  # the output folder itself (cache, manifest) cannot be written
        progress.close()
        return _cannot_write(exc)
    finally:
        progress.close()
    _report_problems(report.problems)
    for notice in report.notices:
        click.echo(printable(f"note: {notice}"), err=True)
    for failure in report.failures:
        click.echo(
            printable(f"{failure.campaign}: error: {failure.document}: {failure.message}"),
            err=True,
        )
    invalid = bool(errors_in(report.problems))
    click.echo(
        f"{len(report.written)} files written to {output}/ ({report.rendered} documents), "
        f"{report.unchanged} unchanged, {len(report.failures)} failed"
        + (", some campaigns are invalid" if invalid else ""),
        err=True,
    )
    return 0 if report.ok else 1


@cli.command()
@PATHS
@click.option("--strict", is_flag=True, help="Treat missing translations as errors.")
def check(paths: tuple[Path, ...], strict: bool) -> int:
    """Validate campaigns without writing anything; print every problem found.

    Problems are printed as FILE:LINE:COL: error: FIELD: message; missing translations
    are warnings (errors with --strict). Exit code 1 if there is any error.

    \b
    Example:
      briefgen check briefs/eu-azerbaijan-2020.yaml
    """
    _setup_logging(False)
    problems = _campaigns.check(_paths(paths), strict=strict)
    _report_problems(problems)
    errors = errors_in(problems)
    if not problems:
        click.echo("ok: no problems found", err=True)
    return 1 if errors else 0


@cli.command()
@PATHS
@click.option(
    "-o",
    "--output",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder the letters are built into, for their page counts (default: the output/ "
    "folder build uses).",
)
def recipients(paths: tuple[Path, ...], output: Path | None) -> int:
    """List who would get a letter: language, edition, pages, e-mail, salutation, demands.

    Imports are read and filters applied, so this is the list a build would use. PAGES is
    the page count of the letter's PDF in OUTPUT once built ("not built", or "out of date"
    when the campaign changed since). Exit code 1 if a campaign is invalid.

    \b
    Example:
      briefgen recipients briefs/eu-azerbaijan-2020.yaml
    """
    from .roster import roster, table

    _setup_logging(False)
    campaign_paths = _paths(paths)
    campaigns, problems = _campaigns.load_all(campaign_paths)
    _report_problems(errors_in(problems))
    if output is None:
        output = default_output(campaign_paths)
    for file, campaign in campaigns:
        for line in table(file, campaign, roster(file, campaign, output)):
            click.echo(line)
    return 1 if errors_in(problems) else 0


@cli.command()
@PATHS
def rounds(paths: tuple[Path, ...]) -> int:
    """Show the rounds of a dialogue and what changed since the last one.

    Follows campaign.previous from file to file and prints the chain of rounds, oldest
    first, then, for the latest, the cases added, removed or whose status changed, and the
    demands added, dropped, reworded and assessed. Cases are named by id only when they are
    public today; a restricted or withheld case is shown by its place in the file. Exit code
    1 if a campaign (or a round before it) is invalid.

    \b
    Example:
      briefgen rounds briefs/eu-azerbaijan-2021.yaml
    """
    from .rounds_report import report

    _setup_logging(False)
    campaigns, problems = _campaigns.load_all(_paths(paths))
    _report_problems(errors_in(problems))
    for file, campaign in campaigns:
        for line in report(file, campaign):
            click.echo(line)
    return 1 if errors_in(problems) else 0


@cli.command()
@click.argument("name")
@click.option(
    "-d",
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Folder to create the campaign in (default: briefs/, or this folder inside briefs/).",
)
@click.option("--force", is_flag=True, help="Overwrite an existing campaign file.")
def new(name: str, folder: Path | None, force: bool) -> int:
    """Start a campaign: write FOLDER/NAME.yaml with every section, ready to edit.

    NAME is the campaign id (lowercase letters, digits, hyphens). The schema file written
    beside it gives editors completion and inline errors.

    \b
    Example:
      briefgen new eu-azerbaijan-2027
    """
    from .scaffold import new_campaign

    if folder is None:
        folder = default_campaigns() or Path(CAMPAIGNS)
    try:
        target, _schema = new_campaign(name, folder, force=force)
    except OptionError as exc:
        raise click.UsageError(str(exc)) from None
    except OSError as exc:
        return _cannot_write(exc)
    click.echo(f"created {target}", err=True)
    click.echo(f"next: edit it, then run  briefgen preview {target}", err=True)
    return 0


@cli.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write to this file instead of printing.",
)
def schema(output: Path | None) -> int:
    """Print the JSON Schema of the campaign format (for editors and other tools).

    \b
    Example:
      briefgen schema -o briefs/campaign.schema.json
    """
    from .schema import schema_text

    if output is None:
        click.echo(schema_text(), nl=False)
    else:
        from .output import write_atomic

        if output.is_dir():
            raise click.UsageError(f"'{output}' is a folder: give a file name for the schema")
        try:
            write_atomic(output, schema_text().encode("utf-8"))
        except OSError as exc:
            return _cannot_write(exc)
        click.echo(f"wrote {output}", err=True)
    return 0


def _cannot_write(exc: OSError) -> int:
    where = f"{exc.filename}: " if exc.filename else ""
    click.echo(f"error: cannot write {where}{exc.strerror or exc}", err=True)
    return 1


@cli.command()
@PATHS
@click.option(
    "-p",
    "--port",
    type=click.IntRange(min=0, max=65535),
    default=8765,
    show_default=True,
    help="Port on 127.0.0.1 (0: any free port).",
)
@click.option("--open", "open_browser", is_flag=True, help="Open the page in your web browser.")
def preview(paths: tuple[Path, ...], port: int, open_browser: bool) -> int:
    """Show the documents in your web browser, updated each time you save.

    Open the address printed (http://127.0.0.1:PORT/): a page lists the documents; each
    opens as the reader will see it, with PDF and Word downloads. Saving the campaign, an
    asset or a template re-renders and the page reloads itself; errors show on the page with
    file and line. Only this computer can connect. Ctrl-C stops it.

    \b
    Example:
      briefgen preview briefs/my-campaign.yaml --open
    """
    from .preview import Preview, make_server

    _setup_logging(False)
    campaign_paths = _paths(paths)
    view = Preview(campaign_paths, say=lambda line: click.echo(line, err=True))
    try:
        server = make_server(view, port)
    except OSError as exc:
        view.close()
        raise click.UsageError(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another --port"
        ) from None
    import signal

    def stop(_signal: int, _frame: object) -> None:
        raise KeyboardInterrupt  # so that the preview's temporary folder is removed

    signal.signal(signal.SIGTERM, stop)
    try:
        # The page answers at once: it lists the documents as soon as they are planned,
        # and they are rendered in the background, the one opened first.
        view.start()
        address = f"http://127.0.0.1:{server.server_address[1]}/"
        click.echo(f"preview: {address}", err=False)
        click.echo("open it in your browser; Ctrl-C stops the preview", err=True)
        sys.stdout.flush()
        if open_browser:
            import webbrowser

            webbrowser.open(address)
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        view.close()
        server.server_close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); return the exit code."""
    try:
        result = cli.main(args=argv, prog_name="briefgen", standalone_mode=False)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        exc.show()
        return exc.exit_code
    except (click.exceptions.Abort, KeyboardInterrupt):
        click.echo("Interrupted; files already written are complete.", err=True)
        return 130
    return result if isinstance(result, int) else 0


def run() -> None:
    """Console-script entry point."""
    sys.exit(main())
