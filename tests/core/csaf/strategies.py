"""Hypothesis strategies for valid CSAF builder inputs of both profiles."""

from __future__ import annotations

from datetime import UTC, datetime

from hypothesis import strategies as st

from medvigil.core.csaf import (
    Acknowledgment,
    Document,
    Flag,
    Note,
    ProductStatus,
    ProductVersion,
    Publisher,
    Reference,
    Remediation,
    Revision,
    Score,
    Threat,
    Tracking,
    Vulnerability,
)

_WORD = st.text(
    alphabet="abcdefghijklmnopqrstuvwxyzÄÖü0123456789 -._", min_size=1, max_size=12
).filter(lambda value: value.strip() != "")
_DATE = st.datetimes(min_value=datetime(2000, 1, 1), max_value=datetime(2099, 12, 31)).map(
    lambda moment: moment.replace(tzinfo=UTC)
)
_VECTORS = st.builds(
    lambda parts: "CVSS:3.1/" + "/".join(parts),
    st.tuples(
        st.sampled_from(["AV:N", "AV:A", "AV:L", "AV:P"]),
        st.sampled_from(["AC:L", "AC:H"]),
        st.sampled_from(["PR:N", "PR:L", "PR:H"]),
        st.sampled_from(["UI:N", "UI:R"]),
        st.sampled_from(["S:U", "S:C"]),
        st.sampled_from(["C:H", "C:L", "C:N"]),
        st.sampled_from(["I:H", "I:L", "I:N"]),
        st.sampled_from(["A:H", "A:L", "A:N"]),
    ),
)
_CWES = st.sampled_from(["CWE-20", "CWE-79", "CWE-287", "CWE-306", "CWE-787", "CWE-798"])
_VERSIONS = st.one_of(
    st.from_regex(r"[1-9]\.[0-9]{1,2}\.[0-9]{1,2}", fullmatch=True),
    st.from_regex(r"<[1-9]\.[0-9]", fullmatch=True),
    st.just("vers:semver/<4.0.0"),
)


@st.composite
def products(draw: st.DrawFn) -> tuple[ProductVersion, ...]:
    vendor = draw(_WORD)
    found: dict[str, ProductVersion] = {}
    for name in draw(st.lists(_WORD, min_size=1, max_size=2, unique=True)):
        for version in draw(st.lists(_VERSIONS, min_size=1, max_size=3, unique=True)):
            purl = None
            if version[0].isdigit():
                purl = draw(st.none() | st.just(f"pkg:generic/device@{version}"))
            product = ProductVersion(vendor, name, version, purl=purl)
            found[product.product_id] = product
    return tuple(found.values())


@st.composite
def vulnerabilities(
    draw: st.DrawFn, catalogue: tuple[ProductVersion, ...], number: int, vex: bool
) -> Vulnerability:
    chosen = draw(st.lists(st.sampled_from(catalogue), min_size=1, unique=True))
    groups: dict[str, list[ProductVersion]] = {
        "known_affected": [],
        "known_not_affected": [],
        "fixed": [],
        "under_investigation": [],
    }
    for product in chosen:
        groups[draw(st.sampled_from(sorted(groups)))].append(product)
    affected = tuple(groups["known_affected"])
    not_affected = tuple(groups["known_not_affected"])
    flags = ()
    threats = ()
    if not_affected:
        split = draw(st.integers(0, len(not_affected)))
        if split:
            flags = (Flag(draw(st.sampled_from(["component_not_present"])), not_affected[:split]),)
        if split < len(not_affected):
            threats = (Threat("impact", "Not reachable from the network.", not_affected[split:]),)
    remediations = ()
    scores = ()
    if affected:
        remediations = (
            Remediation(
                draw(st.sampled_from(["vendor_fix", "workaround", "mitigation", "none_available"])),
                "Update to the fixed release.",
                affected,
                url=draw(st.none() | st.just("https://example.com/fix")),
            ),
        )
        scores = (Score(draw(_VECTORS), affected),)
    return Vulnerability(
        cve=f"CVE-2026-{1000 + number}",
        cwe=draw(st.none() | _CWES),
        title=draw(st.none() | _WORD),
        notes=(Note("description", draw(_WORD), title="Summary"),),
        product_status=ProductStatus(
            known_affected=affected,
            known_not_affected=not_affected,
            fixed=tuple(groups["fixed"]),
            under_investigation=tuple(groups["under_investigation"]),
        ),
        flags=flags,
        threats=threats,
        remediations=remediations,
        scores=scores,
        references=(
            Reference(f"https://www.cve.org/CVERecord?id=CVE-2026-{1000 + number}", "CVE"),
        ),
        acknowledgments=draw(st.just(()) | st.just((Acknowledgment(names=("A. Researcher",)),))),
        release_date=draw(st.none() | _DATE),
    )


@st.composite
def documents(draw: st.DrawFn) -> Document:
    vex = draw(st.booleans())
    catalogue = draw(products())
    count = draw(st.integers(1, 3))
    dates = sorted(draw(st.lists(_DATE, min_size=1, max_size=4)))
    return Document(
        category="csaf_vex" if vex else "csaf_security_advisory",
        title=draw(_WORD),
        publisher=Publisher(draw(_WORD), "https://example.com", "vendor"),
        tracking=Tracking(
            id=draw(st.from_regex(r"[A-Z]{2,6}-20[0-9]{2}-[0-9]{3}", fullmatch=True)),
            status=draw(st.sampled_from(["draft", "interim", "final"])),
            revisions=tuple(
                Revision(date, f"Revision {index}") for index, date in enumerate(dates)
            ),
            generator_name="medvigil",
            generator_version="1",
        ),
        vulnerabilities=tuple(
            draw(vulnerabilities(catalogue, number, vex)) for number in range(count)
        ),
        tlp=draw(st.sampled_from(["WHITE", "GREEN", "AMBER", "RED"])),
        language=draw(st.sampled_from(["en", "en-US", "de", "fr-FR"])),
        notes=(Note("summary", draw(_WORD)),),
        references=(Reference("https://example.com/advisory", "Advisory", self_reference=True),),
    )
