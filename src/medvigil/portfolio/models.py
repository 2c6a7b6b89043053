from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from medvigil.accounts.models import Organisation, Team


class Product(models.Model):
    """A device model the manufacturer makes."""

    class UsClass(models.TextChoices):
        I = "I", "Class I"  # noqa: E741 (the FDA's own name)
        II = "II", "Class II"
        III = "III", "Class III"

    class EuClass(models.TextChoices):
        I = "I", "Class I"  # noqa: E741
        IIA = "IIa", "Class IIa"
        IIB = "IIb", "Class IIb"
        III = "III", "Class III"

    name = models.CharField(max_length=200)
    model_number = models.CharField(max_length=100, unique=True)
    udi_di = models.CharField("UDI-DI", max_length=100, blank=True)
    us_class = models.CharField(max_length=4, choices=UsClass.choices, blank=True)
    eu_class = models.CharField(max_length=4, choices=EuClass.choices, blank=True)
    intended_use = models.TextField(blank=True)
    is_cyber_device = models.BooleanField(
        default=False, help_text="FD&C Act section 524B: software, can connect, could be vulnerable"
    )
    cyber_device_reason = models.TextField(blank=True)
    team = models.ForeignKey(Team, on_delete=models.PROTECT, related_name="products")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["udi_di"], condition=~Q(udi_di=""), name="product_udi_di_unique"
            ),
            models.CheckConstraint(
                condition=Q(is_cyber_device=False) | ~Q(cyber_device_reason=""),
                name="product_cyber_device_has_reason",
                violation_error_message="Say why the product is a cyber device (section 524B).",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.model_number})"


class ClinicalFunction(models.Model):
    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="clinical_functions"
    )
    name = models.CharField(max_length=200)
    description = models.TextField(blank=True)
    essential_performance = models.BooleanField(
        default=False, help_text="Part of essential clinical performance"
    )
    emergency_access = models.BooleanField(
        default=False, help_text="Must stay available in an emergency"
    )

    class Meta:
        ordering = ["name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "name"], name="clinical_function_unique")
        ]

    def __str__(self) -> str:
        return self.name


class LifecyclePhase(models.TextChoices):
    DESIGN = "design", "Design"
    DEVELOPMENT = "development", "Development"
    VERIFICATION = "verification", "Verification"
    PRODUCTION = "production", "Production"
    DISTRIBUTION = "distribution", "Distribution"
    DEPLOYED = "deployed", "Deployed"
    MAINTENANCE = "maintenance", "Maintenance"
    END_OF_SUPPORT = "end-of-support", "End of support"
    DECOMMISSIONED = "decommissioned", "Decommissioned"


# Phases from production on are "released": decisions on them carry signatures.
# The allowed moves between phases live in `medvigil.portfolio.lifecycle`.
RELEASED_PHASES = frozenset(
    {
        LifecyclePhase.PRODUCTION,
        LifecyclePhase.DISTRIBUTION,
        LifecyclePhase.DEPLOYED,
        LifecyclePhase.MAINTENANCE,
        LifecyclePhase.END_OF_SUPPORT,
        LifecyclePhase.DECOMMISSIONED,
    }
)


class ProductVersion(models.Model):
    """A release of a product, moving through its lifecycle."""

    class UpdateMethod(models.TextChoices):
        NONE = "none", "Cannot be updated in the field"
        SERVICE = "service", "By a service engineer on site"
        REMOTE = "remote", "Remotely by the manufacturer"
        CUSTOMER = "customer", "By the customer"

    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="versions")
    version = models.CharField(max_length=100)
    phase = models.CharField(
        max_length=20, choices=LifecyclePhase.choices, default=LifecyclePhase.DESIGN
    )
    release_date = models.DateField(null=True, blank=True)
    end_of_support_date = models.DateField(null=True, blank=True)
    end_of_life_date = models.DateField(null=True, blank=True)
    updatable_in_field = models.BooleanField(default=False)
    update_method = models.CharField(
        max_length=20, choices=UpdateMethod.choices, default=UpdateMethod.NONE
    )
    installed_base = models.PositiveIntegerField(
        default=0, help_text="Units in use now, across all customers"
    )
    notes = models.TextField(blank=True, help_text="What this release is: scope, main changes")
    created_at = models.DateTimeField(auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["product__name", "-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["product", "version"], name="version_unique"),
            models.CheckConstraint(
                condition=Q(updatable_in_field=False, update_method="none")
                | (Q(updatable_in_field=True) & ~Q(update_method="none")),
                name="version_update_method_matches",
                violation_error_message=(
                    "A version updatable in the field needs an update method, "
                    "and one that is not has none."
                ),
            ),
            models.CheckConstraint(
                condition=Q(release_date__isnull=True)
                | Q(end_of_support_date__isnull=True)
                | Q(end_of_support_date__gte=F("release_date")),
                name="version_support_ends_after_release",
                violation_error_message="End of support cannot come before the release date.",
            ),
            models.CheckConstraint(
                condition=Q(end_of_support_date__isnull=True)
                | Q(end_of_life_date__isnull=True)
                | Q(end_of_life_date__gte=F("end_of_support_date")),
                name="version_life_ends_after_support",
                violation_error_message="End of life cannot come before end of support.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.product.name} {self.version}"

    @property
    def is_released(self) -> bool:
        return self.phase in RELEASED_PHASES


class PhaseTransition(models.Model):
    """One dated step of a version's lifecycle (the timeline)."""

    version = models.ForeignKey(
        ProductVersion, on_delete=models.CASCADE, related_name="transitions"
    )
    from_phase = models.CharField(max_length=20, choices=LifecyclePhase.choices, blank=True)
    to_phase = models.CharField(max_length=20, choices=LifecyclePhase.choices)
    effective_date = models.DateField()
    note = models.TextField(blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["effective_date", "recorded_at", "id"]

    def __str__(self) -> str:
        return f"{self.version}: {self.from_phase or 'start'} → {self.to_phase}"


class Deployment(models.Model):
    """Units of a version that a customer organisation owns: what that customer may see."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.PROTECT, related_name="deployments"
    )
    version = models.ForeignKey(
        ProductVersion, on_delete=models.PROTECT, related_name="deployments"
    )
    units = models.PositiveIntegerField(default=1)
    since = models.DateField(null=True, blank=True)
    recorded_at = models.DateTimeField(auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        ordering = ["organisation__name", "id"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "version"], name="deployment_unique"),
            models.CheckConstraint(
                condition=Q(units__gte=1),
                name="deployment_has_units",
                violation_error_message="A deployment has at least one unit.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.units} units of {self.version} at {self.organisation}"
