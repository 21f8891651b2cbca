"""The fast JSON renderer writes the same bytes as DRF's own."""

import datetime
import uuid
import zoneinfo
from decimal import Decimal

from django.utils.translation import gettext_lazy
from rest_framework.exceptions import ErrorDetail
from rest_framework.renderers import JSONRenderer
from rest_framework.utils.serializer_helpers import ReturnDict, ReturnList

from sonitec.api.renderers import FastJSONRenderer

LONDON = zoneinfo.ZoneInfo("Europe/London")
DATA = ReturnDict(
    {
        "results": ReturnList([{"pay": Decimal("95000.50"), "name": "Łukasz “Lu” O'Neil\u2028next"}], serializer=None),
        "when": datetime.datetime(2026, 11, 25, 9, 30, tzinfo=datetime.UTC),
        "times": [
            datetime.datetime(2026, 11, 25, 9, 30, 1, 273060, tzinfo=LONDON),  # a zero offset in a named zone
            datetime.datetime(2026, 7, 1, 9, 30, tzinfo=LONDON),  # summer time
            datetime.datetime(2026, 3, 29, 0, 59, 59, 999999, tzinfo=datetime.UTC).astimezone(LONDON),
            datetime.datetime(2026, 11, 25, 9, 30, 0, 5),  # naive
            datetime.datetime(1, 1, 1, tzinfo=datetime.UTC),
            datetime.time(9, 30, 0, 250),
        ],
        "day": datetime.date(2026, 11, 25),
        "id": uuid.UUID("12345678-1234-5678-1234-567812345678"),
        "error": ErrorDetail("Bad value.", code="invalid"),
        "label": gettext_lazy("Sourced"),
        "nothing": None,
        "ratio": 0.25,
    },
    serializer=None,
)


def test_same_bytes_as_drf():
    assert FastJSONRenderer().render(DATA) == JSONRenderer().render(DATA)
    assert b"\\u2028" in FastJSONRenderer().render(DATA)


def test_an_empty_body_stays_empty():
    assert FastJSONRenderer().render(None) == JSONRenderer().render(None) == b""
