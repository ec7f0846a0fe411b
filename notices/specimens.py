"""Specimen signing material for the demo and the tests: a test CA, one key and certificate
per issuing organ (PKCS#12), and seal images marked 样章. None of it is real: the CA says
so in its name, and every seal carries 样章 under its star."""

import datetime
import io
import json
import math
import subprocess  # nosec B404
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID
from django.conf import settings
from PIL import Image, ImageDraw, ImageFont

#: Wide validity on purpose: the demo issues its notices on the days they happened (years
#: back), and a signature only validates within its certificate's validity.
VALID_FROM = datetime.datetime(2015, 1, 1, tzinfo=datetime.UTC)
VALID_UNTIL = datetime.datetime(2045, 1, 1, tzinfo=datetime.UTC)
SEAL_RED = (212, 0, 0, 255)
SEAL_PX = 600


def _name(common_name: str, unit: str) -> x509.Name:
    return x509.Name([x509.NameAttribute(NameOID.COUNTRY_NAME, "CN"),
                      x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Zizhu specimen (样章)"),
                      x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, unit),
                      x509.NameAttribute(NameOID.COMMON_NAME, common_name)])


def make_ca(common_name: str = "Zizhu test CA (not for real documents)"):
    """(private key, certificate) of a self-signed test CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = _name(common_name, "test CA")
    cert = (x509.CertificateBuilder().subject_name(name).issuer_name(name)
            .public_key(key.public_key()).serial_number(x509.random_serial_number())
            .not_valid_before(VALID_FROM).not_valid_after(VALID_UNTIL)
            .add_extension(x509.BasicConstraints(ca=True, path_length=0), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=False, content_commitment=False, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=True,
                crl_sign=True, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.SubjectKeyIdentifier.from_public_key(key.public_key()),
                           critical=False)
            .sign(key, hashes.SHA256()))
    return key, cert


def make_signer(ca_key, ca_cert, organ_name: str):
    """(private key, certificate) of an organ's signing key, issued by the CA."""
    key = ec.generate_private_key(ec.SECP256R1())
    cert = (x509.CertificateBuilder().subject_name(_name(organ_name, "issuing organ"))
            .issuer_name(ca_cert.subject).public_key(key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(VALID_FROM).not_valid_after(VALID_UNTIL)
            .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
            .add_extension(x509.KeyUsage(
                digital_signature=True, content_commitment=True, key_encipherment=False,
                data_encipherment=False, key_agreement=False, key_cert_sign=False,
                crl_sign=False, encipher_only=False, decipher_only=False), critical=True)
            .add_extension(x509.AuthorityKeyIdentifier.from_issuer_public_key(
                ca_key.public_key()), critical=False)
            .sign(ca_key, hashes.SHA256()))
    return key, cert


def pkcs12_bytes(key, cert, ca_cert, passphrase: bytes | None) -> bytes:
    encryption = (serialization.BestAvailableEncryption(passphrase) if passphrase
                  else serialization.NoEncryption())
    return pkcs12.serialize_key_and_certificates(b"signing", key, cert, [ca_cert], encryption)


def pem(cert) -> bytes:
    return cert.public_bytes(serialization.Encoding.PEM)


def write_keys(directory: Path, organ_names, passphrase_env: str | None = None,
               passphrase: bytes | None = None) -> dict:
    """A test CA and a PKCS#12 per organ written to `directory` (keys.json lists them as
    NOTICE_SIGNING_KEYS_FILE expects); returns that listing."""
    directory.mkdir(parents=True, exist_ok=True)
    ca_key, ca_cert = make_ca()
    (directory / "ca.pem").write_bytes(pem(ca_cert))
    keys = {}
    for index, name in enumerate(organ_names, 1):
        key, cert = make_signer(ca_key, ca_cert, name)
        path = directory / f"organ-{index}.p12"
        path.write_bytes(pkcs12_bytes(key, cert, ca_cert, passphrase))
        path.chmod(0o600)
        keys[name] = {"pkcs12": str(path)}
        if passphrase_env:
            keys[name]["passphrase_env"] = passphrase_env
    listing = {"trust_roots": [str(directory / "ca.pem")], "keys": keys}
    (directory / "keys.json").write_text(json.dumps(listing, ensure_ascii=False, indent=2),
                                         encoding="utf-8")
    return listing


# --- seal images -----------------------------------------------------------------------

def cjk_font_file() -> tuple[str, int]:
    """(file, face index) of the heiti face the notices use, as fontconfig finds it."""
    family = settings.NOTICE_FONTS["heiti"][0]
    # fixed argv, no shell; the family comes from the settings
    out = subprocess.run(["fc-match", "-f", "%{file}\t%{index}", f"{family}:bold"],  # nosec B603 B607
                         capture_output=True, text=True, timeout=20, check=True).stdout
    file, index = out.split("\t")
    return file, int(index or 0)


def _star(draw, cx, cy, outer):
    inner = outer * 0.382
    points = []
    for i in range(10):
        radius = outer if i % 2 == 0 else inner
        angle = -math.pi / 2 + i * math.pi / 5
        points.append((cx + radius * math.cos(angle), cy + radius * math.sin(angle)))
    draw.polygon(points, fill=SEAL_RED)


def _text_on_arc(image, text, font, radius, span_degrees):
    """Each character of `text` upright towards the rim, along the upper arc."""
    centre = SEAL_PX / 2
    count = len(text)
    step = span_degrees / max(count - 1, 1)
    for index, char in enumerate(text):
        angle = -span_degrees / 2 + index * step  # 0 at the top, clockwise
        box = font.getbbox(char)
        glyph = Image.new("RGBA", (box[2] + 8, box[3] + 8), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text((4, 4), char, font=font, fill=SEAL_RED)
        glyph = glyph.rotate(-angle, expand=True, resample=Image.BICUBIC)
        theta = math.radians(angle - 90)
        x = centre + radius * math.cos(theta) - glyph.width / 2
        y = centre + radius * math.sin(theta) - glyph.height / 2
        image.alpha_composite(glyph, (round(x), round(y)))


def specimen_seal(organ_name: str) -> bytes:
    """A round red seal as a PNG: the organ's name along the rim, a star, and 样章 under
    it (a specimen, never the organ's seal)."""
    file, index = cjk_font_file()
    image = Image.new("RGBA", (SEAL_PX, SEAL_PX), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    rim = 14
    draw.ellipse((rim, rim, SEAL_PX - rim, SEAL_PX - rim), outline=SEAL_RED, width=18)
    _star(draw, SEAL_PX / 2, SEAL_PX / 2, 95)
    size = 64 if len(organ_name) <= 10 else max(40, 640 // len(organ_name))
    name_font = ImageFont.truetype(file, size, index=index)
    _text_on_arc(image, organ_name, name_font, SEAL_PX / 2 - 80,
                 min(220, 22 * len(organ_name) + 10))
    mark_font = ImageFont.truetype(file, 78, index=index)
    box = draw.textbbox((0, 0), "样章", font=mark_font)
    draw.text(((SEAL_PX - (box[2] - box[0])) / 2 - box[0], 420 - box[1]), "样章",
              font=mark_font, fill=SEAL_RED)
    out = io.BytesIO()
    image.save(out, format="PNG", optimize=True)
    return out.getvalue()
