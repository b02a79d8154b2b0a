"""CLI commands: `score`, `validate-model`, `compare-models`, `sensitivity`.

Registry locations get the workspace's own outlines, the model's questions its dossier answers,
and `voortgang.<mijlpaal>.vertraging_kwartalen` its PPM delays at `--peildatum` (default: the
latest peilmoment in the workspace) — all only when the workspace file exists (never created).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

import geopandas as gpd
import pandas as pd
import typer

from locatiescan.cli.inputs import WorkspaceOpt, command_context, registry_locations
from locatiescan.cli.output import Format, emit_frame, emit_json
from locatiescan.context import ProjectContext
from locatiescan.errors import InputError
from locatiescan.importers import import_file
from locatiescan.location_table import REGISTRY_TYPES
from locatiescan.prepare import prepare_inputs, voortgang_peildatum
from locatiescan.scoring import (
    ScoreResult,
    ScoringInput,
    ScoringModel,
    check_answers,
    compare,
    load_answers,
    load_model,
    score,
    sensitivity,
    swap_weights,
)
from locatiescan.scoring.engine import RECORD_HEAD, RECORD_TAIL

DECIMALS = 4

InputArg = Annotated[
    Path | None,
    typer.Argument(
        metavar="INPUT",
        help="Location file (GeoJSON, GeoPackage, zipped Shapefile, KML, CSV, XLSX).",
    ),
]
TypeOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--type", help=f"Registry locations of this type, repeatable: {', '.join(REGISTRY_TYPES)}."
    ),
]
AnswersOpt = Annotated[
    Path | None,
    typer.Option(
        "--answers",
        help="CSV with column id and one column per question id; its cells win over the dossier.",
    ),
]
NoDossierOpt = Annotated[
    bool,
    typer.Option(
        "--no-dossier",
        help="Ignore the workspace dossier (stored facts and what the registry states).",
    ),
]
OfflineOpt = Annotated[
    bool, typer.Option("--offline", help="Use cache and offline snapshots only.")
]
FormatOpt = Annotated[Format, typer.Option("--format", help="Output format.")]
PeildatumOpt = Annotated[
    str | None,
    typer.Option(
        "--peildatum",
        help="Date (2026-03-31) or quarter (2026-Q1) at which PPM delays count for "
        "voortgang.* criteria (default: the latest peilmoment in the workspace).",
    ),
]


@dataclass(frozen=True)
class Selection:
    """Which locations to score and how: a file or registry types, answers, offline or not,
    the workspace file (used only when it exists) and the peildatum for PPM delays."""

    input: Path | None
    types: list[str] | None
    answers: Path | None
    offline: bool
    dossier: bool = True
    workspace: Path | None = None
    peildatum: str | None = None


def check_selection(selection: Selection) -> None:
    """INPUT and --type exclude each other; --peildatum is a date or a quarter (checked before
    any work)."""
    if selection.input is not None and selection.types:
        msg = "give a location file (INPUT) or --type, not both"
        raise InputError(msg, "geef een locatiebestand (INPUT) of --type, niet beide")
    if selection.peildatum is not None:
        from locatiescan.voortgang.kwartaal import parse_kwartaal  # the package loads matplotlib

        try:
            parse_kwartaal(selection.peildatum)
        except ValueError as err:
            shown = selection.peildatum
            msg = f"--peildatum {shown!r} is neither a date (2026-03-31) nor a quarter (2026-Q1)"
            nl = f"--peildatum {shown!r} is geen datum (2026-03-31) en geen kwartaal (2026-Q1)"
            raise InputError(msg, nl) from err


def selection_context(selection: Selection) -> ProjectContext:
    """The command's project context: the workspace only when its file exists (never created)."""
    return command_context(selection.workspace, offline=selection.offline)


def selected_locations(selection: Selection, context: ProjectContext) -> gpd.GeoDataFrame:
    """The location file, else the registry's sites of the chosen types with the workspace's
    own outlines."""
    if selection.input is not None:
        return import_file(selection.input).locations
    return registry_locations(selection.types, context)


def scoring_input(
    model: ScoringModel,
    selection: Selection,
    context: ProjectContext,
    locations: gpd.GeoDataFrame,
) -> ScoringInput:
    """`prepare_inputs` for the selection: the cells of an `--answers` file win over the
    dossier; says on stderr at which peildatum PPM delays count."""
    given = None
    if selection.answers is not None:
        given = check_answers(model, load_answers(selection.answers), selection.answers.name)
    if any(ref.kind == "voortgang" for ref in model.sources()):
        when = voortgang_peildatum(context.workspace, selection.peildatum)
        if when is not None:
            typer.echo(f"voortgang: peildatum {when}", err=True)
    return prepare_inputs(
        model,
        locations,
        context,
        answers=given,
        dossier=selection.dossier,
        peildatum=selection.peildatum,
    )


def summary(result: ScoreResult) -> pd.DataFrame:
    """One row per location in rank order: eligibility, total with its bounds and coverage,
    pillar scores, class, hours, rank with its interval."""
    pillars = [f"pijler.{name}" for name in result.model.pijlers]
    head = [c for c in RECORD_HEAD if c != "voorwaarden"]  # the conditions' text goes last
    columns = [*head, *pillars, *RECORD_TAIL, "voorwaarden"]
    frame = result.table[columns].sort_values(["rang", "naam"], na_position="last", kind="stable")
    return frame.round(DECIMALS).reset_index()


def rounded(value: Any) -> Any:
    """Floats rounded to DECIMALS, inside dicts and lists too."""
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, float):
        return round(value, DECIMALS)
    return value


