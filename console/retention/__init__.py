"""Retention: recordings, the local store and evidence, and the schedule that runs them."""
