"""CVE 5 ``affected[]`` products that carry CPEs, read as NVD-style CPE configurations.

NVD's analysis lags publication by weeks; meanwhile the CNA's ``affected[]``
entries and CISA's Vulnrichment (ADP) container name the product by CPE and
give its versions. Each affected version entry becomes one cpeMatch criterion
on each of the product's CPEs (version replaced by ANY), so the same exact
configuration matcher decides, and a product with no version bound at all is
a candidate for review, never a finding.

Left out, since no criterion says the same thing: entries with ``changes``,
``2.*``-style bounds, and products whose default status is "affected" with
listed exceptions (the exceptions would be lost).
"""

from __future__ import annotations

from dataclasses import astuple, replace

from medvigil.core.advisories import Advisory, AffectedPackage, CpeConfiguration, CpeMatch
from medvigil.core.matching.cpe import ANY, InvalidCpe, is_concrete_identity, parse_cpe

# Lower bounds that carry no version ("n/a" in converted legacy records).
_NO_VERSION = {"", "0", "n/a", "unspecified", "-", "*"}


def product_configurations(advisory: Advisory) -> tuple[CpeConfiguration, ...]:
    """One configuration per CVE 5 product with CPEs (ecosystem ``""``), in `affected` order."""
    found = []
    for package in advisory.affected:
        configuration = package_configuration(package)
        if configuration is not None:
            found.append(configuration)
    return tuple(found)


def package_configuration(package: AffectedPackage) -> CpeConfiguration | None:
    if package.ecosystem or not package.cpes:
        return None
    names = []
    for text in package.cpes:
        try:
            name = parse_cpe(text)
        except InvalidCpe:
            continue
        if is_concrete_identity(name):
            names.append("cpe:2.3:" + ":".join(astuple(replace(name, version=ANY))))
    if not names:
        return None
    criteria: list[CpeMatch] = []
    if package.default_status == "affected":
        if package.version_statuses:
            return None  # "affected except …": no criterion can hold the exceptions
        criteria.extend(CpeMatch(name) for name in names)
    for entry in package.version_statuses:
        if entry.status != "affected" or entry.changes:
            continue
        upper = entry.less_than if entry.less_than is not None else entry.less_than_or_equal
        lower = entry.version.strip()
        if upper is None:
            if "*" in lower and lower != "*":
                continue  # "2.*" names a line, not a version
            if lower.lower() in _NO_VERSION:
                criteria.extend(CpeMatch(name) for name in names)  # every version
            else:
                criteria.extend(
                    CpeMatch(name, version_start_including=lower, version_end_including=lower)
                    for name in names
                )
            continue
        if "*" in lower or ("*" in upper and upper != "*"):
            continue
        start = None if lower.lower() in _NO_VERSION else lower
        end_excluding = upper if entry.less_than is not None and upper != "*" else None
        end_including = upper if entry.less_than is None and upper != "*" else None
        criteria.extend(
            CpeMatch(
                name,
                version_start_including=start,
                version_end_excluding=end_excluding,
                version_end_including=end_including,
            )
            for name in names
        )
    if not criteria:
        return None
    return CpeConfiguration((("OR", False, tuple(dict.fromkeys(criteria))),))
