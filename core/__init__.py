"""The floor every app stands on: shared helpers that no app owns and that import no app."""
