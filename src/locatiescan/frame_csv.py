"""CSV of a table, the same bytes `DataFrame.to_csv(index=False)` gives in UTF-8, built in Arrow.

pandas formats a wide table of text cell by cell in Python (0,7 s for the 4.390 × 143
screening table); here every column becomes an Arrow string array (numbers formatted the way
pandas formats them, cells quoted the way Python's csv module quotes them) and Arrow joins the
rows. Tables with a column type whose pandas text this does not reproduce (dates, periods,
categoricals, nullable numbers such as Int64...) or with a single column are written by
pandas itself.
"""

from __future__ import annotations

import csv
import io

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

_PLAIN_KINDS = "fiub"  # float, int, unsigned, bool: numpy's text is pandas' text
_TYPE = pa.large_string()


def _scalar(text: str) -> pa.Scalar:
    return pa.scalar(text, _TYPE)


def _special_characters() -> str:
    """The characters that make Python's csv writer quote a cell (delimiter, quote, newline
    and, depending on the Python version, carriage return)."""
    probe = io.StringIO()
    csv.writer(probe, lineterminator="\n").writerow(["\r", "x"])
    return ',"\n' + ("\r" if probe.getvalue().startswith('"') else "")


_QUOTE_WHEN = f"[{_special_characters()}]"  # RE2 reads the characters literally in a class


def _is_text(series: pd.Series) -> bool:
    return isinstance(series.dtype, pd.StringDtype) or series.dtype == object


def _supported(frame: pd.DataFrame) -> bool:
    if frame.shape[1] < 2 or isinstance(frame.columns, pd.MultiIndex):
        return False
    return all(
        _is_text(frame.iloc[:, i])
        or (
            isinstance(frame.dtypes.iloc[i], np.dtype) and frame.dtypes.iloc[i].kind in _PLAIN_KINDS
        )
        for i in range(frame.shape[1])
    )


# Python number types whose `str` is numpy's text of the same value as this numpy type
_AS_NUMPY = {
    float: np.float64,
    np.float64: np.float64,
    int: np.int64,
    np.int64: np.int64,
    bool: np.bool_,
    np.bool_: np.bool_,
}


def _text(series: pd.Series) -> pa.Array:
    """A column as text (null for a missing value): numbers in numpy's text, which is what
    pandas writes; other objects as `str` gives them, as Python's csv writer does."""
    if isinstance(series.dtype, pd.StringDtype):
        arrow = pa.array(series)
        if isinstance(arrow, pa.ChunkedArray):  # a column built by concatenation
            arrow = arrow.combine_chunks()
        return arrow.cast(_TYPE)
    missing = series.isna().to_numpy()
    values = series.to_numpy()
    if series.dtype == object:
        if pd.api.types.infer_dtype(values, skipna=True) in ("string", "empty"):
            return pa.array(values, type=_TYPE, from_pandas=True)
        typed = _as_numpy(values, missing)
        if typed is None:
            text = [
                None if m else v if isinstance(v, str) else str(v) for v, m in zip(values, missing)
            ]
            return pa.array(text, type=_TYPE)
        values = typed
    if values.dtype.kind == "f":  # by bit pattern, so -0.0 keeps its own text
        bits, positions = np.unique(values.view(f"i{values.itemsize}"), return_inverse=True)
        distinct = bits.view(values.dtype)
    else:
        distinct, positions = np.unique(values, return_inverse=True)
    text = pc.take(pa.array(distinct.astype(str), type=_TYPE), pa.array(positions.ravel()))
    return pc.if_else(pa.array(missing), pa.scalar(None, _TYPE), text) if missing.any() else text


def _as_numpy(values: np.ndarray, missing: np.ndarray) -> np.ndarray | None:
    """An object column of one number type (floats, ints or booleans, missing cells aside) as
    a numpy array of that type; None for anything else (mixed types, text, float32...)."""
    kinds = {_AS_NUMPY.get(type(v)) for v in values[~missing]}
    if len(kinds) != 1 or None in kinds:
        return None
    try:
        return np.where(missing, 0, values).astype(kinds.pop())
    except OverflowError:  # an int beyond 64 bits
        return None


def _quoted(text: pa.Array) -> pa.Array:
    """Cells quoted (inner quotes doubled) where Python's csv writer quotes them; decided once
    per distinct value, as a column often repeats one text on every row."""
    encoded = pc.dictionary_encode(text)
    values = encoded.dictionary
    needs = pc.match_substring_regex(values, _QUOTE_WHEN)
    if pc.any(needs).as_py():
        escaped = pc.replace_substring(values, '"', '""')
        values = pc.if_else(
            needs,
            pc.binary_join_element_wise(_scalar('"'), escaped, _scalar('"'), _scalar("")),
            values,
        )
    return pc.take(values, encoded.indices)


def frame_csv(frame: pd.DataFrame) -> bytes:
    """`frame.to_csv(index=False)` in UTF-8, byte for byte."""
    if not _supported(frame):
        return frame.to_csv(index=False).encode("utf-8")
    header = io.StringIO()
    csv.writer(header, lineterminator="\n").writerow([str(c) for c in frame.columns])
    if frame.empty:
        return header.getvalue().encode("utf-8")
    columns = []
    for i in range(frame.shape[1]):
        series = frame.iloc[:, i]
        columns.append(_quoted(_text(series)) if _is_text(series) else _text(series))
    rows = pc.binary_join_element_wise(*columns, _scalar(","), null_handling="replace")
    lines = pa.LargeListArray.from_arrays(pa.array([0, len(rows)], pa.int64()), rows)
    body = pc.binary_join(lines, _scalar("\n"))[0].as_buffer()
    return b"".join([header.getvalue().encode("utf-8"), body, b"\n"])
