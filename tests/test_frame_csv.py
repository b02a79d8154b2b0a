"""The CSV writer gives exactly what pandas' `to_csv(index=False)` gives (the CLI's CSV did not
change when it moved to Arrow), including quoting, numbers, booleans and missing values."""

from __future__ import annotations

import numpy as np
import pandas as pd

from locatiescan.frame_csv import frame_csv

TRICKY_TEXT = ["x,y", 'q"t', "l\nb", "c\rr", " lead", "", None, "é ü", "plain", "'s"]


def tricky_frame() -> pd.DataFrame:
    n = len(TRICKY_TEXT)
    return pd.DataFrame(
        {
            "tekst": pd.Series(TRICKY_TEXT, dtype=object),
            "str": pd.concat(  # two Arrow chunks, as a concatenated column has
                [pd.Series(TRICKY_TEXT[:4], dtype="str"), pd.Series(TRICKY_TEXT[4:], dtype="str")],
                ignore_index=True,
            ),
            "getal": [100.0, np.nan, -0.0, 0.0, 1e-05, 1e16, 0.1 + 0.2, 2.5, -3.0, 12345.678],
            "geheel": np.arange(n, dtype="int64") - 3,
            "waar": [True, False] * (n // 2),
            "gemengd": pd.Series([1, True, 1.0, "x", None, np.nan, 0, False, "a,b", 7.5]),
            "kop, met komma": ["k"] * n,
            "obj_getal": pd.Series(
                [1e16, None, -0.0, 1e-05, 100.0, 0.1 + 0.2, np.nan, 2.5, 7.0, -1.0], dtype=object
            ),
            "obj_geheel": pd.Series([1, None, 3, -4, 2**62, 0, 7, 8, 9, 10], dtype=object),
            "obj_groot": pd.Series([2**70, None, 3, 4, 5, 6, 7, 8, 9, 10], dtype=object),
            "obj_waar": pd.Series(
                [True, None, False, True, np.bool_(False), True, False, True, True, None],
                dtype=object,
            ),
            "obj_float32": pd.Series(
                [np.float32(0.1), None] + [np.float32(2.5)] * (n - 2), dtype=object
            ),
        }
    )


def test_a_small_table_by_hand() -> None:
    frame = pd.DataFrame(
        {"a": ["x,y", 'q"t', None], "b": [1.0, np.nan, 2.5], "c": [True, False, True]}
    )
    assert frame_csv(frame) == b'a,b,c\n"x,y",1.0,True\n"q""t",,False\n,2.5,True\n'


def test_tricky_values_are_written_as_pandas_writes_them() -> None:
    frame = tricky_frame()
    assert frame_csv(frame) == frame.to_csv(index=False).encode("utf-8")


def test_one_text_on_every_row_and_many_rows() -> None:
    rows = 5_000
    frame = pd.DataFrame(
        {
            "id": [f"L{i}" for i in range(rows)],
            "bron": ['bestand "x.gpkg", 2024'] * rows,
            "waarde": np.linspace(0, 1, rows),
        }
    )
    assert frame_csv(frame) == frame.to_csv(index=False).encode("utf-8")


def test_tables_it_does_not_reproduce_are_written_by_pandas() -> None:
    dates = pd.DataFrame({"d": pd.to_datetime(["2026-01-01", "2026-07-30"]), "n": [1, 2]})
    single = pd.DataFrame({"a": [None, "x"]})  # csv quotes an empty only field: '""'
    empty = pd.DataFrame({"a": pd.Series([], dtype=object), "b": pd.Series([], dtype=float)})
    nullable = pd.DataFrame({"rang": pd.array([1, None], dtype="Int64"), "totaal": [2.0, 1.0]})
    for frame in (dates, single, empty, nullable):
        assert frame_csv(frame) == frame.to_csv(index=False).encode("utf-8")
    assert frame_csv(single) == b'a\n""\nx\n'
    assert frame_csv(nullable) == b"rang,totaal\n1,2.0\n,1.0\n"
