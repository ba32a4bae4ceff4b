"""Every input is bounded: a ZIP bomb, a ZIP whose header lies, a 50 MB line.

What a person notices: a hostile or broken file is refused in seconds with
one readable line, and the machine does not swap.  Each file is built in the
test's folder and imported by a real ``rapport`` process, whose peak memory
(its own getrusage) and time are checked loosely.
"""

from __future__ import annotations

import io
import resource
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

HEADER = b"First Name,Last Name,URL,Email Address,Company,Position,Connected On\n"
MEGABYTE = 1 << 20
# The process reports its peak memory as its last line on stderr: VmHWM, the
# peak of its own memory since it started (getrusage's maxrss would also count
# the test process it was forked from, when preexec_fn makes subprocess fork).
RUN = """\
import atexit, sys
def peak():
    with open("/proc/self/status") as status:
        kb = next(line.split()[1] for line in status if line.startswith("VmHWM:"))
    print("maxrss", kb, file=sys.stderr)
atexit.register(peak)
from rapport.cli import main
sys.argv = ["rapport", *sys.argv[1:]]
main()
"""


def rapport(*args: str) -> tuple[int, str, float, int]:
    """Exit code, stderr without the memory line, seconds, and peak memory in MB."""

    def bounded() -> None:
        # A regression must fail the test, not push the shared machine into swap.
        resource.setrlimit(resource.RLIMIT_AS, (1_500_000_000, 1_500_000_000))

    start = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", RUN, *args],
        capture_output=True,
        text=True,
        preexec_fn=bounded,
        timeout=120,
    )
    seconds = time.monotonic() - start
    *lines, last = done.stderr.rstrip("\n").split("\n")
    assert last.startswith("maxrss "), done.stderr[-2000:]
    return done.returncode, "\n".join(lines) + "\n", seconds, int(last.split()[1]) // 1000


def connections_zip(path: Path, megabytes: int) -> None:
    """LinkedIn's ZIP whose Connections.csv unpacks to ``megabytes`` of one row repeated."""
    rows = b"Dana,Whit,,,,," + b" " * 1000 + b"\n"
    block = rows * (MEGABYTE // len(rows))
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive,
        archive.open("Connections.csv", "w", force_zip64=True) as member,
    ):
        member.write(HEADER)
        for _ in range(megabytes):
            member.write(block)


