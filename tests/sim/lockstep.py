"""Runs real script steps (subprocesses) against the simulator's World, their aws calls in lockstep.

Each script runs with tests/sim/aws first on its PATH; every call it makes comes here through a
spool folder (PID.req: the arguments, tagged with the script's name, ECSGEN_SIM_SCRIPT, inherited by
everything the script starts) and is answered from the World by awscli.Cli.  A call is answered only when every script still running is waiting on a call of its
own; then the scripts take turns, one call each, in the order they were given.  So two scripts run
"at the same time" interleave call by call, the same way on every run: the outcome does not depend
on the machine's scheduling, and each script sees the World change between any two of its calls,
the worst case for a race.  The World does not tick meanwhile: all of this happens within one of
its minutes (the scripts' own sleeps are LOCK_POLL / DEPLOY_POLL seconds of real time, set to 0).

kill: {script: predicate(call_number, argv)}: when the predicate holds for a call the script is
waiting on, the script's whole process group gets SIGKILL instead of an answer (a deploy killed
mid-way: no trap runs, a lock it holds stays).
"""
import errno
import os
import select
import signal
import subprocess
import tempfile
import time


class Result:
    def __init__(self, name):
        self.name, self.rc, self.out, self.killed_at, self.calls = name, None, "", None, 0

    def __repr__(self):
        return f"<{self.name} rc={self.rc} calls={self.calls} killed_at={self.killed_at}>"


class Lockstep:
    def __init__(self, cli, aws, workdir, env=None):
        self.cli, self.workdir = cli, workdir
        self.bindir = os.path.join(workdir, "bin")
        os.makedirs(self.bindir, exist_ok=True)
        link = os.path.join(self.bindir, "aws")
        if not os.path.exists(link):
            os.symlink(os.path.abspath(aws), link)
        self.spool = os.path.join(workdir, "calls")
        os.makedirs(self.spool, exist_ok=True)
        # The doorbell: each call writes a byte; opened read-write, it never reads end-of-file.
        os.mkfifo(os.path.join(self.spool, "bell"))
        self.bell = os.open(os.path.join(self.spool, "bell"), os.O_RDWR | os.O_NONBLOCK)
        self.env = dict(env or os.environ)
        self.env.update(PATH=self.bindir + os.pathsep + self.env.get("PATH", ""), ECSGEN_SIM_AWS=self.spool,
                        LOCK_POLL="0", DEPLOY_POLL="0", AWS_PAGER="")

    def reply(self, call, answer, deadline):
        out, err, rc = answer
        base = os.path.join(self.spool, call)
        for ext, text in (("out", out), ("err", err), ("rc", f"{rc}\n")):
            with open(f"{base}.{ext}", "w") as f:
                f.write(text)
        while True:  # the call may not be waiting on its FIFO yet
            try:
                fd = os.open(base + ".fifo", os.O_WRONLY | os.O_NONBLOCK)
                break
            except OSError as e:
                if e.errno != errno.ENXIO or time.time() > deadline:
                    raise
                time.sleep(0.001)
        os.write(fd, b"\n")
        os.close(fd)

    def run(self, jobs, kill=None, timeout=600):
        """jobs: [(name, argv, extra env)].  Returns {name: Result} once every job has ended."""
        kill = kill or {}
        procs, results, order, outs = {}, {}, [name for name, _, _ in jobs], {}
        for name, argv, extra in jobs:
            env = dict(self.env, ECSGEN_SIM_SCRIPT=name, **(extra or {}))
            outs[name] = tempfile.TemporaryFile(dir=self.workdir)
            procs[name] = subprocess.Popen(argv, env=env, stdin=subprocess.DEVNULL, stdout=outs[name],
                                           stderr=subprocess.STDOUT, start_new_session=True, cwd=self.workdir)
            results[name] = Result(name)
        pending = {name: [] for name in order}  # name -> [(call id, argv)]
        turn, deadline = 0, time.time() + timeout
        try:
            while True:
                try:
                    os.read(self.bell, 4096)
                except BlockingIOError:
                    pass
                for fn in sorted(os.listdir(self.spool)):
                    if not fn.endswith(".req"):
                        continue
                    path = os.path.join(self.spool, fn)
                    with open(path, "rb") as f:
                        words = f.read().decode().split("\0")[:-1]
                    os.unlink(path)
                    call, script, argv = fn[:-4], words[0], words[1:]
                    if script not in pending:
                        self.reply(call, ("", f"simulated aws: a call from no script ({script!r})\n", 255), deadline)
                        continue
                    pending[script].append((call, argv))
                live = [n for n in order if procs[n].poll() is None]
                if not live and not any(pending.values()):
                    break
                if time.time() > deadline:
                    raise TimeoutError(f"scripts still running after {timeout}s: {live}")
                if not live or any(not pending[n] for n in live):
                    select.select([self.bell], [], [], 0.02)  # a call rings, or a script may end
                    continue  # a script is between calls: wait for its next call or its end
                ready = [n for n in order if pending[n]]
                name = next(n for n in order[turn:] + order[:turn] if n in ready)
                turn = (order.index(name) + 1) % len(order)
                call, argv = pending[name].pop(0)
                r = results[name]
                r.calls += 1
                if name in kill and kill[name](r.calls, argv):
                    os.killpg(procs[name].pid, signal.SIGKILL)
                    procs[name].wait()
                    r.killed_at = (r.calls, argv)
                    self.cli.world.note(f"script {name} killed at its call {r.calls}: aws {' '.join(argv[:2])}")
                    pending[name] = []
                    continue
                self.reply(call, self.cli.answer(argv, script=name), deadline)
        finally:
            for name, p in procs.items():
                if p.poll() is None:
                    os.killpg(p.pid, signal.SIGKILL)
                    p.wait()
            for fn in os.listdir(self.spool):
                if fn != "bell":
                    os.unlink(os.path.join(self.spool, fn))
            self.cli.settle(everything=True)
        for name, p in procs.items():
            results[name].rc = p.returncode
            outs[name].seek(0)
            results[name].out = outs[name].read().decode(errors="replace")
            outs[name].close()
        return results
