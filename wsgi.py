"""The WSGI entry point: ``gunicorn wsgi:app``."""

from koosloome import create_app

app = create_app()
