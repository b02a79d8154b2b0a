"""Reading and writing scoring models (YAML) and answer files (CSV).

Every problem in a model file is collected and raised once as a `ConfigError` whose lines name
the file, the place in the model (pillar, criterion, rule) and what is wrong.
"""

from __future__ import annotations

import csv
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

import pandas as pd
import yaml
from pydantic import ValidationError

from locatiescan.errors import ConfigError, InputError
from locatiescan.indicators import INDICATORS
from locatiescan.layers.catalog import LayerDef, load_catalog
from locatiescan.layers.fetch import shipped_catalog
from locatiescan.paths import LAYERS_DIR, SCORING_DIR
from locatiescan.scoring.model import Problem, ScoringModel
from locatiescan.scoring.sources import Known, layer_metrics
from locatiescan.yamlconfig import SAFE_LOADER

_PYDANTIC_NL = {
    "missing": "verplicht veld ontbreekt",
    "too_short": "mag niet leeg zijn",
    "float_type": "moet een getal zijn",
    "float_parsing": "moet een getal zijn",
    "int_parsing": "moet een geheel getal zijn",
    "string_type": "moet tekst zijn",
    "list_type": "moet een lijst zijn",
    "dict_type": "moet een blok met sleutels zijn",
    "model_type": "moet een blok met sleutels zijn",
    "model_attributes_type": "moet een blok met sleutels zijn",
    "finite_number": "moet een eindig getal zijn (geen .inf of .nan)",
    "less_than_equal": "is te groot",
}


_CONTAINERS = {"pijlers", "criteria", "regels", "bonus", "inzet", "vragen", "voorwaarden"}
_LISTED = {
    "criteria": "criterium",
    "bonus": "bonus",
    "vragen": "vraag",
    "voorwaarden": "voorwaarde",
}


class ModelEntry(NamedTuple):
    """A model file in a directory and the name it declares."""

    path: Path
    naam: str


def known_sources(
    catalog: Mapping[str, LayerDef] | None = None, layers_dir: Path = LAYERS_DIR
) -> Known:
    """Layer metrics (from the layer catalog) and indicator names a model may refer to; the
    shipped catalog is read once per process (`shipped_catalog`)."""
    if catalog is None:
        catalog = shipped_catalog() if layers_dir == LAYERS_DIR else load_catalog(layers_dir)
    layers = catalog
    return Known(metrics=layer_metrics(layers, layers_dir), indicators=tuple(INDICATORS))


def parse_model(text: str, source: str, known: Known | None = None) -> ScoringModel:
    """Validate YAML text as a scoring model; `source` (a file name) starts every error line.

    `known` defaults to the real layer catalog and indicators (`known_sources()`).
    """
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as err:
        msg = f"{source}: not valid YAML: {err}"
        raise ConfigError(msg, f"{source}: geen geldige YAML: {err}") from err
    except RecursionError as err:
        msg = f"{source}: the YAML is nested too deeply to be a scoring model"
        raise ConfigError(msg, f"{source}: de YAML is te diep genest voor een scoremodel") from err
    if not isinstance(raw, dict):
        msg = f"{source}: a scoring model is a block of keys (naam, pijlers, ...)"
        raise ConfigError(
            msg, f"{source}: een scoremodel is een blok met sleutels (naam, pijlers, ...)"
        )
    context = {"known": known if known is not None else known_sources()}
    try:
        return ScoringModel.model_validate(raw, context=context)
    except RecursionError as err:
        msg = f"{source}: the model is nested too deeply"
        raise ConfigError(msg, f"{source}: het model is te diep genest") from err
    except ValidationError as err:
        problems = [p for e in err.errors() for p in _problems(e, raw)]
        en = "\n".join(f"  {p.where}: {p.en}" for p in problems)
        nl = "\n".join(f"  {p.where}: {p.nl}" for p in problems)
        count = len(problems)
        msg = f"{source}: invalid scoring model ({count} problem{'s' * (count != 1)}):\n{en}"
        raise ConfigError(msg, f"{source}: ongeldig scoremodel ({count} fout(en)):\n{nl}") from err


