"""Replay of recordings: window, timeline, clip player, re-analysis, exports."""
