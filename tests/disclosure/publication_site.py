"""A published advisory in a crash-test site: `python -m tests.disclosure.publication_site URL N`.

Run in a subprocess on the site's home and database (not in the test's own
database): N customer organisations own the affected version, each with a
webhook at URL, and the advisory is published, which queues one delivery
per customer for the worker.
"""

from __future__ import annotations

import sys

from medvigil.platform.setup import setup_django


def main(url: str, customers: int) -> None:
    setup_django()
    # Models and helpers load only once Django is set up.
    from medvigil.audit.context import Actor, acting_as
    from medvigil.disclosure.advisories import services as advisory_services
    from medvigil.portfolio import services as portfolio_services
    from tests import factories
    from tests.disclosure.advisory_helpers import advisory_data, people_and_case, publish_signed

    with acting_as(Actor(label="crash test set-up")):
        world = people_and_case()
        portfolio_services.set_installed_base(world.affected, user=None, count=10 * customers)
        for number in range(1, customers + 1):
            hospital = factories.organisation("customer", f"Hospital {number:02d}")
            portfolio_services.record_deployment(
                world.affected, user=None, organisation=hospital, units=1
            )
            advisory_services.set_webhook(hospital, f"{url}/{number:02d}")
        advisory = advisory_services.create_advisory(world.case, world.author, advisory_data(world))
        revision = publish_signed(world, advisory)
    print(revision.sha256)


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]))
