"""In-app notifications: once per key, emailed if wanted, an unread count in the navbar."""

import pytest
from django.core import mail
from django.urls import reverse

from accounts.notifications import notification_emails_send, notify, unread_count
from tests.helpers import api_client_for

pytestmark = pytest.mark.django_db


def test_notify_is_idempotent_per_key_and_emails_once(
    rep, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=rep, key="kudos:1", kind="kudos", title="Well done")
        again = notify(user=rep, key="kudos:1", kind="kudos", title="Well done")
    assert first.pk == again.pk
    assert len(mail.outbox) == 1 and mail.outbox[0].subject == "Well done"
    assert notification_emails_send(notification_ids=[first.pk]) == 0  # redelivery


def test_no_email_for_people_who_turned_it_off(rep, django_capture_on_commit_callbacks):
    rep.email_notifications = False
    rep.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=rep, key="k", kind="flag", title="Heads up")
    assert mail.outbox == []


def test_navbar_shows_the_unread_count_and_the_page_marks_read(client, rep):
    notify(user=rep, key="a", kind="kudos", title="Three months above quota")
    notify(user=rep, key="b", kind="flag", title="Activity dip")
    client.force_login(rep)
    page = client.get(reverse("notifications"))
    assert b'data-testid="unread-count">2<' in page.content
    assert b"Three months above quota" in page.content
    client.post(reverse("notifications-read"))
    assert unread_count(rep) == 0


def test_notifications_api_lists_only_mine_and_marks_read(rep, manager):
    notify(user=rep, key="a", kind="kudos", title="Mine")
    notify(user=manager, key="a", kind="flag", title="Not mine")
    client = api_client_for(rep)
    titles = [
        row["title"] for row in client.get("/api/v1/notifications/").json()["results"]
    ]
    assert titles == ["Mine"]
    assert client.post("/api/v1/notifications/mark-read/", {}).json() == {"marked": 1}
    assert unread_count(rep) == 0


def test_a_batch_of_notifications_is_one_task_and_each_email_goes_once(
    rep, manager, django_capture_on_commit_callbacks
):
    from accounts.models import Notification
    from accounts.notifications import notification_emails_send, notify_many

    drafts = [
        Notification(user=person, key="review:1", kind="flag", title=f"Hi {person}")
        for person in (rep, manager)
    ]
    with django_capture_on_commit_callbacks(execute=True) as queued:
        notify_many(drafts)
    assert len(queued) == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([rep.email, manager.email])
    ids = list(Notification.objects.values_list("pk", flat=True))
    assert notification_emails_send(notification_ids=ids) == 0  # a redelivered batch


class FailsOnTheSecondMessage:
    """A mail backend whose server goes away after the first message."""

    sent: list = []

    def __init__(self, **kwargs):
        pass

    def open(self):
        return True

    def close(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def send_messages(self, messages):
        if FailsOnTheSecondMessage.sent:
            raise ConnectionError("mail server gone")
        FailsOnTheSecondMessage.sent += messages
        return len(messages)


@pytest.mark.parametrize("people", [3, 12])
def test_a_batch_is_claimed_at_once_and_what_did_not_go_is_released(
    people, settings, django_assert_num_queries
):
    from accounts.models import Notification
    from tests import factories

    users = factories.RepFactory.create_batch(people)
    ids = [
        Notification.objects.create(user=user, key="k", kind="flag", title="Hi").pk
        for user in users
    ]
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnTheSecondMessage"
    FailsOnTheSecondMessage.sent = []

    # the claim, the claimed batch with its people, and the release of the unsent
    with django_assert_num_queries(3), pytest.raises(ConnectionError):
        notification_emails_send(notification_ids=ids)

    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert [n.user.email for n in emailed] == [
        m.to[0] for m in FailsOnTheSecondMessage.sent
    ]
    assert emailed.count() == 1
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_emails_send(notification_ids=ids) == people - 1
    assert notification_emails_send(notification_ids=ids) == 0


class Unreachable(FailsOnTheSecondMessage):
    """A mail backend whose server cannot be reached at all."""

    def __enter__(self):
        raise ConnectionRefusedError("no mail server")


def test_an_unreachable_mail_server_loses_no_email(rep, settings):
    from accounts.models import Notification

    note = Notification.objects.create(user=rep, key="k", kind="flag", title="Hi")
    settings.EMAIL_BACKEND = f"{__name__}.Unreachable"
    with pytest.raises(ConnectionRefusedError):
        notification_emails_send(notification_ids=[note.pk])
    assert Notification.objects.get(pk=note.pk).emailed_at is None

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert notification_emails_send(notification_ids=[note.pk]) == 1


def test_several_notifications_in_a_batch_are_one_email_to_each_person(
    rep, manager, settings
):
    from accounts.models import Notification

    settings.SITE_URL = "https://salesteam.example"
    manager.language = "el"
    manager.save(update_fields=["language"])

    def flag(n):
        return Notification.objects.create(
            user=manager, key=f"flag:{n}", kind="flag", title=f"Flag {n}", body=f"B{n}"
        )

    # Interleaved, so that only grouping by person (not creation order) makes 2 emails
    notes = [
        flag(1),
        Notification.objects.create(
            user=rep, key="kudos:1", kind="kudos", title="Kudos", url="/kudos/"
        ),
        flag(2),
        flag(3),
    ]

    assert notification_emails_send(notification_ids=[n.pk for n in notes]) == 2

    by_person = {message.to[0]: message for message in mail.outbox}
    to_manager, to_rep = by_person[manager.email], by_person[rep.email]
    assert to_manager.subject == "3 νέες ειδοποιήσεις"
    assert to_manager.body == "Flag 1\nB1\n\nFlag 2\nB2\n\nFlag 3\nB3"
    assert to_rep.subject == "Kudos"
    assert to_rep.body == "https://salesteam.example/kudos/"


def test_a_failure_midway_releases_every_notification_of_the_people_not_emailed(
    rep, manager, settings
):
    from accounts.models import Notification

    ids = [
        Notification.objects.create(user=person, key=key, kind="flag", title=key).pk
        for person, key in ((rep, "a"), (manager, "c"), (rep, "b"), (manager, "d"))
    ]
    settings.EMAIL_BACKEND = f"{__name__}.FailsOnTheSecondMessage"
    FailsOnTheSecondMessage.sent = []
    with pytest.raises(ConnectionError):
        notification_emails_send(notification_ids=ids)

    [sent] = FailsOnTheSecondMessage.sent
    emailed = Notification.objects.filter(emailed_at__isnull=False)
    assert {n.user.email for n in emailed} == {sent.to[0]}
    assert emailed.count() == 2 and sent.subject == "2 new notifications"


def test_people_who_opt_out_or_leave_after_queueing_are_not_emailed(rep, manager):
    from accounts.models import Notification

    ids = [
        Notification.objects.create(user=person, key="k", kind="flag", title="Hi").pk
        for person in (rep, manager)
    ]
    rep.email_notifications = False
    rep.save(update_fields=["email_notifications"])
    manager.is_active = False
    manager.save(update_fields=["is_active"])

    assert notification_emails_send(notification_ids=ids) == 0
    assert mail.outbox == []
    assert not Notification.objects.filter(emailed_at__isnull=False).exists()
