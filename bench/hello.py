"""The ceiling for the load benchmark: a Flask hello-world served exactly like the app."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    """The smallest page Flask can serve."""
    return "Hello, World!"
