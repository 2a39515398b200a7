"""mibdesk: a desktop application for county medical-insurance offices."""

__version__ = "0.1.0"