def load_model(path: Path | str, known: Known | None = None) -> ScoringModel:
    """Read and validate a model file; errors name the file, the criterion and the problem."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        msg = f"{path}: cannot read scoring model: {err.strerror or err}"
        raise ConfigError(msg, f"{path}: scoremodel niet leesbaar: {err.strerror or err}") from err
    return parse_model(model_text(data, path.name), path.name, known)


def model_text(data: bytes, source: str) -> str:
    """The text of a model file: UTF-8 (a BOM is allowed); anything else is a `ConfigError`."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        utf16 = data[:2] in (b"\xff\xfe", b"\xfe\xff")
        hint = " (it looks like UTF-16)" if utf16 else ""
        hint_nl = " (het lijkt UTF-16)" if utf16 else ""
        msg = f"{source}: a scoring model must be UTF-8 text{hint}; save it as UTF-8"
        nl = f"{source}: een scoremodel moet UTF-8-tekst zijn{hint_nl}; sla het op als UTF-8"
        raise ConfigError(msg, nl) from err


def model_to_yaml(model: ScoringModel) -> str:
    """The model as YAML in the file's own key order; `parse_model` reads it back unchanged."""
    data = model.model_dump(mode="json", exclude_none=True)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=100)


def save_model(model: ScoringModel, path: Path | str) -> Path:
    """Write the model as YAML and return the path."""
    path = Path(path)
    path.write_text(model_to_yaml(model), encoding="utf-8")
    return path


def list_models(directory: Path = SCORING_DIR) -> list[ModelEntry]:
    """The model files (`*.yaml`) in a directory with their `naam` (file stem when unreadable)."""
    entries = []
    for path in sorted(directory.glob("*.yaml")):
        try:
            raw = yaml.load(path.read_text(encoding="utf-8-sig"), Loader=SAFE_LOADER)
        except (OSError, UnicodeDecodeError, yaml.YAMLError, RecursionError):
            raw = None
        naam = raw.get("naam") if isinstance(raw, dict) else None
        entries.append(ModelEntry(path, str(naam) if naam else path.stem))
    return entries


def load_answers(path: Path | str) -> pd.DataFrame:
    """Answers CSV (column `id`, one column per question id) as a frame indexed by location id."""
    path = Path(path)
    try:
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, sep=None, engine="python")
    except (OSError, pd.errors.ParserError, UnicodeDecodeError, csv.Error) as err:
        msg = f"{path}: cannot read answers: {err}"
        raise InputError(msg, f"{path}: antwoorden niet leesbaar: {err}") from err
    frame.columns = [str(c).strip() for c in frame.columns]
    if "id" not in frame.columns:
        msg = f"{path}: answers need a column 'id' (the location id)"
        raise InputError(msg, f"{path}: antwoorden hebben een kolom 'id' nodig (de locatie-id)")
    frame["id"] = frame["id"].str.strip()
    duplicates = sorted(set(frame.loc[frame["id"].duplicated(), "id"]))
    if duplicates:
        msg = f"{path}: location ids occur more than once: {', '.join(duplicates)}"
        raise InputError(msg, f"{path}: locatie-id's komen dubbel voor: {', '.join(duplicates)}")
    frame = frame.set_index("id")
    return frame.apply(lambda col: col.str.strip()).replace("", None)


