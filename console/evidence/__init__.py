"""Evidence files (snapshot, crop, clip, SHA-256), watermarks, signed case packages."""
