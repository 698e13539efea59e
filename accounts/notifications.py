"""In-app notifications with optional email: one service every app uses to tell people.

Lives in `accounts`, the lowest layer, so flags, praise and meetings can all notify.
"""

from collections.abc import Sequence
from itertools import groupby
from operator import attrgetter

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation
from django.utils.translation import ngettext

from accounts.models import Notification, User
from core.mailing import send_claimed
from core.sql import insert_new


@transaction.atomic
def notify(
    *, user: User, key: str, kind: str, title: str, body: str = "", url: str = ""
) -> Notification:
    """Notify `user` once per `key`; queue an email after commit if they want one."""
    notification, created = Notification.objects.get_or_create(
        user=user,
        key=key,
        defaults={"kind": kind, "title": title, "body": body, "url": url},
    )
    if created and user.email_notifications and user.is_active:
        from accounts.tasks import notification_emails_task
        from core.queueing import enqueue_on_commit

        enqueue_on_commit(notification_emails_task, [notification.pk])
    return notification


def notify_many(drafts: list[Notification]) -> list[Notification]:
    """Notify many people at once (unsaved Notification objects), in two queries; return
    the notifications written.

    For jobs: whatever the number of people, the query count stays the same. Keys already
    used are skipped (the unique constraint decides, `core.sql.insert_new`), so a job
    that runs twice notifies once.
    """
    if not drafts:
        return []
    from accounts.tasks import notification_emails_task
    from core.queueing import enqueue_on_commit

    created = insert_new(drafts, key=("user", "key"))
    if not created:
        return []
    emailed = set(
        User.objects.filter(
            pk__in={note.user_id for note in created},
            email_notifications=True,
            is_active=True,
        ).values_list("pk", flat=True)
    )
    if to_email := [note.pk for note in created if note.user_id in emailed]:
        # One task for the batch: a review that notifies thousands queues a handful.
        enqueue_on_commit(notification_emails_task, to_email)
    return created


def notification_emails_send(*, notification_ids: list[int]) -> int:
    """Email a batch of notifications, each once; returns how many emails went out.

    One email per person: someone with several notifications in the batch (a manager
    after a review of the team) gets one email listing them, not one each. The batch is
    claimed in one conditional UPDATE (emailed_at set where it was empty, so of two
    workers only one gets each row) and read back by its stamp. Messages go over one
    connection; if the mail server cannot be reached or fails midway, the notifications
    not yet sent are released for the retry.
    """
    stamp = timezone.now()
    # Someone who turned emails off, or left, since the batch was queued is skipped.
    Notification.objects.filter(
        pk__in=notification_ids,
        emailed_at=None,
        user__email_notifications=True,
        user__is_active=True,
    ).update(emailed_at=stamp)
    claimed = (
        Notification.objects.filter(pk__in=notification_ids, emailed_at=stamp)
        .select_related("user")
        .order_by("user_id", "pk")
    )
    per_person = [
        list(group) for _user, group in groupby(claimed, key=attrgetter("user_id"))
    ]

    def release(unsent: Sequence[list[Notification]]) -> None:
        Notification.objects.filter(
            pk__in=[note.pk for notes in unsent for note in notes]
        ).update(emailed_at=None)

    return send_claimed(per_person, messages_for=notification_email, release=release)


def notification_email(notifications: list[Notification]) -> list[EmailMessage]:
    """One person's email about their notifications (each already in their language)."""
    site = settings.SITE_URL.rstrip("/")

    def text(note: Notification, *, link_after: str) -> str:
        link = f"{link_after}{site}{note.url}" if note.url else ""
        return f"{note.body}{link}".strip()

    person = notifications[0].user
    if len(notifications) == 1:
        [note] = notifications
        subject, body = note.title, text(note, link_after="\n\n")
    else:
        with translation.override(person.language):
            subject = ngettext(
                "%(count)d new notification",
                "%(count)d new notifications",
                len(notifications),
            ) % {"count": len(notifications)}
        body = "\n\n".join(
            "\n".join(filter(None, [note.title, text(note, link_after="\n")]))
            for note in notifications
        )
    return [EmailMessage(subject=subject, body=body, to=[person.email])]


def notifications_mark_read(*, user: User, ids: list[int] | None = None) -> int:
    unread = Notification.objects.filter(user=user, read_at=None)
    if ids is not None:
        unread = unread.filter(pk__in=ids)
    return unread.update(read_at=timezone.now())


def notifications_for(user: User) -> QuerySet[Notification]:
    return Notification.objects.filter(user=user)


def unread_count(user: User) -> int:
    return Notification.objects.filter(user=user, read_at=None).count()
