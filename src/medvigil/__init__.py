"""medvigil: the cybersecurity program of a medical device manufacturer."""

__version__ = "0.1.0"
