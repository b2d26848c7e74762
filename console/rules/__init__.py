"""Traffic rules: tracks in, events out. One ``RuleEngine`` per camera."""
