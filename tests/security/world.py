"""Two worlds of objects for the authorization matrix: one the roles own, one they do not."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django_tasks_db.models import DBTaskResult

from medvigil.accounts import tokens
from medvigil.alerts import services as alerts_services
from medvigil.platform.roles import Role
from medvigil.portfolio import services as portfolio_services
from medvigil.riskfile import controls as riskfile_controls
from medvigil.riskfile import safety as riskfile_safety
from medvigil.riskfile import services as riskfile_services
from medvigil.sbom import services as sbom_services
from medvigil.sbom.models import Component
from medvigil.vex import services as vex_services
from medvigil.vulns import identities as vulns_identities
from medvigil.vulns import matching as vulns_matching
from tests import factories
from tests.disclosure.advisory_helpers import matrix_values as advisory_matrix_values
from tests.security.matrix import ADMINISTRATOR, ANONYMOUS, ROLES

TINY_SBOM = json.dumps(
    {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "metadata": {"timestamp": "2026-01-01T00:00:00Z", "authors": [{"name": "matrix"}]},
        "components": [
            {
                "type": "library",
                "bom-ref": "zlib",
                "name": "zlib",
                "version": "1.3.1",
                "purl": "pkg:generic/zlib@1.3.1",
            },
            {
                "type": "library",
                "bom-ref": "left-pad",
                "name": "left-pad",
                "version": "1.0.0",
                "purl": "pkg:npm/left-pad@1.0.0",
            },
        ],
    }
).encode()


@dataclass
class World:
    users: dict[str, Any] = field(default_factory=dict)
    own: dict[str, str] = field(default_factory=dict)
    other: dict[str, str] = field(default_factory=dict)
    other_token_id: str = ""
    own_token_ids: dict[str, str] = field(default_factory=dict)
    clients: dict[str, Any] = field(default_factory=dict)


# An advisory that the left-pad component of every world's SBOM matches (one finding each).
ADVISORY = json.dumps(
    {
        "id": "GHSA-matrix-left-pad",
        "modified": "2026-01-01T00:00:00Z",
        "aliases": ["CVE-2099-0001"],
        "affected": [
            {
                "package": {"ecosystem": "npm", "name": "left-pad"},
                "ranges": [
                    {"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.3.0"}]}
                ],
            }
        ],
    }
).encode()


# A supplier VEX about that finding (one proposal in each world).
MATRIX_VEX = json.dumps(
    {
        "bomFormat": "CycloneDX",
        "specVersion": "1.6",
        "version": 1,
        "components": [
            {
                "type": "library",
                "bom-ref": "lp",
                "name": "left-pad",
                "version": "1.0.0",
                "purl": "pkg:npm/left-pad@1.0.0",
            }
        ],
        "vulnerabilities": [
            {
                "id": "CVE-2099-0001",
                "affects": [{"ref": "lp"}],
                "analysis": {
                    "state": "not_affected",
                    "justification": "code_not_reachable",
                    "detail": "Never called.",
                },
            }
        ],
    }
).encode()


RISKFILE_MODEL = b"""
format: medvigil-threat-model/1
name: matrix pump
functions: [{id: bolus, name: Bolus, emergency_access: true}]
elements:
  - {id: pump, name: Pump, kind: process, functions: [bolus], exposure: [wireless]}
  - {id: tablet, name: Tablet, kind: external_entity}
flows:
  - {id: orders, name: Orders, source: tablet, destination: pump, data_classes: [therapy_commands]}
"""
RISKFILE_SAFETY = b"id,hazard,hazardous_situation,harm\nHAZ-1,Over-infusion,Too fast,Overdose\n"


def riskfile_objects(version: Any) -> dict[str, str]:
    """A threat model with threats, one risk, control and safety entry (ids for the matrix)."""
    riskfile_services.import_model(version, RISKFILE_MODEL)
    threat = version.threats.order_by("identifier").first()
    risk = riskfile_services.create_risk(
        version, {"exploitability": "high", "patient_safety": "critical"}, threat=threat
    )
    control = riskfile_controls.create_control(
        version,
        {
            "name": "Signed orders",
            "category": "authentication",
            "requirement": "Sign.",
            "elements": ["pump"],
        },
        risks=[risk],
    )
    riskfile_safety.import_safety_entries(version, RISKFILE_SAFETY)
    return {
        "threat_id": str(threat.pk),
        "risk_id": str(risk.pk),
        "control_id": str(control.pk),
        "entry_id": str(version.safety_entries.get().pk),
    }


def riskfile_link(version: Any) -> dict[str, str]:
    """The version's finding linked to its risk (ids for the matrix)."""
    from medvigil.riskfile import vulnerabilities as riskfile_vulnerabilities
    from medvigil.vulns.models import Finding

    finding = Finding.objects.filter(version=version).first()
    link = riskfile_vulnerabilities.link_vulnerability(
        version,
        vulnerability=finding.vulnerability,
        finding=finding,
        risk=version.risks.get(),
        rationale="matrix",
    )
    return {"link_id": str(link.pk)}


