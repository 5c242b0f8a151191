import json
import os
from decimal import Decimal, ROUND_HALF_UP

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
SHARED = os.path.join(HERE, os.pardir, os.pardir, "shared")


def load_mazur_json():
    """The reference numbers: ../shared/textbook/mazur.json when present, else the bundled copy."""
    path = os.path.join(SHARED, "textbook", "mazur.json")
    if not os.path.exists(path):
        path = os.path.join(HERE, os.pardir, "neurograph", "textbook", "data", "mazur.json")
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def to_printed_digits(value, printed):
    """Round *value* to as many decimal places as the string *printed* shows (half up)."""
    places = len(printed.split(".")[1]) if "." in printed else 0
    d = value if isinstance(value, Decimal) else Decimal(repr(value))
    return str(d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


@pytest.fixture(scope="session")
def mazur_json():
    return load_mazur_json()
