"""Installation layout, provisioning of a site on a machine, and the self-check."""
