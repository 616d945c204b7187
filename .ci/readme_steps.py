"""Carry out the README's "Add it to an existing Wagtail portal" steps, as written.

Run by .ci/dropin.sh from a fresh `wagtail start` project directory:

    python readme_steps.py README.md PROJECT VENV_PYTHON WHEEL

Each code block of that section that CI should act on follows a comment
``<!-- dropin: ACTION -->`` in the README:

- ``run``: each line of the block is a shell command, run in the project directory;
  ``python`` is the project's virtualenv, and ``pip install wagtail-policycomms`` installs
  the wheel CI built (the package as it would come from PyPI).
- ``append PATH``: the block is appended to PATH.
- ``insert-before PATH: LINE``: the block is inserted before the line whose text is
  LINE, at that line's indentation.

``<project>`` in a path is the project's name. Blocks without a comment are read by
people only. The script refuses a section with no action at all, so the README cannot
drift away from what CI does without CI noticing.
"""

import re
import shlex
import subprocess
import sys
import textwrap
from pathlib import Path

SECTION = "## Add it to an existing Wagtail portal"
BLOCK = re.compile(
    r"<!-- dropin: (?P<action>[^\n]+?) -->\s*\n\s*```[a-z]*\n(?P<body>.*?)\n\s*```", re.S
)


def section(readme):
    text = Path(readme).read_text(encoding="utf-8")
    start = text.index(SECTION)
    end = text.find("\n## ", start + len(SECTION))
    return text[start : end if end != -1 else len(text)]


def run(body, python, wheel):
    for line in body.splitlines():
        command = line.split("#", 1)[0].strip()
        if not command:
            continue
        words = shlex.split(command)
        if words[:3] == ["pip", "install", "wagtail-policycomms"]:
            words = [python, "-m", "pip", "install", "-q", wheel, *words[3:]]
        elif words[0] == "python":
            words[0] = python
        elif words[0] == "pip":
            words = [python, "-m", *words]
        print("readme:", shlex.join(words), flush=True)
        subprocess.run(words, check=True)  # noqa: S603 (the README, our own text)


def append(path, body):
    target = Path(path)
    text = target.read_text(encoding="utf-8")
    target.write_text(text.rstrip("\n") + "\n\n" + body + "\n", encoding="utf-8")
    print(f"readme: appended {len(body.splitlines())} lines to {path}")


def insert_before(path, marker, body):
    target = Path(path)
    lines = target.read_text(encoding="utf-8").splitlines(keepends=True)
    matches = [i for i, line in enumerate(lines) if line.strip() == marker]
    if len(matches) != 1:
        raise SystemExit(f"readme: {marker!r} found {len(matches)} times in {path}, not once")
    at = matches[0]
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    lines[at:at] = [textwrap.indent(body, indent) + "\n"]
    target.write_text("".join(lines), encoding="utf-8")
    print(f"readme: inserted {len(body.splitlines())} lines before {marker!r} in {path}")


def main(readme, project, python, wheel):
    steps = list(BLOCK.finditer(section(readme)))
    if not steps:
        raise SystemExit("readme: no <!-- dropin: ... --> step in the installation section")
    for step in steps:
        action = step["action"].replace("<project>", project)
        body = textwrap.dedent(step["body"])
        verb, _, rest = action.partition(" ")
        if verb == "run":
            run(body, python, wheel)
        elif verb == "append":
            append(rest.strip(), body)
        elif verb == "insert-before":
            path, _, marker = rest.partition(": ")
            insert_before(path.strip(), marker.strip(), body)
        else:
            raise SystemExit(f"readme: unknown step {action!r}")


if __name__ == "__main__":
    main(*sys.argv[1:])
