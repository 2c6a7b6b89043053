# ruff: noqa: E501
"""Generate the golden version-ordering files from the reference tools.

Deterministic (fixed seed): tricky versions per ecosystem, compared by the
ecosystem's own tool, written compactly to tests/core/matching/golden/.
The test suite only reads those files; this script needs the tools:

    apt-get install -y rpm python3-rpm golang-go golang-golang-x-mod-dev   # dpkg, java, maven: on the image
    (cd /tmp/semver && npm install semver)                                  # node-semver
    .venv/bin/python tools/reference_versions/generate.py --node-path /tmp/semver/node_modules

Options: --only deb,npm  --pairs 3000  --python PYTHON_WITH_PACKAGING
"""

from __future__ import annotations

import argparse
import json
import random
import subprocess
import sys
import tempfile
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent
GOLDEN = HERE.parents[1] / "tests" / "core" / "matching" / "golden"
MAVEN_JAR = next(Path("/usr/share/maven/lib").glob("maven-artifact-3.*.jar"), None)
SEED = 20240917


# ---------------------------------------------------------------- generators


def _numbers(rng: random.Random, count: int, top: int = 12) -> str:
    return ".".join(
        str(rng.choice([0, 0, 1, 1, 2, 3, 9, 10, 11, top, rng.randint(0, 99)]))
        for _ in range(count)
    )


def debian_version(rng: random.Random) -> str:
    upstream = _numbers(rng, rng.randint(1, 4))
    upstream += rng.choice(
        [
            "",
            "",
            "",
            "a",
            "b",
            "~rc1",
            "~beta2",
            "~~",
            "~",
            "+dfsg",
            "+dfsg1",
            "+really1.0",
            ".0",
            "+git20200101",
        ]
    )
    if rng.random() < 0.2:
        upstream += rng.choice(["~rc2", "+ds", "a1", "~1"])
    if rng.random() < 0.15:
        upstream = "0" + upstream if upstream[0].isdigit() else upstream
    version = upstream
    if rng.random() < 0.75:
        version += "-" + rng.choice(
            [
                "1",
                "2",
                "0ubuntu1",
                "1ubuntu0.1",
                "2+deb11u3",
                "1~bpo11+1",
                "1+deb12u1",
                "10",
                "1.1",
                "0",
            ]
        )
    if rng.random() < 0.2:
        version = f"{rng.choice([0, 1, 1, 2, 10])}:{version}"
    return version


def rpm_version(rng: random.Random) -> str:
    version = _numbers(rng, rng.randint(1, 4)) + rng.choice(
        ["", "", "", "~rc1", "~beta", "^git20200101", "^1", "a", "b", "p1", "~", "^"]
    )
    release = rng.choice(
        [
            "1",
            "2",
            "324.el8",
            "1.el8_7",
            "1.el8_7.1",
            "3.el9",
            "1.fc38",
            "2.module+el8.4.0+1234+abcd",
            "0.1.rc1.el8",
            "1.el8~bootstrap",
            "10.el7_9",
        ]
    )
    text = f"{version}-{release}" if rng.random() < 0.85 else version
    if rng.random() < 0.2:
        text = f"{rng.choice([0, 1, 2])}:{text}"
    return text


def pypi_version(rng: random.Random) -> str:
    text = _numbers(rng, rng.randint(1, 4))
    if rng.random() < 0.1:
        text = f"{rng.choice([1, 2])}!{text}"
    if rng.random() < 0.35:
        text += rng.choice(
            ["a", "b", "rc", "alpha", "beta", "c", "pre", "preview", "-rc", ".a", "_b"]
        ) + rng.choice(["", "0", "1", "2"])
    if rng.random() < 0.25:
        text += rng.choice([".post", "-post", ".rev", "-", ".r", "post"]) + rng.choice(
            ["0", "1", "2"]
        )
    if rng.random() < 0.25:
        text += rng.choice([".dev", "-dev", "dev"]) + rng.choice(["", "0", "1", "3"])
    if rng.random() < 0.15:
        text += "+" + rng.choice(["ubuntu1", "local.7", "abc", "1.2", "deadbeef"])
    if rng.random() < 0.1:
        text = "v" + text
    if rng.random() < 0.05:
        text = text.upper()
    return text


