"""The public vulnerability sources worth synchronising, with their real addresses.

Each address and format below was checked against the publisher's files or
against public code that downloads them (December 2026):

- OSV exports: one zip archive of OSV JSON records per ecosystem at
  ``https://osv-vulnerabilities.storage.googleapis.com/<ecosystem>/all.zip``
  (the ecosystem's name, URL-escaped: ``Red%20Hat``); the bucket's
  ``ecosystems.txt`` lists the names. Seen in google/osv.dev's Go client
  (``baseURL`` + ``"%s/%s/all.zip"``, where ``RedHat Ecosystem = "Red Hat"``).
  The shared test data holds records of the same shape (osv/…).
- NVD CVE API 2.0 data feeds: gzip JSON files
  ``https://nvd.nist.gov/feeds/json/cve/2.0/nvdcve-2.0-<year>.json.gz`` for
  every year from 2002, and ``nvdcve-2.0-modified.json.gz`` with the records
  added or changed in the last eight days. Their JSON is the API's response
  shape (``format: NVD_CVE``, ``vulnerabilities: [{cve: …}]``), as in the
  shared nvd/api-2.0 data. A copy older than eight days needs the yearly
  files again.
- CISA KEV: ``https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json``
  (the catalog whose copy is in kev/cisagov-kev-data).
- FIRST EPSS: ``https://epss.empiricalsecurity.com/epss_scores-current.csv.gz``,
  the daily scores as gzip CSV with a ``#model_version:…,score_date:…``
  comment line, then ``cve,epss,percentile`` (FIRST links its downloads there;
  ``epss.cyentia.com`` was the earlier host).
- CSAF 2.0 providers: a ``provider-metadata.json`` (CSAF 2.0 §7.1.7,
  ``distributions[]`` with ``rolie.feeds[]`` or ``directory_url``), ROLIE
  feeds (§7.1.15, RFC 8322: ``feed.entry[]`` with a ``self`` link and
  ``updated``), and directories with ``index.txt`` (§7.1.13) and
  ``changes.csv`` (§7.1.14). CISA publishes its ICS advisories, the medical
  ones (ICSMA) among them, in github.com/cisagov/CSAF with the ROLIE feed
  ``csaf_files/OT/white/cisa-csaf-ot-feed-tlp-white.json`` and an
  ``index.txt`` beside it; that repository holds no provider-metadata.json,
  so the catalogue names the feed itself, narrowed to ``icsma-`` documents.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com"
NVD_FEEDS = "https://nvd.nist.gov/feeds/json/cve/2.0"
NVD_MODIFIED = f"{NVD_FEEDS}/nvdcve-2.0-modified.json.gz"
KEV_URL = "https://www.cisa.gov/sites/default/files/feeds/known_exploited_vulnerabilities.json"
EPSS_URL = "https://epss.empiricalsecurity.com/epss_scores-current.csv.gz"
CISA_OT_ROLIE = (
    "https://raw.githubusercontent.com/cisagov/CSAF/develop/"
    "csaf_files/OT/white/cisa-csaf-ot-feed-tlp-white.json"
)
NVD_FIRST_YEAR = 2002

# purl type → OSV ecosystem (the names of the bucket's folders).
PACKAGE_ECOSYSTEMS = {
    "pypi": "PyPI",
    "npm": "npm",
    "maven": "Maven",
    "golang": "Go",
    "cargo": "crates.io",
    "nuget": "NuGet",
    "gem": "RubyGems",
    "composer": "Packagist",
    "hex": "Hex",
    "pub": "Pub",
    "cran": "CRAN",
    "hackage": "Hackage",
    "swift": "SwiftURL",
}
# (purl type, purl namespace) → OSV ecosystem of a Linux distribution.
DISTRIBUTIONS = {
    ("deb", "debian"): "Debian",
    ("deb", "ubuntu"): "Ubuntu",
    ("apk", "alpine"): "Alpine",
    ("rpm", "redhat"): "Red Hat",
}


@dataclass(frozen=True)
class RecommendedSource:
    """A source an administrator may enable: nothing is downloaded before."""

    name: str
    kind: str  # the importer: osv, nvd, kev, epss, csaf
    url: str
    format: str
    interval_hours: int
    description: str
    scope: str = ""  # CSAF: only documents whose file name starts with this


def osv_source(ecosystem: str, components: int) -> RecommendedSource:
    return RecommendedSource(
        name=f"osv-{ecosystem.lower().replace(' ', '-')}",
        kind="osv",
        url=f"{OSV_BUCKET}/{quote(ecosystem)}/all.zip",
        format="zip archive of OSV JSON records",
        interval_hours=6,
        description=f"OSV advisories of {ecosystem} ({components} component(s) in the portfolio)",
    )


BASE_SOURCES = (
    RecommendedSource(
        name="nvd",
        kind="nvd",
        url=NVD_MODIFIED,
        format="NVD CVE 2.0 JSON, gzip: yearly files once, then the modified file",
        interval_hours=6,
        description="NVD CVE records with CPE configurations (embedded and device components)",
    ),
    RecommendedSource(
        name="kev",
        kind="kev",
        url=KEV_URL,
        format="CISA KEV catalog JSON",
        interval_hours=24,
        description="CISA's catalog of vulnerabilities known to be exploited",
    ),
    RecommendedSource(
        name="epss",
        kind="epss",
        url=EPSS_URL,
        format="EPSS scores CSV, gzip",
        interval_hours=24,
        description="FIRST EPSS daily exploitation probabilities",
    ),
    RecommendedSource(
        name="csaf-cisa-medical",
        kind="csaf",
        url=CISA_OT_ROLIE,
        format="CSAF 2.0 documents through a ROLIE feed (or provider-metadata.json)",
        interval_hours=12,
        description="CISA ICS medical advisories (ICSMA), CSAF 2.0",
        scope="icsma-",
    ),
)


def purl_ecosystem(purl: str) -> str | None:
    """The OSV ecosystem a purl's advisories are published under, or None."""
    if not purl.startswith("pkg:"):
        return None
    path = purl[4:].split("?", 1)[0].split("#", 1)[0]
    kind, _, rest = path.partition("/")
    kind = kind.lower()
    if kind in PACKAGE_ECOSYSTEMS:
        return PACKAGE_ECOSYSTEMS[kind]
    namespace = rest.split("/", 1)[0].lower() if "/" in rest else ""
    return DISTRIBUTIONS.get((kind, namespace))


