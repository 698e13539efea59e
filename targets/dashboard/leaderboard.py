"""The leaderboard: the dashboard's reps ranked by one metric."""

from dataclasses import dataclass

from accounts.models import User
from targets.attainment import MetricAttainment
from targets.dashboard.board import Dashboard
from targets.dashboard.rows import sort_rows


@dataclass(frozen=True)
class LeaderboardEntry:
    rank: int
    rep: User
    cell: MetricAttainment | None


def leaderboard_from(dashboard: Dashboard, *, metric: str) -> list[LeaderboardEntry]:
    """Reps ranked by one metric (percent of target, then actual); ties share a rank."""
    slugs = [column.slug for column in dashboard.columns]
    if metric not in slugs:
        return []
    index = slugs.index(metric)
    rows = list(dashboard.rows)
    sort_rows(rows, columns=dashboard.columns, sort=metric, direction="desc")
    entries: list[LeaderboardEntry] = []
    previous_key = None
    for position, row in enumerate(rows, start=1):
        cell = row.cells[index]
        key = None if cell is None else (cell.percent, cell.actual)
        rank = entries[-1].rank if entries and key == previous_key else position
        entries.append(LeaderboardEntry(rank=rank, rep=row.rep, cell=cell))
        previous_key = key
    return entries
