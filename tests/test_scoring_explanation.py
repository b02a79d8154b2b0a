"""The explanation table is compact (categorical text, shared strings) and reads as before."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from locatiescan.indicators import indicators_for_locations
from locatiescan.paths import SCORING_DIR
from locatiescan.registry import load_locations
from locatiescan.scoring import ScoringInput, load_model, score
from locatiescan.screening import screen_locations

TEXT_COLUMNS = ["pijler", "criterium", "label", "bron", "regel", "status", "reden"]


@pytest.fixture(scope="module")
def result():
    """Kansrijk Bouwen on the real policy locations, screened offline, with indicators."""
    locations = load_locations()
    screening = screen_locations(
        locations, ["natura2000", "netcongestie", "water_bodem"], online=False
    )
    model = load_model(SCORING_DIR / "kansrijk_bouwen.yaml")
    return score(model, ScoringInput(locations, screening, indicators_for_locations(locations)))


def test_bytes_per_row_are_bounded(result) -> None:
    rows = result.explanation
    n_items = len(list(result.model.criteria())) + len(result.model.bonus)
    assert len(rows) == len(result.table) * n_items
    for column in TEXT_COLUMNS:
        assert isinstance(rows[column].dtype, pd.CategoricalDtype), column
    # per row: id 8 (a pointer) + waarde 8 + punten, max_punten, gewicht, bijdrage 4 x 8 = 48
    # bytes, plus one byte of category code per text column (the categories are stored once)
    assert rows.drop(columns=TEXT_COLUMNS).memory_usage(index=False).sum() == 48 * len(rows)
    assert [rows[column].cat.codes.dtype.itemsize for column in TEXT_COLUMNS] == [1] * 7


def test_location_ids_share_one_string_per_location(result) -> None:
    ids = result.explanation["id"]
    assert ids.map(id).nunique() == len(result.table)  # not one copy per row


def test_missing_rule_and_reason_follow_the_status(result) -> None:
    rows = result.explanation
    assert list(rows["status"].cat.categories) == ["ok", "onbekend"]
    unknown = (rows["status"] == "onbekend").to_numpy()
    assert unknown.any() and (~unknown).any()
    np.testing.assert_array_equal(rows["regel"].isna().to_numpy(), unknown)
    np.testing.assert_array_equal(rows["reden"].isna().to_numpy(), ~unknown)


def test_records_carry_plain_values(result) -> None:
    for record in result.records():
        for item in record["criteria"]:
            for key in ("pijler", "id", "label", "bron", "status"):
                assert type(item[key]) is str, (key, item[key])
            if item["status"] == "ok":
                assert type(item["regel"]) is str and item["reden"] is None
            else:
                assert item["regel"] is None and type(item["reden"]) is str
