"""The car over HTTP: its state, typed actions under the same policy, and live events."""
