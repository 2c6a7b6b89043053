"""The manufacturer's OpenPGP key for the disclosure channel (python-gnupg + Debian gpg).

The keyring lives in settings.DISCLOSURE_GNUPG_HOME (MEDVIGIL_HOME/gnupg,
mode 0700). The first secret key there is the disclosure key: its public half
is published, and ASCII-armoured reports encrypted to it are decrypted on
receipt (then kept encrypted at rest like every report). Decryption runs gpg
in a child process bounded in plaintext size, time and memory: a few kilobytes
of compressed message can hold gigabytes of plaintext.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import select
import subprocess
import tempfile
import time
from pathlib import Path

import gnupg
from django.conf import settings

from medvigil.platform.refusals import Kind, Refusal

ARMOURED_MESSAGE = "-----BEGIN PGP MESSAGE-----"


# gpg-agent puts its sockets in the keyring folder, and a Unix socket path is limited
# to about 107 bytes: a longer folder makes every key operation fail "No agent running".
LONGEST_SOCKET_FOLDER = 60


def home() -> Path:
    directory = Path(settings.DISCLOSURE_GNUPG_HOME)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    return short_path(directory)


def short_path(directory: Path) -> Path:
    """`directory`, or a short symbolic link to it in the temporary folder when it is long."""
    if len(str(directory)) <= LONGEST_SOCKET_FOLDER:
        return directory
    digest = hashlib.sha256(str(directory.resolve()).encode()).hexdigest()[:16]
    link = Path(tempfile.gettempdir()) / f"medvigil-gnupg-{digest}"
    with contextlib.suppress(FileExistsError):
        link.symlink_to(directory.resolve(), target_is_directory=True)
    # Never use a link someone else made to another keyring (the sticky /tmp keeps ours ours).
    if not link.is_symlink() or link.resolve() != directory.resolve():
        raise RuntimeError(f"{link} exists and is not a link to {directory}; remove it.")
    return link


def keyring() -> gnupg.GPG:
    return gnupg.GPG(gnupghome=str(home()))


def fingerprint() -> str:
    """The disclosure key's fingerprint, or "" when none is configured."""
    if not (home() / "pubring.kbx").exists():
        return ""
    secret_keys = keyring().list_keys(secret=True)
    return str(secret_keys[0]["fingerprint"]) if secret_keys else ""


def public_key() -> str:
    """The armoured public key to publish, or "" when none is configured."""
    found = fingerprint()
    return str(keyring().export_keys(found)) if found else ""


def generate_key(name: str, email: str, *, expire: str = "2y") -> str:
    """Make a disclosure key (ed25519 signing, cv25519 encryption) without a passphrase."""
    gpg = keyring()
    request = gpg.gen_key_input(
        key_type="EDDSA",
        key_curve="ed25519",
        subkey_type="ECDH",
        subkey_curve="cv25519",
        name_real=name,
        name_email=email,
        no_protection=True,
        expire_date=expire,
    )
    return make_key(gpg, request)


def make_key(gpg: gnupg.GPG, request: str, attempts: int = 3) -> str:
    """Generate a key, retrying when gpg-agent did not answer in time (it happens under load)."""
    stderr = ""
    for attempt in range(1, attempts + 1):
        result = gpg.gen_key(request)
        if result.fingerprint:
            return str(result.fingerprint)
        stderr = str(result.stderr)
        stop_agent(Path(gpg.gnupghome))
        time.sleep(attempt)
    raise RuntimeError(f"gpg could not make a key: {stderr}")


def is_armoured_message(text: str) -> bool:
    return text.lstrip().startswith(ARMOURED_MESSAGE)


def decrypt(armoured: str) -> str | None:
    """The plaintext of a message encrypted to the disclosure key, or None.

    Bounded (see `bounded_decryption`): a message whose plaintext would pass
    DISCLOSURE_DECRYPTED_MAX_BYTES, or that takes longer than
    DISCLOSURE_DECRYPT_SECONDS, is refused (413 and 422).
    """
    if not fingerprint():
        return None
    plaintext = bounded_decryption(armoured.encode("utf-8"))
    return None if plaintext is None else plaintext.decode("utf-8", errors="replace")