def _prerelease(rng: random.Random) -> str:
    parts = [
        rng.choice(["alpha", "beta", "rc", "0", "1", "2", "10", "x-y", "SNAPSHOT", "a1", "pre"])
        for _ in range(rng.randint(1, 3))
    ]
    return ".".join(parts)


def semver_version(rng: random.Random) -> str:
    text = ".".join(str(rng.choice([0, 1, 2, 3, 10, rng.randint(0, 30)])) for _ in range(3))
    if rng.random() < 0.4:
        text += "-" + _prerelease(rng)
    if rng.random() < 0.2:
        text += "+" + rng.choice(["build.4", "sha.abc", "001", "build", "x.y.z"])
    return text


def go_version(rng: random.Random) -> str:
    roll = rng.random()
    major = rng.choice([0, 0, 1, 2, 3])
    if roll < 0.3:
        stamp = f"20{rng.randint(17, 24)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 235959):06d}"
        commit = "".join(rng.choice("0123456789abcdef") for _ in range(12))
        base = rng.choice(
            [
                f"v{major}.0.0-{stamp}-{commit}",
                f"v{major}.{rng.randint(0, 5)}.{rng.randint(1, 5)}-0.{stamp}-{commit}",
                f"v{major}.{rng.randint(0, 5)}.{rng.randint(0, 5)}-rc.1.0.{stamp}-{commit}",
            ]
        )
    else:
        base = "v" + semver_version(rng).split("+")[0]
        if rng.random() < 0.1:
            base = base.rsplit(".", 1)[0] if "-" not in base else base
    if rng.random() < 0.15 and major >= 2:
        base += "+incompatible"
    return base


def maven_version(rng: random.Random) -> str:
    text = _numbers(rng, rng.randint(1, 4))
    roll = rng.random()
    if roll < 0.5:
        qualifier = rng.choice(
            [
                "alpha",
                "alpha1",
                "alpha-1",
                "a1",
                "beta",
                "beta2",
                "b2",
                "M1",
                "milestone-2",
                "RC1",
                "rc-2",
                "CR1",
                "SNAPSHOT",
                "GA",
                "FINAL",
                "Final",
                "RELEASE",
                "sp1",
                "SP",
                "foo",
                "jre",
                "android",
                "1",
                "2",
                "0",
                "x",
            ]
        )
        text += (
            rng.choice(["-", ".", ""]) + qualifier if qualifier[0].isalpha() else "-" + qualifier
        )
    if rng.random() < 0.1:
        text += "-" + rng.choice(["SNAPSHOT", "1", "jre"])
    return text


def mutate(rng: random.Random, text: str) -> str:
    """A near neighbour: one digit changed, a suffix dropped or added."""
    roll = rng.random()
    digits = [index for index, char in enumerate(text) if char.isdigit()]
    if roll < 0.5 and digits:
        index = rng.choice(digits)
        return text[:index] + str(rng.choice([0, 1, int(text[index]) + 1])) + text[index + 1 :]
    if roll < 0.75 and len(text) > 3:
        return text[: rng.randint(1, len(text) - 1)].rstrip(".-+~:!_^")
    return text + rng.choice([".0", "-1", "~1", "+1", "a", ".post1", "-rc.1", ".1"])


