"""khard on the contacts vdir: it reads rapport's cards, and what it adds or removes comes in."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from rapport.models import Contact
from rapport.services.sync_contacts import cards_deleted_elsewhere, sync_contacts


def test_khard_reads_the_cards_and_its_edits_come_back(
    network_db: Path, tools_bin: Path, tmp_path: Path
) -> None:
    book = tmp_path / "contacts"
    first = sync_contacts(book, create=True)
    assert first.count("sent") == 2
    config = tmp_path / "khard.conf"
    config.write_text(
        f"[addressbooks]\n[[rapport]]\npath = {book}\n"
        "[general]\neditor = /bin/true\nmerge_editor = /bin/true\n"
        "[vcard]\npreferred_version = 3.0\n"
    )
    env = {**os.environ, "HOME": str(tmp_path)}

    def khard(*args: str, input: str | None = None) -> str:
        result = subprocess.run(
            [str(tools_bin / "khard"), "-c", str(config), *args],
            capture_output=True,
            text=True,
            input=input,
            env=env,
            timeout=60,
        )
        assert result.returncode == 0, result.stderr
        return result.stdout

    phones = khard("phone", "--parsable")
    assert "+1 415 555 0134\tDana Whitfield" in phones
    khard(
        "new",
        "-a",
        "rapport",
        input="First name : Priya\nLast name : Raman\nPhone :\n    cell : +44 20 7946 0000\n",
    )
    khard("remove", "--force", "Yosef")
    report = sync_contacts(book)
    assert (report.count("new"), report.count("deleted-elsewhere")) == (1, 1), report.changes
    assert Contact.get(Contact.name == "Priya Raman").phone == "+44 20 7946 0000"
    assert [name for _, name, _ in cards_deleted_elsewhere()] == ["Yosef Cohen"]
    assert sync_contacts(book).rows_written == 0
