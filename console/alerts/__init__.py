"""Alert policy and state machine, the alert service, patrol units, handover, statistics."""
