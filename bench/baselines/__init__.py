"""Baselines of the benchmark: what a plain Django or Wagtail site does with the same form."""
