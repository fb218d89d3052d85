"""A nukedu classroom on JupyterHub: one instructor and students as separate accounts, nbgrader's exchange.

This file is both what `make classroom` runs on 127.0.0.1 and a template for a
real deployment (see docs/deploy.md). Everything machine-specific comes from
environment variables, set by `classroom/setup.py`:

  NUKEDU_CLASSROOM_STATE   folder for the hub's database, cookie secret and logs
  NUKEDU_CLASSROOM_PORT    port on 127.0.0.1 (default 8000)
  NUKEDU_CLASSROOM_PASSWORD  the shared password of the DummyAuthenticator (local trials only!)
  NUKEDU_INSTRUCTORS / NUKEDU_STUDENTS  comma-separated user names
  NUKEDU_EXCHANGE          nbgrader's exchange folder (default /srv/nbgrader/exchange)
  NUKEDU_COURSE_ID         nbgrader course id (default nukedu, what `nukedu assignment build` writes)
  NUKEDU_SAME_USER         "1": no Unix accounts (not root): every user runs as the hub's own account,
                           with a home folder of their own under the state folder (no isolation)

Students get JupyterLab with nukedu, the course and nbgrader's Assignment List only
(classroom/student); the instructor gets formgrader and the full nbgrader UI (classroom/instructor).
"""
import os
import sys
from pathlib import Path

c = get_config()  # noqa: F821

HERE = Path(__file__).resolve().parent
STATE = Path(os.environ.get("NUKEDU_CLASSROOM_STATE", "/srv/nukedu-classroom"))
INSTRUCTORS = [u for u in os.environ.get("NUKEDU_INSTRUCTORS", "nk-teacher").split(",") if u]
STUDENTS = [u for u in os.environ.get("NUKEDU_STUDENTS", "nk-student1,nk-student2,nk-student3").split(",") if u]
EXCHANGE = os.environ.get("NUKEDU_EXCHANGE", "/srv/nbgrader/exchange")
COURSE_ID = os.environ.get("NUKEDU_COURSE_ID", "nukedu")
SAME_USER = os.environ.get("NUKEDU_SAME_USER") == "1"
BIN = Path(sys.executable).parent  # the environment the hub runs in also serves the users (one venv for all)

c.JupyterHub.ip = "127.0.0.1"
c.JupyterHub.port = int(os.environ.get("NUKEDU_CLASSROOM_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
# Single-user servers keep running while the hub restarts (an upgrade, a crash): no student loses work.
c.JupyterHub.cleanup_servers = False
c.ConfigurableHTTPProxy.command = [str(BIN / "configurable-http-proxy")]
c.ConfigurableHTTPProxy.should_start = True
c.ConfigurableHTTPProxy.pid_file = str(STATE / "proxy.pid")

# Local trials only: one shared password. A real class uses the school's login (OAuth, LDAP): see docs/deploy.md.
c.JupyterHub.authenticator_class = "dummy"
c.DummyAuthenticator.password = os.environ.get("NUKEDU_CLASSROOM_PASSWORD", "")
c.Authenticator.allowed_users = set(INSTRUCTORS + STUDENTS)
c.Authenticator.admin_users = set(INSTRUCTORS)

if SAME_USER:
    c.JupyterHub.spawner_class = "simple"   # SimpleLocalProcessSpawner: one Unix account, separate home folders
    c.SimpleLocalProcessSpawner.home_dir_template = str(STATE / "homes" / "{username}")
else:
    c.JupyterHub.spawner_class = "localprocess"  # each user runs as the Unix account of the same name
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120


def role_environment(spawner):
    """Students and the instructor differ only in the Jupyter configuration put on their path."""
    role = "instructor" if spawner.user.name in INSTRUCTORS else "student"
    spawner.environment.update({
        "JUPYTER_CONFIG_PATH": str(HERE / role),
        "NUKEDU_EXCHANGE": EXCHANGE,
        "NUKEDU_COURSE_ID": COURSE_ID,
        "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin",
    })


c.Spawner.pre_spawn_hook = role_environment
