"""The typed exceptions of sbomscan.

Library callers catch :class:`SbomscanError` (or a subclass) and never see a bare
``KeyError`` or ``UnicodeDecodeError`` from bad input. The CLI catches that one base
class in one place, prints :meth:`SbomscanError.diagnostic` on one line and exits 2.

>>> e = MalformedSbomError("bom.json", "expected an array", pointer="/components/3")
>>> str(e)
'bom.json: /components/3: expected an array'
>>> isinstance(e, IngestError)
True
"""

from __future__ import annotations


class SbomscanError(Exception):
    """Base class of every error sbomscan raises on purpose."""

    def diagnostic(self) -> str:
        """One line for a person: what went wrong, where, and (if known) what to do."""
        return str(self)


class IngestError(SbomscanError):
    """An input could not be read as an SBOM.

    ``source`` names the file (or ``<stdin>``, ``<bytes>``); ``location`` is a JSON
    pointer, ``line N[, column M]`` or an element path, when known.
    """

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        pointer: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.source = source
        self.reason = reason
        self.pointer = pointer
        self.line = line
        self.column = column
        super().__init__(self._render())

    @property
    def location(self) -> str | None:
        """Where in the file, as one string, or ``None``."""
        if self.pointer is not None:
            return self.pointer or "/"
        if self.line is not None:
            return f"line {self.line}" + (f", column {self.column}" if self.column else "")
        return None

    def _render(self) -> str:
        where = self.location
        return f"{self.source}: {where}: {self.reason}" if where else f"{self.source}: {self.reason}"


class UnsupportedFormatError(IngestError):
    """The input is readable but is not CycloneDX or SPDX; ``reason`` says what it looked like."""


class MalformedSbomError(IngestError):
    """The input claims to be CycloneDX or SPDX but breaks the format (or, with ``strict``,
    its schema) in a way that stops it from being read."""


class InputTooLargeError(IngestError):
    """The input is larger than the configured size limit (``max_bytes``)."""


class NotRegularFileError(IngestError):
    """The path names a directory, a FIFO, a device or a socket: refused without reading,
    since reading one may block forever or never end."""


class _DataFileError(SbomscanError):
    """A data file given by the user (entities, waivers) is invalid: ``source`` names the
    file, ``pointer`` the JSON pointer of the bad value (``/`` for the whole file)."""

    def __init__(self, source: str, reason: str, *, pointer: str | None = None) -> None:
        self.source = source
        self.reason = reason
        self.pointer = pointer
        where = f"{pointer or '/'}: " if pointer is not None else ""
        super().__init__(f"{source}: {where}{reason}")


class EntityDataError(_DataFileError):
    """An entity database (the shipped one or a user's overlay) is invalid.

    ``source`` names the file, ``pointer`` the JSON pointer of the bad value.
    """


class WaiverError(_DataFileError):
    """A waivers file is invalid; the message names the file, the place and the problem."""


class UsageError(SbomscanError):
    """A caller asked for something that cannot be done (an unknown entity id, a bad date)."""


class AttestationError(SbomscanError):
    """An attestation cannot be read or is not one sbomscan checks (not JSON, not an in-toto
    Statement or DSSE envelope, an unknown predicate type); the message names the file."""


class PortfolioError(SbomscanError):
    """A portfolio store cannot be used as asked: not an sbomscan store, written by a newer
    sbomscan, damaged, or no such submission; the message names the store file."""
