"""Woondeal progress from the data root's numbers: CBS net additions, plancapaciteit 2021,
a typed-in target and imported later years; the chart is drawn from exactly these numbers."""

from __future__ import annotations

import pandas as pd
import pytest

from locatiescan.voortgang import (
    Doel,
    gemeente_gebied,
    load_config,
    load_plancapaciteit,
    load_woningvoorraad,
    png,
    provincie_gebied,
    woondeal_figuur,
    woondeal_voortgang,
    woondeal_xlsx,
)
from locatiescan.workspace import Workspace
from locatiescan.workspace.voortgang import (
    add_realisation,
    realisation,
    set_woondeal_target,
    woondeal_targets,
)

SCREENSHOTS = "test-artifacts/screenshots"
# woningbouw/cbs_woningvoorraad_gemeenten_2012-2020.csv, GM0034 (Almere), SaldoVoorraad_7:
ALMERE_NET = {
    2012: 854,
    2013: 721,
    2014: 644,
    2015: 747,
    2016: 861,
    2017: 1730,
    2018: 1849,
    2019: 1816,
    2020: 1282,
}


@pytest.fixture(scope="module")
def voorraad() -> pd.DataFrame:
    return load_woningvoorraad()


@pytest.fixture(scope="module")
def capaciteit() -> pd.DataFrame:
    return load_plancapaciteit()


def test_almere_numbers_behind_the_chart(voorraad, capaciteit, tmp_path):
    ws = Workspace.open(tmp_path / "ws.sqlite")
    set_woondeal_target(ws, "Almere", ["GM0034"], 2017, 2026, 10_000, "Anna", source="test")
    add_realisation(
        ws,
        pd.DataFrame({"gemeentecode": ["GM0034"], "jaar": [2021], "netto_toevoeging": [1500]}),
        "Anna",
        "import 2021",
    )
    target = woondeal_targets(ws).iloc[0]
    doel = Doel(int(target["woningen"]), int(target["jaar_van"]), int(target["jaar_tot"]))
    result = woondeal_voortgang(
        gemeente_gebied("GM0034"), voorraad, capaciteit, doel, realisation(ws)
    )
    years = result.jaren
    assert list(years.index) == list(range(2017, 2030))  # target start .. end of capacity 2029
    assert years.loc[2017:2020, "netto_toevoeging"].tolist() == [1730, 1849, 1816, 1282]
    assert years.loc[2021, "netto_toevoeging"] == 1500  # imported year
    assert years.loc[2021, "bron"] == "import werkruimte"
    # cumulative from 2017: 1730, 3579, 5395, 6677, + 1500 = 8177; unknown afterwards
    assert years.loc[2017:2021, "realisatie_cumulatief"].tolist() == [1730, 3579, 5395, 6677, 8177]
    assert years.loc[2022:, "realisatie_cumulatief"].isna().all()
    # target 10.000 over 2017-2026 = 1.000 a year
    assert years.loc[2021, "doel_cumulatief"] == 5000
    assert pd.isna(years.loc[2027, "doel_cumulatief"])
    cap = result.capaciteit.set_index("periode")
    # plancapaciteit_gemeenten_databewijst_2021.csv, Almere: h2020-2024 7938, z2021-2024 2990,
    # h2025-2029 6806, z2025-2029 8608, onbekend not reported (NA, not 0)
    assert cap.loc["2020–2024", ["hard", "zacht"]].tolist() == [7938, 2990]
    assert cap.loc["2025–2029", ["hard", "zacht"]].tolist() == [6806, 8608]
    assert cap["onbekend"].isna().all()
    assert (cap["basis"] == 5395).all()  # realised 2017-2019, before the first period (2020)
    summary = result.samenvatting()
    assert summary["t_m_jaar"] == 2021
    assert summary["achterstand"] == 5000 - 8177  # negative: ahead of the target
    assert summary["resterend"] == 10_000 - 8177
    assert summary["capaciteit_hard"] == 7938 + 6806 + 2223  # incl. h2030+
    image = png(woondeal_figuur(result))
    assert image[:8] == b"\x89PNG\r\n\x1a\n"


def test_flevoland_summed_per_provincie_names_the_gemeenten_without_capacity(voorraad, capaciteit):
    example = load_config().woondeal_voorbeelden[0]  # seed 004 lines 73-75, 123: 39.743
    doel = Doel(example.woningen, example.jaar_van, example.jaar_tot)
    result = woondeal_voortgang(provincie_gebied("Flevoland"), voorraad, capaciteit, doel)
    assert sorted(result.gebied.gemeentecodes) == sorted(example.gemeenten)
    # no realisation 2022+ in the data root: unknown, never 0
    assert result.jaren["realisatie_cumulatief"].isna().all()
    assert round(result.jaren.loc[2030, "doel_cumulatief"]) == 39_743
    cap = result.capaciteit.set_index("periode")
    assert cap.loc["2020–2024", "hard"] == 7938 + 2254 + 485  # Almere + Lelystad + Urk
    assert sorted(result.capaciteit_ontbreekt) == ["Dronten", "Noordoostpolder", "Zeewolde"]


def test_provincie_realisation_sums_its_gemeenten(voorraad, capaciteit, tmp_path):
    result = woondeal_voortgang(provincie_gebied("Flevoland"), voorraad, capaciteit)
    # 2020: Almere 1282 + Lelystad 349 + Zeewolde 159 + Noordoostpolder 202 + Urk 100
    # + Dronten 340 = 2432
    assert result.jaren.loc[2020, "netto_toevoeging"] == 2432
    almere = woondeal_voortgang(gemeente_gebied("GM0034"), voorraad, capaciteit)
    assert almere.jaren.loc[2012:2020, "netto_toevoeging"].tolist() == list(ALMERE_NET.values())
    assert almere.jaren.loc[2020, "realisatie_cumulatief"] == sum(ALMERE_NET.values())  # 10504
    workbook = woondeal_xlsx(almere)
    assert workbook[:2] == b"PK"
