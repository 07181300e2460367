"""tuireader: a terminal reader for people who read analysis in bulk."""

__version__ = "0.1.0"
