"""Commands load when used: every one is listed and loads, and one loads only its own code."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from rapport import clock
from rapport.cli import ATTACHED, COMMANDS, command
from rapport.cli import cli as rapport_group
from rapport.cli.transfer import EXPORTS, IMPORTS
from rapport.services import contacts, followups


def test_help_lists_every_command_and_each_loads(cli) -> None:
    listed = cli("--help").output
    for name in COMMANDS:
        assert f"  {name} " in listed
        assert isinstance(command(name), click.Command)
    # Formats and merge join their groups when those load.
    assert {"csv", "ics", "json", "vcard"} <= set(command("export").commands)  # type: ignore[attr-defined]
    assert {"ics", "linkedin"} <= set(command("import").commands)  # type: ignore[attr-defined]
    assert {"merge", "duplicates"} <= set(command("contacts").commands)  # type: ignore[attr-defined]


def test_the_table_names_every_command_module() -> None:
    folder = Path(sys.modules["rapport.cli"].__file__ or "").parent
    modules = {path.stem for path in folder.glob("*.py") if not path.stem.startswith("_")}
    named = {module for module, _ in COMMANDS.values()}
    named |= {module for attached in ATTACHED.values() for module in attached}
    named |= {module for formats in (EXPORTS, IMPORTS) for module in formats.values()}
    assert modules == named
    assert set(rapport_group.list_commands(click.Context(rapport_group))) == set(COMMANDS)


def test_a_command_loads_only_its_own_module(db_path: Path) -> None:
    loaded = _modules_loaded_by("--db", str(db_path), "followups", "due")
    # The notice of an automatic backup lives in _shared: no other module loads.
    assert {m for m in loaded if m.startswith("rapport.cli.")} == {
        "rapport.cli._shared",
        "rapport.cli.followups",
    }


def _modules_loaded_by(*args: str) -> set[str]:
    """Every module (the standard library's too) a command leaves loaded."""
    return _left_by(args, "sorted(sys.modules)")


def _patterns_compiled_by(*args: str) -> set[str]:
    """Every regular expression a command compiled (re keeps each it compiles)."""
    return _left_by(args, "sorted(str(key[1]) for key in re._cache)")


def _left_by(args: Sequence[str], listed: str) -> set[str]:
    """What ``listed`` (an expression of sys and re) lists once a new process ran a command."""
    code = (
        "import json, re, sys\n"
        "from rapport.cli import cli\n"
        f"try:\n    cli.main({list(args)!r}, standalone_mode=False)\n"
        "except SystemExit:\n    pass\n"
        f"print(json.dumps({listed}))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


def _loaded_by(*args: str) -> set[str]:
    return {m for m in _modules_loaded_by(*args) if m.split(".")[0] in ("rapport", "peewee")}


def test_help_lists_the_commands_without_loading_them_in_the_same_words(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    loaded = _loaded_by("--help")
    assert loaded == {"rapport", "rapport.cli", "rapport.cli._shared", "rapport.errors"}

    with monkeypatch.context() as patch:  # as in a new process: nothing loaded yet
        patch.setattr(rapport_group, "commands", {})
        listing = CliRunner().invoke(rapport_group, ["--help"], prog_name="rapport").output
    for name in COMMANDS:
        command(name)  # every command loaded: click writes their own help
    assert CliRunner().invoke(rapport_group, ["--help"], prog_name="rapport").output == listing


def test_search_loads_neither_the_review_nor_the_agenda(db_path: Path) -> None:
    loaded = _loaded_by("--db", str(db_path), "search", "platform")
    assert "rapport.services.search" in loaded
    assert not {"rapport.services.review", "rapport.services.agenda"} & loaded


def test_today_loads_neither_peewee_nor_the_models(db_path: Path) -> None:
    # peewee and the 25 model classes (about 30 ms of `rapport today`): the
    # follow-ups due and the people going cold are read by statement on
    # SQLite's own connection (rapport.connection); --json reads the rows.
    from rapport.services import contacts, goals, links

    goal = goals.create_goal("Lead a platform team")
    dana = contacts.create_contact("Dana Reyes", cadence_days=30)
    links.link(links.parse_target("Dana Reyes"), goal.id, role="mentor")
    followups.create_followup("Send Dana the deck", due=clock.today(), contact=dana.id)
    _loaded_by("--db", str(db_path), "today")  # the day's first: its backup
    loaded = _loaded_by("--db", str(db_path), "today")
    assert {"rapport.services.agenda", "rapport.connection"} <= loaded
    assert not {"peewee", "rapport.models", "rapport.loading"} & loaded
    assert "peewee" in _loaded_by("--db", str(db_path), "today", "--json")


def test_search_loads_neither_peewee_nor_the_models(db_path: Path) -> None:
    # peewee and the 25 model classes (about 30 ms of a 90 ms search): the hits
    # are read by statement on SQLite's own connection (rapport.connection).
    from rapport.services import contacts

    contacts.create_contact("Dana Reyes", organization="Platform Guild")
    _loaded_by("--db", str(db_path), "search", "platform")  # the day's first: its backup
    loaded = _loaded_by("--db", str(db_path), "search", "platform")
    assert {"rapport.services.search", "rapport.connection"} <= loaded
    assert not {"peewee", "rapport.models", "rapport.loading"} & loaded


# The program's own launcher replaced by one that says where it would open the app.
RUN_PROGRAM = """
import sys
import rapport.__main__ as program
def launch_app(path):
    print("app on", path)
    return True
program.launch_app = launch_app
sys.argv = ["rapport", "--db", sys.argv[1], *sys.argv[2:]]
program.main()
"""


def test_a_bare_rapport_opens_the_app_the_program_hands_the_command_line(
    db_path: Path,
) -> None:
    done = subprocess.run(
        [sys.executable, "-c", RUN_PROGRAM, str(db_path)],
        capture_output=True,
        text=True,
        timeout=60,  # a real app started here would wait for a terminal forever
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == f"app on {db_path}"


def test_the_command_line_loads_no_part_of_the_app_even_to_open_it(db_path: Path) -> None:
    code = (
        "import json, sys\n"
        "from rapport.cli import cli\n"
        f"cli.main(['--db', {str(db_path)!r}], standalone_mode=False)\n"
        "print(json.dumps(sorted(m for m in sys.modules if m.startswith('rapport.tui'))))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    # Run on its own (no program around it, so no app to start), it shows today's agenda.
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert done.stdout.startswith("Today, ")
    # An empty database: Today welcomes with the first steps, as the app does.
    assert "Three first steps:" in done.stdout


def test_today_loads_neither_the_review_nor_the_json_shapes(db_path: Path) -> None:
    # `rapport today` says how warm a contact is in the review's words, from
    # rapport.services.warmth: the review and serialize cost it 40 ms to load.
    loaded = _loaded_by("--db", str(db_path), "today")
    assert "rapport.services.agenda" in loaded
    assert "rapport.services.review" not in loaded
    assert "rapport.services.serialize" not in loaded


def test_followups_lists_load_the_json_shapes_only_for_json(db_path: Path) -> None:
    # serialize brings the contact, event, interview and search services: 11 ms
    # of `followups due`'s start, for a table that needs none of them.
    for args, service in (
        (["followups", "due"], "rapport.services.due"),
        (["followups", "list"], "rapport.services.followups"),
    ):
        loaded = _loaded_by("--db", str(db_path), *args)
        assert service in loaded
        assert "rapport.services.serialize" not in loaded
        assert not {"rapport.services.contacts", "rapport.services.events"} & loaded


def test_the_review_loads_skill_gaps_check_ins_and_json_shapes_only_when_asked(
    db_path: Path,
) -> None:
    # The skill gaps brought candidates, needs, follow-ups and serialize (with
    # the contact, event and search services): 40 ms of the plain review's start.
    loaded = _loaded_by("--db", str(db_path), "review")
    assert "rapport.services.review" in loaded
    assert (
        not {
            "rapport.services.gaps",
            "rapport.services.promises",
            "rapport.services.review_report",
            "rapport.services.serialize",
            "rapport.services.skills",  # its words for levels, with difflib: 2-3 ms
            "rapport.services.review.checkin",  # the weekly check-in's: 2 ms
        }
        & loaded
    )
    assert "rapport.services.gaps" in _loaded_by("--db", str(db_path), "review", "--gaps")


def test_the_review_loads_neither_the_contact_nor_the_event_service(db_path: Path) -> None:
    # It asks them only when people were last met, when they are next due and
    # who was met at which event (rapport.services.touches): their frozen
    # dataclasses and the rest were 5-6 ms of every review's start.
    loaded = _loaded_by("--db", str(db_path), "review")
    assert "rapport.services.touches" in loaded
    assert not {"rapport.services.contacts", "rapport.services.events"} & loaded


def test_only_the_review_of_one_goal_loads_the_resolver_and_the_shared_refs(
    db_path: Path,
) -> None:
    # Looking a goal up by its words (with the cleaning rules) and the refs'
    # five frozen dataclasses, which the check-in names people with: 4-5 ms.
    loaded = _loaded_by("--db", str(db_path), "review")
    assert not {"rapport.services.resolve", "rapport.services.refs"} & loaded
    assert "rapport.services.resolve" in _loaded_by("--db", str(db_path), "review", "--goal", "1")


def test_today_loads_neither_links_nor_goals(db_path: Path) -> None:
    # `rapport today` shares its module with link and unlink: their service
    # (and the goals') loaded with it, 7 ms of every agenda.
    loaded = _loaded_by("--db", str(db_path), "today")
    assert not {"rapport.services.links", "rapport.services.goals"} & loaded


def test_today_loads_neither_events_nor_organizations(db_path: Path) -> None:
    # The contact service's writes and one contact's sheet use them (met at an
    # event, an organization by name, the importers' name rules): 3-5 ms of
    # every agenda when they loaded with it.
    # (Going cold is read by rapport.services.contact_list; the contact service
    # does not load at all.)
    loaded = _loaded_by("--db", str(db_path), "today")
    assert "rapport.services.contact_list" in loaded
    assert (
        not {
            "rapport.services.contacts",
            "rapport.services.events",
            "rapport.services.orgs",
            "rapport.importers._identity",
        }
        & loaded
    )


def test_the_contact_list_json_loads_no_follow_up_interview_or_interaction_service(
    db_path: Path,
) -> None:
    # serialize named their rows in annotations alone, and loaded them at 8-10 ms
    # of `contacts list --json`'s start.
    loaded = _loaded_by("--db", str(db_path), "contacts", "list", "--json")
    assert "rapport.services.contact_list" in loaded  # the list's JSON, serialize's rows
    assert (
        not {
            "rapport.services.followups",
            "rapport.services.interviews",
            "rapport.services.interactions",
        }
        & loaded
    )


def test_the_contact_list_json_loads_neither_events_nor_goals(db_path: Path) -> None:
    # serialize loaded the event and goal services for the events' JSON and a
    # goal's reference: 4-5 ms of `contacts list --json`'s start.
    loaded = _loaded_by("--db", str(db_path), "contacts", "list", "--json")
    assert "rapport.services.contact_list" in loaded  # the list's JSON, serialize's rows
    assert not {"rapport.services.events", "rapport.services.goals"} & loaded


@pytest.mark.parametrize("args", [["followups", "due"], ["today"]])
def test_the_daily_reads_load_nothing_only_writes_use(db_path: Path, args: list[str]) -> None:
    # The repeat rules (dateutil.rrule and its checks), undo and skills serve
    # follow-ups' writes; shutil (and the compression modules it loads),
    # tempfile and strptime a terminal's width, a file written, a backup's
    # stamp: together 8-10 ms of every `followups due` and `today` at start.
    # (The REPEATS column of `followups due` reads a rule with dateutil.rrule
    # where a listed follow-up repeats; these have none.)
    followups.create_followup("Send Dana the deck", due=clock.today())
    _modules_loaded_by("--db", str(db_path), *args)  # the day's first: its backup
    loaded = _modules_loaded_by("--db", str(db_path), *args)
    assert "rapport.services.due" in loaded
    unused = {
        "dateutil.rrule",
        "rapport.recurrence",
        "rapport.services.undo",
        "rapport.services.skills",
        "shutil",
        "tempfile",
        "_strptime",
    }
    assert not unused & loaded


@pytest.mark.parametrize("args", [["followups", "due"], ["today"]])
def test_the_daily_reads_compile_no_date_or_address_pattern(db_path: Path, args: list[str]) -> None:
    # rapport.dates' twelve patterns (date phrases, times, numeric dates) and
    # rapport.services.clean's five (addresses, links) were compiled as their
    # modules loaded: 2 ms of every command's start, for commands that parse
    # neither.  Adding a follow-up reads "tomorrow" and compiles them.
    followups.create_followup("Send Dana the deck", due=clock.today())
    _modules_loaded_by("--db", str(db_path), *args)  # the day's first: its backup
    compiled = " ".join(_patterns_compiled_by("--db", str(db_path), *args))
    for unused in ("tmrw", "noon", "ago", "linkedin", "https?://"):
        assert unused not in compiled
    added = " ".join(
        _patterns_compiled_by("--db", str(db_path), "followups", "add", "Call", "--due", "tomorrow")
    )
    assert "tomorrow" in added


def test_the_program_loads_click_with_collection_off() -> None:
    # A command is one short batch that never needs the cycle collector
    # (rapport.cli.main); loading click and the command's modules with it on
    # cost 2-4 ms of every command.
    code = """
import gc, sys
class Watch:
    def find_spec(self, name, path=None, target=None):
        if name == "click":
            print("collecting while loading click:", gc.isenabled())
        return None
sys.meta_path.insert(0, Watch())
import rapport.__main__ as program
sys.argv = ["rapport", "--version"]
try:
    program.main()
except SystemExit:
    pass
"""
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert "collecting while loading click: False" in done.stdout


def test_the_program_ends_without_a_last_search_for_cycles(db_path: Path) -> None:
    # Python's shutdown collects every tracked object before freeing them: 12-19
    # ms CPU of `followups due`, `today`, `review` at 30,000 contacts.  Frozen
    # first, they are freed by reference counts alone; exit codes, output and
    # at-exit handlers are as before.
    code = """
import atexit, gc, os, sys
atexit.register(lambda: os.write(2, f"frozen at exit: {gc.get_freeze_count() > 0}".encode()))
import rapport.__main__ as program
sys.argv = ["rapport", *sys.argv[1:]]
program.main()
"""
    done = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db_path), "followups", "due"],
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0
    assert "frozen at exit: True" in done.stderr
    assert done.stdout.startswith("Nothing due in the next 7 days.")
    failed = subprocess.run(
        [sys.executable, "-c", code, "--db", str(db_path), "followups", "nope"],
        capture_output=True,
        text=True,
    )
    assert failed.returncode == 2
    assert failed.stderr.startswith("rapport: No such command 'nope'")
    assert "frozen at exit: True" in failed.stderr


def test_a_group_loads_the_subcommands_attached_to_it_only_when_asked(db_path: Path) -> None:
    # `contacts list` loaded `contacts merge`'s and `contacts expertise`'s
    # modules (and the skill services behind them): 10 ms of every list.
    loaded = _loaded_by("--db", str(db_path), "contacts", "list")
    assert "rapport.cli.contacts" in loaded
    assert not {"rapport.cli.exchange", "rapport.cli.skills"} & loaded
    assert "rapport.cli.exchange" in _loaded_by("--db", str(db_path), "contacts", "duplicates")
    assert {"rapport.cli.exchange", "rapport.cli.skills"} <= _loaded_by("contacts", "--help")


def test_followups_due_loads_neither_peewee_nor_the_models_nor_the_changes(
    db_path: Path,
) -> None:
    # peewee (about 25 ms with its share of the exit), the 25 model classes (4
    # ms), the follow-up service with the cleaners, resolvers and refs of its
    # writes (5 ms), and the commands that change a follow-up: `followups due`
    # prints its table from plain columns on SQLite's own connection
    # (rapport.followup_reads, rapport.connection) without them.
    followups.create_followup("Send Dana the deck", due=clock.today())
    _loaded_by("--db", str(db_path), "followups", "due")  # the day's first: its backup
    loaded = _loaded_by("--db", str(db_path), "followups", "due")
    assert "rapport.followup_reads" in loaded
    unused = {
        "peewee",
        "rapport.models",
        "rapport.services.followups",
        "rapport.services.refs",
        "rapport.services.clean",
        "rapport.services.resolve",
        "rapport.cli.followup_changes",
    }
    assert not unused & loaded
    assert {"peewee", "rapport.services.followups"} <= _loaded_by(
        "--db", str(db_path), "followups", "due", "--json"
    )
    assert "rapport.cli.followup_changes" in _loaded_by(
        "--db", str(db_path), "followups", "done", "1"
    )


def test_contacts_list_loads_neither_peewee_nor_the_models_nor_the_contact_services(
    db_path: Path,
) -> None:
    # peewee (about 25 ms with its share of the exit), the 25 model classes (4
    # ms) and the contact, organization and serializing services of the other
    # contact commands: `contacts list` and its --json, with the usual filters,
    # read plain columns on SQLite's own connection (rapport.services.contact_list).
    contacts.create_contact("Dana Whitfield", tags=["mentor"], organization="Brass Works")
    _loaded_by("--db", str(db_path), "contacts", "list")  # the day's first: its backup
    unused = {
        "peewee",
        "rapport.models",
        "rapport.services.contacts",
        "rapport.services.orgs",
        "rapport.services.serialize",
        "rapport.services.resolve",
    }
    for options in (
        [],
        ["--json"],
        ["--all"],
        ["--archived", "--json"],
        ["--due"],
        ["--tag", "mentor", "--json"],
        ["--org", "Brass"],
    ):
        loaded = _loaded_by("--db", str(db_path), "contacts", "list", *options)
        assert not unused & loaded, options
        assert "rapport.services.contact_list" in loaded, options
    # A goal is matched by the models' resolver.
    assert {"peewee", "rapport.services.resolve"} <= _loaded_by(
        "--db", str(db_path), "contacts", "list", "--goal", "1"
    )
    assert "rapport.services.contacts" in _loaded_by(
        "--db", str(db_path), "contacts", "show", "Dana"
    )


def test_the_review_loads_neither_peewee_nor_the_models(db_path: Path) -> None:
    # peewee (about 25 ms with its share of the exit) and the 25 model classes
    # (4-6 ms): the plain review (every goal, in the terminal) runs its
    # statements as SQL text on SQLite's own connection (rapport.connection).
    # Its other forms read through services that use the models.
    from rapport.services import contacts, goals, links

    goal = goals.create_goal("Lead a platform team")
    contacts.create_contact("Dana Reyes")
    links.link(links.parse_target("Dana Reyes"), goal.id, role="mentor")
    _loaded_by("--db", str(db_path), "review")  # the day's first: its backup
    loaded = _loaded_by("--db", str(db_path), "review")
    assert "rapport.services.review" in loaded
    assert "rapport.connection" in loaded
    assert not {"peewee", "rapport.models", "rapport.loading"} & loaded
    for option in (["--json"], ["--week"], ["--goal", "1"], ["--gaps"]):
        assert "peewee" in _loaded_by("--db", str(db_path), "review", *option)


def test_a_format_loads_without_the_others(db_path: Path, tmp_path: Path) -> None:
    # export ics does not wait for the contact formats (and their contact commands).
    loaded = _loaded_by("--db", str(db_path), "export", "ics", "-o", str(tmp_path / "f.ics"))
    assert "rapport.cli.calendar" in loaded
    assert "rapport.cli.exchange" not in loaded
    assert "rapport.cli.contacts" not in loaded
    loaded = _loaded_by("--db", str(db_path), "export", "vcard", "-o", str(tmp_path / "f.vcf"))
    assert "rapport.cli.exchange" in loaded
    assert "rapport.cli.calendar" not in loaded


def test_a_mistyped_format_is_matched_among_all_of_them(cli) -> None:
    result = cli("export", "vcad")
    assert result.exit_code == 2
    assert "Did you mean 'vcard'?" in result.output