def version_pool(
    rng: random.Random, maker: Callable[[random.Random], str], pairs: int
) -> tuple[list[str], list[tuple[int, int]]]:
    versions: list[str] = []
    positions: dict[str, int] = {}

    def add(text: str) -> int:
        if text not in positions:
            positions[text] = len(versions)
            versions.append(text)
        return positions[text]

    base = [add(maker(rng)) for _ in range(pairs // 4)]
    chosen: list[tuple[int, int]] = []
    while len(chosen) < pairs:
        left = rng.choice(base)
        roll = rng.random()
        if roll < 0.45:
            right = add(mutate(rng, versions[left]))
        elif roll < 0.5:
            right = left
        else:
            right = rng.choice(base)
        chosen.append((left, right))
    return versions, chosen


# ---------------------------------------------------------------- oracles


def dpkg_compare(pair: tuple[str, str]) -> int:
    left, right = pair
    if (
        subprocess.run(
            ["dpkg", "--compare-versions", left, "lt", right], capture_output=True
        ).returncode
        == 0
    ):
        return -1
    if (
        subprocess.run(
            ["dpkg", "--compare-versions", left, "eq", right], capture_output=True
        ).returncode
        == 0
    ):
        return 0
    return 1


def dpkg_valid(text: str) -> bool:
    result = subprocess.run(["dpkg", "--validate-version", text], capture_output=True)
    return result.returncode == 0


def run_json(command: list[str], payload: object, **options: object) -> object:
    result = subprocess.run(
        command, input=json.dumps(payload), capture_output=True, text=True, check=True, **options
    )  # type: ignore[call-overload]
    return json.loads(result.stdout)


def run_lines(command: list[str], lines: list[str], **options: object) -> list[str]:
    result = subprocess.run(
        command,
        input="\n".join(lines) + "\n",
        capture_output=True,
        text=True,
        check=True,
        **options,
    )  # type: ignore[call-overload]
    return result.stdout.split()


# ---------------------------------------------------------------- ecosystems


def npm_ranges(rng: random.Random, count: int) -> list[str]:
    def partial() -> str:
        version = semver_version(rng).split("+")[0]
        roll = rng.random()
        if roll < 0.15:
            return version.split("-")[0].rsplit(".", 1)[0] + rng.choice(["", ".x", ".*"])
        if roll < 0.2:
            return version.split(".")[0]
        return version

    def single() -> str:
        roll = rng.random()
        if roll < 0.2:
            return "^" + partial()
        if roll < 0.35:
            return "~" + partial()
        if roll < 0.6:
            return f">={partial()} <{partial()}"
        if roll < 0.7:
            return f"{partial()} - {partial()}"
        if roll < 0.8:
            return rng.choice([">", "<", ">=", "<=", "="]) + partial()
        if roll < 0.85:
            return rng.choice(["*", "x", "1.x", "0.x", ">1", "<2", "^0.0.3", "^0.2", "~1"])
        return partial()

    return [" || ".join(single() for _ in range(rng.choice([1, 1, 1, 2, 3]))) for _ in range(count)]


def pypi_specifiers(rng: random.Random, count: int) -> list[str]:
    def plain() -> str:
        return _numbers(rng, rng.randint(1, 3)) + rng.choice(
            ["", "", "", "rc1", "a1", ".post1", ".dev0", "b2"]
        )

    def single() -> str:
        roll = rng.random()
        if roll < 0.2:
            return "~=" + _numbers(rng, rng.randint(2, 3)) + rng.choice(["", "", "rc1"])
        if roll < 0.25:
            return "===" + plain()
        if roll < 0.35:
            return "==" + _numbers(rng, rng.randint(1, 2)) + ".*"
        if roll < 0.45:
            return "!=" + plain()
        return rng.choice([">=", "<", ">", "<=", "=="]) + plain()

    return [",".join(single() for _ in range(rng.choice([1, 2, 2, 3]))) for _ in range(count)]


def range_cases(
    rng: random.Random, ranges: list[str], maker: Callable[[random.Random], str], per_range: int
) -> tuple[list[str], list[tuple[int, str]]]:
    cases: list[tuple[int, str]] = []
    for index, text in enumerate(ranges):
        bounds = [
            token.lstrip("<>=~^!")
            for token in text.replace(",", " ").replace("||", " ").split()
            if token[:1].isdigit() or token[:1] in "<>=~^!"
        ]
        for _ in range(per_range):
            if bounds and rng.random() < 0.6:
                bound = rng.choice(bounds).rstrip(".*x")
                candidate = mutate(rng, bound) if rng.random() < 0.6 else bound
            else:
                candidate = maker(rng)
            cases.append((index, candidate))
    return ranges, cases


def build(ecosystem: str, pairs: int, options: argparse.Namespace) -> dict[str, object]:
    rng = random.Random(f"{SEED}-{ecosystem}")
    makers: dict[str, Callable[[random.Random], str]] = {
        "debian": debian_version,
        "rpm": rpm_version,
        "pypi": pypi_version,
        "npm": semver_version,
        "go": go_version,
        "maven": maven_version,
    }
    versions, chosen = version_pool(rng, makers[ecosystem], pairs)
    document: dict[str, object] = {"ecosystem": ecosystem, "seed": SEED}
    text_pairs = [(versions[left], versions[right]) for left, right in chosen]
    if ecosystem == "debian":
        valid = [dpkg_valid(text) for text in versions]
        kept = [(a, b) for (a, b) in chosen if valid[a] and valid[b]]
        with ThreadPoolExecutor(8) as pool:
            answers = list(pool.map(dpkg_compare, [(versions[a], versions[b]) for a, b in kept]))
        document["oracle"] = (
            "dpkg --compare-versions ("
            + subprocess.run(["dpkg", "--version"], capture_output=True, text=True).stdout.split(
                "\n"
            )[0]
            + ")"
        )
        document["invalid"] = [text for text, ok in zip(versions, valid, strict=True) if not ok]
    elif ecosystem == "rpm":
        kept = chosen
        answers = run_json(["/usr/bin/python3", str(HERE / "rpm_oracle.py")], text_pairs)  # type: ignore[assignment]
        document["oracle"] = "rpm.labelCompare (Debian python3-rpm)"
    elif ecosystem == "maven":
        kept = chosen
        answers = [
            int(value)
            for value in run_lines(
                ["java", "-cp", str(MAVEN_JAR), str(HERE / "MavenCompare.java")],
                [f"{a}\t{b}" for a, b in text_pairs],
            )
        ]
        document["oracle"] = f"Maven ComparableVersion ({MAVEN_JAR.name if MAVEN_JAR else '?'})"
    elif ecosystem == "go":
        binary = Path(tempfile.mkdtemp()) / "gosemver"
        subprocess.run(
            ["go", "build", "-o", str(binary), "."],
            cwd=HERE / "go_oracle",
            check=True,
            env={
                "GO111MODULE": "off",
                "GOPATH": "/usr/share/gocode",
                "HOME": tempfile.gettempdir(),
                "PATH": "/usr/bin:/bin",
                "GOCACHE": tempfile.mkdtemp(),
            },
        )
        output = run_lines([str(binary)], [f"{a}\t{b}" for a, b in text_pairs])
        triples = [output[index : index + 3] for index in range(0, len(output), 3)]
        kept = [
            pair
            for pair, triple in zip(chosen, triples, strict=True)
            if triple[1] == triple[2] == "true"
        ]
        answers = [int(triple[0]) for triple in triples if triple[1] == triple[2] == "true"]
        document["oracle"] = "golang.org/x/mod/semver.Compare (Debian golang-golang-x-mod-dev)"
        document["invalid"] = sorted(
            {
                text
                for pair, triple in zip(text_pairs, triples, strict=True)
                for text, ok in zip(pair, triple[1:], strict=True)
                if ok == "false"
            }
        )
    elif ecosystem in ("npm", "pypi"):
        ranges, cases = (npm_ranges if ecosystem == "npm" else pypi_specifiers)(rng, pairs // 5), []
        ranges, cases = range_cases(rng, ranges, makers[ecosystem], 3)
        payload = {
            "pairs": text_pairs,
            "valid": versions,
            "ranges": [[ranges[index], version] for index, version in cases],
        }
        if ecosystem == "npm":
            # Pairs must be valid for node-semver.compare: check validity first.
            validity = run_json(
                ["node", str(HERE / "npm_oracle.js")],
                {"pairs": [], "valid": versions, "ranges": []},
                env={"NODE_PATH": options.node_path, "PATH": "/usr/bin:/bin"},
            )["valid"]  # type: ignore[index]
        else:
            validity = run_json(
                [options.python, str(HERE / "pypi_oracle.py")],
                {"pairs": [], "valid": versions, "ranges": []},
            )["valid"]  # type: ignore[index]
        kept = [(a, b) for a, b in chosen if validity[a] and validity[b]]
        payload["pairs"] = [(versions[a], versions[b]) for a, b in kept]
        payload["valid"] = []
        range_checks = [(index, version) for index, version in cases]
        if ecosystem == "npm":
            result = run_json(
                ["node", str(HERE / "npm_oracle.js")],
                payload,
                env={"NODE_PATH": options.node_path, "PATH": "/usr/bin:/bin"},
            )
            document["oracle"] = f"node-semver {result['version']}"  # type: ignore[index]
        else:
            # packaging rejects invalid versions in contains(); keep only valid candidates.
            valid_cases = run_json(
                [options.python, str(HERE / "pypi_oracle.py")],
                {"pairs": [], "valid": [version for _, version in cases], "ranges": []},
            )["valid"]  # type: ignore[index]
            range_checks = [case for case, ok in zip(cases, valid_cases, strict=True) if ok]
            payload["ranges"] = [[ranges[index], version] for index, version in range_checks]
            result = run_json([options.python, str(HERE / "pypi_oracle.py")], payload)
            document["oracle"] = f"packaging {result['version']}"  # type: ignore[index]
        answers = result["pairs"]  # type: ignore[index]
        document["invalid"] = [text for text, ok in zip(versions, validity, strict=True) if not ok]
        document["ranges"] = ranges
        document["range_checks"] = [
            [index, version, int(answer[0]), int(answer[1])]
            for (index, version), answer in zip(range_checks, result["ranges"], strict=True)  # type: ignore[index]
            if answer is not None
        ]
        document["range_columns"] = [
            "range index",
            "version",
            "include pre-releases",
            "tool default",
        ]
    else:
        raise SystemExit(f"unknown ecosystem {ecosystem}")
    used = sorted({index for pair in kept for index in pair})
    renumber = {old: new for new, old in enumerate(used)}
    document["versions"] = [versions[index] for index in used]
    document["pairs"] = [
        [renumber[a], renumber[b], int(answer)]
        for (a, b), answer in zip(kept, answers, strict=True)
    ]  # type: ignore[arg-type]
    return document


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--only", default="debian,rpm,pypi,npm,go,maven")
    parser.add_argument("--pairs", type=int, default=2000)
    parser.add_argument(
        "--node-path", default=str(Path(tempfile.gettempdir()) / "nodesemver" / "node_modules")
    )
    parser.add_argument("--python", default=sys.executable, help="a Python that has packaging")
    options = parser.parse_args()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for ecosystem in options.only.split(","):
        document = build(ecosystem, options.pairs, options)
        path = GOLDEN / f"{ecosystem}.json"
        path.write_text(
            json.dumps(document, separators=(",", ":"), ensure_ascii=False) + "\n", encoding="utf-8"
        )
        ranges = len(document.get("range_checks", []))  # type: ignore[arg-type]
        print(
            f"{ecosystem}: {len(document['pairs'])} pairs, {ranges} range checks -> {path.name} ({path.stat().st_size // 1024} KB)"
        )  # type: ignore[arg-type]


if __name__ == "__main__":
    main()
