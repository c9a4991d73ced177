"""caselog-tui: track the cases you raised with Seller Support, in a terminal."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("caselog-tui")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0+unknown"
