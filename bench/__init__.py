"""``make bench``: the package measured at national scale, as ratios against baselines
measured in the same run (see bench/README.md and docs/performance.md).

Not part of the installed package: a developer tool run from a checkout.
"""
