"""Attestation as an in-toto Statement, signed as a DSSE envelope, and ``sbomscan verify``:
real keys, real files, real scans of the bundled example."""

from __future__ import annotations

import base64
import gzip
import hashlib
import io
import json
import os
import shutil
import threading
import zipfile
from pathlib import Path

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

from sbomscan.attest import verify as attest_verify
from sbomscan.attest.dsse import pae, sign_envelope, verify_envelope
from sbomscan.attest.intoto import PREDICATE_TYPE, STATEMENT_TYPE
from sbomscan.cli import main

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "secure-gateway"
SBOMS = ("camera-module.cdx.json", "gateway-appliance.cdx.json")


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def bundle(tmp_path: Path) -> Path:
    """A copy of the example bundle that a test may change."""
    target = tmp_path / "sboms"
    target.mkdir()
    for name in SBOMS:
        shutil.copy(EXAMPLE / name, target / name)
    return target


@pytest.fixture()
def keys(tmp_path: Path) -> tuple[Path, Path]:
    private = tmp_path / "vendor.pem"
    assert run("keygen", str(private), "-q") == (0, "", "")
    return private, Path(str(private) + ".pub")


def attest(bundle: Path, target: Path, *options: str) -> dict[str, object]:
    code, _, err = run("attest", str(bundle), "--as-of", "2026-01-01", "-q", "-o", str(target), *options)
    assert code == 1, err  # the example holds a prohibited engine
    data: dict[str, object] = json.loads(target.read_text(encoding="utf-8"))
    return data


def statement_of(envelope: dict[str, object]) -> dict[str, object]:
    data: dict[str, object] = json.loads(base64.b64decode(str(envelope["payload"])))
    return data


# ---------------------------------------------------------------------- DSSE PAE


def test_pae_is_the_spec_definition() -> None:
    """PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, LEN the byte
    length in ASCII decimal without leading zeros — the spec's own test vector, a type whose
    byte length differs from its character count, and empty parts."""
    assert pae("http://example.com/HelloWorld", b"hello world") == (
        b"DSSEv1 29 http://example.com/HelloWorld 11 hello world"
    )
    kind = "application/vnd.\u00e9x+json"  # 23 characters, 24 bytes
    body = b"\x00\xff" * 60
    assert pae(kind, body) == b"DSSEv1 24 " + kind.encode() + b" 120 " + body
    assert pae("", b"") == b"DSSEv1 0  0 "


def test_signature_is_over_the_pae_bytes() -> None:
    """The envelope's signature verifies, with the bare Ed25519 primitive, over the PAE built
    by hand — not over the JSON, not over the payload alone."""
    key = Ed25519PrivateKey.generate()
    body = b'{"_type": "x"}'
    env = sign_envelope(body, key)
    assert env["payloadType"] == "application/vnd.in-toto+json"
    assert base64.b64decode(env["payload"]) == body
    sig = base64.b64decode(env["signatures"][0]["sig"])
    key.public_key().verify(sig, b"DSSEv1 28 application/vnd.in-toto+json 14 " + body)
    # URL-safe base64 is accepted too (DSSE: verifiers must accept either)
    url = dict(env, signatures=[{"sig": base64.urlsafe_b64encode(sig).decode()}])
    assert verify_envelope(url, key.public_key(), "e.json")
    assert not verify_envelope(env, Ed25519PrivateKey.generate().public_key(), "e.json")


# ---------------------------------------------------------------------- statement


def test_statement_subjects_and_predicate(bundle: Path, tmp_path: Path) -> None:
    st = attest(bundle, tmp_path / "st.json")
    assert st["_type"] == STATEMENT_TYPE and st["predicateType"] == PREDICATE_TYPE
    subjects = {s["name"]: s["digest"]["sha256"] for s in st["subject"]}  # type: ignore[attr-defined]
    assert subjects == {str(bundle / n): sha256(bundle / n) for n in SBOMS}
    p = st["predicate"]
    assert isinstance(p, dict)
    assert p["outcome"] == "fail" and p["as_of"] == "2026-01-01"
    assert p["tool"]["name"] == "sbomscan"
    assert len(p["entity_data"]["shipped"]["sha256"]) == 64
    assert {f["entity"]["id"] for f in p["findings"]} >= {"kaspersky"}
    assert p["coverage"]["components"] > 0 and p["parameters"]["fail_on"] == "prohibited"


def test_gz_input_subjects_are_the_submitted_bytes(bundle: Path, tmp_path: Path) -> None:
    """A gzip SBOM is a subject by the sha256 of the .gz file as submitted, and by that of
    its decompressed content; verify accepts the .gz file."""
    plain = bundle / SBOMS[0]
    packed = bundle / (SBOMS[0] + ".gz")
    packed.write_bytes(gzip.compress(plain.read_bytes(), mtime=0))
    plain.unlink()
    st = attest(bundle, tmp_path / "st.json")
    subjects = {s["name"]: s["digest"]["sha256"] for s in st["subject"]}  # type: ignore[attr-defined]
    assert subjects[str(packed)] == sha256(packed)
    assert (
        subjects[str(packed) + "#decompressed"]
        == hashlib.sha256(gzip.decompress(packed.read_bytes())).hexdigest()
    )
    assert sha256(packed) != subjects[str(packed) + "#decompressed"]
    code, out, _ = run("verify", str(tmp_path / "st.json"), str(bundle))
    assert code == 0, out


