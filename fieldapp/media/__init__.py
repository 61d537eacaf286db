"""Media files: uploaded photos and signatures, stripped of metadata and kept outside static/."""
