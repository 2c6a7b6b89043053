"""Django set-up for commands: settings from the environment, then the apps.

A command calls `setup_django()` before it imports any app module, because
Django models cannot be imported before the app registry is ready.
"""

from __future__ import annotations

import os
import sys

import django

from medvigil.configuration import ConfigurationError

EXIT_CONFIGURATION = 2


def setup_django() -> None:
    """Load the settings and the apps, or exit 2 naming what is wrong in the configuration."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "medvigil.settings")
    try:
        django.setup()
    except ConfigurationError as error:
        sys.stderr.write(f"Configuration error: {error}\n")
        raise SystemExit(EXIT_CONFIGURATION) from error
