"""What the feeds say about a vulnerability: CVSS vectors, EPSS and KEV (read-only)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from medvigil.core.advisories import AdvisoryFormatError, read_cve_record
from medvigil.vulns.models import Advisory, EpssScore, KevEntry, Source, Vulnerability

# NVD and the CNA first: they carry the vector most tools show.
SOURCE_ORDER = {"nvd": 0, "cve5": 1, "csaf": 2, "osv": 3}


@dataclass(frozen=True)
class Evidence:
    cvss3_vector: str = ""
    cvss4_vector: str = ""
    epss_probability: float | None = None
    epss_percentile: float | None = None
    epss_date: datetime | None = None
    kev_listed: bool = False
    kev_date_added: date | None = None
    kev_due_date: date | None = None
    kev_ransomware: bool = False
    # CISA's SSVC decision points (CVE 5 ADP container, "Vulnrichment"): a starting point.
    cisa_exploitation: str = ""
    cisa_automatable: bool | None = None
    cisa_technical_impact: str = ""


def better_version3(vector: str, kept: str) -> bool:
    if vector.startswith("CVSS:3.1/"):
        return not kept.startswith("CVSS:3.1/")
    return vector.startswith("CVSS:3.0/") and not kept


def vectors(vulnerability: Vulnerability) -> tuple[str, str]:
    """The first CVSS 3.x and 4.0 vectors of the group's advisories (3.1 before 3.0)."""
    advisories = sorted(
        Advisory.objects.filter(vulnerability=vulnerability).only("source", "severities"),
        key=lambda advisory: (SOURCE_ORDER.get(advisory.source, 9), advisory.pk),
    )
    version3, version4 = "", ""
    for advisory in advisories:
        for severity in advisory.severities or []:
            vector = str(severity.get("score", "")) if isinstance(severity, dict) else ""
            if vector.startswith("CVSS:4.0/") and not version4:
                version4 = vector
            elif better_version3(vector, version3):
                version3 = vector
    return version3, version4


CISA_EXPLOITATION = {"none": "none", "poc": "public-poc", "active": "active"}


def cisa_ssvc(vulnerability: Vulnerability) -> tuple[str, bool | None, str]:
    """The most recent CISA SSVC decision in the group's CVE 5 records, as SSVC input values."""
    decisions = []
    for advisory in Advisory.objects.filter(vulnerability=vulnerability, source=Source.CVE5):
        try:
            enrichment = read_cve_record(advisory.raw, source=advisory.document_name).cisa
        except AdvisoryFormatError:
            continue  # read when imported; a stored record that no longer reads is skipped
        if enrichment is not None and enrichment.ssvc is not None:
            decisions.append(enrichment.ssvc)
    if not decisions:
        return "", None, ""
    latest = max(decisions, key=lambda decision: str(decision.timestamp or ""))
    return (
        CISA_EXPLOITATION[latest.exploitation],
        latest.automatable == "yes",
        latest.technical_impact,
    )


def evidence_of(vulnerability: Vulnerability) -> Evidence:
    version3, version4 = vectors(vulnerability)
    identifiers = list(vulnerability.members or [vulnerability.canonical_id])
    epss = EpssScore.objects.filter(cve_id__in=identifiers).order_by("-probability").first()
    kev = KevEntry.objects.filter(cve_id__in=identifiers).order_by("date_added").first()
    cisa_exploitation, cisa_automatable, cisa_technical_impact = cisa_ssvc(vulnerability)
    return Evidence(
        cvss3_vector=version3,
        cvss4_vector=version4,
        epss_probability=epss.probability if epss else None,
        epss_percentile=epss.percentile if epss else None,
        epss_date=epss.score_date if epss else None,
        kev_listed=kev is not None,
        kev_date_added=kev.date_added if kev else None,
        kev_due_date=kev.due_date if kev else None,
        kev_ransomware=bool(kev and kev.known_ransomware_campaign_use),
        cisa_exploitation=cisa_exploitation,
        cisa_automatable=cisa_automatable,
        cisa_technical_impact=cisa_technical_impact,
    )
