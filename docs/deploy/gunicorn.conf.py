"""gunicorn settings for Koosloome: ``gunicorn -c docs/deploy/gunicorn.conf.py wsgi:app``.

Every value can be changed from the environment (GUNICORN_BIND, GUNICORN_WORKERS, …) or on the
command line, which wins over this file. The benchmarks in bench/ start gunicorn with this file.
"""

import os

#: nginx talks to gunicorn over loopback (or a unix socket: "unix:/run/koosloome/gunicorn.sock").
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")

# Threads, not more processes: a request spends much of its time waiting for the database (and
# on SQLite for the one write lock), and threads share one connection pool per process.
# One process per core; 8 threads each keeps every core busy while others wait. Measured
# (bench/gunicorn_sweep.py, PostgreSQL, 2 cores, bench/README.md 1a): 2×8, 2×4, 4×4 and 4×2
# registered within the machine's noise of each other (API 90–127/s at 16 clients, 78–93/s at
# 64); more processes bought nothing but connections, so 2×8 stays. Size by cores, not load.
worker_class = "gthread"
workers = int(os.environ.get("GUNICORN_WORKERS", os.cpu_count() or 2))
threads = int(os.environ.get("GUNICORN_THREADS", "8"))

# nginx keeps upstream connections alive (see nginx-koosloome.conf), so keep-alive must outlast
# its idle pooling; a request that runs for 30 s is stuck, not busy.
keepalive = int(os.environ.get("GUNICORN_KEEPALIVE", "5"))
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
graceful_timeout = 30

# Heartbeat files on tmpfs: a slow disk must not make the arbiter kill healthy workers.
worker_tmp_dir = "/dev/shm" if os.path.isdir("/dev/shm") else None  # noqa: S108

# nginx logs every request; gunicorn logs errors only unless asked. Either way no token of a
# manage or reset link (/r/<token>, /reset-password/<token>, ?r=<token>) is written: the app
# puts a filter on the "gunicorn.access" and "gunicorn.error" loggers when a worker loads it
# (koosloome/log_redaction.py), so any access_log_format or handler logs "/r/[redacted]".
# (access_log_format itself cannot redact: its atoms are the raw request.)
accesslog = os.environ.get("GUNICORN_ACCESSLOG") or None
errorlog = "-"
loglevel = os.environ.get("GUNICORN_LOGLEVEL", "info")

# Trust X-Forwarded-* only from the local proxy; Koosloome applies them itself through
# KOOSLOOME_TRUSTED_PROXIES (werkzeug's ProxyFix), so gunicorn's own handling stays at its default.
forwarded_allow_ips = os.environ.get("GUNICORN_FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn 24+ opens a control socket in ~/.gunicorn/ by default: read-only under the
# services' ProtectSystem=strict, and one path for every instance of the same user (a second
# instance logs "Address already in use" at start). Nothing here uses it; give it a path of
# its own with GUNICORN_CONTROL_SOCKET (e.g. /run/koosloome/gunicorn.ctl) to turn it on.
if os.environ.get("GUNICORN_CONTROL_SOCKET"):
    control_socket = os.environ["GUNICORN_CONTROL_SOCKET"]
else:
    control_socket_disable = True
