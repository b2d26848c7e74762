"""Detection: the typed ``Detections`` record, the model worker, the motion gate, scheduling."""
