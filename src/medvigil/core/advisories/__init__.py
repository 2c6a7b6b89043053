"""Vulnerability advisories: one model, and readers for the public formats."""
