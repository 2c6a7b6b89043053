"""What a reporter may attach: checked by content (magic bytes), not only by name.

An attachment is accepted when its first bytes say it is one of the allowed
kinds and its file name's extension belongs to that same kind, so an
executable or an HTML page renamed `.png` is refused. It is stored encrypted
outside the web root (MEDIA_ROOT/disclosure/) and only ever served as a
download with the detected content type.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings

from medvigil.disclosure.intake import encryption
from medvigil.platform.refusals import Kind as RefusalKind
from medvigil.platform.refusals import Refusal
from medvigil.platform.sizes import size_text


@dataclass(frozen=True)
class Kind:
    content_type: str
    extensions: frozenset[str]
    signatures: tuple[bytes, ...]


KINDS = (
    Kind("application/pdf", frozenset({".pdf"}), (b"%PDF-",)),
    Kind("image/png", frozenset({".png"}), (b"\x89PNG\r\n\x1a\n",)),
    Kind("image/jpeg", frozenset({".jpg", ".jpeg"}), (b"\xff\xd8\xff",)),
    Kind(
        "application/vnd.tcpdump.pcap",
        frozenset({".pcap"}),
        (b"\xd4\xc3\xb2\xa1", b"\xa1\xb2\xc3\xd4", b"\x0a\x0d\x0d\x0a"),
    ),
)
TEXT_EXTENSIONS = frozenset({".txt", ".log", ".md", ".json", ".xml", ".csv", ".py", ".c", ".sh"})


def limits_text() -> str:
    """The limits the form states before anyone picks a file (the checks below enforce them)."""
    count = settings.DISCLOSURE_ATTACHMENTS_PER_SUBMISSION
    extensions = sorted({extension for kind in KINDS for extension in kind.extensions})
    return (
        f"Up to {count} files of {size_text(settings.DISCLOSURE_ATTACHMENT_MAX_BYTES)} each: "
        f"{', '.join(extensions)}, or text ({', '.join(sorted(TEXT_EXTENSIONS))})."
    )


SAFE_NAME = re.compile(r"[^A-Za-z0-9._-]+")


@dataclass(frozen=True)
class CheckedFile:
    filename: str
    content_type: str
    content: bytes
    sha256: str


def safe_filename(name: str) -> str:
    base = SAFE_NAME.sub("_", Path(name or "attachment").name).strip("._") or "attachment"
    return base[-100:]


def is_text(content: bytes) -> bool:
    if b"\x00" in content:
        return False
    try:
        content.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def detected_kind(content: bytes, extension: str) -> str | None:
    for kind in KINDS:
        if content.startswith(kind.signatures):
            return kind.content_type if extension in kind.extensions else None
    if extension in TEXT_EXTENSIONS and is_text(content):
        return "text/plain"
    return None


def check(name: str, content: bytes) -> CheckedFile:
    limit = settings.DISCLOSURE_ATTACHMENT_MAX_BYTES
    if len(content) > limit:
        raise Refusal(
            f"{safe_filename(name)} is larger than the {limit // (1024 * 1024)} MB allowed.",
            RefusalKind.TOO_LARGE,
        )
    if not content:
        raise Refusal(f"{safe_filename(name)} is empty.", RefusalKind.INVALID)
    filename = safe_filename(name)
    content_type = detected_kind(content, Path(filename).suffix.lower())
    if content_type is None:
        raise Refusal(
            f"{filename} is not an accepted kind of file, or its content does not match its "
            "name. Accepted: PDF, PNG, JPEG, pcap, and plain text (.txt, .log, .md, .json, "
            ".xml, .csv, .py, .c, .sh)."
        )
    return CheckedFile(filename, content_type, content, hashlib.sha256(content).hexdigest())


def storage_directory() -> Path:
    directory = Path(settings.MEDIA_ROOT) / "disclosure"
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return directory


def store(content: bytes) -> str:
    """Encrypt and write; returns the stored name (random, says nothing of the content)."""
    stored_name = f"{uuid.uuid4().hex}.sealed"
    (storage_directory() / stored_name).write_bytes(encryption.seal_bytes(content))
    return stored_name


def read(stored_name: str) -> bytes:
    return encryption.open_bytes((storage_directory() / stored_name).read_bytes())


def discard(stored_name: str) -> None:
    (storage_directory() / stored_name).unlink(missing_ok=True)