def register(app: typer.Typer) -> None:
    """Add the scoring commands to the app."""

    @app.command("score")
    def score_command(
        model: Annotated[
            Path,
            typer.Option("--model", help="Scoring model YAML, e.g. scoring/kansrijk_bouwen.yaml."),
        ],
        input_: InputArg = None,
        type_: TypeOpt = None,
        answers: AnswersOpt = None,
        no_dossier: NoDossierOpt = False,
        offline: OfflineOpt = False,
        fmt: FormatOpt = Format.json,
        workspace: WorkspaceOpt = None,
        peildatum: PeildatumOpt = None,
    ) -> None:
        """Score locations under a model: totals, pillars, bonus, class, hours, rank, explanations.

        Without INPUT and --type: the 42 policy sites of the registry. With an existing
        workspace: own outlines, dossier answers (--answers wins) and PPM delays.
        """
        selection = Selection(
            input_,
            type_,
            answers,
            offline,
            dossier=not no_dossier,
            workspace=workspace,
            peildatum=peildatum,
        )
        check_selection(selection)
        context = selection_context(selection)
        scoring_model = load_model(model, context.known())
        locations = selected_locations(selection, context)
        result = score(scoring_model, scoring_input(scoring_model, selection, context, locations))
        if fmt is Format.json:
            emit_json(rounded(result.records()))
        else:
            emit_frame(summary(result), fmt)

    @app.command("validate-model")
    def validate_model(
        path: Annotated[Path, typer.Argument(help="Scoring model YAML.")],
    ) -> None:
        """Check a scoring model; prints ok, or every problem and exits 2."""
        model = load_model(path)
        counts = (
            f"{len(model.pijlers)} pijlers, {len(model.criteria())} criteria, "
            f"{len(model.bonus)} bonus, {len(model.vragen)} vragen"
        )
        typer.echo(f"ok: {path.name}: {model.naam} ({counts})")

    @app.command("compare-models")
    def compare_models(
        model_a: Annotated[Path, typer.Argument(help="First scoring model YAML.")],
        model_b: Annotated[Path, typer.Argument(help="Second scoring model YAML.")],
        input_: Annotated[
            Path | None, typer.Option("--input", help="Location file instead of the registry.")
        ] = None,
        type_: TypeOpt = None,
        answers: AnswersOpt = None,
        offline: OfflineOpt = False,
        fmt: FormatOpt = Format.table,
        workspace: WorkspaceOpt = None,
        peildatum: PeildatumOpt = None,
    ) -> None:
        """The same locations under two models: totals, classes, ranks and rank changes."""
        selection = Selection(
            input_, type_, answers, offline, workspace=workspace, peildatum=peildatum
        )
        check_selection(selection)
        context = selection_context(selection)
        known = context.known()
        first, second = load_model(model_a, known), load_model(model_b, known)
        locations = selected_locations(selection, context)
        results = [
            score(m, scoring_input(m, selection, context, locations)) for m in (first, second)
        ]
        frame = compare(*results).sort_values(["rang_b", "naam"], na_position="last", kind="stable")
        emit_frame(frame.round(DECIMALS).reset_index(), fmt)

    @app.command("sensitivity")
    def sensitivity_command(
        model: Annotated[Path, typer.Option("--model", help="Scoring model YAML.")],
        input_: Annotated[
            Path | None, typer.Option("--input", help="Location file instead of the registry.")
        ] = None,
        type_: TypeOpt = None,
        answers: AnswersOpt = None,
        offline: OfflineOpt = False,
        top_k: Annotated[
            int, typer.Option("--top-k", help="Report the chance of a rank <= k.")
        ] = 3,
        draws: Annotated[int, typer.Option("--draws", help="Monte Carlo draws.")] = 1000,
        spread: Annotated[
            float, typer.Option("--spread", help="Relative weight change, 0.2 = +-20 %.")
        ] = 0.2,
        seed: Annotated[int, typer.Option("--seed", help="Random seed.")] = 0,
        swap: Annotated[
            list[str] | None,
            typer.Option(
                "--swap", help="Two location ids (give --swap twice): weights at which they swap."
            ),
        ] = None,
        fmt: FormatOpt = Format.table,
        workspace: WorkspaceOpt = None,
        peildatum: PeildatumOpt = None,
    ) -> None:
        """Rank stability under random weight changes; --swap A --swap B: where A and B swap."""
        if swap is not None and len(swap) != 2:
            msg = f"--swap needs exactly two location ids, got {len(swap)}"
            raise InputError(msg, f"--swap vraagt precies twee locatie-id's, niet {len(swap)}")
        selection = Selection(
            input_, type_, answers, offline, workspace=workspace, peildatum=peildatum
        )
        check_selection(selection)
        context = selection_context(selection)
        scoring_model = load_model(model, context.known())
        locations = selected_locations(selection, context)
        result = score(scoring_model, scoring_input(scoring_model, selection, context, locations))
        if swap is not None:
            found = swap_weights(result, swap[0], swap[1])
            emit_json(
                rounded(
                    {
                        "a": found.a,
                        "b": found.b,
                        "verschil": found.verschil,
                        "per_pijler": found.per_pijler.rename_axis("pijler")
                        .reset_index()
                        .to_dict(orient="records"),
                        "kleinste": found.kleinste,
                        "afstand": found.afstand,
                        "reden": found.reden,
                    }
                )
            )
            return
        table = sensitivity(result, top_k=top_k, draws=draws, spread=spread, seed=seed).table
        table = table.sort_values(["rang", "naam"], na_position="last", kind="stable")
        emit_frame(table.round(DECIMALS).reset_index(), fmt)
