"""Disclosure cases: models, workflow, handling, findings links, suggestions, metrics, tiles."""
