"""Bringing history from spreadsheets (targets.history_import): entries and targets."""

import datetime as dt
from decimal import Decimal

import pytest

from accounts.models import ImportJob
from accounts.people_import import UnreadableFile
from activities.history_import import activities_check
from activities.models import Activity, DayTally, Deal, Source
from activities.tallies import tallies_verify
from targets.history_import import history_import_start
from targets.models import Target
from tests import factories

pytestmark = pytest.mark.django_db

NOW = dt.datetime(2026, 12, 1, 9, 0, tzinfo=dt.UTC)


def start(admin, kind, content):
    job, _new = history_import_start(
        by=admin, kind=kind, filename=f"{kind}.csv", content=content
    )
    return job


def test_a_valid_activities_file_imports_every_row_and_its_tallies(admin_user, rep):
    # Given a file of two days of calls and an appointment
    content = (
        "date,email,metric,quantity,outcome\n"
        f"2026-09-14,{rep.email},calls,25,\n"
        f"2026-09-14,{rep.email},calls,1,connected\n"
        f"2026-09-15,{rep.email.upper()},appointments,2,\n"
    )
    # When the admin imports it
    job = start(admin_user, "activities", content)
    # Then all three are written as imports, on the rep's local dates
    assert job.status == ImportJob.Status.DONE
    assert job.imported_count == 3
    assert job.percent == 100
    imported = Activity.objects.filter(rep=rep, source=Source.IMPORT)
    assert sorted(imported.values_list("local_date", "quantity")) == [
        (dt.date(2026, 9, 14), 1),
        (dt.date(2026, 9, 14), 25),
        (dt.date(2026, 9, 15), 2),
    ]
    # And the day tallies add up to the raw rows
    assert (
        DayTally.objects.get(
            rep=rep, metric__slug="calls", local_date=dt.date(2026, 9, 14)
        ).quantity
        == 26
    )
    assert tallies_verify(rep_ids=[rep.pk]) == []


def test_a_file_with_one_bad_line_imports_nothing_and_names_the_line(admin_user, rep):
    # Given a file whose third line has a negative quantity
    content = (
        "date,email,metric,quantity,outcome\n"
        f"2026-09-14,{rep.email},calls,25,\n"
        f"2026-09-15,{rep.email},calls,-3,\n"
        f"2026-09-16,{rep.email},calls,20,\n"
    )
    # When the admin imports it
    job = start(admin_user, "activities", content)
    # Then nothing is written and the error names line 3 and why
    assert job.status == ImportJob.Status.FAILED
    assert [error["line"] for error in job.errors] == [3]
    assert "quantity “-3”" in job.errors[0]["message"]
    assert not Activity.objects.exists()
    assert not DayTally.objects.exists()


def test_every_kind_of_bad_value_is_named_on_its_line(admin_user, rep):
    # Given a file with an unknown person, a future date, a result metric and a bad
    # outcome
    content = (
        "date,email,metric,quantity,outcome\n"
        "2026-09-14,nobody@example.com,calls,1,\n"
        f"2999-01-01,{rep.email},calls,1,\n"
        f"2026-09-14,{rep.email},revenue,1,\n"
        f"2026-09-14,{rep.email},appointments,1,connected\n"
        f"2026-09-14,{rep.email},calls\n"
    )
    # When it is imported
    job = start(admin_user, "activities", content)
    # Then each line has its message and nothing is written
    messages = {error["line"]: error["message"] for error in job.errors}
    assert "nobody@example.com" in messages[2]
    assert "in the future" in messages[3]
    assert "not an activity metric" in messages[4]
    assert messages[5] == "Only calls have an outcome."
    assert "columns" in messages[6]
    assert not Activity.objects.exists()


def test_uploading_the_same_file_again_imports_it_once(admin_user, rep):
    # Given a file already imported
    content = f"date,email,metric,quantity,outcome\n2026-09-14,{rep.email},calls,5,\n"
    first = start(admin_user, "activities", content)
    # When the admin uploads it again
    again, new = history_import_start(
        by=admin_user, kind="activities", filename="again.csv", content=content
    )
    # Then the first job is returned and nothing is written twice
    assert (again.pk, new) == (first.pk, False)
    assert Activity.objects.filter(rep=rep).count() == 1


def test_a_file_of_another_kind_is_refused_by_its_header(admin_user, rep):
    # Given a deals file uploaded as activities
    content = f"closed_date,email,amount,title\n2026-09-30,{rep.email},100,X\n"
    # When it is started as activities, then line 1 is named with the columns
    with pytest.raises(UnreadableFile, match="Line 1"):
        start(admin_user, "activities", content)
    assert not ImportJob.objects.exists()