def recommended_sources(purls: Iterable[str]) -> tuple[RecommendedSource, ...]:
    """The catalogue for a portfolio: OSV only for ecosystems its components use."""
    counts: dict[str, int] = {}
    for purl in purls:
        ecosystem = purl_ecosystem(purl)
        if ecosystem is not None:
            counts[ecosystem] = counts.get(ecosystem, 0) + 1
    osv = tuple(osv_source(ecosystem, counts[ecosystem]) for ecosystem in sorted(counts))
    return osv + BASE_SOURCES


def catalogue_entry(name: str) -> RecommendedSource | None:
    """The catalogue's source of that name, for any ecosystem OSV publishes here."""
    ecosystems = [*PACKAGE_ECOSYSTEMS.values(), *DISTRIBUTIONS.values()]
    for source in (*(osv_source(ecosystem, 0) for ecosystem in ecosystems), *BASE_SOURCES):
        if source.name == name.strip().lower():
            return source
    return None


def nvd_year_url(modified_url: str, year: int) -> str:
    """The yearly file beside a `…-modified.json.gz` address."""
    head, found, tail = modified_url.rpartition("modified")
    if not found:
        raise ValueError(f"{modified_url}: not an NVD modified feed address")
    return f"{head}{year}{tail}"


def is_nvd_modified_feed(url: str) -> bool:
    return url.rsplit("/", 1)[-1].startswith("nvdcve-2.0-modified.json")


def parse_interval(text: str) -> int:
    """Hours from '6h', '2d', '1w' or a bare number of hours; at least one hour."""
    cleaned = text.strip().lower()
    units = {"h": 1, "d": 24, "w": 168}
    factor = units.get(cleaned[-1:], 0)
    number = cleaned[:-1] if factor else cleaned
    if not number.isdigit() or int(number) < 1:
        raise ValueError(f"{text!r}: give an interval such as 6h, 2d or 1w (at least 1h)")
    hours = int(number) * (factor or 1)
    if hours > 24 * 365:
        raise ValueError(f"{text!r}: an interval longer than a year")
    return hours
