"""How numbers are written and read on the pages (`registrering.talformat`)."""

from __future__ import annotations

from decimal import Decimal

import pytest

from registrering.talformat import decimaltal, las_decimaltal, tal


@pytest.mark.parametrize(
    ("varde", "text"),
    [
        (Decimal("0.31"), "0,31"),
        (Decimal("2.025"), "2,03"),  # half up
        (Decimal("1234.5"), "1\xa0234,50"),
        (Decimal("-0.05"), "−0,05"),
        (Decimal("7"), "7,00"),
    ],
)
def test_decimaltal(varde, text):
    assert decimaltal(varde) == text


def test_decimaltal_med_en_decimal():
    assert decimaltal(Decimal("20.67"), 1) == "20,7"


def test_tal_och_las_decimaltal():
    assert tal(1873) == "1\xa0873"
    assert tal(-3) == "−3"
    assert las_decimaltal("20,67 %") == Decimal("20.67")
    with pytest.raises(ValueError, match="Ange ett tal"):
        las_decimaltal("tjugo")