def owned_objects(team: Any, hospital: Any, label: str) -> dict[str, str]:
    product = factories.product(owner=team, name=f"{label} pump", model_number=f"{label}-1")
    version = factories.version(product, label="1.0", phase="deployed")
    portfolio_services.set_installed_base(version, user=None, count=10)
    portfolio_services.record_deployment(version, user=None, organisation=hospital, units=3)
    document = sbom_services.import_sbom(version, TINY_SBOM, "bom.json", "firmware", None)
    component = document.components.first()
    riskfile = riskfile_objects(version)
    vulns_matching.match_version(version)
    riskfile.update(riskfile_link(version))
    vex_document = vex_services.import_vex(version, MATRIX_VEX, "supplier-vex.json", None)
    return {
        "product_id": str(product.pk),
        "version_id": str(version.pk),
        "document_id": str(document.pk),
        "vex_document_id": str(vex_document.pk),
        "component_id": str(component.pk),
        **riskfile,
        "organisation_id": str(hospital.pk),
        "object_type": "portfolio.product",
        "object_id": str(product.pk),
        "before": str(version.pk),
        "after": str(version.pk),
        "format_name": "cyclonedx-json",
        "uidb64": "MQ",
        "token": "set-password",
        "identifier": "CVE-2099-0001",
    }


def identity_objects(component_id: str, user: Any) -> dict[str, str]:
    """A CPE confirmation and a product mapping (identities are shared, not owned)."""
    component = Component.objects.get(pk=component_id)
    confirmation = vulns_identities.confirm_cpe(component, user, "zlib", "zlib", "matrix")
    mapping = vulns_identities.map_product(component, user, "name", "zlib", "zlib", "matrix")
    return {"confirmation_id": str(confirmation.pk), "mapping_id": str(mapping.pk)}


MATRIX_FEED = "matrix-feed"


def feed_source(name: str) -> None:
    """A configured, disabled feed source: enabling it downloads nothing in a test."""
    from medvigil.vulns.models import FeedSource

    FeedSource.objects.create(name=name, url="https://feeds.example/kev.json", enabled=False)


def disclosure_case(reporter: Any, label: str) -> dict[str, str]:
    """A case reported by `reporter` (the own world's is the matrix researcher's), with a file."""
    from medvigil.disclosure.intake import services as disclosure_services

    report = disclosure_services.ReportData(
        title=f"{label} report", description="matrix", files=[("proof.txt", b"proof")]
    )
    receipt = disclosure_services.submit_report(
        report, reporter_user=reporter, address=f"matrix-{label}"
    )
    return {
        "case_id": str(receipt.case.pk),
        "follow_up_token": receipt.follow_up_token,
        "attachment_id": str(receipt.case.attachments.get().pk),
    }


def matrix_report(version: Any) -> Any:
    from medvigil.reports.document import Paragraph, Report, Section

    return Report(
        title="Matrix report",
        subject=str(version),
        identifier=f"MATRIX-{version.pk}",
        generated_at=datetime(2026, 1, 1, tzinfo=UTC),
        sections=(Section("Summary", (Paragraph("matrix"),)),),
    )


def issued_report(version_id: str, user: Any) -> dict[str, str]:
    """An issued report of the version, and a kind of report the matrix may issue."""
    from medvigil.portfolio.models import ProductVersion
    from medvigil.reports import kinds
    from medvigil.reports import services as reports_services

    kinds.register_kind("matrix", "Matrix report", matrix_report)
    version = ProductVersion.objects.get(pk=version_id)
    issued = reports_services.issue_report(user, "matrix", version, matrix_report(version))
    return {"report_id": str(issued.pk), "kind": "matrix", "output": "html"}


def case_work(case_id: str, party_user: Any, version_id: str, label: str) -> dict[str, str]:
    """A party (account and link), a notification and the version's finding, for the case."""
    from medvigil.disclosure.cases.models import Case
    from medvigil.disclosure.notifications import services as disclosure_notifications
    from medvigil.disclosure.parties import services as disclosure_parties
    from medvigil.vulns.models import Finding

    case = Case.objects.get(pk=case_id)
    invitation = disclosure_parties.invite(
        case,
        user=None,
        kind="supplier",
        name=f"{label} supplier",
        account=party_user,
        with_link=True,
    )
    notification = disclosure_notifications.record_notification(
        case, user=None, recipient="cisa", rule="coordinator", started_at=case.received_at
    )
    finding = Finding.objects.filter(version_id=version_id).first()
    return {
        "party_id": str(invitation.party.pk),
        "access_token": invitation.access_token,
        "notification_id": str(notification.pk),
        "finding_id": str(finding.pk if finding else 0),
    }


def triage_objects(version_id: str) -> dict[str, str]:
    """A decision waiting for approval and an open supplier proposal on the version's finding."""
    from medvigil.triage import services as triage_services
    from medvigil.triage.statements import Statement
    from medvigil.vulns.models import Finding

    finding = Finding.objects.filter(version_id=version_id).first()
    decision = triage_services.decide(
        finding, None, Statement("affected", action_statement="Patch.")
    )
    proposal = triage_services.propose(
        finding,
        "affected",
        action="Update.",
        source_label="Matrix supplier VEX",
        source_document_ref="m",
    )
    return {"decision_id": str(decision.pk), "proposal_id": str(proposal.pk)}


