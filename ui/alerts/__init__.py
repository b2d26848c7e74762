"""The alert queue, alert detail, triage, patrol units, sounds and the shift handover."""
