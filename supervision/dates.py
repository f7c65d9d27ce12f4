"""The days the supervision pages accept: a date typed into a form or put into an address must
lie within years a school's records can hold. A year such as 0001 or 9999 would otherwise
overflow when a time zone or a week is added to it."""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

EARLIEST = datetime.date(2000, 1, 1)
LATEST = datetime.date(2099, 12, 31)


def validate_plausible_day(day: datetime.date) -> None:
    if not EARLIEST <= day <= LATEST:
        raise ValidationError(
            _("Enter a date between the years %(first)d and %(last)d.")
            % {"first": EARLIEST.year, "last": LATEST.year},
            code="implausible_date",
        )


def day_from_query(value: str) -> datetime.date | None:
    """A day from the query string (YYYY-MM-DD); None for anything else, an implausible year
    included."""
    try:
        day = datetime.date.fromisoformat(value)
    except ValueError:
        return None
    return day if EARLIEST <= day <= LATEST else None
