from django.apps import AppConfig


class VulnsConfig(AppConfig):
    name = "medvigil.vulns"
    label = "vulns"
    verbose_name = "Vulnerability intelligence and findings"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Registrations: policies, dashboard tiles, health check, demo step, SBOM hooks, schedule,
        # the open-findings count of the component search.
        from medvigil.platform.navigation import Area, register_area
        from medvigil.platform.workers import register_periodic
        from medvigil.sbom.search import register_finding_counter
        from medvigil.vulns import demo, health, policies, receivers, tiles  # noqa: F401
        from medvigil.vulns.feed_schedule import queue_due_feed_syncs
        from medvigil.vulns.interruptions import recover_interrupted_imports
        from medvigil.vulns.policies import reads_reference_data
        from medvigil.vulns.schedule import queue_full_rematch_if_due
        from medvigil.vulns.selectors import open_findings_by_component
        from medvigil.vulns.tallies import recount_if_due

        register_area(Area("Vulnerabilities", "vulns:search", 20, allowed=reads_reference_data))
        register_periodic(queue_full_rematch_if_due)
        register_finding_counter(open_findings_by_component)
        register_periodic(recover_interrupted_imports)
        register_periodic(queue_due_feed_syncs)
        register_periodic(recount_if_due)
