"""Public vulnerability sources: the catalogue, and how CSAF providers distribute.

Public surface:

- `recommended_sources(purls)` → the `RecommendedSource`s for a portfolio (OSV only for
  the ecosystems its components use, then NVD, KEV, EPSS, CISA's medical CSAF);
  `catalogue_entry(name)`, `purl_ecosystem`, `nvd_year_url`, `is_nvd_modified_feed`,
  `parse_interval`
- CSAF 2.0 distribution: `read_provider_metadata`, `read_rolie_feed`, `read_index_txt`,
  `read_changes_csv`, `select_documents`, within `CsafWalkLimits`; errors are
  `CsafDistributionError`; `is_secure_address` (https, or http on loopback only)
- CSAF 2.0 trust: `read_aggregator` (aggregator.json → provider-metadata addresses),
  `read_hash_file`, `digest_of`, `HASH_ALGORITHMS`; `PublicKey` (public_openpgp_keys)

Pure: no network, no clock; the caller downloads and passes bytes.
"""

from medvigil.core.sources.catalogue import (
    BASE_SOURCES,
    NVD_FIRST_YEAR,
    RecommendedSource,
    catalogue_entry,
    is_nvd_modified_feed,
    nvd_year_url,
    parse_interval,
    purl_ecosystem,
    recommended_sources,
)
from medvigil.core.sources.csaf_distribution import (
    CsafDistributionError,
    CsafWalkLimits,
    DistributedDocument,
    ProviderMetadata,
    PublicKey,
    is_secure_address,
    looks_like_provider_metadata,
    read_changes_csv,
    read_index_txt,
    read_provider_metadata,
    read_rolie_feed,
    select_documents,
)
from medvigil.core.sources.csaf_trust import (
    HASH_ALGORITHMS,
    digest_of,
    looks_like_aggregator,
    read_aggregator,
    read_hash_file,
)

__all__ = [
    "BASE_SOURCES",
    "HASH_ALGORITHMS",
    "NVD_FIRST_YEAR",
    "CsafDistributionError",
    "CsafWalkLimits",
    "DistributedDocument",
    "ProviderMetadata",
    "PublicKey",
    "RecommendedSource",
    "catalogue_entry",
    "digest_of",
    "is_nvd_modified_feed",
    "is_secure_address",
    "looks_like_aggregator",
    "looks_like_provider_metadata",
    "nvd_year_url",
    "parse_interval",
    "purl_ecosystem",
    "read_aggregator",
    "read_changes_csv",
    "read_hash_file",
    "read_index_txt",
    "read_provider_metadata",
    "read_rolie_feed",
    "recommended_sources",
    "select_documents",
]
