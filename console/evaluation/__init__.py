"""Accuracy of the live pipeline against labels.

Real recordings with hand-made ground truth (``roadwatch eval``) and the simulator's
held-out seeds. The simulator harness itself is console/accuracy.py.
"""
