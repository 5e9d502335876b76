"""Local times of a programme's city, and the UTC instants they stand for.

Coordinators type times as the clock on the wall of the venue shows them; the database keeps
UTC. Two local times need care on days when the clocks change: a time in the spring gap never
happens, and a time in the autumn overlap happens twice. Both are refused with a message rather
than guessed.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from flask_babel import lazy_gettext as _l

from app.errors import DomainError


def zone(name: str) -> ZoneInfo:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise DomainError(
            _l("“%(zone)s” is not a known IANA time zone.", zone=name), field="time_zone"
        ) from error


def local_to_utc(local: datetime, zone_name: str, *, field: str | None = None) -> datetime:
    """The UTC instant of a wall-clock time in ``zone_name`` (``local`` is naive)."""
    tz = zone(zone_name)
    first = local.replace(tzinfo=tz, fold=0)
    instant = first.astimezone(UTC)
    exists = instant.astimezone(tz).replace(tzinfo=None) == local
    if not exists:
        raise DomainError(_l("%(time)s does not exist that day in %(zone)s (the clocks go "
                             "forward); choose another time.", time=local.strftime("%H:%M"),
                             zone=zone_name), field=field)
    if first.utcoffset() != local.replace(tzinfo=tz, fold=1).utcoffset():
        raise DomainError(_l("%(time)s happens twice that day in %(zone)s (the clocks go back); "
                             "choose another time.", time=local.strftime("%H:%M"), zone=zone_name),
                          field=field)
    return instant


def utc_to_local(instant: datetime, zone_name: str) -> datetime:
    return instant.astimezone(zone(zone_name))


def day_bounds(first: date, last: date, zone_name: str) -> tuple[datetime, datetime]:
    """From midnight starting ``first`` to midnight ending ``last``, local, as UTC instants."""
    tz = zone(zone_name)
    start = datetime.combine(first, time.min, tzinfo=tz).astimezone(UTC)
    end = datetime.combine(last + timedelta(days=1), time.min, tzinfo=tz).astimezone(UTC)
    return start, end
