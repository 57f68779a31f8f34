"""Wake words over HTTP: list the car's phrases, enroll new ones from recordings, remove them."""
