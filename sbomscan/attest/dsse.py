"""DSSE envelopes signed with Ed25519: how an attestation is signed and checked.

DSSE (Dead Simple Signing Envelope, github.com/secure-systems-lab/dsse, protocol v1.0.0)
signs the *pre-authentication encoding* of the payload and its type, never the JSON
envelope itself, so that the bytes signed are unambiguous and the payload type is
authenticated with them::

    PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body

where ``LEN`` is the byte length in ASCII decimal with no leading zeros and ``SP`` one
space. The envelope is ``{"payload": base64(body), "payloadType": type, "signatures":
[{"keyid": ..., "sig": base64(signature)}]}``; verifiers must accept standard and URL-safe
base64. sbomscan signs with Ed25519 (``cryptography``); the ``keyid`` is the sha256 of the
32 raw public-key bytes, a hint only (never trusted: every signature is checked against
the key the verifier was given).

>>> pae("http://example.com/HelloWorld", b"hello world")
b'DSSEv1 29 http://example.com/HelloWorld 11 hello world'
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import AttestationError, UsageError
from .files import read_small

__all__ = [
    "IN_TOTO_PAYLOAD_TYPE",
    "KEY_PASSPHRASE_ENV",
    "envelope_payload",
    "generate_key",
    "key_id",
    "load_private_key",
    "load_public_key",
    "pae",
    "sign_envelope",
    "verify_envelope",
]

IN_TOTO_PAYLOAD_TYPE = "application/vnd.in-toto+json"
"""The DSSE payload type of an in-toto Statement."""
KEY_PASSPHRASE_ENV = "SBOMSCAN_KEY_PASSPHRASE"
"""Environment variable holding the passphrase of an encrypted private key (never an option:
options end up in shell history and process lists)."""
MAX_KEY_BYTES = 64 * 1024


def pae(payload_type: str, body: bytes) -> bytes:
    """The DSSE v1 pre-authentication encoding of ``payload_type`` and ``body``: the bytes
    that are signed."""
    kind = payload_type.encode("utf-8")
    return b"DSSEv1 %d %b %d %b" % (len(kind), kind, len(body), body)


def key_id(public: Ed25519PublicKey) -> str:
    """``sha256:<hex>`` of the raw 32-byte public key: a hint for choosing a key, nothing more."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return "sha256:" + hashlib.sha256(raw).hexdigest()


def sign_envelope(
    body: bytes, key: Ed25519PrivateKey, payload_type: str = IN_TOTO_PAYLOAD_TYPE
) -> dict[str, Any]:
    """A DSSE envelope holding ``body``, signed with ``key``."""
    sig = key.sign(pae(payload_type, body))
    return {
        "payload": base64.b64encode(body).decode("ascii"),
        "payloadType": payload_type,
        "signatures": [{"keyid": key_id(key.public_key()), "sig": base64.b64encode(sig).decode("ascii")}],
    }


def _b64(text: Any, where: str, source: str) -> bytes:
    """Standard or URL-safe base64 (DSSE verifiers must accept both), strictly decoded."""
    if not isinstance(text, str):
        raise AttestationError(f"{source}: {where}: expected a base64 string")
    t = text.strip().replace("-", "+").replace("_", "/")
    t += "=" * (-len(t) % 4)
    try:
        return base64.b64decode(t, validate=True)
    except (binascii.Error, ValueError):
        raise AttestationError(f"{source}: {where}: not valid base64") from None


def envelope_payload(envelope: dict[str, Any], source: str) -> tuple[str, bytes]:
    """The payload type and the decoded payload bytes of an envelope (not yet verified)."""
    kind = envelope.get("payloadType")
    if not isinstance(kind, str):
        raise AttestationError(f"{source}: /payloadType: missing or not a string")
    return kind, _b64(envelope.get("payload"), "/payload", source)


def verify_envelope(envelope: dict[str, Any], public: Ed25519PublicKey, source: str) -> bool:
    """True when one of the envelope's signatures is ``public``'s over the PAE of its
    payload type and payload; ``keyid`` is ignored (it is not authenticated)."""
    kind, body = envelope_payload(envelope, source)
    sigs = envelope.get("signatures")
    if not isinstance(sigs, list) or not sigs:
        raise AttestationError(f"{source}: /signatures: no signature")
    message = pae(kind, body)
    for i, entry in enumerate(sigs):
        if not isinstance(entry, dict):
            raise AttestationError(f"{source}: /signatures/{i}: expected an object")
        sig = _b64(entry.get("sig"), f"/signatures/{i}/sig", source)
        try:
            public.verify(sig, message)
        except InvalidSignature:
            continue
        return True
    return False


def load_private_key(path: str) -> Ed25519PrivateKey:
    """An Ed25519 private key from a PEM file (PKCS #8, as ``openssl genpkey -algorithm
    ed25519`` or ``sbomscan keygen`` write it); an encrypted one takes its passphrase from
    :data:`KEY_PASSPHRASE_ENV`."""
    data = read_small(path, MAX_KEY_BYTES, "a key", UsageError)
    secret = os.environ.get(KEY_PASSPHRASE_ENV)
    try:
        key = serialization.load_pem_private_key(data, password=secret.encode() if secret else None)
    except TypeError:
        raise UsageError(
            f"{path}: the key is encrypted: set {KEY_PASSPHRASE_ENV} to its passphrase"
        ) from None
    except ValueError:
        raise UsageError(f"{path}: not a PEM private key (or a wrong passphrase)") from None
    if not isinstance(key, Ed25519PrivateKey):
        raise UsageError(f"{path}: not an Ed25519 key (sbomscan signs with Ed25519 only)")
    return key


def load_public_key(path: str) -> Ed25519PublicKey:
    """An Ed25519 public key from a PEM file (``openssl pkey -pubout``, or the ``.pub`` file
    ``sbomscan keygen`` writes)."""
    data = read_small(path, MAX_KEY_BYTES, "a key", UsageError)
    try:
        key = serialization.load_pem_public_key(data)
    except ValueError:
        raise UsageError(f"{path}: not a PEM public key") from None
    if not isinstance(key, Ed25519PublicKey):
        raise UsageError(f"{path}: not an Ed25519 public key (sbomscan signs with Ed25519 only)")
    return key


def generate_key(private_path: str, public_path: str) -> str:
    """Write a new Ed25519 key pair (the private key readable by its owner only, encrypted
    when :data:`KEY_PASSPHRASE_ENV` is set); never overwrites a file. Returns the key id."""
    key = Ed25519PrivateKey.generate()
    secret = os.environ.get(KEY_PASSPHRASE_ENV)
    encryption: serialization.KeySerializationEncryption = (
        serialization.BestAvailableEncryption(secret.encode()) if secret else serialization.NoEncryption()
    )
    private = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, encryption)
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    for path in (private_path, public_path):
        if os.path.lexists(path):
            raise UsageError(f"{path}: already exists; not overwritten")
    for path, data, mode in ((private_path, private, 0o600), (public_path, public, 0o644)):
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, mode)
        except FileExistsError:
            raise UsageError(f"{path}: already exists; not overwritten") from None
        except OSError as exc:
            raise UsageError(f"{path}: cannot write: {(exc.strerror or str(exc)).lower()}") from None
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
    return key_id(key.public_key())
