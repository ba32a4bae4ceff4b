"""Review: per goal, the people behind it and how warm each is, its activity, what it lacks,
what is done and due for it; and the whole network by goal as a tree (``n``).

Everything shown comes from ``services.review`` on the database thread, in
workers: the goal list first (a quick query), then the selected goal's review,
then the whole review at once (the tree, the goal list's "5/6 warm"; Today's
suggestions come from the same), after which moving between goals asks
nothing of the database.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.widgets import ContentSwitcher, Sparkline, Static, Tree

from rapport import clock
from rapport.errors import RapportError
from rapport.models import GOAL_PRIORITIES
from rapport.services import goals as goal_service
from rapport.services import links as link_service
from rapport.services import review as review_service
from rapport.services.review import GoalReview, Relationship, Review
from rapport.services.review_report import step_note
from rapport.tui.screens.base import TabScreen
from rapport.tui.screens.checkin import show_checkin
from rapport.tui.screens.forms import followup_form, link_contacts_form

# The Goals tab's order (each goal's steps right after it), so both tabs list goals alike.
from rapport.tui.screens.goals import _steps_under_parents as steps_under_parents
from rapport.tui.screens.picker import PickerScreen
from rapport.tui.text import NO_GOALS_YET, cut, day, plural, relative, short_day
from rapport.tui.widgets.detail import Sheet
from rapport.tui.widgets.fields import Choice
from rapport.tui.widgets.fitted import FittedPane
from rapport.tui.widgets.grouped import GroupedList, Heading
from rapport.tui.widgets.labelled import LabelledList
from rapport.tui.widgets.network import NetworkTree
from rapport.tui.widgets.tables import Column, haystack
from rapport.tui.widgets.warmth import (
    BACKING_WIDTH,
    all_cold,
    backing,
    warmth_style,
    warmth_summary,
)

if TYPE_CHECKING:  # skill gaps load when a goal's are first shown, not with the app
    from rapport.services.gaps import GoalGaps
    from rapport.tui.host import RapportHost

# From this many columns the goals sit beside their review; below, above it.
SIDE_BY_SIDE = 100


@dataclass(frozen=True)
class GoalItem:
    """A line of the goal list; ``counts`` (warmth per status) once the network is in."""

    id: int
    title: str
    status: str
    parent_id: int | None
    people: int
    counts: Mapping[str, int] | None = None
    step: bool = False  # shown right under its parent goal (or a step before it)

    @property
    def backing(self) -> tuple[str, str]:
        if self.status != "active":
            return self.status, "$text-muted"
        return backing(self.people, self.counts)


def goal_items() -> list[GoalItem]:
    """Every goal, steps under their parent, with how many people are linked (database thread)."""
    counts = goal_service.link_counts()
    return [
        GoalItem(g.id, g.title, g.status, g.parent_id, counts.get(g.id, 0))
        for g in steps_under_parents(goal_service.list_goals("all"))
    ]


async def whole_review(app: RapportHost) -> Review:
    """Every goal's review, the gaps and the suggestions, computed once per change to
    the data and shared by the Review and Today tabs (a large network takes about a
    second for it)."""
    return await app.cached("review", review_service.build_review)


def _nested(items: Sequence[GoalItem]) -> list[GoalItem]:
    """Mark the steps that sit right under their parent (a step whose parent is in
    the other group is shown as a goal of its own)."""
    run: set[int] = set()
    nested = []
    for item in items:
        step = item.parent_id is not None and item.parent_id in run
        if not step:
            run = set()
        run.add(item.id)
        nested.append(replace(item, step=step))
    return nested


def goal_lines(items: Sequence[GoalItem]) -> list[object]:
    """Active goals, then the others, each group in the Goals tab's order."""
    active = _nested([i for i in items if i.status == "active"])
    others = _nested([i for i in items if i.status != "active"])
    if not items:
        return [Heading("No goals yet", "add one on Goals (2, then a)")]
    lines: list[object] = [Heading(f"Active goals ({len(active)})"), *active]
    if others:
        lines += [Heading(f"Not active ({len(others)})"), *others]
    return lines


GOAL_COLUMNS: list[Column[GoalItem]] = [
    Column("title", "Goal", lambda g: ("↳ " if g.step else "") + g.title, min_width=12),
    Column(
        "backing",
        "People",
        lambda g: g.backing[0],
        width=BACKING_WIDTH,
        style=lambda g: g.backing[1],
    ),
]


