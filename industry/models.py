"""Models of this work line come with its own issue."""
