"""Emails to people who asked to be told: the one way every email of the package is built
(``mail``), and the signed one-click links that stop them (``tokens``)."""
