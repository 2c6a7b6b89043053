"""What matching tells the apps above it (triage keeps its queue columns by it)."""

from django.dispatch import Signal

# Sent with `findings` (the new Finding rows, saved) after a matching run stores them.
findings_created = Signal()
