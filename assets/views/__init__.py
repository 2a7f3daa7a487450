"""HTML pages of the assets app (one module per area)."""
