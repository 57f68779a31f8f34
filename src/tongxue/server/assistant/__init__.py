"""The assistant over HTTP: turns (whole or streamed) and the sessions they belong to."""