def check_answers(
    model: ScoringModel, answers: pd.DataFrame, source: str = "antwoorden"
) -> pd.DataFrame:
    """Answers for the model's questions, typed (numbers as float, text trimmed and lower case).

    Columns that are not questions of this model are left out (one file may serve several
    models); every answer that does not fit its question is reported in one `InputError`.
    """
    typed: dict[str, pd.Series] = {}
    problems: list[Problem] = []
    for question in model.vragen:
        if question.id not in answers.columns:
            continue
        column = answers[question.id]
        allowed = question.allowed()
        present = column.notna()
        if allowed is None:
            numbers = pd.to_numeric(column, errors="coerce")
            low = question.min if question.min is not None else -float("inf")
            high = question.max if question.max is not None else float("inf")
            bad = present & (numbers.isna() | (numbers < low) | (numbers > high))
            expected = f"a number from {low:g} to {high:g}"
            expected_nl = f"een getal van {low:g} tot {high:g}"
            typed[question.id] = numbers
        else:
            text = column.where(~present, column.astype(str).str.strip().str.casefold())
            bad = present & ~text.isin(allowed)
            expected = expected_nl = " | ".join(allowed)
            typed[question.id] = text
        for lid, value in column[bad].items():
            problems.append(
                Problem(
                    f"{lid}, {question.id}",
                    f"{value!r} is not {expected}",
                    f"{value!r} is geen {expected_nl}",
                )
            )
    if problems:
        en = "; ".join(f"{p.where}: {p.en}" for p in problems)
        nl = "; ".join(f"{p.where}: {p.nl}" for p in problems)
        raise InputError(
            f"{source}: answers do not fit the questions: {en}",
            f"{source}: antwoorden passen niet bij de vragen: {nl}",
        )
    return pd.DataFrame(typed, index=answers.index)


def _problems(error: Mapping[str, Any], raw: Mapping[str, Any]) -> list[Problem]:
    """One pydantic error as problems with a readable place and Dutch text."""
    ctx = error.get("ctx") or {}
    if "problems" in ctx:
        return list(ctx["problems"])
    loc = tuple(error["loc"])
    where = _where(loc, raw)
    kind = error["type"]
    if kind == "extra_forbidden":
        key = loc[-1] if loc else "?"
        return [Problem(where, f"unknown key {key!r}", f"onbekende sleutel {key!r}")]
    if kind == "literal_error":
        expected = ctx.get("expected", "")
        expected_nl = expected.replace(" or ", " of ")
        return [Problem(where, f"must be one of {expected}", f"moet een van {expected_nl} zijn")]
    if kind == "string_pattern_mismatch":
        return [
            Problem(
                where,
                "invalid name (use lower case letters, digits, underscores)",
                "ongeldige naam (gebruik kleine letters, cijfers, underscores)",
            )
        ]
    if kind in ("greater_than", "greater_than_equal", "less_than_equal"):
        bound = ctx.get("gt", ctx.get("ge", ctx.get("le")))
        bound = f"{bound:g}" if isinstance(bound, (int, float)) else bound
        sign = {"greater_than": ">", "greater_than_equal": ">=", "less_than_equal": "<="}[kind]
        return [Problem(where, f"must be {sign} {bound}", f"moet {sign} {bound} zijn")]
    nl = ctx.get("nl") or _PYDANTIC_NL.get(kind, error["msg"])
    return [Problem(where, error["msg"], nl)]


def _where(loc: Sequence[Any], raw: Any) -> str:
    """A pydantic location as Dutch model terms: 'pijler kwaliteit, criterium x, regel 2, als'."""
    parts: list[str] = []
    node = raw
    parent = None
    for position, key in enumerate(loc):
        child = _child(node, key)
        if parent == "pijlers":
            parts.append(f"pijler {key}")
        elif isinstance(key, int) and parent in _LISTED:
            ident = child.get("id") if isinstance(child, dict) else None
            label = _LISTED[parent]
            parts.append(f"{label} {ident}" if ident else f"{label} #{key + 1}")
        elif isinstance(key, int) and parent in ("regels", "inzet"):
            parts.append(f"{'regel' if parent == 'regels' else 'inzetregel'} {key + 1}")
        elif key != "[key]" and not (key in _CONTAINERS and position < len(loc) - 1):
            parts.append(str(key))
        parent, node = key, child
    return ", ".join(parts) or "(model)"


def _child(node: Any, key: Any) -> Any:
    """`node[key]` when it exists, else None."""
    if isinstance(node, dict):
        return node.get(key)
    if isinstance(node, list) and isinstance(key, int) and 0 <= key < len(node):
        return node[key]
    return None
