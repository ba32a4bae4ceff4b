"""rapport: a terminal personal CRM for career networking."""

__version__ = "0.1.0"
