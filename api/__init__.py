"""Transport layer (HTTP API); no optimisation logic lives here."""
