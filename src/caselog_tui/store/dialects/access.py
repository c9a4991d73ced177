"""How a store can be opened: every dialect answers `access_for` with one of
these."""

READ_WRITE = "rw"
READ_ONLY = "ro"  # readable, not writable by this user
IMMUTABLE = "immutable"  # read-only, read as it stands (SQLite: no -shm can be made)
