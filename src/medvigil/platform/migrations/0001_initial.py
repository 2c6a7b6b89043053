"""The worker heartbeat, taken over from the web app with its table."""

from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [("web", "0002_heartbeat_to_platform")]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="WorkerHeartbeat",
                    fields=[
                        (
                            "id",
                            models.BigAutoField(
                                auto_created=True,
                                primary_key=True,
                                serialize=False,
                                verbose_name="ID",
                            ),
                        ),
                        ("worker_id", models.CharField(max_length=64, unique=True)),
                        ("hostname", models.CharField(max_length=255)),
                        ("process_id", models.PositiveIntegerField()),
                        ("queues", models.CharField(max_length=255)),
                        ("started_at", models.DateTimeField()),
                        ("last_seen_at", models.DateTimeField(db_index=True)),
                    ],
                    options={"db_table": "web_workerheartbeat", "ordering": ["-last_seen_at"]},
                )
            ],
            database_operations=[],
        )
    ]
