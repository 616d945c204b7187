"""Sphinx configuration for the wagtail-policycomms documentation.

Build with ``make docs`` (warnings are errors). The pages are Markdown, read by
MyST. No autodoc: importing the models would need a configured Django project.
"""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO_ROOT))

# Importing the package root only reads __version__; it does not touch Django.
from wagtail_policycomms import __version__  # noqa: E402

project = "wagtail-policycomms"
author = "wagtail-policycomms contributors"
copyright = "wagtail-policycomms contributors"
version = release = __version__

extensions = ["myst_parser"]
source_suffix = {".md": "markdown"}
root_doc = "index"
exclude_patterns = ["_build", "requirements.txt", "Thumbs.db", ".DS_Store"]

myst_enable_extensions = ["colon_fence", "deflist"]
myst_heading_anchors = 3

language = "en"
html_theme = "furo"
html_title = f"{project} {release}"
