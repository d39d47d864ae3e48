"""Files kept where every app server sees them: a storage backend over the shared database."""
