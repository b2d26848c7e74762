"""Assembly: the services of an open site, built once for every entry point."""
