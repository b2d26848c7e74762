"""Vietnamese number plates: the format, the reader (offline OCR), votes and the watch-list."""
