"""The shapes of the portfolio API: what comes in, what goes out."""

from __future__ import annotations

import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field

from medvigil.portfolio.models import LifecyclePhase, Product, ProductVersion

PhaseName = Literal[
    "design",
    "development",
    "verification",
    "production",
    "distribution",
    "deployed",
    "maintenance",
    "end-of-support",
    "decommissioned",
]
UsClassName = Literal["", "I", "II", "III"]
EuClassName = Literal["", "I", "IIa", "IIb", "III"]
UpdateMethodName = Literal["none", "service", "remote", "customer"]

assert set(PhaseName.__args__) == set(LifecyclePhase.values)  # type: ignore[attr-defined]
assert set(UsClassName.__args__) - {""} == set(Product.UsClass.values)  # type: ignore[attr-defined]
assert set(EuClassName.__args__) - {""} == set(Product.EuClass.values)  # type: ignore[attr-defined]
assert set(UpdateMethodName.__args__) == set(ProductVersion.UpdateMethod.values)  # type: ignore[attr-defined]


class ClinicalFunctionSchema(Schema):
    name: str = Field(min_length=1, max_length=200)
    description: str = ""
    essential_performance: bool = Field(False, description="Part of essential clinical performance")
    emergency_access: bool = Field(False, description="Must stay available in an emergency")


class TeamOut(Schema):
    id: int
    name: str


class ProductIn(Schema):
    name: str = Field(min_length=1, max_length=200)
    model_number: str = Field(min_length=1, max_length=100)
    team_id: int
    udi_di: str = Field("", max_length=100, description="UDI device identifier, where assigned")
    us_class: UsClassName = ""
    eu_class: EuClassName = ""
    intended_use: str = ""
    is_cyber_device: bool = Field(False, description="FD&C Act section 524B cyber device")
    cyber_device_reason: str = Field("", description="Required when is_cyber_device is true")
    clinical_functions: list[ClinicalFunctionSchema] = []


class ProductPatch(Schema):
    """Only the fields sent are changed; `clinical_functions`, when sent, replaces the list."""

    name: str | None = Field(None, min_length=1, max_length=200)
    model_number: str | None = Field(None, min_length=1, max_length=100)
    team_id: int | None = None
    udi_di: str | None = Field(None, max_length=100)
    us_class: UsClassName | None = None
    eu_class: EuClassName | None = None
    intended_use: str | None = None
    is_cyber_device: bool | None = None
    cyber_device_reason: str | None = None
    clinical_functions: list[ClinicalFunctionSchema] | None = None


class ProductOut(Schema):
    id: int
    name: str
    model_number: str
    udi_di: str
    us_class: str
    eu_class: str
    intended_use: str
    is_cyber_device: bool
    cyber_device_reason: str
    team: TeamOut
    clinical_functions: list[ClinicalFunctionSchema]
    created_at: datetime.datetime


class ProductSummaryOut(Schema):
    id: int
    name: str
    model_number: str
    us_class: str
    eu_class: str
    is_cyber_device: bool
    team: TeamOut


class VersionIn(Schema):
    version: str = Field(min_length=1, max_length=100)
    phase: PhaseName = Field("design", description="Phase the version starts in")
    effective_date: datetime.date | None = Field(
        None, description="When it entered that phase; today when absent"
    )
    note: str = ""
    release_date: datetime.date | None = None
    end_of_support_date: datetime.date | None = None
    end_of_life_date: datetime.date | None = None
    updatable_in_field: bool = False
    update_method: UpdateMethodName = "none"
    notes: str = ""


class VersionPatch(Schema):
    """Only the fields sent are changed; the phase changes through transitions."""

    version: str | None = Field(None, min_length=1, max_length=100)
    release_date: datetime.date | None = None
    end_of_support_date: datetime.date | None = None
    end_of_life_date: datetime.date | None = None
    updatable_in_field: bool | None = None
    update_method: UpdateMethodName | None = None
    notes: str | None = None


class VersionOut(Schema):
    id: int
    product_id: int
    product_name: str
    version: str
    phase: PhaseName
    phase_label: str
    next_phases: list[str] = Field(description="Phases this version may move to now")
    release_date: datetime.date | None
    end_of_support_date: datetime.date | None
    end_of_life_date: datetime.date | None
    updatable_in_field: bool
    update_method: str
    installed_base: int | None = Field(description="Units in use; null for outside users")
    notes: str | None = Field(description="Null for outside users")
    created_at: datetime.datetime


class TransitionIn(Schema):
    to_phase: PhaseName
    note: str = Field(min_length=1, description="Why the version changes phase")
    effective_date: datetime.date | None = Field(None, description="Today when absent")


class TransitionOut(Schema):
    id: int
    from_phase: str = Field(description="Empty for the version's first phase")
    to_phase: str
    effective_date: datetime.date
    note: str | None = Field(description="Null for outside users")
    recorded_by: str | None = Field(description="Null for outside users")
    recorded_at: datetime.datetime


class InstalledBaseIn(Schema):
    count: int = Field(ge=0)
    note: str = ""


class DeploymentIn(Schema):
    units: int = Field(ge=1)
    since: datetime.date | None = None


class DeploymentOut(Schema):
    id: int
    organisation_id: int
    organisation_name: str
    version_id: int
    product_id: int
    product_name: str
    version: str
    units: int
    since: datetime.date | None
