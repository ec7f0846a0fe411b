"""Throwaway signing material for the tests: one test CA and one PKCS#12 per organ, made
once per session (ECDSA keys: milliseconds), and fixtures that configure them.

Use the `signing_keys` fixture (in conftest) for a test that issues signed notices; it
returns the `Keys` made for the session."""

from dataclasses import dataclass
from pathlib import Path

from notices.specimens import make_ca, make_signer, pem, pkcs12_bytes

ORGANS = ("衡阳市市场监督管理局", "衡阳市财政局")
PASSPHRASE_ENV = "ZIZHU_TEST_SIGNING_PASSPHRASE"  # nosec B105: the variable's name
PASSPHRASE = "test-only-passphrase"  # nosec B105: a throwaway key's


@dataclass
class Keys:
    ca_pem: Path
    keys: dict  # NOTICE_SIGNING_KEYS
    directory: Path


def make_keys(directory: Path, organs=ORGANS, ca_name: str = "Zizhu test CA") -> Keys:
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = make_ca(ca_name)
    ca_pem = directory / "ca.pem"
    ca_pem.write_bytes(pem(ca_cert))
    keys = {}
    for index, organ in enumerate(organs, 1):
        key, cert = make_signer(ca_key, ca_cert, organ)
        path = directory / f"organ-{index}.p12"
        path.write_bytes(pkcs12_bytes(key, cert, ca_cert, PASSPHRASE.encode()))
        keys[organ] = {"pkcs12": str(path), "passphrase_env": PASSPHRASE_ENV}
    return Keys(ca_pem=ca_pem, keys=keys, directory=directory)


def configure(settings, monkeypatch, keys: Keys) -> Keys:
    settings.NOTICE_SIGNING_KEYS = keys.keys
    settings.NOTICE_SIGNING_TRUST_ROOTS = [str(keys.ca_pem)]
    monkeypatch.setenv(PASSPHRASE_ENV, PASSPHRASE)
    return keys
