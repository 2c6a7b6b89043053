"""A small real scenario: shared OSV records, a CycloneDX SBOM with vulnerable and fixed versions.

- golang.org/x/text: GO-2021-0113 and GHSA-ppp9-7jff-5vj2 are both CVE-2021-38561
  (fixed 0.3.7); GO-2026-… style later records fix at 0.39.0, so 0.39.0 is clean.
- invenio-previewer: PYSEC-2019-26 (CVE-2019-1020019), fixed 1.0.0a12.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

OSV_RECORDS = ("GO-2021-0113.json", "GHSA-ppp9-7jff-5vj2.json", "PYSEC-2019-26.yaml")

COMPONENTS = [
    ("text-vulnerable", "golang.org/x/text", "0.3.5", "pkg:golang/golang.org/x/text@v0.3.5"),
    ("text-fixed", "golang.org/x/text", "0.39.0", "pkg:golang/golang.org/x/text@v0.39.0"),
    (
        "previewer-vulnerable",
        "invenio-previewer",
        "1.0.0a11",
        "pkg:pypi/invenio-previewer@1.0.0a11",
    ),
    ("previewer-fixed", "invenio-previewer", "1.0.0", "pkg:pypi/invenio-previewer@1.0.0"),
    ("unrelated", "left-pad", "1.3.0", "pkg:npm/left-pad@1.3.0"),
]

# (bom-ref, vulnerability, every id of its alias group but the canonical one)
EXPECTED = {
    ("previewer-vulnerable", "CVE-2019-1020019", ("GHSA-j9m2-6hq2-4r3c", "PYSEC-2019-26")),
    ("text-vulnerable", "CVE-2021-38561", ("GHSA-ppp9-7jff-5vj2", "GO-2021-0113")),
}


def sbom_document() -> dict[str, object]:
    return {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {"type": "library", "bom-ref": ref, "name": name, "version": version, "purl": purl}
            for ref, name, version, purl in COMPONENTS
        ],
    }


def build(shared_data: Path, folder: Path) -> tuple[Path, Path]:
    """The SBOM file and a feed folder (the three OSV records, a KEV and an EPSS file)."""
    feeds = folder / "feeds"
    feeds.mkdir(parents=True)
    for name in OSV_RECORDS:
        shutil.copy(next((shared_data / "osv").rglob(name)), feeds / name)
    catalog = json.loads(
        (shared_data / "kev/cisagov-kev-data/known_exploited_vulnerabilities.json").read_text()
    )
    entry = dict(catalog["vulnerabilities"][0], cveID="CVE-2021-38561")
    catalog["vulnerabilities"] = [entry]
    catalog["count"] = 1
    (feeds / "known_exploited_vulnerabilities.json").write_text(json.dumps(catalog))
    (feeds / "epss.csv").write_text(
        "#model_version:v2025.03.14,score_date:2025-12-26T12:55:00Z\n"
        "cve,epss,percentile\nCVE-2019-1020019,0.00251,0.48\n"
    )
    sbom = folder / "sbom.cdx.json"
    sbom.write_text(json.dumps(sbom_document()))
    return sbom, feeds
