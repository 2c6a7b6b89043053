"""The disclosure API at /api/v1/disclosure: the routers of cases, intake, parties and
notifications under one tag. Advisories and CVE ids have their own (`advisories.api`).
"""

from ninja import Router

from medvigil.disclosure.cases.api import router as cases_router
from medvigil.disclosure.intake.api import router as intake_router
from medvigil.disclosure.notifications.api import router as notifications_router
from medvigil.disclosure.parties.api import router as parties_router

router = Router(tags=["disclosure"])
router.add_router("", cases_router)
router.add_router("", parties_router)
router.add_router("", notifications_router)
router.add_router("", intake_router)
