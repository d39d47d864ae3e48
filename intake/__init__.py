"""The intake of reports: one pipeline (read in a sandbox, match, find the duplicate, save or queue)."""
