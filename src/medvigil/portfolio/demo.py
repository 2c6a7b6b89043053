"""The demo portfolio: a device security team, two hospitals and four connected devices.

Everything is written through the portfolio services, so the demo has the
same audit trail as real use. The step is idempotent: a product or version
that already exists (by model number, by version string) is left as it is.
Dates are counted back from today, so every timeline lies in the past.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from medvigil.accounts.demo import DEMO_TEAM, organisation_named, team_named
from medvigil.accounts.models import Organisation
from medvigil.platform.demo import register_demo_step
from medvigil.portfolio import services
from medvigil.portfolio.models import Product, ProductVersion
from medvigil.portfolio.services import ClinicalFunctionData as Function
from medvigil.portfolio.validation import today

DEMO_CUSTOMERS = ("St. Example General Hospital", "Northside Clinic")


@dataclass(frozen=True)
class VersionPlan:
    version: str
    # (phase, days before today, note); the first entry is the phase it was created in.
    steps: list[tuple[str, int, str]]
    values: dict[str, Any] = field(default_factory=dict)
    installed_base: int = 0
    deployments: dict[str, int] = field(default_factory=dict)


@dataclass(frozen=True)
class ProductPlan:
    values: dict[str, Any]
    functions: list[Function]
    versions: list[VersionPlan]


def days_ago(days: int) -> datetime.date:
    return today() - datetime.timedelta(days=days)


def years_from_now(years: int) -> datetime.date:
    return today() + datetime.timedelta(days=365 * years)


RELEASE_PATH = [
    ("development", "Design review passed; implementation starts."),
    ("verification", "Feature complete; verification and penetration test start."),
    ("production", "Verification and security testing passed; released to manufacturing."),
    ("distribution", "Shipping to customers."),
    ("deployed", "Installed at the first customer sites."),
]


def released(
    start: int, spacing: int = 60, *, until: str = "deployed"
) -> list[tuple[str, int, str]]:
    """The usual path from design to `until`: a step every `spacing` days from `start` days ago."""
    steps = [("design", start, "Version planned.")]
    for position, (phase, note) in enumerate(RELEASE_PATH, start=1):
        steps.append((phase, start - position * spacing, note))
        if phase == until:
            break
    return steps


INFUSION_PUMP = ProductPlan(
    values={
        "name": "Aurora LVP-300 Infusion Pump",
        "model_number": "LVP-300",
        "udi_di": "00812345000012",
        "us_class": "II",
        "eu_class": "IIb",
        "intended_use": (
            "Large-volume infusion pump for the controlled intravenous delivery of fluids, "
            "medications, blood and blood products to adult and paediatric patients in hospital "
            "wards, intensive care and operating rooms, in continuous, intermittent and bolus "
            "modes. Versions are releases of the pump's embedded firmware."
        ),
        "is_cyber_device": True,
        "cyber_device_reason": (
            "Runs embedded firmware with a network stack; connects over the hospital Wi-Fi to "
            "the drug library server and to the EHR for auto-programming (IHE PCD), so it can "
            "be reached from the internet through the hospital network and could be vulnerable."
        ),
    },
    functions=[
        Function(
            "Infusion delivery at the programmed rate", "Volumetric pumping mechanism", True, True
        ),
        Function("Occlusion and air-in-line alarms", "Stops the infusion and alarms", True, True),
        Function("Dose error reduction", "Drug library hard and soft limits", True, False),
        Function("Manual programming at the pump", "Works with the network down", False, True),
        Function("Infusion history log", "Event log for clinical review", False, False),
    ],
    versions=[
        VersionPlan(
            "2.4.1",
            [
                ("deployed", 2900, "Recorded from the legacy release register."),
                ("maintenance", 1500, "Succeeded by 3.0; corrective releases only."),
                ("end-of-support", 200, "End of support announced to customers 12 months ahead."),
            ],
            values={
                "release_date": days_ago(3000),
                "updatable_in_field": True,
                "update_method": "service",
            },
            installed_base=35,
            deployments={"Northside Clinic": 12},
        ),
        VersionPlan(
            "3.0.2",
            [
                *released(1500, 90),
                ("maintenance", 300, "Succeeded by 3.1; corrective releases only."),
            ],
            values={
                "end_of_support_date": years_from_now(3),
                "updatable_in_field": True,
                "update_method": "remote",
            },
            installed_base=420,
            deployments={"St. Example General Hospital": 180},
        ),
        VersionPlan(
            "3.1.0",
            released(700, 80),
            values={
                "end_of_support_date": years_from_now(6),
                "updatable_in_field": True,
                "update_method": "remote",
            },
            installed_base=260,
            deployments={"St. Example General Hospital": 60, "Northside Clinic": 24},
        ),
        VersionPlan(
            "3.2.0",
            released(120, 50, until="verification"),
            values={
                "updatable_in_field": True,
                "update_method": "remote",
                "notes": "Adds TLS 1.3 and signed drug libraries.",
            },
        ),
    ],
)

COMPANION_APP = ProductPlan(
    values={
        "name": "Aurora Infuse Companion App",
        "model_number": "AIC-APP",
        "us_class": "II",
        "eu_class": "IIa",
        "intended_use": (
            "Tablet application for nurses that shows the status, remaining time and alarms of "
            "Aurora LVP-300 pumps on a ward as a secondary display. It does not replace the "
            "pump's own alarms and cannot start or change an infusion."
        ),
        "is_cyber_device": True,
        "cyber_device_reason": (
            "Software that talks to the pump gateway over the hospital network and receives "
            "updates from the manufacturer's app distribution service."
        ),
    },
    functions=[
        Function("Secondary alarm display", "Mirrors pump alarms to the nurse", False, False),
        Function("Ward infusion overview", "Remaining volume and time per pump", False, False),
    ],
    versions=[
        VersionPlan(
            "1.2.0",
            released(600, 70),
            values={"updatable_in_field": True, "update_method": "customer"},
            installed_base=90,
            deployments={"St. Example General Hospital": 40},
        ),
        VersionPlan(
            "1.3.0",
            released(90, 45, until="development"),
            values={"updatable_in_field": True, "update_method": "customer"},
        ),
    ],
)

PATIENT_MONITOR = ProductPlan(
    values={
        "name": "Vigil PM-12 Patient Monitor",
        "model_number": "PM-12",
        "udi_di": "00812345000029",
        "us_class": "II",
        "eu_class": "IIb",
        "intended_use": (
            "Bedside multi-parameter monitoring (ECG with arrhythmia detection, SpO2, "
            "non-invasive blood pressure, temperature, respiration) of adult, paediatric and "
            "neonatal patients in hospital care units, with alarms forwarded to a central station."
        ),
        "is_cyber_device": True,
        "cyber_device_reason": (
            "Networked to the central station over the clinical LAN and sends HL7 results to "
            "the EHR; runs an embedded Linux whose components receive security updates."
        ),
    },
    functions=[
        Function("ECG monitoring and arrhythmia alarms", "", True, True),
        Function("SpO2 monitoring and desaturation alarms", "", True, True),
        Function("Non-invasive blood pressure", "", True, False),
        Function("Alarm forwarding to the central station", "", True, False),
        Function("Trend review", "72 hours of trends at the bedside", False, False),
    ],
    versions=[
        VersionPlan(
            "5.0.3",
            [
                ("deployed", 3300, "Recorded from the legacy release register."),
                ("end-of-support", 1100, "Support ended; customers offered upgrades to 5.2."),
                ("decommissioned", 400, "Last units returned and disposed of."),
            ],
            values={"release_date": days_ago(3400), "update_method": "none"},
        ),
        VersionPlan(
            "5.2.0",
            [
                ("deployed", 2200, "Recorded from the legacy release register."),
                ("maintenance", 900, "Succeeded by 6.0."),
                ("end-of-support", 60, "End of support; upgrade path to 6.0 offered."),
            ],
            values={
                "release_date": days_ago(2300),
                "updatable_in_field": True,
                "update_method": "service",
            },
            installed_base=140,
            deployments={"Northside Clinic": 30},
        ),
        VersionPlan(
            "6.0.1",
            released(1000, 100),
            values={
                "end_of_support_date": years_from_now(7),
                "updatable_in_field": True,
                "update_method": "service",
            },
            installed_base=610,
            deployments={"St. Example General Hospital": 210, "Northside Clinic": 18},
        ),
        VersionPlan(
            "6.1.0",
            released(300, 70, until="production"),
            values={"updatable_in_field": True, "update_method": "service"},
        ),
    ],
)

IMAGING_WORKSTATION = ProductPlan(
    values={
        "name": "ClearView CVW-8 Imaging Workstation",
        "model_number": "CVW-8",
        "udi_di": "00812345000036",
        "us_class": "II",
        "eu_class": "IIa",
        "intended_use": (
            "Display, processing and review of DICOM images (CT, MR, X-ray, ultrasound) by "
            "trained physicians for diagnosis, with retrieval from and storage to PACS."
        ),
        "is_cyber_device": True,
        "cyber_device_reason": (
            "A Windows-based workstation with DICOM networking to PACS and modalities and a "
            "remote service connection to the manufacturer."
        ),
    },
    functions=[
        Function("Diagnostic image display", "Calibrated display for primary reading", True, False),
        Function("Image retrieval from PACS", "DICOM query/retrieve", True, False),
        Function(
            "Stat worklist for emergency reads", "Works on locally cached studies", False, True
        ),
        Function("Measurement and annotation", "", False, False),
    ],
    versions=[
        VersionPlan(
            "8.0",
            [*released(1300, 80), ("maintenance", 250, "Succeeded by 8.1.")],
            values={
                "end_of_support_date": years_from_now(2),
                "updatable_in_field": True,
                "update_method": "remote",
            },
            installed_base=48,
            deployments={"St. Example General Hospital": 6},
        ),
        VersionPlan(
            "8.1",
            released(500, 60),
            values={
                "end_of_support_date": years_from_now(5),
                "updatable_in_field": True,
                "update_method": "remote",
            },
            installed_base=75,
            deployments={"St. Example General Hospital": 4, "Northside Clinic": 2},
        ),
        VersionPlan(
            "9.0",
            [("design", 30, "Version planned; threat modelling under way.")],
            values={"notes": "Moves to a hardened Windows IoT image."},
        ),
    ],
)

DEMO_PRODUCTS = [INFUSION_PUMP, COMPANION_APP, PATIENT_MONITOR, IMAGING_WORKSTATION]


def load_version(product: Product, plan: VersionPlan, customers: dict[str, Organisation]) -> None:
    (first_phase, first_days, first_note), *later = plan.steps
    version = services.create_version(
        product,
        user=None,
        values={"version": plan.version, **plan.values},
        phase=first_phase,
        effective_date=days_ago(first_days),
        note=first_note,
    )
    for phase, days, note in later:
        services.move_to_phase(
            version, user=None, to_phase=phase, note=note, effective_date=days_ago(days)
        )
    if plan.installed_base:
        services.set_installed_base(
            version, user=None, count=plan.installed_base, note="Service records"
        )
    version.refresh_from_db()
    for name, units in plan.deployments.items():
        services.record_deployment(
            version,
            user=None,
            organisation=customers[name],
            units=units,
            since=version.release_date,
        )


@register_demo_step
def load_portfolio() -> list[str]:
    report = []
    with transaction.atomic():
        team = team_named(DEMO_TEAM)
        customers = {
            name: organisation_named(name, Organisation.Kind.CUSTOMER) for name in DEMO_CUSTOMERS
        }
        for plan in DEMO_PRODUCTS:
            product = Product.objects.filter(model_number=plan.values["model_number"]).first()
            if product is None:
                product = services.create_product(
                    user=None, team=team, values=plan.values, clinical_functions=plan.functions
                )
                report.append(f"created product {product.name}")
            for version_plan in plan.versions:
                if ProductVersion.objects.filter(
                    product=product, version=version_plan.version
                ).exists():
                    continue
                load_version(product, version_plan, customers)
                report.append(f"created {product.name} {version_plan.version}")
    if not report:
        report.append("demo portfolio already present")
    return report
