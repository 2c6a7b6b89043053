"""Advisory pages: the authors' workflow, the public pages and the CVE id pages."""

from medvigil.disclosure.advisories.views import authoring, cves, public

__all__ = ["authoring", "cves", "public"]
