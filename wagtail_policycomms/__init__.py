"""Public consultation on draft policies for Wagtail portals."""

__version__ = "0.1.0"
