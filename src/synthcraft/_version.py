"""The package version, read from the installed distribution."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("synthcraft")
except PackageNotFoundError:  # running from a source tree without an install
    __version__ = "0.0.0+unknown"
