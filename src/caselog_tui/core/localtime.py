"""The computer's local time as a `tzinfo` that follows its summer-time rules.

`datetime.now().astimezone().tzinfo` is a fixed offset taken at start-up: in
November it would show a July case an hour off, and a "from" date filter would
start an hour early. This asks the operating system for the offset in force
at each moment instead.
"""

from __future__ import annotations

import math
import time
from datetime import datetime, timedelta, tzinfo

_EPOCH = datetime(1970, 1, 1)


class SystemLocalTime(tzinfo):
    def fromutc(self, dt: datetime) -> datetime:
        seconds = math.floor((dt.replace(tzinfo=None) - _EPOCH).total_seconds())
        return dt + timedelta(seconds=_local_at(seconds).tm_gmtoff)

    def utcoffset(self, dt: datetime | None) -> timedelta:
        return timedelta(seconds=self._wall(dt).tm_gmtoff)

    def dst(self, dt: datetime | None) -> timedelta:
        local = self._wall(dt)
        if local.tm_isdst <= 0:
            return timedelta(0)
        return timedelta(seconds=local.tm_gmtoff + time.timezone)

    def tzname(self, dt: datetime | None) -> str:
        return self._wall(dt).tm_zone

    def _wall(self, dt: datetime | None) -> time.struct_time:
        """The local time details for a wall-clock time in this zone."""
        if dt is None:
            return time.localtime()
        fields = (dt.year, dt.month, dt.day, dt.hour, dt.minute, dt.second, 0, 0, -1)
        try:
            return time.localtime(time.mktime(fields))
        except (OverflowError, OSError, ValueError):
            return time.localtime()

    def __repr__(self) -> str:
        return "SystemLocalTime()"


def _local_at(seconds: int) -> time.struct_time:
    try:
        return time.localtime(seconds)
    except (OverflowError, OSError, ValueError):
        return time.localtime()
