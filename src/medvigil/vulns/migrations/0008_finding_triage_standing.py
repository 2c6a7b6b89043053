"""Queue columns on findings (kept by triage) and the KEV flag of vulnerabilities."""

import datetime

from django.conf import settings
from django.db import migrations, models
from django.db.models import Exists, OuterRef


def flag_kev(apps, schema_editor):
    vulnerability = apps.get_model("vulns", "Vulnerability")
    alias = apps.get_model("vulns", "VulnerabilityAlias")
    entry = apps.get_model("vulns", "KevEntry")
    listed = alias.objects.filter(
        vulnerability_id=OuterRef("pk"), identifier__in=entry.objects.values("cve_id")
    )
    vulnerability.objects.filter(Exists(listed)).update(kev_listed=True)


class Migration(migrations.Migration):
    dependencies = [
        ("portfolio", "0001_initial"),
        ("sbom", "0002_component_search_indexes"),
        ("vulns", "0007_feed_schedule"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="finding",
            name="triage_due",
            field=models.DateTimeField(
                default=datetime.datetime(9999, 12, 31, 0, 0, tzinfo=datetime.UTC),
                help_text="Remediation due; NO_DUE if none",
            ),
        ),
        migrations.AddField(
            model_name="finding",
            name="triage_kev",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="finding",
            name="triage_pending",
            field=models.BooleanField(default=False),
        ),
        migrations.AddField(
            model_name="finding",
            name="triage_priority",
            field=models.CharField(default="unscored", max_length=20),
        ),
        migrations.AddField(
            model_name="finding",
            name="triage_rank",
            field=models.PositiveSmallIntegerField(default=4),
        ),
        migrations.AddField(
            model_name="finding",
            name="triage_ssvc",
            field=models.CharField(blank=True, default="", max_length=20),
        ),
        migrations.AddField(
            model_name="finding",
            name="triage_status",
            field=models.CharField(default="under_investigation", max_length=40),
        ),
        migrations.AddField(
            model_name="vulnerability",
            name="kev_listed",
            field=models.BooleanField(default=False),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                condition=models.Q(("state", "open")),
                fields=["triage_due", "triage_rank", "id"],
                name="finding_queue_order",
            ),
        ),
        migrations.AddIndex(
            model_name="vulnerability",
            index=models.Index(
                condition=models.Q(("kev_listed", True)), fields=["id"], name="vulnerability_kev"
            ),
        ),
        migrations.AddIndex(
            model_name="finding",
            index=models.Index(
                condition=models.Q(("state", "open")),
                fields=["version", "id"],
                name="finding_version_open",
            ),
        ),
        migrations.RunPython(flag_kev, migrations.RunPython.noop),
    ]
