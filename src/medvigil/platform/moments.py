"""A moment given over the API is stored in UTC, so every database can hold it.

Python accepts UTC offsets up to ±23:59; PostgreSQL refuses a timestamp whose
offset is past ±15:59 (a server error, not a refusal). Converted on input, the
offset never reaches the database; a moment that leaves the calendar once
converted is refused (422).
"""

from __future__ import annotations

import datetime
from typing import Annotated

from pydantic import AfterValidator


def in_utc(value: datetime.datetime) -> datetime.datetime:
    if value.tzinfo is None:
        return value
    try:
        return value.astimezone(datetime.UTC)
    except OverflowError:
        raise ValueError("This moment is outside the calendar once converted to UTC.") from None


Moment = Annotated[datetime.datetime, AfterValidator(in_utc)]
