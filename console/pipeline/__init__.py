"""One camera's analysis chain and the runtime that runs it for every camera of a site."""
