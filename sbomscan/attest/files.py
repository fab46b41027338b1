"""The small files that attestation work reads whole: signing keys and attestations.

Read bounded, and only when they are regular files: a FIFO or a device named as a key would
otherwise hang ``open`` or be read without end (:func:`sbomscan.ingest.open_regular` opens
without blocking and checks what it opened).
"""

from __future__ import annotations

from ..errors import IngestError, NotRegularFileError, SbomscanError
from ..ingest import open_regular

__all__ = ["read_small"]


def read_small(path: str, limit: int, what: str, error: type[SbomscanError]) -> bytes:
    """The bytes of ``path``, ``what`` (``"a key"``, ``"an attestation"``) of at most
    ``limit`` bytes; otherwise ``error`` with one line naming the file and the problem."""
    try:
        with open_regular(path, path) as fh:
            data = fh.read(limit + 1)
    except NotRegularFileError:
        raise error(f"{path}: cannot read {what}: not a regular file") from None
    except IngestError as exc:
        raise error(f"{path}: cannot read {what}: {exc.reason}") from None
    except OSError as exc:
        raise error(f"{path}: cannot read {what}: {(exc.strerror or str(exc)).lower()}") from None
    if len(data) > limit:
        raise error(f"{path}: not {what} (over {limit} bytes)")
    return data
