"""AHP (Saaty's Analytic Hierarchy Process): weights from pairwise comparisons (pure).

`matrix[i][j]` says how much more important item i is than item j on Saaty's 1-9 scale
(1 equal, 3 somewhat, 5 clearly, 7 much, 9 extremely more important; 2, 4, 6, 8 in between;
a value below 1 is the reverse). The matrix is reciprocal: `matrix[j][i] = 1 / matrix[i][j]`,
with ones on the diagonal.

* weights: the principal right eigenvector of the matrix, scaled to sum to 1;
* `lambda_max`: its eigenvalue (>= n; equal to n exactly when the judgements are consistent,
  i.e. `a_ik = a_ij * a_jk` for all i, j, k);
* consistency index `CI = (lambda_max - n) / (n - 1)`, consistency ratio `CR = CI / RI(n)` with
  Saaty's random index RI (below); for n <= 2 every matrix is consistent and CR = 0.
  Above CR 0.10 the judgements contradict each other too much: revise them.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from locatiescan.errors import InputError

# Saaty's random consistency index by matrix size (Saaty 1980, Table 1.7).
RANDOM_INDEX = {1: 0.0, 2: 0.0, 3: 0.58, 4: 0.90, 5: 1.12, 6: 1.24, 7: 1.32, 8: 1.41, 9: 1.45}
RANDOM_INDEX |= {10: 1.49}
CR_LIMIT = 0.10
SCALE = (1, 2, 3, 4, 5, 6, 7, 8, 9)
_TOLERANCE = 1e-6


@dataclass(frozen=True)
class Ahp:
    """Weights (sum 1, in the matrix's order), lambda_max, CI, CR and a Dutch warning or None."""

    weights: tuple[float, ...]
    lambda_max: float
    ci: float
    cr: float

    @property
    def consistent(self) -> bool:
        """CR at most 0.10."""
        return self.cr <= CR_LIMIT

    @property
    def waarschuwing(self) -> str | None:
        """Dutch warning when CR is above 0.10."""
        if self.consistent:
            return None
        cr = f"{self.cr:.2f}".replace(".", ",")
        return (
            f"De vergelijkingen zijn niet consistent genoeg (consistentieratio {cr}, meer dan "
            "0,10): pas de oordelen aan die elkaar tegenspreken."
        )


def ahp_weights(matrix: object) -> Ahp:
    """Weights and consistency of a reciprocal pairwise comparison matrix (module docstring)."""
    a = _checked(matrix)
    n = len(a)
    values, vectors = np.linalg.eig(a)
    principal = int(np.argmax(values.real))
    vector = np.abs(vectors[:, principal].real)
    weights = vector / vector.sum()
    lambda_max = float(values[principal].real)
    ci = max(lambda_max - n, 0.0) / (n - 1) if n > 2 else 0.0
    cr = ci / RANDOM_INDEX[n] if n > 2 else 0.0
    return Ahp(tuple(float(w) for w in weights), lambda_max, ci, cr)


def _checked(matrix: object) -> np.ndarray:
    """The matrix as floats; `InputError` unless square, 1..10 items, positive, finite,
    ones on the diagonal and reciprocal."""
    try:
        a = np.asarray(matrix, dtype=float)
    except (TypeError, ValueError) as err:
        raise InputError(
            "the comparisons must be numbers", "de vergelijkingen moeten getallen zijn"
        ) from err
    n = a.shape[0] if a.ndim == 2 else 0
    if a.ndim != 2 or a.shape != (n, n) or not 1 <= n <= max(RANDOM_INDEX):
        msg = f"a pairwise comparison matrix is square with 1 to {max(RANDOM_INDEX)} rows"
        nl = f"een matrix van paarsgewijze vergelijkingen is vierkant met 1 tot {max(RANDOM_INDEX)} rijen"
        raise InputError(msg, nl)
    if not np.isfinite(a).all() or (a <= 0).any():
        msg = "every comparison must be a finite number above 0"
        raise InputError(msg, "elke vergelijking moet een eindig getal boven 0 zijn")
    if not np.allclose(np.diag(a), 1.0) or not np.allclose(a * a.T, 1.0, atol=_TOLERANCE):
        msg = "the matrix must have ones on the diagonal and a[j][i] = 1 / a[i][j]"
        nl = "de matrix heeft enen op de diagonaal en a[j][i] = 1 / a[i][j]"
        raise InputError(msg, nl)
    return a