def test_a_valid_deals_file_feeds_the_revenue_tallies(admin_user, rep):
    # Given two past deals
    content = (
        "closed_date,email,amount,title\n"
        f"2026-09-30,{rep.email},12400.00,Aegean Ferries renewal\n"
        f'2026-10-02,{rep.email},600,"Hotel Lefkes, upsell"\n'
    )
    # When they are imported
    job = start(admin_user, "deals", content)
    # Then both deals exist and revenue is tallied on their days
    assert (job.status, job.imported_count) == (ImportJob.Status.DONE, 2)
    assert Deal.objects.get(local_date=dt.date(2026, 10, 2)).title == (
        "Hotel Lefkes, upsell"
    )
    assert DayTally.objects.get(
        rep=rep, metric__slug="revenue", local_date=dt.date(2026, 9, 30)
    ).amount == Decimal("12400.00")
    assert tallies_verify(rep_ids=[rep.pk]) == []


def test_a_deal_without_a_title_or_with_a_bad_amount_fails_the_file(admin_user, rep):
    content = (
        "closed_date,email,amount,title\n"
        f"2026-09-30,{rep.email},0,Zero\n"
        f"2026-09-30,{rep.email},100,\n"
    )
    job = start(admin_user, "deals", content)
    assert [error["line"] for error in job.errors] == [2, 3]
    assert "title is empty" in job.errors[1]["message"]
    assert not Deal.objects.exists()


def test_a_valid_targets_file_writes_closed_past_targets(admin_user, rep):
    # Given a rep with no targets yet and a file of two past months' targets
    Target.objects.filter(rep=rep).delete()
    content = (
        "email,metric,period,amount,effective_from,effective_until\n"
        f"{rep.email},calls,day,20,2026-06-01,2026-08-31\n"
        f"{rep.email},calls,day,25,2026-09-01,2026-11-30\n"
        f"{rep.email},revenue,month,20000,2026-06-01,\n"
    )
    # When it is imported
    job = start(admin_user, "targets", content)
    # Then the history is written as agreed
    assert (job.status, job.imported_count) == (ImportJob.Status.DONE, 3)
    calls = Target.objects.filter(rep=rep, metric__slug="calls").order_by(
        "effective_from"
    )
    assert [(t.amount, t.effective_until) for t in calls] == [
        (Decimal("20.00"), dt.date(2026, 8, 31)),
        (Decimal("25.00"), dt.date(2026, 11, 30)),
    ]


def test_targets_that_overlap_each_other_or_existing_ones_fail_the_file(
    admin_user, rep
):
    # Given a rep whose calls target is in force since 1 Nov
    Target.objects.filter(rep=rep).delete()
    factories.TargetFactory(
        rep=rep,
        metric=factories.metric("calls"),
        period="day",
        amount=25,
        effective_from=dt.date(2026, 11, 1),
    )
    content = (
        "email,metric,period,amount,effective_from,effective_until\n"
        f"{rep.email},calls,day,20,2026-10-01,2026-11-15\n"
        f"{rep.email},revenue,month,100,2026-06-01,2026-08-31\n"
        f"{rep.email},revenue,month,100,2026-08-01,2026-09-30\n"
        f"{rep.email},revenue,week,100,2026-10-01,2026-09-30\n"
    )
    # When it is imported
    job = start(admin_user, "targets", content)
    # Then the overlaps and the reversed range are named, and nothing is written
    messages = {error["line"]: error["message"] for error in job.errors}
    assert "in force since 2026-11-01" in messages[2]
    assert messages[4] == "overlaps the target on line 3"
    assert messages[5] == "effective_until is before effective_from"
    assert Target.objects.filter(rep=rep).count() == 1


def test_a_large_file_is_checked_by_a_worker_after_commit(
    admin_user, rep, monkeypatch, django_capture_on_commit_callbacks
):
    # Given a file over the in-request limit (tasks run eagerly in tests)
    monkeypatch.setattr("targets.history_import.SYNC_IMPORT_MAX_ROWS", 10)
    rows = "".join(f"2026-09-{day:02d},{rep.email},calls,3,\n" for day in range(1, 21))
    content = "date,email,metric,quantity,outcome\n" + rows
    # When it is started
    with django_capture_on_commit_callbacks(execute=True):
        job = start(admin_user, "activities", content)
        # Then the page first shows it waiting for a worker
        assert job.status == ImportJob.Status.PENDING
    # And the worker imported all 20 rows
    job.refresh_from_db()
    assert (job.status, job.imported_count, job.total_rows) == ("done", 20, 20)


def test_checking_reports_progress_as_it_goes(rep, monkeypatch):
    # Given 20 rows and progress every 5
    monkeypatch.setattr("activities.history_import.PROGRESS_EVERY_ROWS", 5)
    rows = "".join(f"2026-09-{day:02d},{rep.email},calls,3,\n" for day in range(1, 21))
    progress = []
    # When they are checked
    checked, errors = activities_check(
        "date,email,metric,quantity,outcome\n" + rows,
        by=None,
        on_progress=progress.append,
    )
    # Then progress was reported four times, and every row is ready
    assert progress == [5, 10, 15, 20]
    assert (len(checked.rows), errors) == (20, [])
