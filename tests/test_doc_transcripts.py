"""The pdb transcripts in the docs show lines of neurograph's source: they must still be there.

A transcript line such as ``> .../neurograph/walk.py(190)backward()`` followed by
``-> hook("backward", neuron)`` names a file, a line number and the code on that
line; this test reads the file and checks that the line holds that code, so the
transcripts cannot drift when the source changes.
"""

import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = sorted((ROOT / "docs").rglob("*.md")) + [ROOT / "README.md"]
FRAME = re.compile(r"\.\.\./neurograph/([\w/]+)\.py\((\d+)\)(\w+)\(\)")
CODE = re.compile(r"^\s*-> (.*)$")


def transcript_frames():
    for doc in DOCS:
        lines = doc.read_text(encoding="utf-8").splitlines()
        for i, line in enumerate(lines[:-1]):
            m = FRAME.search(line)
            code = CODE.match(lines[i + 1])
            if m and code:
                yield pytest.param(m.group(1), int(m.group(2)), m.group(3), code.group(1),
                                   id="%s:%d" % (doc.relative_to(ROOT), i + 1))


FRAMES = list(transcript_frames())


def test_the_docs_have_transcripts_to_check():
    assert len(FRAMES) >= 10


@pytest.mark.parametrize("module, number, function, code", FRAMES)
def test_a_transcript_line_is_the_source_line(module, number, function, code):
    source = (ROOT / "neurograph" / (module + ".py")).read_text(encoding="utf-8").splitlines()
    assert 1 <= number <= len(source), "%s.py has no line %d" % (module, number)
    assert source[number - 1].strip() == code.strip(), (
        "%s.py line %d is now %r; the transcript shows %r: re-run the session and update "
        "the doc" % (module, number, source[number - 1].strip(), code.strip()))
    before = "\n".join(source[:number])
    defs = re.findall(r"^\s*def (\w+)\(", before, re.M)
    assert defs and defs[-1] == function, (module, number, function, defs[-1:])