def _ago(value: dt.date | None, today: dt.date) -> str:
    return relative(value, today) if value else "never"


def person_columns(today: dt.date) -> list[Column[Relationship]]:
    return [
        Column("who", "Who", lambda r: r.name, min_width=12),
        Column(
            "warmth", "Warmth", lambda r: r.status, width=6, style=lambda r: warmth_style(r.status)
        ),
        Column(
            "last",
            "Last contact",
            lambda r: _ago(r.last_contacted, today),
            width=12,
            style=lambda r: "" if r.last_contacted else "$text-muted",
        ),
        Column(
            "next",
            "Next touch",
            lambda r: relative(r.next_due, today),
            width=12,
            style=lambda r: "$text-muted" if r.status == "warm" else warmth_style(r.status),
        ),
        Column(
            "given",
            "Gave/asked",
            lambda r: f"{r.reciprocity.gave}/{r.reciprocity.asked}",
            width=10,
            style=lambda r: "$text-warning" if r.reciprocity.verdict == "only-take" else "",
        ),
    ]


def person_lines(review: GoalReview) -> list[object]:
    if not review.roles:
        return [Heading("Nobody behind this goal yet", "c links contacts to it")]
    lines: list[object] = []
    for group in review.roles:
        lines.append(
            Heading(f"{group.role.replace('-', ' ').capitalize()} ({len(group.relationships)})")
        )
        lines.extend(group.relationships)
    return lines


def goal_head(review: GoalReview, parent: str) -> Content:
    """Title, priority and status; then the people behind it by warmth, target and steps."""
    goal, progress, today = review.goal, review.progress, review.today
    title = Content.assemble(
        (goal.title, "bold $text-primary"),
        "  ",
        (f"{GOAL_PRIORITIES.get(goal.priority, '')} priority · {goal.status}", "$text-muted"),
    )
    facts: list[str | tuple[str, str]] = []
    if progress.target_date is None:
        facts.append(("no target date", "$text-warning"))
    else:
        late = progress.days_to_target is not None and progress.days_to_target < 0
        facts.append(
            (
                f"target {day(progress.target_date)} ({relative(progress.target_date, today)})",
                "$text-error" if late and goal.status == "active" else "",
            )
        )
    if progress.steps_total:
        facts.append(f"steps: {progress.steps_done} of {progress.steps_total} done")
    if parent:
        facts.append(f"a step of “{parent}”")
    joined: list[str | tuple[str, str] | Content] = [warmth_summary(review.warmth_counts)]
    for fact in facts:
        joined += [(" · ", "$text-muted"), fact]
    return Content("\n").join([title, Content.assemble(*joined)])


def activity_note(review: GoalReview) -> str:
    weeks = review.progress.weekly_activity
    last = review.progress.last_activity
    when = relative(last, review.today) if last else ""
    if not sum(weeks):
        return "nothing in 12 weeks" + (f", last {when}" if when else "")
    return f"{sum(weeks)} in 12 weeks, last {when}"


LEAD = 12  # the width of the date (or "5 days late") before a follow-up, interview or event