def lying_zip(path: Path) -> None:
    """A ZIP whose headers say Connections.csv holds 1,000 bytes; it unpacks to 300 MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("Connections.csv", HEADER + b"\0" * (300 * MEGABYTE))
    data = bytearray(out.getvalue())
    local, central = data.find(b"PK\x03\x04"), data.find(b"PK\x01\x02")
    data[local + 22 : local + 26] = (1000).to_bytes(4, "little")
    data[central + 24 : central + 28] = (1000).to_bytes(4, "little")
    path.write_bytes(bytes(data))


def test_a_zip_bomb_is_refused_in_seconds(tmp_path: Path) -> None:
    bomb = tmp_path / "Basic_LinkedInDataExport.zip"
    connections_zip(bomb, 190)
    assert bomb.stat().st_size < 2 * MEGABYTE

    code, stderr, seconds, memory = rapport(
        "--db", str(tmp_path / "r.db"), "import", "linkedin", str(bomb)
    )

    assert (code, stderr) == (
        5,
        f"rapport: {bomb}: Connections.csv unpacks to more than 64 MB, far more than any "
        "export; nothing was imported\n",
    )
    assert seconds < 10 and memory < 200, (seconds, memory)


def test_a_zip_whose_header_lies_about_the_size_is_refused(tmp_path: Path) -> None:
    liar = tmp_path / "export.zip"
    lying_zip(liar)

    code, stderr, seconds, memory = rapport(
        "--db", str(tmp_path / "r.db"), "import", "linkedin", str(liar)
    )

    assert (code, stderr) == (
        5,
        f"rapport: {liar} is a damaged ZIP archive (Bad CRC-32 for file 'Connections.csv')\n",
    )
    assert seconds < 10 and memory < 200, (seconds, memory)


@pytest.mark.parametrize(("importer", "line"), [("linkedin", 2), ("csv", 1)])
def test_a_50_mb_line_is_refused_with_a_short_message(
    tmp_path: Path, importer: str, line: int
) -> None:
    huge = tmp_path / "people.csv"
    cells = b"Dana," * (10 * MEGABYTE)
    huge.write_bytes(cells if line == 1 else HEADER + cells + b"\n")

    code, stderr, seconds, memory = rapport(
        "--db", str(tmp_path / "r.db"), "import", importer, str(huge)
    )

    assert (code, stderr) == (
        5,
        f"rapport: {huge}: line {line} is longer than 1,000,000 characters, more than any row "
        "of an export; nothing was imported\n",
    )
    assert seconds < 10 and memory < 200, (seconds, memory)


def test_a_file_larger_than_any_export_is_refused_unread(tmp_path: Path) -> None:
    big = tmp_path / "contacts.vcf"
    with big.open("wb") as file:
        file.truncate(100 * MEGABYTE)  # sparse: costs no disk

    code, stderr, seconds, memory = rapport(
        "--db", str(tmp_path / "r.db"), "import", "vcard", str(big)
    )

    assert (code, stderr) == (
        5,
        f"rapport: {big} is larger than 64 MB, more than rapport reads from one file "
        "(30,000 LinkedIn connections take 4 MB); nothing was imported\n",
    )
    assert seconds < 10 and memory < 200, (seconds, memory)


def test_a_zip_of_more_than_ten_thousand_files_is_refused(tmp_path: Path) -> None:
    many = tmp_path / "export.zip"
    with zipfile.ZipFile(many, "w") as archive:
        for n in range(11_000):
            archive.writestr(f"{n}", b"")

    code, stderr, _, _ = rapport("--db", str(tmp_path / "r.db"), "import", "linkedin", str(many))

    assert (code, stderr) == (
        5,
        f"rapport: {many} holds 11,000 files, more than the 10,000 rapport looks through; "
        "nothing was imported\n",
    )


def test_an_address_book_larger_than_the_limit_by_its_photos_imports(tmp_path: Path) -> None:
    import sqlite3

    book = tmp_path / "contacts.vcf"
    base64_line = b" " + b"QUFB" * 18 + b"\r\n"  # folded, as 3.0 writes it
    with book.open("wb") as file:
        for name in ("Dana Whitfield", "Priya Raman"):
            file.write(b"BEGIN:VCARD\r\nVERSION:3.0\r\nFN:" + name.encode() + b"\r\n")
            file.write(b"PHOTO;ENCODING=b;TYPE=JPEG:QUFB\r\n")
            file.write(base64_line * (40 * MEGABYTE // len(base64_line)))
            file.write(b"NOTE:Met at KubeCon\r\nEND:VCARD\r\n")
        # vCard 2.1 leaves base64 unfolded, ending at a blank line.
        file.write(b"BEGIN:VCARD\r\nVERSION:2.1\r\nFN:Amy Chen\r\nPHOTO;ENCODING=BASE64;JPEG:\r\n")
        file.write(
            b"QUFB" * 19 + b"\r\n" + b"QUFB" * 19 + b"\r\n\r\nNOTE:Photo above\r\nEND:VCARD\r\n"
        )
    assert book.stat().st_size > 64_000_000

    db = tmp_path / "r.db"
    code, stderr, seconds, memory = rapport("--db", str(db), "import", "vcard", str(book))

    assert (code, stderr) == (0, "\n")
    with sqlite3.connect(db) as conn:
        people = conn.execute("SELECT name, notes FROM contact ORDER BY name").fetchall()
    assert people == [
        ("Amy Chen", "Photo above"),
        ("Dana Whitfield", "Met at KubeCon"),
        ("Priya Raman", "Met at KubeCon"),
    ]
    assert seconds < 10 and memory < 200, (seconds, memory)


def test_a_json_restore_is_not_held_to_the_limit_of_other_files(tmp_path: Path) -> None:
    # rapport's own export of a heavy network is larger than any contact file.
    from rapport.importers.json_ import read_json_file
    from rapport.reading import MAX_FILE_BYTES

    export = tmp_path / "rapport.json"
    with export.open("wb") as file:
        file.write(b'{"format": "rapport", "notes": "')
        file.write(b"x" * (MAX_FILE_BYTES + MEGABYTE))
        file.write(b'"}\n')

    assert len(read_json_file(export)) > MAX_FILE_BYTES
