"""Health, metrics and who-am-I."""
