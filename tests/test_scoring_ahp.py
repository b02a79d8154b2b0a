"""AHP weights and Saaty's consistency ratio, checked against matrices worked out by hand.

For a 3x3 reciprocal matrix [[1, a, b], [1/a, 1, c], [1/b, 1/c, 1]] the characteristic
equation reduces, with x = lambda - 1 and t = a*c/b, to x^3 - 3x - (t + 1/t) = 0, whose largest
root is x = t^(1/3) + t^(-1/3) (cube it: t + 1/t + 3x). So lambda_max = 1 + t^(1/3) + t^(-1/3);
the matrix is consistent exactly when t = 1 (lambda_max = 3).
"""

from __future__ import annotations

import pytest

from locatiescan.errors import InputError
from locatiescan.scoring.ahp import RANDOM_INDEX, ahp_weights


def test_consistent_matrix() -> None:
    # a = 2, b = 4, c = 2: t = 2*2/4 = 1, consistent; every column is proportional to (4, 2, 1)
    result = ahp_weights([[1, 2, 4], [1 / 2, 1, 2], [1 / 4, 1 / 2, 1]])
    assert result.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    assert result.lambda_max == pytest.approx(3.0)
    assert result.cr == pytest.approx(0.0, abs=1e-9)
    assert result.consistent and result.waarschuwing is None


def test_slightly_inconsistent_matrix() -> None:
    # a = 2, b = 5, c = 3: t = 6/5 = 1.2; 1.2^(1/3) = 1.062659, 1.2^(-1/3) = 0.941036
    # lambda_max = 3.003695; CI = 0.003695/2 = 0.0018473; CR = 0.0018473/0.58 = 0.003185
    # eigenvector with w3 = 1 and x = lambda - 1 = 2.003695:
    #   -x w1 + 2 w2 + 5 = 0 and w1/2 - x w2 + 3 = 0  ->  w2 = (5 + 6x)/(2x^2 - 2) = 2.823107,
    #   w1 = 2x w2 - 6 = 5.313290; sum 9.136397 -> (0.581552, 0.308996, 0.109452)
    result = ahp_weights([[1, 2, 5], [1 / 2, 1, 3], [1 / 5, 1 / 3, 1]])
    assert result.lambda_max == pytest.approx(3.003695, abs=1e-6)
    assert result.ci == pytest.approx(0.0018473, abs=1e-7)
    assert result.cr == pytest.approx(0.003185, abs=1e-6)
    assert result.weights == pytest.approx((0.581552, 0.308996, 0.109452), abs=1e-6)
    assert result.consistent


def test_inconsistent_matrix_warns() -> None:
    # a = 4, b = 2, c = 4: t = 8; 8^(1/3) = 2: lambda_max = 1 + 2 + 1/2 = 3.5
    # CI = 0.5/2 = 0.25; CR = 0.25/0.58 = 0.4310 > 0.10
    # with w3 = 1: -2.5 w1 + 4 w2 + 2 = 0, w1/4 - 2.5 w2 + 4 = 0 -> w2 = 2, w1 = 4 -> (4, 2, 1)/7
    result = ahp_weights([[1, 4, 2], [1 / 4, 1, 4], [1 / 2, 1 / 4, 1]])
    assert result.lambda_max == pytest.approx(3.5)
    assert result.cr == pytest.approx(0.25 / 0.58)
    assert result.weights == pytest.approx((4 / 7, 2 / 7, 1 / 7))
    assert not result.consistent
    assert result.waarschuwing.startswith(
        "De vergelijkingen zijn niet consistent genoeg (consistentieratio 0,43"
    )


def test_two_items_and_saaty_table() -> None:
    # 3 against 1: weights 3/4 and 1/4; a 2x2 reciprocal matrix is always consistent
    result = ahp_weights([[1, 3], [1 / 3, 1]])
    assert result.weights == pytest.approx((0.75, 0.25))
    assert result.cr == 0.0
    assert [RANDOM_INDEX[n] for n in range(3, 11)] == [
        0.58, 0.90, 1.12, 1.24, 1.32, 1.41, 1.45, 1.49,
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("matrix", "fragment"),
    [
        ([[1, 2], [2, 1]], "a[j][i] = 1 / a[i][j]"),
        ([[2, 1], [1, 0.5]], "ones on the diagonal"),
        ([[1, -1], [-1, 1]], "above 0"),
        ([[1, float("inf")], [0, 1]], "finite"),
        ([[1, 2, 3]], "square"),
        ([["a"]], "must be numbers"),
    ],
)
def test_bad_matrices(matrix: object, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment.replace("[", r"\[").replace("]", r"\]")):
        ahp_weights(matrix)
