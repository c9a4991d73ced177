"""Where a case log lives: a file (a path) or a PostgreSQL server (a URL).
`--db` and CASELOG_DB take either; these rules tell them apart, the same
for the CLI, the settings and the store."""

from __future__ import annotations

import re
from pathlib import Path

# A URL's scheme: letters first, then letters, digits, "+", "-" or ".".
_URL = re.compile(r"([A-Za-z][A-Za-z0-9+.\-]*)://")
SERVER_SCHEMES = ("postgresql", "postgres")

Location = Path | str
"""A case log file's path, or a server's URL (always a `str`)."""


def url_scheme(value: str) -> str | None:
    """The scheme of `value` if it is written as a URL ("postgresql" for
    postgresql://host/db), else None: it names a file."""
    found = _URL.match(value.strip())
    return found.group(1).lower() if found else None


def is_server_url(value: str) -> bool:
    """Whether `value` names a PostgreSQL server (postgresql://,
    postgres://, or postgresql+DRIVER://)."""
    scheme = url_scheme(value)
    return scheme is not None and scheme.split("+", 1)[0] in SERVER_SCHEMES


def location(value: str) -> Location:
    """`value` as --db means it: a URL stays text, anything else is a path."""
    return value.strip() if url_scheme(value) else Path(value).expanduser()
