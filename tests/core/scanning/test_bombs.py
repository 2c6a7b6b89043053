"""Feed bombs read offline (`load_feeds`): refused within a memory and a time bound.

Each bomb is built in the child from zeros, then read with 512 MB of address
space more than the child's imports took: before the limits, the zip bomb
alone expanded to 1 GB in memory.
"""

from __future__ import annotations

from tests.bounded import run_bounded

SETUP = """
import io, zipfile, zlib
from pathlib import Path
import tempfile
from medvigil.core.scanning import FeedError, load_feeds

ZEROS = bytes(1024 * 1024)
folder = Path(tempfile.mkdtemp())

def zip_bomb(megabytes):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("osv/GHSA-bomb.json", "w", force_zip64=True) as entry:
            for _ in range(megabytes):
                entry.write(ZEROS)
    return buffer.getvalue()

def gzip_bomb(megabytes):
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [compressor.compress(ZEROS) for _ in range(megabytes)]
    return b"".join(parts) + compressor.flush()

def refused(path):
    try:
        load_feeds([path])
    except FeedError as error:
        print("refused:", error)
    else:
        print("read")
"""


def test_a_zip_bomb_is_refused_before_it_expands() -> None:
    output = run_bounded(
        SETUP + "path = folder / 'all.zip'\npath.write_bytes(zip_bomb(1024))",
        "print(path.stat().st_size)\nrefused(path)",
    )
    size, verdict = output.splitlines()
    assert int(size) < 1_100_000  # about 1 MB, expanding to 1 GB
    assert verdict.startswith("refused: all.zip!osv/GHSA-bomb.json: expands more than 100 times")


def test_a_gzip_bomb_is_refused_before_it_expands() -> None:
    output = run_bounded(
        SETUP + "path = folder / 'nvd.json.gz'\npath.write_bytes(gzip_bomb(1024))",
        "refused(path)",
    )
    assert "nvd.json.gz: expands more than 100 times its compressed size" in output


def test_a_yaml_alias_bomb_is_refused() -> None:
    # 9 levels of 9 aliases: a few hundred bytes for 9**10 strings.
    output = run_bounded(
        SETUP
        + """
lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
lines += [f"a{i}: &a{i} [" + ",".join([f"*a{i - 1}"] * 9) + "]" for i in range(1, 10)]
path = folder / "PYSEC-bomb.yaml"
path.write_text("id: PYSEC-0\\nmodified: 2024-01-01T00:00:00Z\\n" + "\\n".join(lines))
""",
        "print(path.stat().st_size)\nrefused(path)",
    )
    size, verdict = output.split("\n", 1)
    assert int(size) < 600
    assert "PYSEC-bomb.yaml: not valid YAML: YAML anchors and aliases are not accepted" in verdict


def test_deep_nesting_and_huge_numbers_are_refused() -> None:
    output = run_bounded(
        SETUP
        + """
deep = folder / "deep.json"
deep.write_text('{"id": "X", "modified": ' + "[" * 200_000 + "]" * 200_000 + "}")
huge = folder / "huge.json"
huge.write_text('{"id": "X", "modified": ' + "9" * 1_000_000 + "}")
nested = folder / "deep.yaml"
nested.write_text("id: [" + "[" * 200_000 + "]" * 200_000 + "]")
""",
        "for path in (deep, huge, nested):\n    refused(path)",
    )
    assert output.count("refused:") == 3, output
