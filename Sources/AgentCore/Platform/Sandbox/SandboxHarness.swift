/// The Python program that runs inside every sandbox, passed to the interpreter with `-c`.
///
/// It sets the rlimits, then (by mode) imports the entrypoint and calls it, only checks it, or
/// builds a virtual environment. It reports on descriptor 3, which agentd passes as a pipe: one JSON
/// object per line, so nothing the agent prints on stdout or stderr can pass for a result. The
/// descriptor is moved to a non-inheritable number first, so programs the agent starts never get it.
///
/// Arguments after `-c`: `mode entrypoint code-dir venv-dir|"" work-dir cpu-s as-bytes fsize-bytes
/// nproc nofile [pip arguments…]`; a negative limit is left alone. Events written:
/// - `{"event":"calling","at":NS}`: `CLOCK_MONOTONIC` just before the call (`run`);
/// - `{"event":"returned","value":…}` or `{"event":"raised","message":…,"traceback":…}` (`run`);
/// - `{"event":"callable"}` or `{"event":"failed","message":…,"traceback":…}` (`check`);
/// - `{"event":"installed"}` or `{"event":"failed","message":…}` (`install`).
///
/// The harness ends with `os._exit`, so a thread the agent left running cannot keep the run alive.
enum SandboxHarness {
    /// The harness source.
    static let source = #"""
import os, sys


def _codec():
    # json's C accelerator used directly: `import json` costs ~18 ms of start-up (re, enum,
    # functools…), most of a run's budget. The private API is checked once; any surprise falls
    # back to the json package.
    try:
        import _json

        class Context:
            strict = True
            object_hook = None
            object_pairs_hook = None
            parse_float = float
            parse_int = int
            memo = {}

            def parse_constant(name):
                raise ValueError("invalid JSON constant " + name)

        scan = _json.make_scanner(Context)

        def unserializable(value):
            raise TypeError("Object of type %s is not JSON serializable" % type(value).__name__)

        def dumps(value):
            encode = _json.make_encoder({}, unserializable, _json.encode_basestring_ascii, None, ":", ",",
                                        False, False, False)
            return "".join(encode(value, 0))

        def loads(text):
            try:
                value, end = scan(text, 0)
            except StopIteration as stop:
                raise ValueError("invalid JSON at character %d" % stop.value) from None
            if end != len(text):
                raise ValueError("extra data at character %d" % end)
            return value

        sample = {"a": [1, 2.5, "\u00e9\U0001f600", None, True, (3,)]}
        if loads(dumps(sample)) != {"a": [1, 2.5, "\u00e9\U0001f600", None, True, [3]]}:
            raise ValueError("unexpected round trip")
        return dumps, loads
    except Exception:
        import json
        return (lambda value: json.dumps(value, ensure_ascii=True, allow_nan=False, separators=(",", ":")),
                json.loads)

def _agentd_sandbox():
    mode, entry, code, venv, work = sys.argv[1:6]
    cpu, memory, fsize, nproc, nofile = (int(v) for v in sys.argv[6:11])
    extra = sys.argv[11:]
    import _signal, resource, time
    dumps, loads = _codec()
    here = sys._getframe().f_code.co_filename
    channel = os.dup(3)
    os.close(3)
    os.environ.pop("PWD", None)
    os.environ.pop("OLDPWD", None)

    def send(line):
        view = memoryview((line + "\n").encode())
        while view:
            view = view[os.write(channel, view):]

    def event(kind, **fields):
        fields["event"] = kind
        send(dumps(fields))

    def describe(error):
        try:
            text = str(error)
        except BaseException:
            text = ""
        kind = type(error).__name__
        return kind + ": " + text if text else kind

    def trace(error):
        import traceback
        tb = error.__traceback__
        while tb is not None and tb.tb_frame.f_code.co_filename == here:
            tb = tb.tb_next
        try:
            return "".join(traceback.format_exception(type(error), error, tb))
        except BaseException:
            return describe(error)

    def limit(which, soft, hard=None):
        if soft < 0:
            return
        hard = soft if hard is None else hard
        current = resource.getrlimit(which)[1]
        if current != resource.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource.setrlimit(which, (soft, hard))

    limit(resource.RLIMIT_CORE, 0)
    limit(resource.RLIMIT_FSIZE, fsize)
    limit(resource.RLIMIT_NOFILE, nofile)
    limit(resource.RLIMIT_NPROC, nproc)
    limit(resource.RLIMIT_CPU, cpu, cpu + 1)
    limit(resource.RLIMIT_AS, memory)

    def cpu_exceeded(signum, frame):
        raise TimeoutError("CPU time limit of %d s exceeded" % cpu)

    _signal.signal(_signal.SIGXCPU, cpu_exceeded)
    os.chdir(work)

    if mode == "install":
        os.dup2(1, 2)
        import subprocess
        steps = [[sys.executable, "-I", "-m", "venv", "--clear", venv],
                 [os.path.join(venv, "bin", "python"), "-I", "-m", "pip"] + extra]
        for argv in steps:
            print("$ " + " ".join(argv), flush=True)
            status = subprocess.call(argv, cwd=code, stdin=subprocess.DEVNULL)
            if status != 0:
                what = "killed by signal %d" % -status if status < 0 else "exited with status %d" % status
                event("failed", message="%s %s" % (" ".join(argv[2:4]), what))
                return
        event("installed")
        return

    sys.path.insert(0, code)
    if venv:
        import site
        lib = os.path.join(venv, "lib")
        for name in sorted(os.listdir(lib)) if os.path.isdir(lib) else ():
            packages = os.path.join(lib, name, "site-packages")
            if name.startswith("python") and os.path.isdir(packages):
                site.addsitedir(packages)
    payload = None
    if mode == "run":
        raw = sys.stdin.buffer.read()
        payload = loads(raw.decode()) if raw.strip() else None
    null = os.open(os.devnull, os.O_RDONLY)
    os.dup2(null, 0)
    os.close(null)

    module_name, _, name = entry.partition(":")
    failure = "raised" if mode == "run" else "failed"
    try:
        __import__(module_name)
        function = getattr(sys.modules[module_name], name)
    except BaseException as error:
        event(failure, message=describe(error), traceback=trace(error))
        return
    if not callable(function):
        event(failure, message="%s is not callable: it is %s" % (entry, type(function).__name__), traceback="")
        return
    if mode == "check":
        event("callable")
        return

    event("calling", at=time.clock_gettime_ns(time.CLOCK_MONOTONIC))
    try:
        value = function(payload)
        if hasattr(type(value), "__await__"):
            import asyncio
            async def wait(awaitable):
                return await awaitable
            value = asyncio.run(wait(value))
    except BaseException as error:
        event("raised", message=describe(error), traceback=trace(error))
        return
    try:
        text = dumps(value)
    except BaseException as error:
        event("raised", message="%s returned a value that cannot be encoded as JSON (%s)" % (name, describe(error)),
              traceback="")
        return
    send('{"event":"returned","value":' + text + "}")

status = 0
try:
    _agentd_sandbox()
except BaseException as error:
    status = 70
    try:
        import traceback
        traceback.print_exc()
    except BaseException:
        pass
for stream in (sys.stdout, sys.stderr):
    try:
        stream.flush()
    except BaseException:
        pass
os._exit(status)
"""#
}
