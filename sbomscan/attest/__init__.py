"""The vendor's self-attestation: what was scanned, with which data, and what the scan found —
written, signed and checked.

- :mod:`~sbomscan.attest.record` — the earlier sbomscan record (version 2, ``--format record``);
- :mod:`~sbomscan.attest.intoto` — the attestation as an in-toto Statement v1 (the default);
- :mod:`~sbomscan.attest.dsse` — DSSE envelopes signed with Ed25519, and the keys;
- :mod:`~sbomscan.attest.verify` — ``sbomscan verify``: signature, subjects, outcome again.

Nothing is imported here, so that reading a statement's types does not load the signing
library (``cryptography``): import the module you need.
"""
