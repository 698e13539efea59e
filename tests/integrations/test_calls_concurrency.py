"""Twilio retrying one CallSid from many connections at once logs it once (PostgreSQL:
the unique constraint makes the later inserts wait, then find the first row)."""

import threading

import pytest
from django.db import connection
from django.test import Client

from activities.models import Activity, DayTally
from integrations.models import InboundCall
from tests import factories
from tests.integrations.calls_helpers import (
    REP_NUMBER,
    twilio_params,
    twilio_post,
    twilio_source,
)

pytestmark = pytest.mark.django_db(transaction=True)
THREADS = 8


def test_concurrent_retries_of_one_call_sid_log_it_once(require_postgres):
    factories.standard_template()
    source = twilio_source(factories.AdminFactory())
    rep = factories.RepFactory(phone=REP_NUMBER)
    params = twilio_params()
    barrier = threading.Barrier(THREADS)
    codes, errors = [], []

    def worker():
        try:
            barrier.wait()
            codes.append(twilio_post(Client(), source, params).status_code)
        except BaseException as error:  # reported to the test
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert codes == [200] * THREADS
    assert InboundCall.objects.count() == 1
    assert Activity.objects.filter(rep=rep).count() == 1
    assert DayTally.objects.get(rep=rep).quantity == 1
