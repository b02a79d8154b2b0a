"""Gemeente indicators and their combination per location."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from locatiescan.errors import InputError
from locatiescan.gemeenten import complete_mergers, load_gemeenten, match_names, name_key
from locatiescan.indicators import (
    INDICATORS,
    combine,
    gemeente_indicators,
    indicators_for_locations,
    join_report,
    location_indicators,
)
from locatiescan.registry import load_locations


@pytest.fixture(scope="module")
def table() -> pd.DataFrame:
    return gemeente_indicators()


@pytest.fixture(scope="module")
def nl_data(data_dir: Path) -> dict:
    return json.loads((data_dir / "cbs" / "nl_data.json").read_text(encoding="utf-8"))["Gemeente"]


@pytest.fixture(scope="module")
def voorraad(data_dir: Path) -> pd.DataFrame:
    frame = pd.read_csv(
        data_dir / "woningbouw" / "cbs_woningvoorraad_gemeenten_2012-2020.csv", sep=";"
    )
    frame["RegioS"] = frame["RegioS"].str.strip()
    return frame


def test_one_row_per_2022_gemeente_with_every_indicator(table: pd.DataFrame) -> None:
    assert len(table) == 345 and table.index.name == "gemeentecode"
    assert set(INDICATORS) - {"aandeel_plancap_pct"} <= set(table.columns)
    assert table["inwoners"].notna().all()


def test_cbs_values_map_from_nl_data(table: pd.DataFrame, nl_data: dict) -> None:
    amsterdam = nl_data["GM0363"]
    row = table.loc["GM0363"]
    assert row["inwoners"] == amsterdam["Population"] == 873_338
    assert row["woz_gemiddeld"] == amsterdam["Housing"]["Avg WOZ value (x€1k)"]
    assert row["sociale_huur_pct"] == amsterdam["Housing"]["Social housing (%)"]
    assert row["bevolkingsdichtheid"] == amsterdam["Demographics"]["Population density (per km²)"]


def test_merged_gemeente_adds_up_its_predecessors(table: pd.DataFrame, nl_data: dict) -> None:
    # Dijk en Waard (2022) = Heerhugowaard 58,387 + Langedijk 28,335 inwoners
    assert table.loc["GM1980", "inwoners"] == 58_387 + 28_335
    hhw, lgd = nl_data["GM0398"], nl_data["GM0416"]
    woz = (
        58_387 * hhw["Housing"]["Avg WOZ value (x€1k)"]
        + 28_335 * lgd["Housing"]["Avg WOZ value (x€1k)"]
    ) / 86_722
    assert table.loc["GM1980", "woz_gemiddeld"] == pytest.approx(woz)
    # Purmerend 2022 = Purmerend 10,256 + Beemster 1,567 plancapaciteit (Data Bewijst, by name)
    assert table.loc["GM0439", "plancap_totaal"] == 10_256 + 1_567


def test_plancapaciteit_joins_by_name(table: pd.DataFrame) -> None:
    assert table.loc["GM0363", ["plancap_hard", "plancap_zacht", "plancap_totaal"]].tolist() == [
        59_450,
        166_185,
        225_635,
    ]
    assert table.loc["GM1900", "plancap_totaal"] == 2733  # "Súdwest Fryslân" vs "Súdwest-Fryslân"


def test_zuid_holland_plancapaciteit_is_unknown_with_a_reason(table: pd.DataFrame) -> None:
    rotterdam = table.loc["GM0599"]
    assert np.isnan(rotterdam["plancap_totaal"]) and np.isnan(rotterdam["plancap_hard"])
    assert "Zuid-Holland" in rotterdam["toelichting"]
    assert "GM0599" in join_report()["plancapaciteit"]["regional_only"]


def test_missing_rows_are_unknown_not_zero(table: pd.DataFrame) -> None:
    assert np.isnan(table.loc["GM0050", "plancap_totaal"])  # Zeewolde: no data, file says 0
    assert table.loc["GM0050", "toelichting"] == "plancapaciteit onbekend"
    assen = table.loc["GM0106"]  # Drenthe: totals only
    assert assen["plancap_totaal"] == 4200 and np.isnan(assen["plancap_hard"])


def test_woningvoorraad_and_nieuwbouw(table: pd.DataFrame, voorraad: pd.DataFrame) -> None:
    amsterdam = voorraad[voorraad["RegioS"] == "GM0363"].set_index("Perioden")
    assert table.loc["GM0363", "woningvoorraad"] == amsterdam.loc["2020JJ00", "EindstandVoorraad_8"]
    years = [f"{y}JJ00" for y in range(2016, 2021)]
    assert table.loc["GM0363", "nieuwbouw_per_jaar"] == pytest.approx(
        amsterdam.loc[years, "Nieuwbouw_2"].mean()
    )
    eemsdelta = voorraad[
        voorraad["RegioS"].isin(["GM0003", "GM0010", "GM0024"])
        & (voorraad["Perioden"] == "2020JJ00")
    ]
    assert table.loc["GM1979", "woningvoorraad"] == eemsdelta["EindstandVoorraad_8"].sum()
    assert np.isnan(table.loc["GM1963", "nieuwbouw_per_jaar"])  # Hoeksche Waard exists since 2019


def test_join_report_names_rows_that_fail_to_join() -> None:
    report = join_report()
    assert [item["bron"] for item in report["plancapaciteit"]["unjoined"]] == ["Haaren"]
    assert [item["bron"] for item in report["woningvoorraad"]["unjoined"]] == ["GM0788"]
    assert report["nl_data"]["unjoined"] == [] and report["nl_data"]["joined"] == 345
    assert len(report["plancapaciteit"]["regional_only"]) == 52
    assert "GM0050" in report["missing"]["plancap_totaal"]


def test_gemeente_names_normalise() -> None:
    assert name_key("'s-Gravenhage") == name_key("Den Haag") == name_key(" 'S-GRAVENHAGE ")
    assert name_key("Súdwest Fryslân") == name_key("Súdwest-Fryslân") == name_key("Sudwest-Fryslan")
    gemeenten = load_gemeenten()
    names = pd.Series(["Bergen", "Bergen", "Bergen (L)", "Nuenen c.a.", "Atlantis"])
    provincies = pd.Series(["Noord-Holland", "Limburg  ", "Limburg", "Noord-Brabant", "Zeeland"])
    matched = match_names(names, gemeenten, provincies)
    assert matched["gemeentecode"].tolist()[:4] == ["GM0373", "GM0893", "GM0893", "GM0820"]
    assert pd.isna(matched["gemeentecode"].iloc[4]) and "Atlantis" in matched["reden"].iloc[4]
    ambiguous = match_names(pd.Series(["Bergen"]), gemeenten)
    assert pd.isna(ambiguous["gemeentecode"].iloc[0]) and "meerdere" in ambiguous["reden"].iloc[0]


def test_an_incomplete_merger_is_not_a_partial_sum() -> None:
    gemeenten = load_gemeenten()
    names = pd.Series(["Heerhugowaard", "Almere"])
    matched = complete_mergers(match_names(names, gemeenten), names.map(name_key))
    assert pd.isna(matched.loc[0, "gemeentecode"]) and "Langedijk" in matched.loc[0, "reden"]
    assert matched.loc[1, "gemeentecode"] == "GM0034"


def test_combine_sums_counts_and_weights_by_inwoners() -> None:
    rows = pd.DataFrame(
        {
            "inwoners": [100.0, 300.0],
            "koop_pct": [50.0, 70.0],
            "bevolkingsdichtheid": [1000.0, 100.0],
            "plancap_totaal": [10.0, 20.0],
        }
    )
    result = combine(rows, pd.Series(["L", "L"])).loc["L"]
    assert result["inwoners"] == 400
    assert result["koop_pct"] == pytest.approx((100 * 50 + 300 * 70) / 400)  # 65
    assert result["bevolkingsdichtheid"] == pytest.approx(
        400 / (0.1 + 3.0)
    )  # total inwoners / total km2
    assert result["plancap_totaal"] == 30


def test_combine_with_a_missing_part_is_unknown() -> None:
    rows = pd.DataFrame(
        {"inwoners": [100.0, 300.0], "koop_pct": [50.0, np.nan], "plancap_totaal": [np.nan, 20.0]}
    )
    result = combine(rows, pd.Series(["L", "L"])).loc["L"]
    assert (
        np.isnan(result["koop_pct"])
        and np.isnan(result["plancap_totaal"])
        and result["inwoners"] == 400
    )


def test_indicators_for_policy_locations(table: pd.DataFrame) -> None:
    locations = load_locations()
    result = indicators_for_locations(locations)
    assert list(result.columns) == list(INDICATORS) and result.index.name == "id"
    assert list(result.index) == list(locations["id"])
    # KL-01 Purmerend-Oostflank: 5,800 woningen / 11,823 plancapaciteit
    assert result.loc["KL-01", "aandeel_plancap_pct"] == pytest.approx(5800 / 11823 * 100)
    # DB-03 Utrecht + Nieuwegein: inwoners add up
    assert (
        result.loc["DB-03", "inwoners"]
        == table.loc["GM0344", "inwoners"] + table.loc["GM0356", "inwoners"]
    )
    assert np.isnan(result.loc["DB-09", "plancap_totaal"]) and np.isnan(
        result.loc["DB-09", "aandeel_plancap_pct"]
    )
    assert np.isnan(result.loc["KL-05", "aandeel_plancap_pct"])  # Haarlem: woningen unknown


def test_locations_with_unknown_or_no_gemeente_get_nan(table: pd.DataFrame) -> None:
    locations = pd.DataFrame(
        {
            "id": ["A", "B", "C"],
            "gemeentecodes": ["GM0363;GM9999", None, "GM0363"],
            "woningen": [1, 2, pd.NA],
        }
    )
    result = location_indicators(locations, table)
    assert result.loc[["A", "B"]].isna().all().all()
    assert result.loc["C", "inwoners"] == 873_338 and np.isnan(
        result.loc["C", "aandeel_plancap_pct"]
    )


def test_locations_without_required_columns_are_an_input_error(table: pd.DataFrame) -> None:
    with pytest.raises(InputError) as info:
        location_indicators(pd.DataFrame({"id": ["A"]}), table)
    assert "gemeentecodes" in info.value.en and "woningen" in info.value.nl
