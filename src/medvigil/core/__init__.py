"""Pure engines of medvigil: formats, matching, scoring, risk and clocks.

Nothing in this package imports Django or any medvigil app, reads settings,
the clock or the network: callers pass those in. Values in and out are
frozen dataclasses.
"""
