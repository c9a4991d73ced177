"""Times as the seller reads them: in the case log's timezone, with its name,
because over SSH the server's zone may not be the seller's."""

from __future__ import annotations

from datetime import datetime, tzinfo


def local_time(moment: datetime, tz: tzinfo) -> str:
    """ "26 Nov 2026 12:00 UTC" """
    local = moment.astimezone(tz)
    zone = local.tzname() or ""
    return f"{local:%d %b %Y %H:%M} {zone}".rstrip()


def local_date(moment: datetime, tz: tzinfo) -> str:
    """ "26 Nov 2026" """
    return f"{moment.astimezone(tz):%d %b %Y}"
