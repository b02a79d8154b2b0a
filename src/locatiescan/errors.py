"""Error family. Every error carries an English technical message and a Dutch user message.

The CLI prints both and exits 2 for `InputError` (bad user input) and 1 for anything else;
the app shows the Dutch message and keeps what the user already had.
"""

from __future__ import annotations


class LocatiescanError(Exception):
    """Base class: `str(err)` is English; `err.nl` is the Dutch message for the screen."""

    def __init__(self, en: str, nl: str | None = None) -> None:
        super().__init__(en)
        self.en = en
        self.nl = nl or en

    def bilingual(self) -> str:
        """Both messages, English first, for the command line."""
        return self.en if self.nl == self.en else f"{self.en}\n{self.nl}"


class InputError(LocatiescanError, ValueError):
    """The user's input (file, argument, answer) cannot be used."""


class ConfigError(InputError):
    """A configuration file (layer, scoring model, settings) is invalid."""


class DataRootError(LocatiescanError, FileNotFoundError):
    """The offline data root cannot be found."""


class SourceError(LocatiescanError, ConnectionError):
    """An online or offline data source failed."""


class SourceTimeoutError(SourceError):
    """A source did not answer in time."""


class SourceHTTPError(SourceError):
    """A source answered with an HTTP error status."""


class SourceExceptionReport(SourceError):
    """An OGC service answered with an ExceptionReport."""


class SourceParseError(SourceError):
    """A source answered with content that cannot be parsed."""


class SnapshotMissingError(SourceError, DataRootError):
    """An offline snapshot file is not in the data root: the layer is unknown, with this reason
    (a `SourceError`, so a screening carries on; still a `DataRootError` for callers of a file)."""
