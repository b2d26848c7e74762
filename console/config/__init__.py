"""The site file: pydantic models, YAML loading with line numbers, geometry checks, edits."""
