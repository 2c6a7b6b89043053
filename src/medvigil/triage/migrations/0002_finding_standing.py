"""Copy the statement in force of every key that has triage records onto its findings."""

from collections import defaultdict

from django.db import migrations

# The same ranks as `medvigil.core.scoring.Priority`, frozen here as of this migration.
RANKS = {"critical": 0, "high": 1, "medium": 2, "low": 3}
UNSCORED_RANK = 4


def identity(finding, component_key):
    copied = (finding.component_name, finding.component_version, finding.component_purl)
    if not finding.component_name and finding.component_id is not None:
        component = finding.component
        copied = (component.name, component.version, component.purl)
    return (finding.version_id, finding.vulnerability_id, component_key(*copied))


def fill(apps, schema_editor):
    # The key's rules are a pure function of the component; reading them here keeps one truth.
    from medvigil.triage.keys import component_key

    finding_model = apps.get_model("vulns", "Finding")
    models = {
        name: apps.get_model("triage", name)
        for name in ("Decision", "Assessment", "RemediationPlan")
    }
    pairs = set()
    for model in models.values():
        pairs.update(model.objects.values_list("version_id", "vulnerability_id").distinct())
    for version_id, vulnerability_id in sorted(pairs):
        scope = {"version_id": version_id, "vulnerability_id": vulnerability_id}
        decisions = defaultdict(list)
        for row in models["Decision"].objects.filter(**scope).order_by("-created_at", "-id"):
            decisions[row.component_key].append(row)
        scores = {row.component_key: row for row in models["Assessment"].objects.filter(**scope)}
        plans = {
            row.component_key: row for row in models["RemediationPlan"].objects.filter(**scope)
        }
        for finding in finding_model.objects.filter(**scope):
            key = identity(finding, component_key)[2]
            history = decisions.get(key, [])
            pending = [row.requires_approval and row.approved_at is None for row in history]
            effective = next(
                (row for row, wait in zip(history, pending, strict=True) if not wait), None
            )
            values = {"triage_pending": bool(pending) and pending[0]}
            if effective is not None:
                values["triage_status"] = effective.status
            assessment, plan = scores.get(key), plans.get(key)
            if assessment is not None:
                values["triage_priority"] = assessment.priority
                values["triage_rank"] = RANKS.get(assessment.priority, UNSCORED_RANK)
                values["triage_ssvc"] = assessment.ssvc_outcome
                values["triage_kev"] = assessment.kev_listed
            if plan is not None and plan.remediated_at is None and plan.due_at is not None:
                values["triage_due"] = plan.due_at
            finding_model.objects.filter(pk=finding.pk).update(**values)


class Migration(migrations.Migration):
    dependencies = [
        ("triage", "0001_initial"),
        ("vulns", "0008_finding_triage_standing"),
    ]

    operations = [migrations.RunPython(fill, migrations.RunPython.noop)]
