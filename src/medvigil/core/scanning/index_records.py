"""The index file's records as JSON: the model's fields by name, default values left out."""

from __future__ import annotations

from typing import Any

from medvigil.core.advisories import Advisory, AffectedPackage, CpeConfiguration, KevEntry


def _drop_defaults(pairs: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in pairs.items() if value not in (None, (), [], "")}


def advisory_json(advisory: Advisory) -> dict[str, Any]:
    return _drop_defaults(
        {
            "id": advisory.id,
            "source": advisory.source,
            "modified": advisory.modified.isoformat(),
            "published": advisory.published.isoformat() if advisory.published else None,
            "withdrawn": advisory.withdrawn.isoformat() if advisory.withdrawn else None,
            "aliases": list(advisory.aliases),
            "summary": advisory.summary,
            "details": advisory.details,
            "severities": [[s.type, s.score, s.source] for s in advisory.severities],
            "cwe_ids": list(advisory.cwe_ids),
            "references": [[r.url, r.type] for r in advisory.references],
            "affected": [_package_json(package) for package in advisory.affected],
            "cpe_configurations": [_configuration_json(c) for c in advisory.cpe_configurations],
            "extras": [list(pair) for pair in advisory.extras],
        }
    )


def _package_json(package: AffectedPackage) -> dict[str, Any]:
    return _drop_defaults(
        {
            "ecosystem": package.ecosystem,
            "name": package.name,
            "purl": package.purl,
            "ranges": [
                _drop_defaults(
                    {
                        "type": r.type,
                        "events": [[e.kind, e.version] for e in r.events],
                        "repository": r.repository,
                    }
                )
                for r in package.ranges
            ],
            "versions": list(package.versions),
            "vendor": package.vendor,
            "cpes": list(package.cpes),
            "default_status": package.default_status,
            "version_statuses": [
                _drop_defaults(
                    {
                        "version": s.version,
                        "status": s.status,
                        "version_type": s.version_type,
                        "less_than": s.less_than,
                        "less_than_or_equal": s.less_than_or_equal,
                        "changes": [[c.at, c.status] for c in s.changes],
                    }
                )
                for s in package.version_statuses
            ],
            "version_ranges": list(package.version_ranges),
            "model_numbers": list(package.model_numbers),
        }
    )


def _configuration_json(configuration: CpeConfiguration) -> dict[str, Any]:
    return {
        "operator": configuration.operator,
        "negate": configuration.negate,
        "nodes": [
            [
                operator,
                negate,
                [
                    [
                        m.criteria,
                        m.vulnerable,
                        m.version_start_including,
                        m.version_start_excluding,
                        m.version_end_including,
                        m.version_end_excluding,
                    ]
                    for m in matches
                ],
            ]
            for operator, negate, matches in configuration.nodes
        ],
    }


def kev_json(entry: KevEntry) -> dict[str, Any]:
    return {
        "cve_id": entry.cve_id,
        "vendor": entry.vendor,
        "product": entry.product,
        "name": entry.name,
        "date_added": entry.date_added.isoformat(),
        "due_date": entry.due_date.isoformat(),
        "required_action": entry.required_action,
        "short_description": entry.short_description,
        "known_ransomware_campaign_use": entry.known_ransomware_campaign_use,
        "notes": entry.notes,
        "cwe_ids": list(entry.cwe_ids),
    }
