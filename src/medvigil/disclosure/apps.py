from typing import Any

from django.apps import AppConfig


class DisclosureConfig(AppConfig):
    name = "medvigil.disclosure"
    label = "disclosure"
    verbose_name = "Coordinated vulnerability disclosure"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Policies, tiles and demo steps register themselves; models must be ready first.
        from medvigil.disclosure.advisories import demo as advisory_demo  # noqa: F401
        from medvigil.disclosure.advisories import policies as advisory_policies
        from medvigil.disclosure.cases import demo, metrics, policies, tiles  # noqa: F401
        from medvigil.disclosure.notifications import policies as notification_policies  # noqa: F401
        from medvigil.disclosure.parties import policies as party_policies  # noqa: F401
        from medvigil.platform.navigation import Area, register_area

        register_area(Area("Disclosure", "disclosure:case-list", 40))
        # Authors write advisories; everyone else reads the published ones.
        register_area(
            Area("Advisories", "advisories:advisory-list", 45, allowed=advisory_policies.is_author)
        )
        register_area(
            Area("Advisories", "advisories:public-list", 45, allowed=reads_published_advisories)
        )


def reads_published_advisories(user: Any) -> bool:
    from medvigil.disclosure.advisories.policies import is_author  # models load after ready()

    return not is_author(user)
