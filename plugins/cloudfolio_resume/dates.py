"""Resume dates as authors write them: "January 2022", "Jan 2022", "2022-01", "2022" or "present".

Each keeps its precision, so JSON Resume gets "2022-01" or "2022", never an invented day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

PRESENT = "present"
_MONTHS = {name.lower(): number for number, name in enumerate(calendar.month_name) if name}
_MONTHS |= {name.lower(): number for number, name in enumerate(calendar.month_abbr) if name}
_ISO = re.compile(r"^(\d{4})(?:-(\d{2}))?$")
_WORDS = re.compile(r"^([A-Za-z]+)\.?\s+(\d{4})$")
# "2019 - 2021" with an en dash (as Markdown authors type it), an em dash, or a hyphen between
# spaces ("2022-01" alone is a date, not a range).
DASHES = "\u2013\u2014"
RANGE_SEPARATOR = re.compile(rf"\s+[-{DASHES}]\s+|\s*[{DASHES}]\s*")
EXPECTED = '"January 2022", "Jan 2022", "2022-01" or "2022"'


class DateError(ValueError):
    """Text that is not a date in one of the accepted forms."""


@dataclass(frozen=True, order=True)
class PartialDate:
    year: int
    month: int | None = None

    def iso(self) -> str:
        return f"{self.year:04d}" if self.month is None else f"{self.year:04d}-{self.month:02d}"


def parse_date(text: str) -> PartialDate:
    value = text.strip()
    iso = _ISO.match(value)
    if iso:
        month = int(iso.group(2)) if iso.group(2) else None
        if month is not None and not 1 <= month <= 12:
            raise DateError(f'"{value}" has no month {month}; expected {EXPECTED}')
        return PartialDate(int(iso.group(1)), month)
    words = _WORDS.match(value)
    if words and words.group(1).lower() in _MONTHS:
        return PartialDate(int(words.group(2)), _MONTHS[words.group(1).lower()])
    raise DateError(f'"{value}" is not a date; expected {EXPECTED}')


def parse_range(text: str) -> tuple[PartialDate, PartialDate | None]:
    """`start - end`, `start - present` (any dash), or one date as both start and end."""
    parts = RANGE_SEPARATOR.split(text.strip())
    if len(parts) > 2:
        raise DateError(f'"{text}" has more than two dates; expected "start \u2013 end"')
    start = parse_date(parts[0])
    if len(parts) == 1:
        return start, start
    if parts[1].strip().lower() == PRESENT:
        return start, None
    end = parse_date(parts[1])
    if (end.year, end.month or 12) < (start.year, start.month or 1):
        raise DateError(f'"{text}" ends before it starts')
    return start, end
