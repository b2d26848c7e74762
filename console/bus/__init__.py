"""The site bus: NATS with JetStream between analytics nodes, consoles and other systems."""
