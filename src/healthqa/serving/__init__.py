"""The HTTP face of healthqa: a FastAPI app over one Engine per process, its web page, and the
same app as a Ray Serve deployment (`healthqa serve`). Needs the `serve` extra
(`pip install 'healthqa[serve]'`; Ray Serve: `'healthqa[ray]'`)."""
