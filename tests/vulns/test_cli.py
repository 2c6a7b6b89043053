"""`medvigil feeds import` and `medvigil findings list` as a user runs them."""

from __future__ import annotations

import json
from pathlib import Path

from tests import factories
from tests.cli import run_cli


def test_demo_findings_are_listed_with_product_and_version(tmp_path: Path) -> None:
    home = tmp_path / "home"
    assert run_cli(home, "migrate").returncode == 0
    demo = run_cli(home, "demo", timeout=300)
    assert demo.returncode == 0, demo.stderr
    # 11 in the companion app; 4 on each pump firmware (openssl 3x, busybox).
    assert "19 findings opened" in demo.stdout
    assert "confirmed the CPE of pkg:generic/zlib" in demo.stdout
    assert (
        "recommended feed sources, disabled: osv-red-hat, osv-npm, nvd, kev, epss, "
        "csaf-cisa-medical"
    ) in demo.stdout
    recommended = run_cli(home, "feeds", "recommended")
    assert recommended.returncode == 0, recommended.stderr
    assert "not configured" not in recommended.stdout  # the demo listed each one, disabled
    assert recommended.stdout.count(" disabled ") == 6

    listed = run_cli(
        home, "findings", "list", "--product", "AIC-APP", "--version", "1.3.0", "--format", "json"
    )
    assert listed.returncode == 0, listed.stderr
    findings = json.loads(listed.stdout)["findings"]
    assert {
        (item["version"], item["vulnerability"], item["component"]["name"]) for item in findings
    } == {
        ("1.3.0", "CVE-2017-16137", "debug"),
        ("1.3.0", "CVE-2020-7598", "minimist"),
        ("1.3.0", "CVE-2021-44906", "minimist"),
        ("1.3.0", "CVE-2022-3517", "minimatch"),
        ("1.3.0", "CVE-2025-5889", "brace-expansion"),
    }
    assert all(item["model_number"] == "AIC-APP" for item in findings)
    assert findings[0]["product"]

    again = run_cli(home, "feeds", "import", str(factories.demo_feed_folder()))
    assert again.returncode == 0, again.stderr
    assert "10 advisories unchanged" in again.stdout
    table = run_cli(home, "findings", "list")
    assert "21 finding(s)." in table.stdout  # with zlib on both pump versions

    proposed = run_cli(home, "identities", "proposals", "--format", "json")
    assert proposed.returncode == 0, proposed.stderr
    identities = {item["identity"] for item in json.loads(proposed.stdout)["proposals"]}
    assert "pkg:generic/zlib" not in identities  # the demo confirmed it
    withdrawn = run_cli(home, "identities", "withdraw", "1", "--reason", "it is zlib-ng")
    assert withdrawn.returncode == 0, withdrawn.stderr
    closed = run_cli(home, "findings", "list", "--state", "closed", "--format", "json")
    reasons = {item["close_reason"] for item in json.loads(closed.stdout)["findings"]}
    assert any(reason.endswith("it is zlib-ng") for reason in reasons)
    refused = run_cli(home, "identities", "confirm", "pkg:generic/zlib", "zlib", "z lib")
    assert refused.returncode == 1
    assert "Not changed" in refused.stderr

    missing = run_cli(home, "feeds", "import", str(tmp_path / "nothing-here"))
    assert missing.returncode == 2
    assert "No such file or folder" in missing.stderr
