"""Indexes for the portfolio-wide component search (`medvigil.sbom.search`).

No column is added and no row rewritten: on a big component table the
migration costs two index builds. The CPE index holds `LOWER(cpe)` in a
byte-wise order, so a range finds every CPE that starts with a vendor and
product: SQLite compares text byte-wise already, PostgreSQL needs `COLLATE "C"`
(its database collation may ignore punctuation). Django cannot declare a
collation that differs per database on a model index, hence the SQL here.
The index is partial (components with a CPE only): most have none, and with
them in it the planners' statistics would deem a range on it unselective.
"""

from django.db import migrations, models
from django.db.models.functions import Lower

CPE_INDEX = "sbom_component_cpe_folded"


def create_cpe_index(apps, schema_editor):
    collation = ' COLLATE "C"' if schema_editor.connection.vendor == "postgresql" else ""
    schema_editor.execute(
        f'CREATE INDEX "{CPE_INDEX}" ON "sbom_component" ((LOWER("cpe"){collation})) '
        "WHERE \"cpe\" > ''"
    )


def drop_cpe_index(apps, schema_editor):
    schema_editor.execute(f'DROP INDEX "{CPE_INDEX}"')


class Migration(migrations.Migration):
    dependencies = [("sbom", "0001_initial")]

    operations = [
        migrations.AddIndex(
            model_name="component",
            index=models.Index(Lower("name"), name="sbom_component_name_folded"),
        ),
        migrations.RunPython(create_cpe_index, drop_cpe_index),
    ]
