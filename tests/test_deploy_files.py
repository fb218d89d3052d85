"""The deployment templates parse and say what docs/deploy.md says they do."""
from __future__ import annotations

import ast
import json
import re

import yaml

from .conftest import REPO

K8S = REPO / "classroom" / "kubernetes"


def test_values_yaml_parses_and_mounts_the_exchange_for_every_pod():
    values = yaml.safe_load((K8S / "values.yaml").read_text(encoding="utf-8"))
    single = values["singleuser"]
    mounts = {m["name"]: m["mountPath"] for m in single["storage"]["extraVolumeMounts"]}
    volumes = {v["name"]: v for v in single["storage"]["extraVolumes"]}
    assert mounts["nbgrader-exchange"] == "/srv/nbgrader/exchange" and "nbgrader-exchange" in volumes
    assert values["hub"]["config"]["JupyterHub"]["authenticator_class"] != "dummy"
    code = values["hub"]["extraConfig"]["nukedu-roles"]
    tree = ast.parse(code)                       # the hub's extra config is valid Python
    assert any(isinstance(n, ast.FunctionDef) and n.name == "nukedu_role" for n in tree.body)
    assert "/etc/nukedu/" in code
    assert re.fullmatch(r"\d+M", single["memory"]["guarantee"])


def test_dockerfile_installs_nukedu_and_both_role_configs_but_no_private_bank():
    text = (K8S / "Dockerfile").read_text(encoding="utf-8")
    lines = [ln for ln in text.splitlines() if ln and not ln.startswith("#")]
    assert lines[0].startswith("FROM ")
    assert any("pip install" in ln and "/opt/nukedu[lab,instructor]" in ln for ln in lines)
    assert "classroom/student" in text and "classroom/instructor" in text
    assert "private-bank" not in text.replace("no private bank", "")
    assert "ENV JUPYTER_CONFIG_PATH=/etc/nukedu/student" in text


def test_role_configs_give_students_the_assignment_list_only():
    page = json.loads((REPO / "classroom" / "student" / "labconfig" / "page_config.json").read_text())
    off = {k for k, v in page["disabledExtensions"].items() if v}
    assert {"@jupyter/nbgrader:formgrader", "@jupyter/nbgrader:create-assignment",
            "@jupyter/nbgrader:validate-assignment", "@jupyter/nbgrader:course-list"} <= off
    assert "@jupyter/nbgrader:assignment-list" not in off
    server = json.loads((REPO / "classroom" / "student" / "jupyter_server_config.json").read_text())
    ext = server["ServerApp"]["jpserver_extensions"]
    assert ext["nbgrader.server_extensions.assignment_list"] is True
    assert ext["nbgrader.server_extensions.formgrader"] is False
    assert not (REPO / "classroom" / "instructor" / "labconfig").exists()  # the instructor keeps everything


def test_the_hub_config_compiles_and_reads_only_its_environment():
    source = (REPO / "classroom" / "jupyterhub_config.py").read_text(encoding="utf-8")
    compile(source, "jupyterhub_config.py", "exec")
    assert "DummyAuthenticator.password = os.environ" in source  # no password in the repository
