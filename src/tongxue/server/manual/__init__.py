"""`/v1/manual/...`: the owner's manual's sections and search."""
