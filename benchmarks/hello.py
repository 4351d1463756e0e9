"""The bare Flask app benchmarks/hello_ratio.py compares CivicLearn with: one route, no extensions."""

from flask import Flask

app = Flask(__name__)


@app.get("/")
def hello() -> str:
    return "Hello, World!"
