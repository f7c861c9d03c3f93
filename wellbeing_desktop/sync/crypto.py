"""Bundle encryption: X25519 key agreement, HKDF-SHA256, AES-256-GCM in 1 MiB chunks.

File layout (all integers big-endian):

    magic "WBSYNC" | u16 format version | 32-byte ephemeral public key |
    32-byte recipient public key | u32 chunk size | chunks...

Each chunk is AES-256-GCM ciphertext + 16-byte tag of up to `chunk size` plaintext bytes.
The nonce is an 11-byte chunk counter and a final-chunk flag byte (the STREAM construction),
and the associated data is the header: reordered, dropped, appended or truncated chunks and
an edited header all fail authentication. The key is fresh per bundle (ephemeral sender key),
so counter nonces never repeat under one key. A second HKDF output is the acknowledgement
key: only someone who could decrypt the bundle can sign its acknowledgement.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric.x25519 import X25519PrivateKey, X25519PublicKey
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

MAGIC = b"WBSYNC"
CRYPTO_VERSION = 1
CHUNK = 1 << 20
TAG = 16
HEADER = struct.Struct(">6sH32s32sI")
PUBLIC_PREFIX = "wellbeing-x25519:"


class BundleError(Exception):
    """A bundle that cannot be trusted or read; `str()` says why in one line."""


def _raw_public(key: X25519PublicKey) -> bytes:
    return key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)


def format_public_key(key: X25519PublicKey) -> str:
    return PUBLIC_PREFIX + base64.b64encode(_raw_public(key)).decode("ascii")


def parse_public_key(text: str) -> X25519PublicKey:
    """Accept "wellbeing-x25519:<base64>", bare base64 of 32 bytes, or a PEM public key."""
    value = text.strip()
    if value.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(value.encode("ascii"))
        except ValueError as exc:
            raise BundleError("the central public key is not a valid PEM key") from exc
        if not isinstance(key, X25519PublicKey):
            raise BundleError("the central public key is not an X25519 key")
        return key
    if value.startswith(PUBLIC_PREFIX):
        value = value[len(PUBLIC_PREFIX):]
    try:
        raw = base64.b64decode(value, validate=True)
    except ValueError as exc:
        raise BundleError("the central public key is not valid (expected base64 text)") from exc
    if len(raw) != 32:
        raise BundleError("the central public key is not valid (expected 32 bytes)")
    return X25519PublicKey.from_public_bytes(raw)


def load_public_key(value: str) -> X25519PublicKey:
    """A key given as text, or as the path of a file that holds it."""
    path = Path(value)
    if len(value) < 4096 and path.is_file():
        return parse_public_key(path.read_text(encoding="ascii", errors="replace"))
    return parse_public_key(value)


def load_private_key(path: Path) -> X25519PrivateKey:
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        raise BundleError(f"cannot read the private key {path}: {exc.strerror}") from exc
    try:
        key = serialization.load_pem_private_key(data, password=None)
    except (ValueError, TypeError) as exc:
        raise BundleError(f"{path} is not an unencrypted PEM private key") from exc
    if not isinstance(key, X25519PrivateKey):
        raise BundleError(f"{path} is not an X25519 private key")
    return key


def fingerprint(key: X25519PublicKey) -> str:
    """Short hex name of a public key, for lists and error messages."""
    return hashlib.sha256(_raw_public(key)).hexdigest()[:16]


@dataclass(frozen=True)
class KeyPair:
    private_pem: bytes
    public_text: str


def generate_keypair() -> KeyPair:
    private = X25519PrivateKey.generate()
    pem = private.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    return KeyPair(pem, format_public_key(private.public_key()))


def _derive(shared: bytes, header: bytes) -> tuple[bytes, bytes]:
    okm = HKDF(
        algorithm=hashes.SHA256(), length=64, salt=header[8:72], info=b"wellbeing-sync bundle v1"
    ).derive(shared)
    return okm[:32], okm[32:]


def _nonce(index: int, final: bool) -> bytes:
    return index.to_bytes(11, "big") + (b"\x01" if final else b"\x00")


class EncryptingWriter:
    """A write-only, non-seekable stream that encrypts to `sink` chunk by chunk.

    `zipfile` writes to it directly, so no plaintext bundle ever touches the disk.
    """

    def __init__(self, sink: BinaryIO, recipient: X25519PublicKey) -> None:
        ephemeral = X25519PrivateKey.generate()
        self.header = HEADER.pack(
            MAGIC, CRYPTO_VERSION, _raw_public(ephemeral.public_key()), _raw_public(recipient), CHUNK
        )
        key, self.ack_key = _derive(ephemeral.exchange(recipient), self.header)
        self._aead = AESGCM(key)
        self._sink = sink
        self._buffer = bytearray()
        self._index = 0
        self._position = 0
        self.closed = False
        sink.write(self.header)

    def write(self, data: bytes) -> int:
        self._buffer += data
        self._position += len(data)
        while len(self._buffer) > CHUNK:
            self._emit(bytes(self._buffer[:CHUNK]), final=False)
            del self._buffer[:CHUNK]
        return len(data)

    def _emit(self, chunk: bytes, *, final: bool) -> None:
        self._sink.write(self._aead.encrypt(_nonce(self._index, final), chunk, self.header))
        self._index += 1

    def tell(self) -> int:
        return self._position

    def seekable(self) -> bool:
        return False

    def seek(self, *_args: object) -> int:
        import io

        raise io.UnsupportedOperation("seek")

    def flush(self) -> None:
        """Nothing to do: chunks are written whole; `finish()` writes the last one."""

    def finish(self) -> None:
        if not self.closed:
            self._emit(bytes(self._buffer), final=True)
            self._buffer.clear()
            self.closed = True


@dataclass(frozen=True)
class Decrypted:
    plaintext: bytes
    ack_key: bytes


def decrypt(data: bytes, private: X25519PrivateKey) -> Decrypted:
    if len(data) < HEADER.size or not data.startswith(MAGIC):
        raise BundleError("not a Wellbeing sync bundle (the file does not start with its mark)")
    _magic, version, ephemeral_raw, recipient_raw, chunk = HEADER.unpack_from(data)
    if version != CRYPTO_VERSION:
        raise BundleError(f"bundle encryption version {version} is not supported "
                          f"(this program reads version {CRYPTO_VERSION})")
    if recipient_raw != _raw_public(private.public_key()):
        ours = fingerprint(private.public_key())
        theirs = hashlib.sha256(recipient_raw).hexdigest()[:16]
        raise BundleError(f"the bundle is encrypted for another central key ({theirs}), "
                          f"not this one ({ours})")
    if not 1 <= chunk <= 64 * CHUNK:
        raise BundleError("the bundle header is damaged (chunk size)")
    header = data[: HEADER.size]
    try:
        ephemeral = X25519PublicKey.from_public_bytes(ephemeral_raw)
        shared = private.exchange(ephemeral)
    except ValueError as exc:
        raise BundleError("the bundle header is damaged (sender key)") from exc
    key, ack_key = _derive(shared, header)
    aead = AESGCM(key)
    out: list[bytes] = []  # joined once at the end (a growing bytearray copied as it grew)
    for index, piece, final in _pieces(data, HEADER.size, chunk + TAG):
        try:
            out.append(aead.decrypt(_nonce(index, final), piece, header))
        except InvalidTag as exc:
            if final and len(piece) == chunk + TAG:
                raise BundleError("the bundle is truncated (its last part is missing)") from exc
            raise BundleError(f"the bundle was altered, damaged or cut short (part {index + 1} "
                              "fails its check)") from exc
    return Decrypted(b"".join(out), ack_key)


def _pieces(data: bytes, start: int, size: int) -> Iterator[tuple[int, memoryview, bool]]:
    if len(data) - start < TAG:
        raise BundleError("the bundle is truncated (no encrypted content)")
    index = 0
    pos = start
    view = memoryview(data)  # pieces without copying them
    while True:
        end = pos + size
        final = end >= len(data)
        yield index, view[pos:end], final
        if final:
            return
        index += 1
        pos = end


def sign_ack(ack_key: bytes, payload: bytes) -> str:
    return hmac.new(ack_key, payload, hashlib.sha256).hexdigest()


def verify_ack(ack_key: bytes, payload: bytes, signature: str) -> bool:
    return hmac.compare_digest(sign_ack(ack_key, payload), signature)
