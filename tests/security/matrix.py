"""Who may use each route: the declarative authorization matrix.

Every URL pattern (by name) and every API operation (method and path) has an
entry. `own` lists the roles that reach the route on the objects of their own
world (team "Own Team", customer "Own Hospital"); `other` lists the roles that
reach it on another team's and another hospital's objects (normally only the
administrator). Everyone else must be refused: 302 to the sign-in page for the
anonymous, 401/403/404 for the signed-in. A new route without an entry fails
the test; a later capability adds its routes here.
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS = "anonymous"
ADMINISTRATOR = "administrator"
INSIDE = frozenset(
    {ADMINISTRATOR, "product-security", "risk-manager", "regulatory", "psirt", "viewer"}
)
EDITORS = INSIDE - {"viewer"}
OUTSIDE = frozenset({"researcher", "customer", "supplier"})
SIGNED_IN = INSIDE | OUTSIDE
EVERYONE = SIGNED_IN | {ANONYMOUS}
ROLES = tuple(sorted(EVERYONE))
ADMINISTRATORS = frozenset({ADMINISTRATOR})
PORTFOLIO_READERS = INSIDE | {"customer"}
NOBODY: frozenset[str] = frozenset()
# Disclosure: handlers see every case; a researcher only the cases they reported.
HANDLERS = frozenset({ADMINISTRATOR, "psirt"})
REPORTERS = HANDLERS | {"researcher"}
# Triage: four inside roles decide; viewers and regulatory affairs read.
DECIDERS = frozenset({ADMINISTRATOR, "product-security", "risk-manager", "psirt"})
# Another party on a case (the matrix supplier on the own world's case) sees its own record.
PARTY = HANDLERS | {"supplier"}
# Advisories: handlers and product security write them (product security: about its
# teams' products only); only handlers sign and publish.
AUTHORS = HANDLERS | {"product-security"}
# The whole audit trail: administrators and those who answer auditors (docs/audit.md).
TRAIL_READERS = frozenset({ADMINISTRATOR, "product-security", "psirt"})


@dataclass(frozen=True)
class Rule:
    own: frozenset[str]
    other: frozenset[str] = ADMINISTRATORS


def same(roles: frozenset[str]) -> Rule:
    """Routes that involve no object of a team or organisation."""
    return Rule(own=roles, other=roles)


# Routes by URL name. Admin site pages are covered by "admin:*".
PAGES: dict[str, Rule] = {
    "login": same(EVERYONE),
    "logout": same(EVERYONE),
    "password_reset": same(EVERYONE),
    "password_reset_done": same(EVERYONE),
    "password_reset_confirm": same(EVERYONE),
    "password_reset_complete": same(EVERYONE),
    "dashboard": same(SIGNED_IN),
    "dashboard-tiles": same(SIGNED_IN),
    "account": same(SIGNED_IN),
    "password_change": same(SIGNED_IN),
    "password_change_done": same(SIGNED_IN),
    "mfa-setup": same(SIGNED_IN),
    "mfa-verify": same(SIGNED_IN),
    "mfa-recovery-codes": same(SIGNED_IN),
    # A token is its owner's alone, administrators included.
    "token-revoke": Rule(own=SIGNED_IN, other=NOBODY),
    "administration-users": same(ADMINISTRATORS),
    "administration-user": same(ADMINISTRATORS),
    "administration-user-activity": same(ADMINISTRATORS),
    "administration-organisations": same(ADMINISTRATORS),
    "administration-teams": same(ADMINISTRATORS),
    "audit:events": same(TRAIL_READERS),
    "audit:verify": same(TRAIL_READERS),
    "audit:export-csv": same(TRAIL_READERS),
    "audit:export-json": same(TRAIL_READERS),
    "audit:object": Rule(own=PORTFOLIO_READERS, other=TRAIL_READERS),
    "admin:*": same(ADMINISTRATORS),
    "portfolio:product-list": same(SIGNED_IN),
    "portfolio:product-create": same(EDITORS),
    "portfolio:product-detail": Rule(own=PORTFOLIO_READERS),
    "portfolio:product-edit": Rule(own=EDITORS),
    "portfolio:version-create": Rule(own=EDITORS),
    "portfolio:version-detail": Rule(own=PORTFOLIO_READERS),
    "portfolio:version-edit": Rule(own=EDITORS),
    "portfolio:version-move": Rule(own=EDITORS),
    "portfolio:version-installed-base": Rule(own=EDITORS),
    "portfolio:deployment-record": Rule(own=EDITORS),
    "portfolio:deployment-remove": Rule(own=EDITORS),
    "sbom:version": Rule(own=PORTFOLIO_READERS),
    "sbom:components": Rule(own=PORTFOLIO_READERS),
    "sbom:upload": Rule(own=EDITORS),
    "sbom:version-quality": Rule(own=PORTFOLIO_READERS),
    "sbom:export": Rule(own=PORTFOLIO_READERS),
    "sbom:document": Rule(own=PORTFOLIO_READERS),
    "sbom:original": Rule(own=PORTFOLIO_READERS),
    "sbom:document-delete": Rule(own=EDITORS),
    "sbom:support": Rule(own=EDITORS),
    "sbom:diff": Rule(own=PORTFOLIO_READERS),
    "sbom:where": same(PORTFOLIO_READERS),
    # The risk file follows its version: readers read it, editing roles change it.
    "reports:list": Rule(own=INSIDE),
    "reports:issue": Rule(own=EDITORS),
    "reports:detail": Rule(own=INSIDE),
    "reports:sign": Rule(own=EDITORS),
    "reports:download": Rule(own=INSIDE),
    "vex:version": Rule(own=PORTFOLIO_READERS),
    "vex:import": Rule(own=EDITORS),
    "vex:export": Rule(own=PORTFOLIO_READERS),
    "vex:document": Rule(own=INSIDE),
    "vex:original": Rule(own=INSIDE),
    "riskfile:version": Rule(own=INSIDE),
    "riskfile:upload": Rule(own=EDITORS),
    "riskfile:export": Rule(own=INSIDE),
    "riskfile:diagram": Rule(own=INSIDE),
    "riskfile:threats": Rule(own=INSIDE),
    "riskfile:regenerate": Rule(own=EDITORS),
    "riskfile:threat-decide": Rule(own=EDITORS),
    "riskfile:risks": Rule(own=INSIDE),
    "riskfile:risk-create": Rule(own=EDITORS),
    "riskfile:risk-update": Rule(own=EDITORS),
    "riskfile:benefit-risk": Rule(own=EDITORS),
    "riskfile:benefit-risk-approve": Rule(own=EDITORS),
    "riskfile:safety-link": Rule(own=EDITORS),
    "riskfile:risk-reviewed": Rule(own=EDITORS),
    "riskfile:controls": Rule(own=INSIDE),
    "riskfile:control-create": Rule(own=EDITORS),
    "riskfile:verify": Rule(own=EDITORS),
    "riskfile:impact-review": Rule(own=EDITORS),
    "riskfile:safety": Rule(own=INSIDE),
    "riskfile:safety-import": Rule(own=EDITORS),
    "riskfile:entry-reviewed": Rule(own=EDITORS),
    "riskfile:vulnerabilities": Rule(own=INSIDE),
    "riskfile:vulnerability-link": Rule(own=EDITORS),
    "riskfile:vulnerability-unlink": Rule(own=EDITORS),
    "riskfile:risk-reevaluated": Rule(own=EDITORS),
    "riskfile:traceability": Rule(own=INSIDE),
    "riskfile:traceability-export": Rule(own=INSIDE),
    # Vulnerabilities are reference data; findings follow their version.
    "vulns:search": same(PORTFOLIO_READERS),
    "vulns:search-results": same(PORTFOLIO_READERS),
    "vulns:detail": same(PORTFOLIO_READERS),
    "vulns:feeds": same(INSIDE),
    "vulns:feed-import": same(ADMINISTRATORS),
    "vulns:feed-sync": same(ADMINISTRATORS),
    "vulns:feed-enable": same(ADMINISTRATORS),
    "vulns:feed-disable": same(ADMINISTRATORS),
    "vulns:version-findings": Rule(own=PORTFOLIO_READERS),
    "vulns:version-finding-rows": Rule(own=PORTFOLIO_READERS),
    "vulns:version-rematch": Rule(own=EDITORS),
    "vulns:finding-review": Rule(own=EDITORS),
    "vulns:identities": same(INSIDE),
    "vulns:identity-confirm": Rule(own=EDITORS),
    "vulns:identity-withdraw": same(EDITORS),
    "vulns:product-map": Rule(own=EDITORS),
    "vulns:product-map-chosen": same(EDITORS),
    "vulns:product-mapping-withdraw": same(EDITORS),
    "triage:version": Rule(own=INSIDE),
    "triage:environment": Rule(own=DECIDERS),
    "triage:gather": Rule(own=DECIDERS),
    "triage:finding": Rule(own=INSIDE),
    "triage:decide": Rule(own=DECIDERS),
    "triage:scores": Rule(own=DECIDERS),
    "triage:plan": Rule(own=DECIDERS),
    "triage:approve": Rule(own=DECIDERS),
    "triage:confirm": Rule(own=DECIDERS),
    "triage:dismiss": Rule(own=DECIDERS),
    "triage:bulk": same(DECIDERS),
    "triage:due": same(INSIDE),
    "triage:queue": same(INSIDE),
    "triage:dashboard": same(INSIDE),
    # The public disclosure portal needs no account; the follow-up link is its own key.
    "security-txt": same(EVERYONE),
    "disclosure:policy": same(EVERYONE),
    "disclosure:report": same(EVERYONE),
    "disclosure:receipt": same(EVERYONE),
    "disclosure:follow-up": same(EVERYONE),
    "disclosure:acknowledgments": same(EVERYONE),
    # No disclosure key in the matrix world: 404 for everyone (tests/disclosure covers the key).
    "disclosure:openpgp-key": same(NOBODY),
    "disclosure:case-list": same(SIGNED_IN),
    "disclosure:case-detail": Rule(own=REPORTERS, other=HANDLERS),
    "disclosure:case-message": Rule(own=REPORTERS, other=HANDLERS),
    "disclosure:case-move": same(HANDLERS),
    "disclosure:case-embargo": same(HANDLERS),
    "disclosure:case-affected": same(HANDLERS),
    "disclosure:attachment": Rule(own=REPORTERS, other=HANDLERS),
    "disclosure:party-invite": same(HANDLERS),
    "disclosure:party-list": same(SIGNED_IN),
    "disclosure:party-detail": Rule(own=PARTY, other=HANDLERS),
    "disclosure:party-message": Rule(own=PARTY, other=HANDLERS),
    "disclosure:party-share": same(HANDLERS),
    "disclosure:party-revoke": same(HANDLERS),
    "disclosure:party-link": same(EVERYONE),  # the secret link is its own key
    "disclosure:notification-record": same(HANDLERS),
    "disclosure:notification-sent": same(HANDLERS),
    "disclosure:fix-record": same(HANDLERS),
    "disclosure:finding-link": same(HANDLERS),
    "disclosure:metrics": same(HANDLERS),
    # Published TLP:WHITE advisories and the CSAF provider directory are public.
    "advisories:public-list": same(EVERYONE),
    "advisories:public-page": same(EVERYONE),
    "advisories:advisory-list": same(AUTHORS),
    "advisories:advisory-create": Rule(own=AUTHORS, other=HANDLERS),
    "advisories:advisory-detail": Rule(own=AUTHORS, other=HANDLERS),
    "advisories:advisory-review": same(HANDLERS),
    "advisories:advisory-approve": same(HANDLERS),
    "advisories:advisory-publish": same(HANDLERS),
    "advisories:cve-record": same(HANDLERS),
    "advisories:cve-download": same(HANDLERS),
    "csaf:provider-metadata": same(EVERYONE),
    "csaf:feed": same(EVERYONE),
    "csaf:index": same(EVERYONE),
    "csaf:changes": same(EVERYONE),
    "csaf:document": same(EVERYONE),
    # Alerts: one's own inbox and subscriptions; a team's subscription and webhook are read
    # by its members and managed by administrators; the deliveries log is for administrators.
    "alerts:inbox": same(SIGNED_IN),
    "alerts:subscription-list": same(SIGNED_IN),
    "alerts:subscription-create": same(SIGNED_IN),
    "alerts:subscription-edit": Rule(own=ADMINISTRATORS),
    "alerts:subscription-delete": Rule(own=ADMINISTRATORS),
    "alerts:webhook-create": same(SIGNED_IN),
    "alerts:webhook-delete": Rule(own=ADMINISTRATORS),
    "alerts:deliveries": same(ADMINISTRATORS),
}

# API operations by (method, path as in the OpenAPI document).
API: dict[tuple[str, str], Rule] = {
    ("GET", "/api/v1/disclosure/cases"): same(SIGNED_IN),
    ("POST", "/api/v1/disclosure/cases"): same(SIGNED_IN),
    ("GET", "/api/v1/disclosure/cases/{case_id}"): Rule(own=REPORTERS, other=HANDLERS),
    ("POST", "/api/v1/disclosure/cases/{case_id}/transitions"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/cases/{case_id}/messages"): Rule(own=REPORTERS, other=HANDLERS),
    ("POST", "/api/v1/disclosure/cases/{case_id}/messages"): Rule(own=REPORTERS, other=HANDLERS),
    ("GET", "/api/v1/disclosure/cases/{case_id}/suggestions"): same(HANDLERS),
    # A handler confirms only versions of products they may see.
    ("PUT", "/api/v1/disclosure/cases/{case_id}/affected/{version_id}"): Rule(own=HANDLERS),
    ("PUT", "/api/v1/disclosure/cases/{case_id}/embargo"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/cases/{case_id}/parties"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/cases/{case_id}/parties"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/parties"): same(SIGNED_IN),
    ("GET", "/api/v1/disclosure/parties/{party_id}"): Rule(own=PARTY, other=HANDLERS),
    ("POST", "/api/v1/disclosure/parties/{party_id}/messages"): Rule(own=PARTY, other=HANDLERS),
    ("POST", "/api/v1/disclosure/parties/{party_id}/shared"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/parties/{party_id}/revocation"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/cases/{case_id}/notifications"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/cases/{case_id}/notifications"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/notifications/{notification_id}/sent"): same(HANDLERS),
    ("PUT", "/api/v1/disclosure/cases/{case_id}/fix"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/cases/{case_id}/finding-suggestions"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/cases/{case_id}/findings"): same(HANDLERS),
    # A handler links only findings of versions they may see.
    ("PUT", "/api/v1/disclosure/cases/{case_id}/findings/{finding_id}"): Rule(own=HANDLERS),
    ("PUT", "/api/v1/disclosure/cases/{case_id}/reporter-key"): Rule(own=REPORTERS, other=HANDLERS),
    ("GET", "/api/v1/disclosure/metrics"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/advisories"): same(SIGNED_IN),  # empty for everyone but authors
    ("POST", "/api/v1/disclosure/advisories/cases/{case_id}"): Rule(own=AUTHORS, other=HANDLERS),
    ("GET", "/api/v1/disclosure/advisories/{advisory_id}"): Rule(own=AUTHORS, other=HANDLERS),
    ("PUT", "/api/v1/disclosure/advisories/{advisory_id}"): Rule(own=AUTHORS, other=HANDLERS),
    ("POST", "/api/v1/disclosure/advisories/{advisory_id}/review"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/advisories/{advisory_id}/approval"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/advisories/{advisory_id}/publication"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/advisories/{advisory_id}/deliveries"): same(HANDLERS),
    ("POST", "/api/v1/disclosure/advisories/{advisory_id}/deliveries/retry"): same(HANDLERS),
    ("PUT", "/api/v1/disclosure/advisories/webhooks/{organisation_id}"): same(ADMINISTRATORS),
    ("PUT", "/api/v1/disclosure/advisories/cases/{case_id}/cves/{cve_id}"): same(HANDLERS),
    ("GET", "/api/v1/disclosure/cves/{cve_id}/record"): same(HANDLERS),
    ("GET", "/api/v1/health"): same(EVERYONE),
    ("GET", "/api/v1/tasks"): same(ADMINISTRATORS),
    ("GET", "/api/v1/workers"): same(ADMINISTRATORS),
    ("POST", "/api/v1/tasks/{task_id}/retry"): same(ADMINISTRATORS),
    ("GET", "/api/v1/accounts/me"): same(SIGNED_IN),
    ("GET", "/api/v1/accounts/tokens"): same(SIGNED_IN),
    ("POST", "/api/v1/accounts/tokens"): same(SIGNED_IN),
    ("DELETE", "/api/v1/accounts/tokens/{token_id}"): Rule(own=SIGNED_IN, other=NOBODY),
    ("GET", "/api/v1/accounts/users"): same(ADMINISTRATORS),
    ("POST", "/api/v1/accounts/users"): same(ADMINISTRATORS),
    ("GET", "/api/v1/accounts/users/{user_id}"): same(ADMINISTRATORS),
    ("PUT", "/api/v1/accounts/users/{user_id}/access"): same(ADMINISTRATORS),
    ("POST", "/api/v1/accounts/users/{user_id}/deactivate"): same(ADMINISTRATORS),
    ("POST", "/api/v1/accounts/users/{user_id}/activate"): same(ADMINISTRATORS),
    ("GET", "/api/v1/accounts/organisations"): same(SIGNED_IN),
    ("POST", "/api/v1/accounts/organisations"): same(ADMINISTRATORS),
    ("GET", "/api/v1/accounts/teams"): same(SIGNED_IN),
    ("POST", "/api/v1/accounts/teams"): same(ADMINISTRATORS),
    ("GET", "/api/v1/audit/events"): same(TRAIL_READERS),
    ("GET", "/api/v1/audit/objects/{object_type}/{object_id}/events"): Rule(
        own=PORTFOLIO_READERS, other=TRAIL_READERS
    ),
    ("GET", "/api/v1/audit/verify"): same(TRAIL_READERS),
    ("GET", "/api/v1/portfolio/products"): same(SIGNED_IN),
    # A product is created for a team: editors of that team (administrators: any team).
    ("POST", "/api/v1/portfolio/products"): Rule(own=EDITORS),
    ("GET", "/api/v1/portfolio/products/{product_id}"): Rule(own=PORTFOLIO_READERS),
    ("PATCH", "/api/v1/portfolio/products/{product_id}"): Rule(own=EDITORS),
    ("GET", "/api/v1/portfolio/products/{product_id}/versions"): Rule(own=PORTFOLIO_READERS),
    ("POST", "/api/v1/portfolio/products/{product_id}/versions"): Rule(own=EDITORS),
    ("GET", "/api/v1/portfolio/versions"): same(SIGNED_IN),
    ("GET", "/api/v1/portfolio/versions/{version_id}"): Rule(own=PORTFOLIO_READERS),
    ("PATCH", "/api/v1/portfolio/versions/{version_id}"): Rule(own=EDITORS),
    ("GET", "/api/v1/portfolio/versions/{version_id}/transitions"): Rule(own=PORTFOLIO_READERS),
    ("POST", "/api/v1/portfolio/versions/{version_id}/transitions"): Rule(own=EDITORS),
    ("PUT", "/api/v1/portfolio/versions/{version_id}/installed-base"): Rule(own=EDITORS),
    ("GET", "/api/v1/portfolio/deployments"): same(SIGNED_IN),
    ("GET", "/api/v1/portfolio/versions/{version_id}/deployments"): Rule(own=PORTFOLIO_READERS),
    ("PUT", "/api/v1/portfolio/versions/{version_id}/deployments/{organisation_id}"): Rule(
        own=EDITORS
    ),
    ("DELETE", "/api/v1/portfolio/versions/{version_id}/deployments/{organisation_id}"): Rule(
        own=EDITORS
    ),
    ("POST", "/api/v1/sbom/versions/{version_id}/documents"): Rule(own=EDITORS),
    ("GET", "/api/v1/sbom/versions/{version_id}/documents"): Rule(own=PORTFOLIO_READERS),
    ("GET", "/api/v1/sbom/documents/{document_id}"): Rule(own=PORTFOLIO_READERS),
    ("DELETE", "/api/v1/sbom/documents/{document_id}"): Rule(own=EDITORS),
    ("GET", "/api/v1/sbom/documents/{document_id}/original"): Rule(own=PORTFOLIO_READERS),
    ("GET", "/api/v1/sbom/versions/{version_id}/components"): Rule(own=PORTFOLIO_READERS),
    ("PATCH", "/api/v1/sbom/components/{component_id}/support"): Rule(own=EDITORS),
    ("GET", "/api/v1/sbom/versions/{version_id}/quality"): Rule(own=PORTFOLIO_READERS),
    ("GET", "/api/v1/sbom/diff"): Rule(own=PORTFOLIO_READERS),
    ("GET", "/api/v1/sbom/components/search"): same(PORTFOLIO_READERS),
    ("GET", "/api/v1/sbom/versions/{version_id}/export"): Rule(own=PORTFOLIO_READERS),
    ("POST", "/api/v1/vex/versions/{version_id}/documents"): Rule(own=EDITORS),
    ("GET", "/api/v1/vex/versions/{version_id}/documents"): Rule(own=INSIDE),
    ("GET", "/api/v1/vex/documents/{vex_document_id}"): Rule(own=INSIDE),
    ("GET", "/api/v1/vex/versions/{version_id}/export"): Rule(own=PORTFOLIO_READERS),
    ("GET", "/api/v1/reports/kinds"): same(INSIDE | OUTSIDE),
    ("GET", "/api/v1/reports/versions/{version_id}"): Rule(own=INSIDE),
    ("POST", "/api/v1/reports/versions/{version_id}/{kind}"): Rule(own=EDITORS),
    ("GET", "/api/v1/reports/{report_id}"): Rule(own=INSIDE),
    ("GET", "/api/v1/reports/{report_id}/download/{output}"): Rule(own=INSIDE),
    ("GET", "/api/v1/riskfile/versions/{version_id}/model"): Rule(own=INSIDE),
    ("PUT", "/api/v1/riskfile/versions/{version_id}/model"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/versions/{version_id}/threats/regenerate"): Rule(own=EDITORS),
    ("GET", "/api/v1/riskfile/versions/{version_id}/threats"): Rule(own=INSIDE),
    ("POST", "/api/v1/riskfile/versions/{version_id}/threats"): Rule(own=EDITORS),
    ("PATCH", "/api/v1/riskfile/threats/{threat_id}"): Rule(own=EDITORS),
    ("GET", "/api/v1/riskfile/versions/{version_id}/risks"): Rule(own=INSIDE),
    ("POST", "/api/v1/riskfile/versions/{version_id}/risks"): Rule(own=EDITORS),
    ("PATCH", "/api/v1/riskfile/risks/{risk_id}"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/risks/{risk_id}/benefit-risk"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/risks/{risk_id}/benefit-risk/approval"): Rule(own=EDITORS),
    ("PUT", "/api/v1/riskfile/risks/{risk_id}/safety-links"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/risks/{risk_id}/reviewed"): Rule(own=EDITORS),
    ("GET", "/api/v1/riskfile/versions/{version_id}/controls"): Rule(own=INSIDE),
    ("POST", "/api/v1/riskfile/versions/{version_id}/controls"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/controls/{control_id}/verifications"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/controls/{control_id}/impact-reviews"): Rule(own=EDITORS),
    ("GET", "/api/v1/riskfile/versions/{version_id}/blocking-issues"): Rule(own=INSIDE),
    ("GET", "/api/v1/riskfile/versions/{version_id}/safety-entries"): Rule(own=INSIDE),
    ("POST", "/api/v1/riskfile/versions/{version_id}/safety-entries"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/safety-entries/{entry_id}/reviewed"): Rule(own=EDITORS),
    ("GET", "/api/v1/riskfile/versions/{version_id}/vulnerability-links"): Rule(own=INSIDE),
    ("POST", "/api/v1/riskfile/versions/{version_id}/vulnerability-links"): Rule(own=EDITORS),
    ("DELETE", "/api/v1/riskfile/vulnerability-links/{link_id}"): Rule(own=EDITORS),
    ("POST", "/api/v1/riskfile/risks/{risk_id}/reevaluated"): Rule(own=EDITORS),
    ("GET", "/api/v1/riskfile/versions/{version_id}/traceability"): Rule(own=INSIDE),
    ("GET", "/api/v1/vulns/vulnerabilities"): same(PORTFOLIO_READERS),
    ("GET", "/api/v1/vulns/vulnerabilities/{identifier}"): same(PORTFOLIO_READERS),
    ("GET", "/api/v1/vulns/vulnerabilities/{identifier}/exposure"): same(PORTFOLIO_READERS),
    ("GET", "/api/v1/vulns/versions/{version_id}/findings"): Rule(own=PORTFOLIO_READERS),
    ("POST", "/api/v1/vulns/versions/{version_id}/rematch"): Rule(own=EDITORS),
    ("POST", "/api/v1/vulns/findings/{finding_id}/review"): Rule(own=EDITORS),
    ("POST", "/api/v1/vulns/rematch"): same(EDITORS),
    ("GET", "/api/v1/vulns/identities"): same(INSIDE),
    ("POST", "/api/v1/vulns/identities/components/{component_id}/cpe"): Rule(own=EDITORS),
    ("POST", "/api/v1/vulns/identities/confirmations/{confirmation_id}/withdraw"): same(EDITORS),
    (
        "POST",
        "/api/v1/vulns/identities/components/{component_id}/product-mappings",
    ): Rule(own=EDITORS),
    ("POST", "/api/v1/vulns/identities/product-mappings/{mapping_id}/withdraw"): same(EDITORS),
    ("GET", "/api/v1/vulns/feeds"): same(INSIDE),
    ("POST", "/api/v1/vulns/feeds/imports"): same(ADMINISTRATORS),
    ("POST", "/api/v1/vulns/feeds/sync"): same(ADMINISTRATORS),
    ("GET", "/api/v1/vulns/feeds/recommended"): same(INSIDE),
    ("POST", "/api/v1/vulns/feeds/sources"): same(ADMINISTRATORS),
    ("POST", "/api/v1/vulns/feeds/sources/{source_name}/enable"): same(ADMINISTRATORS),
    ("POST", "/api/v1/vulns/feeds/sources/{source_name}/disable"): same(ADMINISTRATORS),
    ("GET", "/api/v1/triage/versions/{version_id}/statements"): Rule(own=INSIDE),
    ("GET", "/api/v1/triage/findings/{finding_id}"): Rule(own=INSIDE),
    ("POST", "/api/v1/triage/findings/{finding_id}/decisions"): Rule(own=DECIDERS),
    ("POST", "/api/v1/triage/decisions/bulk"): same(DECIDERS),
    ("POST", "/api/v1/triage/decisions/{decision_id}/approval"): Rule(own=DECIDERS),
    ("POST", "/api/v1/triage/proposals/{proposal_id}/confirmation"): Rule(own=DECIDERS),
    ("POST", "/api/v1/triage/proposals/{proposal_id}/dismissal"): Rule(own=DECIDERS),
    ("POST", "/api/v1/triage/versions/{version_id}/proposals"): Rule(own=DECIDERS),
    ("PUT", "/api/v1/triage/findings/{finding_id}/scores"): Rule(own=DECIDERS),
    ("PUT", "/api/v1/triage/findings/{finding_id}/plan"): Rule(own=DECIDERS),
    ("GET", "/api/v1/triage/versions/{version_id}/environment"): Rule(own=INSIDE),
    ("PUT", "/api/v1/triage/versions/{version_id}/environment"): Rule(own=DECIDERS),
    ("GET", "/api/v1/triage/rubric"): same(INSIDE),
    ("GET", "/api/v1/triage/queue"): same(INSIDE),
    ("GET", "/api/v1/alerts/inbox"): same(SIGNED_IN),
    ("GET", "/api/v1/alerts/inbox/unread"): same(SIGNED_IN),
    ("POST", "/api/v1/alerts/inbox/read"): same(SIGNED_IN),
    ("GET", "/api/v1/alerts/subscriptions"): same(SIGNED_IN),
    ("POST", "/api/v1/alerts/subscriptions"): same(SIGNED_IN),  # the sample body is refused
    ("GET", "/api/v1/alerts/subscriptions/{subscription_id}"): Rule(own=INSIDE),
    ("PUT", "/api/v1/alerts/subscriptions/{subscription_id}"): Rule(own=ADMINISTRATORS),
    ("DELETE", "/api/v1/alerts/subscriptions/{subscription_id}"): Rule(own=ADMINISTRATORS),
    ("GET", "/api/v1/alerts/webhooks"): same(SIGNED_IN),
    ("POST", "/api/v1/alerts/webhooks"): same(SIGNED_IN),  # the sample address is refused
    ("DELETE", "/api/v1/alerts/webhooks/{webhook_id}"): Rule(own=ADMINISTRATORS),
    ("GET", "/api/v1/alerts/deliveries"): same(ADMINISTRATORS),
}