def bounded_decryption(message: bytes) -> bytes | None:
    """Run gpg in a child with an address-space cap, read its output up to the plaintext
    limit, and kill it past that limit or the deadline: a compressed "bomb" costs at most
    the limit in memory and the deadline in time. None when gpg cannot decrypt it."""
    limit = int(settings.DISCLOSURE_DECRYPTED_MAX_BYTES)
    seconds = float(settings.DISCLOSURE_DECRYPT_SECONDS)
    directory = str(home())
    # Started here, without the child's cap, so the long-lived agent is not capped.
    subprocess.run(  # noqa: S603
        ["/usr/bin/gpgconf", "--homedir", directory, "--launch", "gpg-agent"],
        check=False,
        capture_output=True,
        timeout=20,
    )
    command = [
        "/usr/bin/prlimit",
        f"--as={int(settings.DISCLOSURE_DECRYPT_MEMORY_BYTES)}",
        "--",
        "/usr/bin/gpg",
        *("--homedir", directory, "--batch", "--no-tty", "--quiet"),
        # gpg's own cap is a backstop only: past it gpg stops writing but goes on
        # decompressing, so the kill below is what ends the work.
        *("--max-output", str(limit + 1024 * 1024), "--decrypt"),
    ]
    with tempfile.TemporaryFile() as given:
        # A file, not a pipe: gpg never waits on our writing while we wait on its output.
        given.write(message)
        given.seek(0)
        process = subprocess.Popen(  # noqa: S603
            command, stdin=given, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )
    try:
        deadline = time.monotonic() + seconds
        plaintext = read_bounded(process, limit, deadline)
        returned = process.wait(timeout=max(0.1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        raise too_slow() from None
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        assert process.stdout is not None
        process.stdout.close()
    return plaintext if returned == 0 else None


def too_slow() -> Refusal:
    return Refusal(
        "The encrypted message took too long to decrypt; send it in smaller parts.",
        Kind.INVALID,
    )


def read_bounded(process: subprocess.Popen[bytes], limit: int, deadline: float) -> bytes:
    """All of `process`'s output, or a Refusal once it passes `limit` bytes or `deadline`."""
    assert process.stdout is not None
    output = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        readable_now = select.select([process.stdout], [], [], max(0.0, remaining))[0]
        if not readable_now:
            raise too_slow()
        chunk = os.read(process.stdout.fileno(), 64 * 1024)
        if not chunk:
            return bytes(output)
        output += chunk
        if len(output) > limit:
            raise Refusal(
                f"The decrypted message is larger than the {limit // 1024} KB allowed.",
                Kind.TOO_LARGE,
            )


def stop_agent(directory: Path | None = None) -> None:
    """Stop the gpg-agent of a keyring home (tests and short-lived commands)."""
    subprocess.run(  # noqa: S603
        ["/usr/bin/gpgconf", "--homedir", str(directory or home()), "--kill", "all"],
        check=False,
        capture_output=True,
        timeout=20,
    )


def clearsign(text: str) -> str | None:
    """`text` with an OpenPGP cleartext signature by the disclosure key, or None without one."""
    found = fingerprint()
    if not found:
        return None
    result = keyring().sign(text, keyid=found, clearsign=True)
    if not getattr(result, "fingerprint", None):
        raise RuntimeError(f"gpg could not sign: {getattr(result, 'status', '')}")
    return str(result)


def readable(text: str, field: str = "") -> tuple[str, bool]:
    """An OpenPGP message encrypted to the disclosure key, decrypted; other text as is.

    Refuses (with the error beside `field`) a message whose plaintext is too large,
    too long to decrypt, or longer than DISCLOSURE_TEXT_MAX_CHARACTERS.
    """
    if not is_armoured_message(text):
        return text, False
    try:
        plaintext = decrypt(text)
        characters = settings.DISCLOSURE_TEXT_MAX_CHARACTERS
        if plaintext is not None and len(plaintext) > characters:
            raise Refusal(
                f"The decrypted message is longer than {characters} characters.",
                Kind.TOO_LARGE,
            )
    except Refusal as refusal:
        if not field:
            raise
        raise Refusal(refusal.message, refusal.kind, errors={field: [refusal.message]}) from None
    if plaintext is None:
        return text, False
    return plaintext, True