def test_archive_members_are_subjects(bundle: Path, tmp_path: Path) -> None:
    archive = tmp_path / "bundle.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for n in SBOMS:
            z.write(bundle / n, n)
    st = attest(archive, tmp_path / "st.json")
    subjects = {s["name"]: s["digest"]["sha256"] for s in st["subject"]}  # type: ignore[attr-defined]
    assert subjects[str(archive)] == sha256(archive)
    for n in SBOMS:
        assert subjects[f"{archive}!{n}"] == sha256(bundle / n)
    assert run("verify", str(tmp_path / "st.json"), str(archive))[0] == 0


# ---------------------------------------------------------------------- sign and verify


def test_sign_verify_round_trip(bundle: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    private, public = keys
    env = attest(bundle, tmp_path / "a.json", "--sign", str(private))
    assert statement_of(env)["_type"] == STATEMENT_TYPE
    code, out, err = run("verify", str(tmp_path / "a.json"), "--key", str(public), str(bundle))
    assert (code, err) == (0, ""), out
    assert out.splitlines()[0].startswith("signature: OK")
    assert "outcome: OK (fail" in out and out.endswith("verified\n")
    # the same files elsewhere: matched by digest, not by path
    moved = tmp_path / "received"
    shutil.copytree(bundle, moved)
    assert run("verify", str(tmp_path / "a.json"), str(moved), "--key", str(public))[0] == 0


def test_tampered_payload(bundle: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    private, public = keys
    env = attest(bundle, tmp_path / "a.json", "--sign", str(private))
    st = statement_of(env)
    st["predicate"]["outcome"] = "pass"  # type: ignore[index]
    env["payload"] = base64.b64encode(json.dumps(st).encode()).decode()
    (tmp_path / "a.json").write_text(json.dumps(env), encoding="utf-8")
    code, out, _ = run("verify", str(tmp_path / "a.json"), "--key", str(public))
    assert code == 1 and "signature: MISMATCH" in out and out.endswith("NOT verified\n")


def test_wrong_key(bundle: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    private, _ = keys
    attest(bundle, tmp_path / "a.json", "--sign", str(private))
    other = Ed25519PrivateKey.generate().public_key()
    (tmp_path / "other.pub").write_bytes(
        other.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    )
    code, out, _ = run("verify", str(tmp_path / "a.json"), "--key", str(tmp_path / "other.pub"), str(bundle))
    assert code == 1 and "signature: MISMATCH" in out


def test_file_changed(bundle: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    private, public = keys
    attest(bundle, tmp_path / "a.json", "--sign", str(private))
    changed = bundle / SBOMS[1]
    changed.write_bytes(changed.read_bytes() + b"\n")
    code, out, _ = run("verify", str(tmp_path / "a.json"), "--key", str(public), str(bundle))
    assert code == 1
    assert f"subjects: MISMATCH: {changed} (sha256 {sha256(changed)}) is not a subject" in out
    assert "attested input" in out and "was not given" in out


def test_outcome_rerun_mismatch(bundle: Path, tmp_path: Path) -> None:
    """A statement whose as-of date was changed after the scan: the files still match, but
    the scan on the attested date does not give the attested outcome."""
    target = tmp_path / "st.json"
    code, _, _ = run("attest", str(bundle), "--as-of", "2017-01-01", "-q", "-o", str(target))
    st = json.loads(target.read_text(encoding="utf-8"))
    assert st["predicate"]["outcome"] != "fail" and code == 0
    st["predicate"]["as_of"] = "2026-01-01"
    target.write_text(json.dumps(st), encoding="utf-8")
    code, out, _ = run("verify", str(target), str(bundle))
    assert code == 1 and "subjects: OK" in out
    assert f"outcome: MISMATCH: attested {st['predicate']['outcome']}" in out and "now gives fail" in out


def test_verify_other_data_is_not_rerun(bundle: Path, tmp_path: Path) -> None:
    st = attest(bundle, tmp_path / "st.json")
    st["predicate"]["entity_data"]["version"] = "1999.01.01"  # type: ignore[index]
    (tmp_path / "st.json").write_text(json.dumps(st), encoding="utf-8")
    code, out, _ = run("verify", str(tmp_path / "st.json"), str(bundle))
    assert code == 0 and "outcome: not re-run: attested with entity data 1999.01.01" in out


def test_verify_usage(bundle: Path, tmp_path: Path, keys: tuple[Path, Path]) -> None:
    private, public = keys
    attest(bundle, tmp_path / "signed.json", "--sign", str(private))
    code, _, err = run("verify", str(tmp_path / "signed.json"), str(bundle))
    assert code == 2 and "give --key" in err
    attest(bundle, tmp_path / "plain.json")
    code, out, _ = run("verify", str(tmp_path / "plain.json"), "--key", str(public))
    assert code == 1 and "not signed, but a key was given" in out
    attest(bundle, tmp_path / "record.json", "--format", "record")
    code, _, err = run("verify", str(tmp_path / "record.json"))
    assert code == 2 and "attestation record (version 2)" in err
    (tmp_path / "junk.json").write_text("{not json", encoding="utf-8")
    code, _, err = run("verify", str(tmp_path / "junk.json"))
    assert code == 2 and err.startswith(f"sbomscan: error: {tmp_path / 'junk.json'}: not JSON")
    assert run("verify", str(tmp_path / "missing.json"))[0] == 2
    code, _, err = run("keygen", str(private))
    assert code == 2 and "already exists" in err
    assert private.stat().st_mode & 0o077 == 0


def test_encrypted_key(tmp_path: Path, bundle: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SBOMSCAN_KEY_PASSPHRASE", "correct horse")
    assert run("keygen", str(tmp_path / "k.pem"), "-q")[0] == 0
    assert b"ENCRYPTED" in (tmp_path / "k.pem").read_bytes()
    attest(bundle, tmp_path / "a.json", "--sign", str(tmp_path / "k.pem"))
    monkeypatch.delenv("SBOMSCAN_KEY_PASSPHRASE")
    code, _, err = run(
        "attest", str(bundle), "-o", str(tmp_path / "b.json"), "--sign", str(tmp_path / "k.pem")
    )
    assert code == 2 and "SBOMSCAN_KEY_PASSPHRASE" in err
    assert run("verify", str(tmp_path / "a.json"), "--key", str(tmp_path / "k.pem.pub"), str(bundle))[0] == 0


def _within(seconds: float, *argv: str) -> tuple[int, str, str]:
    """``run(*argv)``, failing the test (not hanging it) when it does not return in time."""
    result: list[tuple[int, str, str]] = []
    worker = threading.Thread(target=lambda: result.append(run(*argv)), daemon=True)
    worker.start()
    worker.join(seconds)
    assert result, f"sbomscan {' '.join(argv)} did not return within {seconds} s"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_keys_and_attestations_that_are_not_small_regular_files_are_refused(
    bundle: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    fifo = tmp_path / "key.fifo"
    os.mkfifo(fifo)  # no writer: a plain open() would wait for one forever
    out = str(tmp_path / "a.json")
    code, _, err = _within(30, "attest", str(bundle), "-o", out, "--sign", str(fifo))
    assert (code, err) == (2, f"sbomscan: error: {fifo}: cannot read a key: not a regular file\n")
    code, _, err = _within(30, "verify", str(fifo))
    assert (code, err) == (2, f"sbomscan: error: {fifo}: cannot read an attestation: not a regular file\n")
    code, _, err = run("verify", str(tmp_path))
    assert (code, err) == (
        2,
        f"sbomscan: error: {tmp_path}: cannot read an attestation: not a regular file\n",
    )
    missing = tmp_path / "missing.pem"
    code, _, err = run("attest", str(bundle), "-o", out, "--sign", str(missing))
    assert (code, err) == (2, f"sbomscan: error: {missing}: cannot read a key: no such file or directory\n")
    big = tmp_path / "big.pem"
    big.write_bytes(b"-" * (64 * 1024 + 1))
    code, _, err = run("attest", str(bundle), "-o", out, "--sign", str(big))
    assert (code, err) == (2, f"sbomscan: error: {big}: not a key (over 65536 bytes)\n")
    monkeypatch.setattr(attest_verify, "MAX_ATTESTATION_BYTES", 10)
    code, _, err = run("verify", str(bundle / SBOMS[0]))
    assert (code, err) == (2, f"sbomscan: error: {bundle / SBOMS[0]}: not an attestation (over 10 bytes)\n")


def test_statement_states_the_reports_findings_and_waivers(bundle: Path, tmp_path: Path) -> None:
    """The predicate's findings and waivers are the JSON report's, less what only the report
    holds (evidence, paths, places in files; the waivers file's path)."""
    waivers = str(EXAMPLE.parent / "waivers.yaml")
    statement = attest(bundle, tmp_path / "st.json", "--waivers", waivers)
    code, out, _ = run("scan", str(bundle), "--as-of", "2026-01-01", "--waivers", waivers, "--format", "json")
    assert code == 1  # the Kaspersky engine is not waived
    report = json.loads(out)
    predicate = statement["predicate"]
    assert isinstance(predicate, dict)
    assert predicate["waivers"] and [w["status"] for w in predicate["waivers"]] == ["applied"]
    assert predicate["waivers"] == [{k: v for k, v in w.items() if k != "source"} for w in report["waivers"]]
    assert any(f["waived"] for f in predicate["findings"]) and len(predicate["findings"]) >= 2
    component_keys = ("name", "group", "version", "purl", "bom_ref", "document")
    assert predicate["findings"] == [
        {
            "id": f["id"],
            "severity": f["severity"],
            "confidence": f["confidence"],
            "waived": f["waived"],
            "entity": f["entity"],
            "component": {k: f["component"][k] for k in component_keys},
            "authorities": [a["citation"] for a in f["authorities"]],
            "tier": f["tier"],
        }
        for f in report["findings"]
    ]
