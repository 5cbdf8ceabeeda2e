"""redline: peace plans and negotiating positions, analysed from data with the evidence shown."""

__version__ = "0.1.0"
