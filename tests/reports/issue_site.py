"""Issuing and signing a report in a crash-test site: `python -m tests.reports.issue_site STEP`.

Run in a subprocess on the site's home and database (not in the test's own
database). STEP is `setup` (a version, its author and approver), `issue` or
`sign` (the approver approves the latest issue). With a second argument, a
file path, the step holds inside its transaction once its row is written
(the report, or the signature): it writes that file and waits to be killed.
"""

from __future__ import annotations

import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from medvigil.platform.setup import setup_django

HELD_SECONDS = 120


def sheet(version: Any) -> Any:
    # The report types load only once Django is set up.
    from medvigil.reports.document import Paragraph, Report, Section

    return Report(
        title="Version sheet",
        subject=f"{version.product.name} {version.version}",
        identifier=f"SHEET-{version.pk}",
        generated_at=datetime(2026, 11, 1, tzinfo=UTC),
        sections=(Section("Lifecycle", (Paragraph(f"Phase: {version.phase}"),)),),
    )


def hold_after_save(model: Any, marker: Path) -> None:
    """Once a row of `model` is written (inside the step's transaction), wait to be killed."""
    from django.db.models.signals import post_save  # loads once Django is set up

    def hold(**_: Any) -> None:
        marker.write_text("held")
        time.sleep(HELD_SECONDS)

    post_save.connect(hold, sender=model, weak=False)


def main(step: str, marker: Path | None) -> None:
    setup_django()
    # Models and helpers load only once Django is set up.
    from django.contrib.auth import get_user_model

    from medvigil.audit.context import Actor, acting_as
    from medvigil.audit.models import Signature
    from medvigil.audit.signatures import sign
    from medvigil.portfolio.models import ProductVersion
    from medvigil.reports import kinds, services
    from medvigil.reports.models import IssuedReport
    from tests import factories

    kinds.register_kind("sheet", "Version sheet", sheet)
    if step == "setup":
        with acting_as(Actor(label="crash test set-up")):
            team = factories.team("Pumps")
            product = factories.product(owner=team, name="Infusion pump")
            factories.version(product, label="2.1", phase="production")
            factories.user(username="author", roles={"product-security"}, teams=[team])
            factories.user(username="approver", roles={"regulatory"}, teams=[team])
        return
    users = get_user_model().objects
    if step == "issue":
        if marker:
            hold_after_save(IssuedReport, marker)
        issued = services.issue(users.get(username="author"), "sheet", ProductVersion.objects.get())
        print(issued.sha256)
    elif step == "sign":
        if marker:
            hold_after_save(Signature, marker)
        latest = IssuedReport.objects.latest("number")
        sign(users.get(username="approver"), latest, "approved", factories.PASSWORD)


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]) if len(sys.argv) > 2 else None)
