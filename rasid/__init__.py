"""Rasid (راصد): Arabic news reports in, a sourced record of conflict and displacement events out."""
import logging

__version__ = "0.1.0"
__all__ = ["__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())
