"""CLI commands `voortgang template|import|export|status`: the Publiek-Private Monitor."""

from __future__ import annotations

import getpass
from datetime import date
from pathlib import Path
from typing import Annotated

import typer

from locatiescan.cli.output import Format, emit_frame, emit_json
from locatiescan.context import ProjectContext
from locatiescan.errors import InputError
from locatiescan.voortgang import (
    delay_list,
    parse_kwartaal,
    ppm_export_xlsx,
    ppm_status,
    read_ppm,
    read_realisatie,
    template_xlsx,
    voortgang_pdf,
)
from locatiescan.voortgang.projecten import bekende_ids
from locatiescan.voortgang.woondeal import load_gemeenten
from locatiescan.workspace import Workspace
from locatiescan.workspace.voortgang import (
    add_ppm_rows,
    add_realisation,
    alternatives,
    milestone_config,
    ppm_records,
)

STATUS_OUTPUT = [
    "id",
    "projectnaam",
    "mijlpaal",
    "mijlpaal_label",
    "verantwoordelijke",
    "peilmoment",
    "gepland",
    "gerealiseerd",
    "eerste_gepland",
    "vorige_gepland",
    "vertraagd",
    "vertraging_kwartalen",
    "verschuiving_vorige_kwartalen",
    "verschuiving_totaal_kwartalen",
    "alternatieven",
    "toelichting",
]
WorkspaceOption = Annotated[
    Path | None,
    typer.Option("--werkruimte", help="Workspace file (default: $LOCATIESCAN_WORKSPACE)."),
]
PeildatumOption = Annotated[
    str | None,
    typer.Option("--peildatum", help="Date or quarter to judge delays at (default: today)."),
]


def _peildatum(text: str | None) -> str:
    """The given peildatum (checked), else today's date."""
    if text is None:
        return date.today().isoformat()
    try:
        parse_kwartaal(text)
    except ValueError as err:
        msg = f"--peildatum {text!r} is neither a date (2026-03-31) nor a quarter (2026-Q1)"
        raise InputError(msg, f"--peildatum: {err}") from err
    return text


def register(app: typer.Typer) -> None:
    """Add the `voortgang` command group to the app."""
    group = typer.Typer(
        help="Publiek-Private Monitor: milestones per project, delays, woondeal progress.",
        no_args_is_help=True,
    )
    app.add_typer(group, name="voortgang")

    @group.command("template")
    def template(
        out: Annotated[Path, typer.Argument(help="The .xlsx file to write.")],
        werkruimte: WorkspaceOption = None,
    ) -> None:
        """Write the empty PPM spreadsheet (Dutch headers, sheets 'Uitleg' and 'Mijlpalen')."""
        _check_out(out, ".xlsx")
        out.write_bytes(template_xlsx(milestone_config(Workspace.open(werkruimte))))
        typer.echo(str(out))

    @group.command("import")
    def import_(
        path: Annotated[Path, typer.Argument(help="A filled-in PPM spreadsheet (.xlsx).")],
        door: Annotated[str, typer.Option("--door", help="Who imports (kept with each row).")] = (
            getpass.getuser()
        ),
        werkruimte: WorkspaceOption = None,
    ) -> None:
        """Check every cell; store all rows, or nothing and a Dutch report per bad cell."""
        if not path.is_file():
            raise InputError(f"File not found: {path}", f"Bestand niet gevonden: {path}")
        ws = Workspace.open(werkruimte)
        context = ProjectContext.build(workspace=ws)
        check = read_ppm(path, milestone_config(ws), bekende_ids(ws, context.data_root))
        check.raise_if_invalid()
        written = add_ppm_rows(ws, check.rows, door, source=path.name)
        emit_json({"ingelezen": written, "bestand": path.name})

    @group.command("realisatie")
    def realisatie(
        path: Annotated[Path, typer.Argument(help="Net additions per gemeente and year (.xlsx).")],
        door: Annotated[str, typer.Option("--door", help="Who imports.")] = getpass.getuser(),
        werkruimte: WorkspaceOption = None,
    ) -> None:
        """Import realised net additions of later years (columns Gemeentecode, Jaar, Netto
        toevoeging); all rows or nothing, with a Dutch report per bad cell."""
        if not path.is_file():
            raise InputError(f"File not found: {path}", f"Bestand niet gevonden: {path}")
        ws = Workspace.open(werkruimte)
        root = ProjectContext.build(workspace=ws).data_root
        check = read_realisatie(path, set(load_gemeenten(root)["gemeentecode"]))
        check.raise_if_invalid()
        written = add_realisation(ws, check.rows, door, path.name)
        emit_json({"ingelezen": written, "bestand": path.name})

    @group.command("status")
    def status(
        peildatum: PeildatumOption = None,
        alle: Annotated[
            bool, typer.Option("--alle", help="All milestones, not only delayed ones.")
        ] = False,
        fmt: Annotated[Format, typer.Option("--format", help="Output format.")] = Format.table,
        werkruimte: WorkspaceOption = None,
    ) -> None:
        """Delayed milestones at the peildatum (longest delay first), with slippage in quarters."""
        ws = Workspace.open(werkruimte)
        current = ppm_status(ppm_records(ws), _peildatum(peildatum), milestone_config(ws))
        listed = delay_list(current, alternatives(ws), delayed_only=not alle)
        emit_frame(listed[STATUS_OUTPUT], fmt)

    @group.command("export")
    def export(
        out: Annotated[Path, typer.Argument(help=".xlsx (PPM + delays) or .pdf (report).")],
        peildatum: PeildatumOption = None,
        werkruimte: WorkspaceOption = None,
    ) -> None:
        """Export the PPM history and the delay list as a workbook, or a PDF report."""
        _check_out(out, ".xlsx", ".pdf")
        ws = Workspace.open(werkruimte)
        config, records = milestone_config(ws), ppm_records(ws)
        when = _peildatum(peildatum)
        current = ppm_status(records, when, config)
        delayed = delay_list(current, alternatives(ws))
        if out.suffix.casefold() == ".pdf":
            out.write_bytes(voortgang_pdf(when, current, delayed))
        else:
            out.write_bytes(ppm_export_xlsx(records, delayed, config))
        typer.echo(str(out))


def _check_out(out: Path, *suffixes: str) -> None:
    if out.suffix.casefold() not in suffixes:
        allowed = " or ".join(suffixes)
        msg = f"output must end in {allowed}, got {out.name}"
        raise InputError(msg, f"Het uitvoerbestand moet eindigen op {allowed}, niet {out.name}")
    if not out.parent.is_dir():
        msg = f"folder {out.parent} does not exist"
        raise InputError(msg, f"Map {out.parent} bestaat niet")
