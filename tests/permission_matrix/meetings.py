"""Meetings: pages, the calendar feed and the API.

Objects belong to team A: a one-on-one between team A's manager and rep, with an action
item owned by the rep. Team B's people and the manager above get a 404 for them, never a
403; a rep who may see a meeting but not run it gets a 403 on the manager's actions. The
last rows are team A's manager's own one-on-one with the manager above.
"""

from tests import factories
from tests.permission_matrix import (
    API_ANON,
    LOGIN,
    Row,
    everyone,
    staff_only,
    team_a_manager_object,
    team_a_object,
)


def meeting_of_a(world) -> dict:
    if "meeting" not in world:
        world["meeting"] = factories.MeetingFactory(
            rep=world["rep"], organiser=world["manager"]
        )
    return {"pk": world["meeting"].pk}


def item_of_a(world) -> dict:
    if "item" not in world:
        meeting_of_a(world)
        world["item"] = factories.ActionItemFactory(
            meeting=world["meeting"], owner=world["rep"]
        )
    return {"pk": world["item"].pk}


def meeting_of_a_manager(world) -> dict:
    """A one-on-one of team A's manager with the manager above: the manager's own."""
    if "manager_meeting" not in world:
        world["manager_meeting"] = factories.MeetingFactory(
            rep=None,
            organiser=world["manager_above"],
            participants=[world["manager_above"], world["manager"]],
        )
    return {"pk": world["manager_meeting"].pk}


def item_of_a_manager(world) -> dict:
    if "manager_item" not in world:
        meeting_of_a_manager(world)
        world["manager_item"] = factories.ActionItemFactory(
            meeting=world["manager_meeting"], owner=world["manager"]
        )
    return {"pk": world["manager_item"].pk}


def rep_of_a(world) -> dict:
    return {"pk": world["rep"].pk}


def a_level_to_change_to(world) -> dict:
    # Each viewer posts in turn: a level the rep is not at yet (the same one is refused)
    rep = world["rep"]
    rep.refresh_from_db(fields=["autonomy_level"])
    level = "established" if rep.autonomy_level == "ramping" else "ramping"
    return {"to_level": level, "reason": "Strong start"}


def feed_of_a(world) -> dict:
    from meetings.services import feed_token_rotate

    return {"token": feed_token_rotate(user=world["rep"]).token}


def run_by_staff_of_a(status: int, *, anonymous=LOGIN, admin=None) -> dict:
    """The manager's actions on a team A meeting: its rep may see it but not run it."""
    return {
        "anonymous": anonymous,
        "rep": 403,
        "rep_other": 404,
        "manager": status,
        "manager_other": 404,
        "manager_above": 404,
        "admin": status if admin is None else admin,
    }


def about_rep_of_a(status: int) -> dict:
    """Pages about team A's rep for managers: reps are told no, team B is not found."""
    return {
        "anonymous": LOGIN,
        "rep": 403,
        "rep_other": 403,
        "manager": status,
        "manager_other": 404,
        "manager_above": 404,
        "admin": status,
    }


ROWS = [
    Row("meetings:list", everyone(200)),
    Row("meetings:schedule", staff_only(200)),
    Row("meetings:slot_preview", staff_only(200), query="?kind=team"),
    Row("meetings:find_time", staff_only(200), query="?duration_minutes=30"),
    Row("meetings:calendar", everyone(200)),
    Row("meetings:check_ins", staff_only(200)),
    Row("meetings:rep_history", about_rep_of_a(200), kwargs=rep_of_a),
    Row(
        "meetings:autonomy_change",
        about_rep_of_a(302),
        kwargs=rep_of_a,
        method="post",
        data=a_level_to_change_to,
    ),
    Row("meetings:feed_settings", everyone(200)),
    Row("meetings:feed_rotate", everyone(302), method="post"),
    Row("meetings:feed_revoke", everyone(302), method="post"),
    Row("meetings:feed", everyone(200, anonymous=200), kwargs=feed_of_a),
    Row("meetings:detail", team_a_object(200), kwargs=meeting_of_a),
    Row("meetings:ics", team_a_object(200), kwargs=meeting_of_a),
    Row("meetings:edit", run_by_staff_of_a(200), kwargs=meeting_of_a),
    Row("meetings:cancel", run_by_staff_of_a(302), kwargs=meeting_of_a, method="post"),
    Row(
        "meetings:notes",
        run_by_staff_of_a(302),
        kwargs=meeting_of_a,
        method="post",
        data=lambda world: {"notes": "Talked pipeline."},
    ),
    Row(
        "meetings:action_item_add",
        run_by_staff_of_a(302),
        kwargs=meeting_of_a,
        method="post",
        data=lambda world: {"text": "Call back", "owner": world["rep"].pk},
    ),
    Row(
        "meetings:action_item_toggle",
        team_a_object(302),
        kwargs=item_of_a,
        method="post",
    ),
    # --- API ------------------------------------------------------------------------
    Row("meeting-list", everyone(200, anonymous=API_ANON)),
    Row(
        "meeting-detail",
        team_a_object(200, anonymous=API_ANON),
        kwargs=meeting_of_a,
    ),
    Row(
        "meeting-cancel",
        # The admin comes after the manager, who has cancelled it already: a 400.
        run_by_staff_of_a(200, anonymous=API_ANON, admin=400),
        kwargs=meeting_of_a,
        method="post",
    ),
    Row("action-item-list", everyone(200, anonymous=API_ANON)),
    Row(
        "action-item-detail",
        team_a_object(200, anonymous=API_ANON),
        kwargs=item_of_a,
    ),
    Row(
        "action-item-complete",
        team_a_object(200, anonymous=API_ANON),
        kwargs=item_of_a,
        method="post",
    ),
    Row(
        "meeting-detail",
        run_by_staff_of_a(200, anonymous=API_ANON),
        kwargs=meeting_of_a,
        method="patch",
        data=lambda world: {"notes": "Talked pipeline.", "private_notes": "Coach."},
    ),
    Row("api-calendar-feed", everyone(200, anonymous=API_ANON)),
    # Turning the feed on: a new address (201) once, the same one (200) after that.
    Row("api-calendar-feed", everyone(201, anonymous=API_ANON), method="put"),
    Row("api-calendar-feed", everyone(201, anonymous=API_ANON), method="post"),
    Row("api-calendar-feed", everyone(204, anonymous=API_ANON), method="delete"),
    # --- Team A's manager's own one-on-one: like a rep's, for the manager above -------
    Row("meetings:detail", team_a_manager_object(200), kwargs=meeting_of_a_manager),
    Row(
        "meetings:notes",
        # The manager it is about takes part but does not run it.
        team_a_manager_object(302, manager=403),
        kwargs=meeting_of_a_manager,
        method="post",
        data=lambda world: {"notes": "Talked about the team."},
    ),
    Row(
        "meeting-detail",
        team_a_manager_object(200, anonymous=API_ANON),
        kwargs=meeting_of_a_manager,
    ),
    Row(
        "action-item-detail",
        team_a_manager_object(200, anonymous=API_ANON),
        kwargs=item_of_a_manager,
    ),
    Row(
        "meeting-detail",
        # The manager it is about takes part but does not run it.
        team_a_manager_object(200, anonymous=API_ANON, manager=403),
        kwargs=meeting_of_a_manager,
        method="patch",
        data=lambda world: {"private_notes": "Ready to lead."},
    ),
]
