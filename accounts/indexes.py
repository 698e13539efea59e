"""Indexes on accounts' tables for reads made elsewhere (accounts/models.py is at its size
limit, so they are declared here and listed in the models' Meta)."""

from django.db import models
from django.db.models import Q

# The organisation's active reps, counted on every organisation view and read by team on
# every dashboard, from the index alone (issue 18). "rep" is `Role.REP`.
ACTIVE_REPS = models.Index(
    fields=["team"], condition=Q(role="rep", is_active=True), name="user_active_reps"
)
