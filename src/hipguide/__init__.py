"""hipguide: a command-line guide to self-care acupressure for hip pain."""

__version__ = "0.1.0"
