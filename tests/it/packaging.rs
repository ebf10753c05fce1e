//! Packaging: the man page, completion scripts and systemd units (placeholder, filled below).
