"""Trainer and trainee screens: the training panel and the score report."""
