"""The platform below every app: Django and `medvigil.core` only.

Refusals and their RFC 9457 rendering, JSON, request parsing, pagination,
middleware, task queues and workers, health checks, permissions, the
navigation, dashboard and demo registries, and Django set-up for commands.
"""
