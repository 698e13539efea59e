"""Every write of the coaching app, one module per behaviour."""
