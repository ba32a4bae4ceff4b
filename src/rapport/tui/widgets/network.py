"""The network by goal: a tree of goal → role → contact, each goal saying how well it is backed."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import partial
from typing import Any

from rich.style import Style
from rich.text import Text
from textual import on
from textual.widgets import Tree
from textual.widgets.tree import NodeID, TreeNode

from rapport.services.review import GoalReview, Relationship, UnlinkedContact
from rapport.tui.text import plural, relative
from rapport.tui.widgets.warmth import WARMTH_VARIABLES

DIM = Style(dim=True)
# A line of the tree not drawn yet: what draws its label, and what it is about.
Leaf = tuple[Callable[[], Text], "NetworkNode"]
# A goal with more people than this shows its roles folded (space unfolds one).
UNFOLDED_PEOPLE = 12
# Thousands can be active lately without serving a goal: the busiest are listed.
UNLINKED_SHOWN = 50


@dataclass(frozen=True)
class NetworkNode:
    """What a line of the tree is about: a goal, a role under it, or a person."""

    # "goal", "role", "contact", "unlinked" (the heading of those serving no goal), "more"
    kind: str
    goal_id: int | None = None
    goal_title: str = ""
    contact_id: int | None = None
    name: str = ""


class NetworkTree(Tree[NetworkNode]):
    """Active goals, the roles people play for each, and the people, with their warmth."""

    DEFAULT_CSS = """
    NetworkTree {
        height: 1fr;
        padding: 0 1;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, **kwargs: Any) -> None:
        super().__init__("Network by goal", **kwargs)
        self.show_root = False
        self.guide_depth = 3
        self.loaded = False
        self._shown: tuple[Sequence[GoalReview], Sequence[UnlinkedContact]] = ((), ())
        self._pending: dict[NodeID, Callable[[], object]] = {}
        self._styles: dict[tuple[str, bool], Style] = {}

    def on_mount(self) -> None:
        # The labels carry the theme's colours: draw them again in a new theme.
        self.app.theme_changed_signal.subscribe(self, self._new_theme)

    def _new_theme(self, _theme: object) -> None:
        if self.loaded:
            self.show(*self._shown)

    # -- colours: Tree labels are Rich text, so theme colours are looked up by name

    def _style(self, variable: str, *, bold: bool = False) -> Style:
        key = (variable, bold)
        style = self._styles.get(key)
        if style is None:
            colour = self.app.theme_variables.get(variable, "") if variable else ""
            style = Style(color=colour, bold=bold) if colour else Style(dim=not bold, bold=bold)
            self._styles[key] = style
        return style

    def _warmth(self, counts: dict[str, int]) -> Text:
        total = sum(counts.values())
        if not total:
            return Text("nobody behind it", self._style("text-error"))
        text = Text(plural(total, "person", "people") + ": ", DIM)
        shown = [(status, count) for status, count in counts.items() if count]
        for index, (status, count) in enumerate(shown):
            word = "never contacted" if status == "never" else status
            text.append(f"{count} {word}", self._style(WARMTH_VARIABLES[status]))
            if index < len(shown) - 1:
                text.append(" · ", DIM)
        return text

    def _person(self, person: Relationship, today: Any) -> Text:
        word = person.status_label
        last = f"last {relative(person.last_contacted, today)}" if person.last_contacted else ""
        text = Text(person.name)
        if person.organization:
            text.append(f" ({person.organization})", DIM)
        text.append("  ")
        text.append(word, self._style(WARMTH_VARIABLES[person.status]))
        if last:
            text.append(f"  {last}", DIM)
        return text

    # -- filling it ------------------------------------------------------------------

    def show(self, reviews: Sequence[GoalReview], unlinked: Sequence[UnlinkedContact]) -> None:
        """Rebuild the tree; the cursor stays on the same goal and person when they remain.

        A goal backed by many people shows its roles folded, and their people are
        added when a role is unfolded: a network of thousands stays quick to draw.
        """
        current = self.current
        self.clear()
        self._pending.clear()
        self._styles.clear()  # the theme may have changed
        self.loaded = True
        self._shown = (reviews, unlinked)
        target: TreeNode[NetworkNode] | None = None
        if not reviews:
            self.root.add_leaf(
                Text("No active goals yet: add one on the Goals tab (2).", DIM), NetworkNode("more")
            )
        for review in reviews:
            goal = review.goal
            people = review.relationships
            label = Text(goal.title, self._style("text-primary", bold=True))
            label.append("   ")
            label.append_text(self._warmth(review.warmth_counts))
            goal_data = NetworkNode("goal", goal.id, goal.title)
            goal_node = self.root.add(label, goal_data, expand=True, allow_expand=bool(people))
            if current == goal_data:
                target = goal_node
            for group in review.roles:
                role = Text(group.role.replace("-", " "), self._style("text-accent"))
                role.append(f" ({len(group.relationships)})", DIM)
                leaves: list[Leaf] = [
                    (
                        partial(self._person, person, review.today),
                        NetworkNode("contact", goal.id, goal.title, person.contact_id, person.name),
                    )
                    for person in group.relationships
                ]
                role_data = NetworkNode("role", goal.id, goal.title, name=group.role)
                role_node = goal_node.add(role, role_data)
                found = self._fill_later(role_node, leaves, current)
                if found is not None or len(people) <= UNFOLDED_PEOPLE:
                    role_node.expand()
                target = found or target
        if unlinked:
            heading = Text("Active lately, serving no goal", self._style("text-warning", bold=True))
            heading.append(f"   {plural(len(unlinked), 'person', 'people')}: ", DIM)
            heading.append("a link may be missing (g on Contacts)", DIM)
            node = self.root.add(heading, NetworkNode("unlinked"))
            leaves = [
                (
                    partial(self._unlinked, someone),
                    NetworkNode("contact", None, "", someone.contact_id, someone.name),
                )
                for someone in unlinked[:UNLINKED_SHOWN]
            ]
            if len(unlinked) > UNLINKED_SHOWN:
                more = Text(f"and {len(unlinked) - UNLINKED_SHOWN:,} more", DIM)
                leaves.append((lambda: more, NetworkNode("more")))
            found = self._fill_later(node, leaves, current)
            if found is not None:
                node.expand()
            target = found or target
        if target is not None:
            self.call_after_refresh(self.move_cursor, target)

    def _unlinked(self, someone: UnlinkedContact) -> Text:
        text = Text(someone.name)
        if someone.organization:
            text.append(f" ({someone.organization})", DIM)
        times = "once" if someone.interactions == 1 else f"{someone.interactions} times"
        text.append(f"  {times} in 30 days", DIM)
        return text

    def _fill_later(
        self,
        node: TreeNode[NetworkNode],
        leaves: list[Leaf],
        current: NetworkNode | None,
    ) -> TreeNode[NetworkNode] | None:
        """Add ``leaves`` under ``node`` when it is first unfolded (now, if the cursor
        was on one of them: that leaf is returned)."""

        def fill() -> list[TreeNode[NetworkNode]]:
            return [node.add_leaf(label(), data) for label, data in leaves]

        if current is not None and any(data == current for _, data in leaves):
            return next(leaf for leaf in fill() if leaf.data == current)
        self._pending[node.id] = fill
        return None

    @on(Tree.NodeExpanded)
    def _unfolded(self, event: Tree.NodeExpanded[NetworkNode]) -> None:
        fill = self._pending.pop(event.node.id, None)
        if fill is not None:
            fill()

    def focus_goal(self, goal_id: int) -> None:
        """Put the cursor on a goal's line (once the tree is drawn)."""
        for node in self.root.children:
            if node.data is not None and node.data.kind == "goal" and node.data.goal_id == goal_id:
                self.call_after_refresh(self.move_cursor, node)
                return

    @property
    def current(self) -> NetworkNode | None:
        node = self.cursor_node
        return node.data if node is not None else None