def _entry(sheet: Sheet, width: int, lead: str, text: str, note: str = "", style: str = "") -> None:
    """One line of the sheet, cut to ``width``: ``lead  text  note``."""
    room = width - LEAD - 2
    if note and len(text) + 2 + len(note) > room:
        text = cut(text, max(room - len(note) - 2, room * 2 // 3))
        note = cut(note, room - len(text) - 2)
    sheet.entry(lead.ljust(LEAD), cut(text, room), note, style or "$text-muted")


def one_goal_gaps(goal_id: int) -> GoalGaps:
    """The skill gaps of one goal and its steps, with who can close them (database thread)."""
    from rapport.services import gaps as gap_service

    (found,) = gap_service.gaps_report(goal_id).goals
    return found


def _skill_gaps(sheet: Sheet, width: int, found: GoalGaps) -> None:
    gaps = found.open_gaps
    if not found.gaps:
        return
    sheet.section(
        "Skill gaps", f"{len(gaps)} open" + (": k asks a person about one" if gaps else "")
    )
    for gap in gaps:
        need = gap.need
        helper = gap.people[0] if gap.people else None
        if helper is None:
            who = "nobody you know has it"
        else:
            level = helper.level_label if helper.source != "candidate" else "mentions it"
            who = f"{helper.name}, {level}"
        style = "$text-error" if gap.uncovered else ""
        lead = "not rated" if need.gap is None else f"{need.gap} to go"
        skill = need.skill + (" (a step's)" if need.step else "")
        _entry(sheet, width, lead, skill, who, style)
        if gap.next_step is not None:
            _entry(sheet, width, "", f"next: {gap.next_step.action}")


def goal_sheet(review: GoalReview, width: int, gaps: GoalGaps | None = None) -> Sheet:
    """What the goal lacks (SMART, skills), reciprocity, and its follow-ups,
    interviews and events."""
    today = review.today
    sheet = Sheet()
    if review.goal.status != "active":
        sheet.text(
            f"SMART check: only active goals are checked (this one is {review.goal.status}).",
            "$text-muted",
        )
    elif review.smart:
        sheet.text("SMART check: what it lacks", "bold $text-accent")
        for issue in review.smart:
            sheet.entry("•", issue.text, lead_style="$text-warning")
    else:
        sheet.entry("SMART check", "nothing missing", lead_style="bold $text-accent")
    if gaps is not None:
        _skill_gaps(sheet, width, gaps)

    give = review.reciprocity
    sheet.section("Reciprocity", f"gave {give.gave}, asked {give.asked}, mutual {give.mutual}")
    sheet.text(give.summary, "$text-warning" if give.verdict in ("take", "only-take") else "")
    takers = [p.name for p in review.relationships if p.reciprocity.verdict == "only-take"]
    if takers:
        sheet.text(f"You only ask of: {', '.join(takers)}", "$text-warning")

    overdue, upcoming = review.followups_overdue, review.followups_upcoming
    sheet.section(
        f"Follow-ups ({len(overdue) + len(upcoming)} open)", "" if overdue or upcoming else "none"
    )
    for f in overdue:
        late = f"{plural(f.days_overdue, 'day')} late"
        who = f.contact_name + step_note(f.step)
        _entry(sheet, width, late, f.title, who, "$text-error")
    for f in upcoming:
        _entry(
            sheet, width, short_day(f.due_date, today), f.title, f.contact_name + step_note(f.step)
        )

    done, planned = review.interviews_done, review.interviews_planned
    sheet.section("Interviews", f"{len(done)} done, {len(planned)} planned")
    for i in planned:
        who = f"with {i.contact_name}{step_note(i.step)}"
        _entry(sheet, width, short_day(i.date, today), who, "planned")
    for i in done:
        note = "done" if i.thank_you_sent else "done, no thank-you sent"
        who = f"with {i.contact_name}{step_note(i.step)}"
        _entry(sheet, width, short_day(i.date, today), who, note)

    attended, coming = review.events_attended, review.events_upcoming
    sheet.section("Events", f"{len(attended)} attended, {len(coming)} coming up")
    for e in coming:
        _entry(sheet, width, short_day(e.start_date, today), e.name, e.status)
    for e in attended:
        _entry(sheet, width, short_day(e.start_date, today), e.name, f"attended as {e.my_role}")
    return sheet


class ReviewScreen(TabScreen):
    """The weekly review, goal by goal, and the network by goal."""

    MODE = "review"
    HORIZONTAL_BREAKPOINTS = [(0, "-stacked"), (SIDE_BY_SIDE, "-side")]  # noqa: RUF012

    DEFAULT_CSS = """
    ReviewScreen {
        #review-views { height: 1fr; }
        #review-goals { height: 1fr; }
        #review-goal-list {
            /* A goal's title is what tells goals apart: room for most of one,
               the people table beside it needs less than the rest. */
            width: 40%;
            min-width: 30;
            max-width: 64;
            height: 1fr;
            border-right: vkey $border-blurred;
            &:focus { border-right: vkey $border; }
        }
        #goal-review { width: 1fr; height: 1fr; padding-left: 1; }
        #goal-head { height: auto; text-wrap: nowrap; text-overflow: ellipsis; }
        #goal-activity { height: 1; margin: 1 0; }
        #activity-label { width: 10; color: $text-muted; }
        #activity { width: 24; }
        #activity-note { width: 1fr; padding-left: 2; color: $text-muted; }
        #relationships { height: auto; max-height: 50%; }
        #goal-more {
            height: 1fr;
            padding: 0;
            border-top: hkey $border-blurred;
            &:focus { border-top: hkey $border; }
        }
        &.-stacked {
            #review-goals { layout: vertical; }
            #review-goal-list {
                width: 1fr;
                min-width: 0;
                max-width: 100%;
                height: auto;
                max-height: 7;
                border-right: none;
                border-bottom: hkey $border-blurred;
                &:focus { border-right: none; border-bottom: hkey $border; }
            }
            #goal-activity { margin: 0; }
        }
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("l", "log", "Log"),
        Binding("f", "follow_up", "Follow-up"),
        Binding("o", "open_contact", "Open contact"),
        Binding("n", "toggle_network", "Network by goal"),
        Binding("w", "checkin", "Weekly check-in", show=False),
        Binding("c", "link_contacts", "Link contacts", show=False),
        Binding("k", "ask_about_skill", "Ask about a skill", show=False),
        Binding("escape", "back", "Back to the goals", show=False),
    ]
    DIALOG_ACTIONS: ClassVar[tuple[tuple[str, str, str], ...]] = (
        ("w then x", "Export the weekly check-in", "export_checkin"),
    )

    def __init__(self) -> None:
        super().__init__()
        self.today = clock.today()
        self.goal_list = GroupedList(GOAL_COLUMNS, id="review-goal-list")
        self.people = LabelledList(person_columns(self.today), id="relationships", indent=2)
        self.more = FittedPane(id="goal-more")
        self.network_tree = NetworkTree(id="network")
        self._items: list[GoalItem] = []
        self._counts: dict[int, Mapping[str, int]] = {}
        # Reviews in hand for the data version they were computed at.
        self._reviews: dict[int, GoalReview] = {}
        self._reviews_version = -1
        self._network_asked = -1  # the data version the whole review was last asked for
        self._drawn_goal: int | None = None
        self.review: GoalReview | None = None
        self._gaps: dict[int, GoalGaps] = {}

    def compose_body(self) -> ComposeResult:
        yield Static("", id="review-title", markup=False)
        with ContentSwitcher(initial="review-goals", id="review-views"):
            with Horizontal(id="review-goals"):
                yield self.goal_list
                with Vertical(id="goal-review"):
                    yield Static("", id="goal-head")
                    with Horizontal(id="goal-activity"):
                        yield Static("Activity", id="activity-label")
                        yield Sparkline([], id="activity")
                        yield Static("", id="activity-note", markup=False)
                    yield self.people.labels
                    yield self.people
                    yield self.more
            yield self.network_tree

    def on_mount(self) -> None:
        self.goal_list.focus()

    @property
    def network_shown(self) -> bool:
        return self.query_one("#review-views", ContentSwitcher).current == "network"

    # -- loading ---------------------------------------------------------------------

    async def load_now(self, keep: int | None) -> None:
        version = self.rapport.data_version
        items = await self.call(goal_items)
        self.loaded_version = version
        if self._reviews_version != version:
            self._reviews, self._reviews_version = {}, version
            self._gaps = {}
        self._items = items
        self._draw_goal_list(keep)
        if not items:
            self._show_nothing()
            self.network_tree.show([], [])
        self._draw_title()

    def _draw_goal_list(self, keep: int | None = None) -> None:
        current = self.goal_list.current
        wanted = keep if keep is not None else (current.id if current is not None else None)
        items = [
            replace(item, counts=self._counts.get(item.id)) if item.status == "active" else item
            for item in self._items
        ]
        self._items = items
        self.goal_list.show(
            goal_lines(items), keep=None if wanted is None else lambda g: g.id == wanted
        )

    def _draw_title(self) -> None:
        active = [i for i in self._items if i.status == "active"]
        view = "Network by goal" if self.network_shown else "Review"
        text = f"{view}, {day(self.today)}  ·  {plural(len(active), 'active goal')}"
        nobody = sum(1 for i in active if i.backing[0] == "nobody")
        cold = sum(1 for i in active if i.counts is not None and all_cold(i.counts))
        if nobody:
            text += f"  ·  {nobody} with nobody behind it"
        if cold:
            text += f"  ·  {cold} where everyone is cold"
        self.query_one("#review-title", Static).update(text)

    @on(GroupedList.Highlighted, "#review-goal-list")
    def _goal_highlighted(self, event: GroupedList.Highlighted) -> None:
        if isinstance(event.row, GoalItem):
            self._show_goal(event.row)

    @work(exclusive=True, group="goal")
    async def _show_goal(self, item: GoalItem) -> None:
        version = self.rapport.data_version
        review = self._reviews.get(item.id) if self._reviews_version == version else None
        if review is None:
            # Holding an arrow key passes many goals: ask for the one it stops on.
            await asyncio.sleep(0.03)
            try:
                review = await self.call(review_service.goal_review, item.id)
            except RapportError as exc:
                self.more.show(Sheet().text(str(exc), "$text-error"))
                return
            if self._reviews_version == version:
                self._reviews[item.id] = review
        gaps = self._gaps.get(item.id) if self._reviews_version == version else None
        self._draw_goal(item, review, gaps)
        if self._network_asked != version:
            self._load_network()
        if gaps is None:
            # The skill gaps take longer than the rest (who has each skill, and
            # who only mentions it): the goal shows at once, its gaps as they come.
            try:
                gaps = await self.call(one_goal_gaps, item.id)
            except RapportError:
                return
            if self._reviews_version == version:
                self._gaps[item.id] = gaps
            if self._drawn_goal == item.id:
                self.more.show_drawn(partial(goal_sheet, review, gaps=gaps))

    def _draw_goal(self, item: GoalItem, review: GoalReview, gaps: GoalGaps | None) -> None:
        same = self._drawn_goal == item.id
        person = self.people.current if same else None
        self._drawn_goal = item.id
        self.review = review
        parent = next((i.title for i in self._items if i.id == item.parent_id), "")
        self.query_one("#goal-head", Static).update(goal_head(review, parent))
        self.query_one("#activity", Sparkline).data = list(review.progress.weekly_activity)
        self.query_one("#activity-note", Static).update(activity_note(review))
        self.people.show(
            person_lines(review),
            keep=None if person is None else lambda r: r.contact_id == person.contact_id,
        )
        if not same:
            self.people.scroll_home(animate=False)
        self.more.show_drawn(partial(goal_sheet, review, gaps=gaps))

    def _show_nothing(self) -> None:
        self._drawn_goal = None
        self.review = None
        self.query_one("#goal-head", Static).update(
            Content.styled(
                "Goals are what the networking is for: add one on the Goals tab (2).", "$text-muted"
            )
        )
        self.query_one("#activity", Sparkline).data = []
        self.query_one("#activity-note", Static).update("")
        self.people.show([])
        self.more.show_drawn(None)

    @work(exclusive=True, group="network")
    async def _load_network(self) -> None:
        version = self.rapport.data_version
        if self.loaded_version != version:
            return  # the goal list (whose order the tree follows) is on its way; it asks
        self._network_asked = version
        try:
            whole = await whole_review(self.rapport)
        except RapportError as exc:
            self.notify(str(exc), title="Could not load the review", severity="error")
            return
        if version != self.rapport.data_version:
            return  # something changed meanwhile: the next load asks again
        if self._reviews_version == version:
            for review in whole.goals:
                self._reviews.setdefault(review.goal.id, review)
        active = whole.active_goals
        self._counts = {r.goal.id: r.warmth_counts for r in active}
        self._draw_goal_list()
        self._draw_title()
        order = {item.id: index for index, item in enumerate(self._items)}
        active.sort(key=lambda r: order.get(r.goal.id, len(order)))
        self.network_tree.show(active, whole.gaps.active_unlinked)

    # -- who and which goal the keys act on ------------------------------------------

    def _person(self) -> Choice | None:
        if self.network_shown:
            node = self.network_tree.current
            if node is not None and node.kind == "contact" and node.contact_id is not None:
                return Choice(node.contact_id, node.name)
            self.notify("Put the cursor on a person first.", timeout=3)
            return None
        person = self.people.current
        if isinstance(person, Relationship):
            return Choice(person.contact_id, person.name)
        if not self._items:  # no goal at all: "this goal" would be none
            self.notify(NO_GOALS_YET, timeout=3)
        else:
            self.notify("Nobody is behind this goal yet: c links contacts to it.", timeout=3)
        return None

    def _goal(self) -> Choice | None:
        if self.network_shown:
            node = self.network_tree.current
            if node is not None and node.goal_id is not None:
                return Choice(node.goal_id, node.goal_title)
            return None
        item = self.goal_list.current
        return Choice(item.id, item.title) if isinstance(item, GoalItem) else None

    # -- actions -----------------------------------------------------------------------

    @work(exclusive=True, group="act")
    async def action_log(self) -> None:
        person = self._person()
        if person is not None and person.id is not None:
            await self.log_with(person.id, person.label)

    @work(exclusive=True, group="act")
    async def action_follow_up(self) -> None:
        person = self._person()
        if person is None:
            return
        goal = self._goal()
        serves = f" (for “{goal.label}”)" if goal is not None else ""
        saved = await self.run_form(
            followup_form(self.rapport, contact=person),
            lambda f: f"Follow-up due {day(f.due_date)}: {f.title}{serves}",
            contacts=False,
        )
        if saved is not None and goal is not None:
            # A follow-up added from a goal's review serves that goal.
            served = link_service.Target("followup", saved.id)
            await self.write(link_service.link, served, goal.id, contacts=False)

    @work(exclusive=True, group="act")
    async def action_ask_about_skill(self) -> None:
        """A follow-up "Ask NAME about SKILL" for a gap of this goal the person can close,
        once the person says yes to it; or, when they are not known to have any, about
        the one of its gaps picked here (the picker says a follow-up comes of it)."""
        person = self._person()
        goal = self._goal()
        if person is None or person.id is None or goal is None:
            return
        from rapport.services import gaps as gap_service

        try:
            needs = await self.call(gap_service.skills_to_ask, goal.id, person.id)
            if not needs:
                # The skill is rapport's pick: say what would be added before adding it.
                question = await self.call(gap_service.question_to_ask, goal.id, person.id)
        except RapportError as exc:
            self.notify(str(exc), title=exc.title, severity="error", timeout=6)
            return
        skill = None
        if needs:
            choices = [Choice(n.skill_id, n.skill, n.gap_words, haystack(n.skill)) for n in needs]
            asked = f"A follow-up to ask {person.label} about which skill {goal.label} still needs?"
            picked = await self.app.push_screen_wait(PickerScreen(asked, choices))
            if not picked:
                return
            skill = picked[0].id
        elif not await self.confirm(
            f"Add the follow-up “{question.title}”, due {day(question.due)}?",
            f"{person.label} is known to have {question.skill}, which “{goal.label}” still "
            "needs. It serves the goal; the Follow-ups tab (6) lists it.",
            yes="Add",
            no="Cancel",
            danger=False,
        ):
            return
        await self.write(
            gap_service.ask_about,
            goal.id,
            person.id,
            skill=skill,
            done=lambda f: f"Follow-up due {day(f.due_date)}: {f.title}",
            contacts=False,
        )

    async def action_open_contact(self) -> None:
        person = self._person()
        if person is not None and person.id is not None:
            await self.rapport.open_contact(person.id)

    @work(exclusive=True, group="act")
    async def action_link_contacts(self) -> None:
        goal = self._goal()
        if goal is None or goal.id is None:
            self.notify(
                NO_GOALS_YET if not self._items else "Put the cursor on a goal first.", timeout=3
            )
            return
        await self.run_form(
            link_contacts_form(self.rapport, goal.id, goal.label),
            lambda made: f"Linked {plural(len(made), 'person', 'people')} to {goal.label}",
        )

    @work(exclusive=True, group="act")
    async def action_checkin(self) -> None:
        await show_checkin(self)

    @work(exclusive=True, group="act")
    async def action_export_checkin(self) -> None:
        """Straight to where to write the check-in (the palette's "Export the weekly check-in")."""
        await show_checkin(self, read_first=False)

    def action_toggle_network(self) -> None:
        switcher = self.query_one("#review-views", ContentSwitcher)
        if switcher.current == "network":
            node = self.network_tree.current
            switcher.current = "review-goals"
            self._draw_title()
            if node is not None and node.goal_id is not None:
                self._highlight_goal(node.goal_id)
            self.goal_list.focus()
            return
        switcher.current = "network"
        self._draw_title()
        self.network_tree.focus()
        if not self.network_tree.loaded:
            self.network_tree.root.add_leaf("Loading the network…")
        if self._network_asked != self.rapport.data_version:
            self._load_network()
        goal = self.goal_list.current
        if isinstance(goal, GoalItem):
            self.network_tree.focus_goal(goal.id)

    def _highlight_goal(self, goal_id: int) -> None:
        for index, item in enumerate(self.goal_list.items):
            if isinstance(item, GoalItem) and item.id == goal_id:
                self.goal_list.highlighted = index
                return

    def action_back(self) -> None:
        if self.network_shown:
            self.action_toggle_network()
        else:
            self.goal_list.focus()

    @on(GroupedList.Chosen, "#review-goal-list")
    def _goal_chosen(self) -> None:
        self.people.focus()

    @on(GroupedList.Chosen, "#relationships")
    async def _person_chosen(self) -> None:
        await self.action_open_contact()

    @on(Tree.NodeSelected, "#network")
    async def _node_chosen(self, event: Tree.NodeSelected[object]) -> None:
        node = self.network_tree.current
        if node is not None and node.kind == "contact":
            await self.action_open_contact()