def draft_advisory(place: dict[str, str], user: Any) -> dict[str, str]:
    """The world's case about its own version, with a draft advisory (each world its own)."""
    from medvigil.disclosure.advisories import services as advisory_services
    from medvigil.disclosure.cases import services as case_services
    from medvigil.disclosure.cases.models import Case
    from medvigil.portfolio.models import ProductVersion

    case = Case.objects.get(pk=place["case_id"])
    version = ProductVersion.objects.get(pk=place["version_id"])
    case_services.confirm_affected(case, user=user, version=version, reason="matrix")
    data = advisory_services.AdvisoryData(title="Matrix draft", summary="matrix")
    return {"advisory_id": str(advisory_services.create_advisory(case, user, data).pk)}


def team_alerts(team: Any, administrator: Any) -> dict[str, str]:
    """A team's webhook and subscription, set up by an administrator."""
    webhook, _ = alerts_services.create_webhook(
        administrator, f"{team.name} hook", "https://hooks.example.org/matrix", team=team
    )
    subscription = alerts_services.create_subscription(
        administrator,
        alerts_services.SubscriptionData(name="matrix", kinds=["finding-new"]),
        team=team,
    )
    return {"subscription_id": str(subscription.pk), "webhook_id": str(webhook.pk)}


def build_world() -> World:
    world = World()
    own_team, other_team = factories.team("Own Team"), factories.team("Other Team")
    own_hospital = factories.organisation("customer", "Own Hospital")
    other_hospital = factories.organisation("customer", "Other Hospital")
    organisations = {
        "customer": own_hospital,
        "supplier": factories.organisation("supplier", "A Supplier"),
        "researcher": factories.organisation("research", "A Research Group"),
    }
    for role in ROLES:
        if role == ANONYMOUS:
            continue
        inside = role not in organisations
        world.users[role] = factories.user(
            username=f"matrix-{role}",
            roles={role},
            teams=[own_team] if inside else [],
            organisation=None if inside else organisations[role],
        )
    factories.feed_import(ADVISORY, name="matrix-advisory.json")
    feed_source(MATRIX_FEED)
    world.own = owned_objects(own_team, own_hospital, "OWN")
    world.other = owned_objects(other_team, other_hospital, "OTHER")
    world.own["source_name"] = world.other["source_name"] = MATRIX_FEED
    # Bodies that name a team name this world's team (ids differ between databases).
    world.own["team_id"] = str(own_team.pk)
    world.other["team_id"] = str(other_team.pk)
    stranger = factories.user(
        username="matrix-other-researcher",
        roles={Role.RESEARCHER.value},
        organisation=organisations["researcher"],
    )
    for place in (world.own, world.other):
        place.update(issued_report(place["version_id"], world.users[ADMINISTRATOR]))
    world.own.update(disclosure_case(world.users["researcher"], "OWN"))
    world.other.update(disclosure_case(stranger, "OTHER"))
    other_supplier = factories.user(
        username="matrix-other-supplier",
        roles={Role.SUPPLIER.value},
        organisation=organisations["supplier"],
    )
    world.own.update(
        case_work(world.own["case_id"], world.users["supplier"], world.own["version_id"], "OWN")
    )
    world.other.update(
        case_work(world.other["case_id"], other_supplier, world.other["version_id"], "OTHER")
    )
    published = advisory_matrix_values()  # public: the same advisory in both worlds
    world.own.update(published)
    world.other.update(published)
    for place in (world.own, world.other):
        place.update(draft_advisory(place, world.users[ADMINISTRATOR]))
    for place in (world.own, world.other):
        place.update(triage_objects(place["version_id"]))
    world.own.update(team_alerts(own_team, world.users[ADMINISTRATOR]))
    world.other.update(team_alerts(other_team, world.users[ADMINISTRATOR]))
    subject = factories.user(username="matrix-subject", roles={Role.VIEWER.value}, teams=[own_team])
    failed = DBTaskResult.objects.create(
        task_path="tests.web.tasks_for_tests.failing_work",
        args_kwargs={"args": ["x"], "kwargs": {}},
        queue_name="default",
        backend_name="default",
        priority=50,
        status="FAILED",
        run_after="9999-01-01T00:00:00Z",
        exception_class_path="builtins.RuntimeError",
        traceback="",
    )
    for place in (world.own, world.other):
        place["user_id"] = str(subject.pk)
        place["task_id"] = str(failed.id)
    world.own.update(identity_objects(world.own["component_id"], world.users[ADMINISTRATOR]))
    world.other.update(
        {key: world.own[key] for key in ("confirmation_id", "mapping_id")}  # shared, not owned
    )
    world.other_token_id = str(
        tokens.issue_token(subject, name="someone else's", scope="write", lifetime_days=5).token.pk
    )
    return world


def own_token_id(user: Any) -> str:
    return str(tokens.issue_token(user, name="mine", scope="write", lifetime_days=5).token.pk)
