"""Quoted vs replayed: an independent check of the history evidence of scripts/cache-rules-realworld.

For each finding that quotes history evidence ("in the last N commits `STEP` re-ran X, would
re-run Y"), the numbers are computed again without the evidence engine's code path:

- as is: `dockerlint simulate --git HEAD~100..HEAD` over the repository as it is;
- with the fix: in a scratch clone (`git clone --shared`, the pinned clone is not written to),
  the same first-parent commits are rewritten into a linear history in which each commit's
  Dockerfile is that commit's own version with only this finding's fix applied: the fix edits
  of the matching finding of that version (same code, same fix title, same flagged line),
  taken from `dockerlint -f json --evidence false` of that version, applied here; a version
  without such a finding keeps its text. DC1004's exclusion advice has no edits: its paths are
  appended to each commit's own .dockerignore (a new one where there is none). Then
  `dockerlint simulate --git` over the rewritten history.

Both replays take the evidence's assumptions from lint's own statement of them, the finding's
JSON `evidence` (never guessed here): its `range` (`--git`), the build arguments it gave a new
value in every build (`--per-build-arg`: by their name, the project's CI files or a DC1003
finding), the context paths it changed in every build (`--churn`, `.git/HEAD` for a `.git` the
ignore file lets in), and its builder, engine release and CI cache. The finding's step is found by its text in the last build and, in every
build, by aligning that build's steps with the last build's (a diff of their texts per stage:
identities are ordinals an inserted step shifts), then counted (a miss is a re-run), as the
evidence counts it. Estimated seconds are not compared: the
evidence prices downloads by the project's dependency counts, `simulate` by its defaults.
"""
import json, os, re, shutil, subprocess

QUOTE_RE = re.compile(
    r"in the last (?P<n>\d+) commits? `(?P<step>.+?)` re-ran (?P<asis>once|\d+ times)"
    r"(?:, would re-run (?P<fixed>once|\d+ times)"
    r"|, downloading the dependencies each time; `(?P<fetch>.+?)` would download them (?P<fetched>once|\d+ times))?")

# DC1004's reasons, as the rule words them, and the path each one names.
DC1004_REASONS = [
    (r"rewrites \.git\b", ".git"),
    (r"\bnode_modules changes\b", "node_modules"),
    (r"\b__pycache__ changes\b", "__pycache__"),
    (r"\.venv changes\b", ".venv"),
    (r"(?<![.\w])venv changes\b", "venv"),
    (r"\bdist is rewritten\b", "dist"),
    (r"\bbuild is rewritten\b", "build"),
    (r"\btarget is rewritten\b", "target"),
    (r"\bbin is rewritten\b", "bin"),
    (r"\bobj is rewritten\b", "obj"),
    (r"\.next is rewritten\b", ".next"),
    (r"\.pytest_cache changes\b", ".pytest_cache"),
    (r"\.DS_Store changes\b", ".DS_Store"),
]


def times(s):
    return 1 if s == "once" else int(s.split()[0])


def parse_quote(message):
    """The history numbers a finding quotes: {n, step, asis, fixed, fetch}, or None."""
    m = QUOTE_RE.search(message)
    if not m:
        return None
    fixed = m.group("fixed") or m.group("fetched")
    return {"n": int(m.group("n")), "step": m.group("step"), "asis": times(m.group("asis")),
            "fixed": times(fixed) if fixed else None, "fetch": m.group("fetch")}


def norm_line(s):
    """A line as the evidence compares lines: words split at blanks and backslashes."""
    return " ".join(w for w in re.split(r"[ \t\r\n\\]+", s) if w)


def line_text(text, line):
    lines = text.split("\n")
    return norm_line(lines[line - 1]) if 0 < line <= len(lines) else ""


def apply_edits(text, edits):
    """Applies a fix's edits (1-based lines, columns in code points) to `text`."""
    bom = text.startswith("\ufeff")
    starts = [0]
    for i, c in enumerate(text):
        if c == "\n":
            starts.append(i + 1)
    def offset(line, col):
        base = starts[line - 1] if line - 1 < len(starts) else len(text)
        if line == 1 and bom:
            base += 1
        return min(base + col - 1, len(text))
    spans = sorted(((offset(e["line"], e["column"]), offset(e["endLine"], e["endColumn"]), e["replacement"]) for e in edits),
                   key=lambda x: (x[0], x[1]))
    out, cursor = [], 0
    for s, e, rep in spans:
        if s < cursor or e < s:
            continue
        out.append(text[cursor:s])
        out.append(rep)
        cursor = e
    out.append(text[cursor:])
    return "".join(out)


def dc1004_paths(message, dockerfile_rel):
    """The paths DC1004's advice excludes: the reasons it gives, and the Dockerfile when the
    advice is a new .dockerignore (without one, `.git` too unless the message keeps it)."""
    if "there is no .dockerignore" in message:
        paths = [] if "but keep .git" in message else [".git"]
        return paths + ([dockerfile_rel] if dockerfile_rel else [])
    paths = [name for rx, name in DC1004_REASONS if re.search(rx, message)]
    # The Dockerfile is the last reason, or the only one (then right after the colon).
    m = re.search(r"[:;] (\S+) is copied too, so every edit of the Dockerfile", message)
    if m:
        paths.append(m.group(1))
    return paths


def git(repo, *args, input=None, env=None, check=True):
    r = subprocess.run(["git", "-C", repo, *args], input=input, capture_output=True, text=True,
                       env=dict(os.environ, **(env or {})), check=False)
    if check and r.returncode != 0:
        raise RuntimeError(f"git {' '.join(args)}: {r.stderr.strip()[-300:]}")
    return r.stdout


def window(repo, n=100):
    """The replayed range and its commits, oldest first: HEAD~n..HEAD with HEAD~n as the base
    build (the evidence's window), else all first-parent history."""
    revs = git(repo, "rev-list", "--first-parent", "-n", str(n + 1), "HEAD").split()
    revs.reverse()
    if len(revs) == n + 1:
        return "HEAD~%d..HEAD" % n, revs
    return "HEAD", revs


def ignore_candidates(dockerfile, context):
    """Repository paths of the ignore files BuildKit tries, in order."""
    ctx = "" if context in (".", "") else context.rstrip("/") + "/"
    return [dockerfile + ".dockerignore", ctx + ".dockerignore"]


def rewrite(scratch, commits, dockerfile, context, fixed_text, ignore_extra=None):
    """A linear copy of `commits` (oldest first) in `scratch` where each commit's Dockerfile is
    `fixed_text(own text)` (None: unchanged) and, with `ignore_extra`, each commit's ignore file
    ends with those patterns. Returns the new head."""
    env = {"GIT_AUTHOR_NAME": "replay", "GIT_AUTHOR_EMAIL": "replay@localhost", "GIT_COMMITTER_NAME": "replay",
           "GIT_COMMITTER_EMAIL": "replay@localhost", "GIT_AUTHOR_DATE": "2000-01-01T00:00:00Z",
           "GIT_COMMITTER_DATE": "2000-01-01T00:00:00Z"}
    index = os.path.join(scratch, ".git", "replay-index")
    ienv = dict(env, GIT_INDEX_FILE=index)
    blobs = {}
    prev = None
    for c in commits:
        tree = git(scratch, "rev-parse", c + "^{tree}").strip()
        updates = []
        entry = git(scratch, "ls-tree", c, "--", dockerfile).split()
        if entry:
            mode, _, blob = entry[0], entry[1], entry[2]
            new = fixed_text(blob)
            if new is not None:
                key = ("df", new)
                if key not in blobs:
                    blobs[key] = git(scratch, "hash-object", "-w", "--stdin", input=new).strip()
                if blobs[key] != blob:
                    updates.append((mode, blobs[key], dockerfile))
        if ignore_extra:
            cands = ignore_candidates(dockerfile, context)
            path, own, mode = cands[-1], "", "100644"
            for cand in cands:
                e = git(scratch, "ls-tree", c, "--", cand).split()
                if e:
                    path, mode = cand, e[0]
                    own = git(scratch, "cat-file", "blob", e[2])
                    break
            text = own + "\n" + "\n".join(ignore_extra)
            key = ("ign", text)
            if key not in blobs:
                blobs[key] = git(scratch, "hash-object", "-w", "--stdin", input=text).strip()
            updates.append((mode, blobs[key], path))
        if updates:
            git(scratch, "read-tree", c, env=ienv)
            for mode, blob, path in updates:
                git(scratch, "update-index", "--add", "--cacheinfo", f"{mode},{blob},{path}", env=ienv)
            tree = git(scratch, "write-tree", env=ienv).strip()
        args = ["commit-tree", tree, "-m", "replay " + c[:12]] + (["-p", prev] if prev else [])
        prev = git(scratch, *args, env=env).strip()
    return prev


class Assumptions:
    """What a finding's evidence replayed, from its lint JSON `evidence` (None: lint stated none)."""

    def __init__(self, evidence):
        e = evidence or {}
        self.stated = evidence is not None
        self.range = e.get("range") or "HEAD~100..HEAD"
        self.per_build = [a["name"] for a in e.get("perBuildArgs", [])]
        self.per_build_why = [(a["name"], a.get("origin", ""), a.get("reason", "")) for a in e.get("perBuildArgs", [])]
        self.churn = list(e.get("churn", []))
        self.builder = e.get("builder")
        self.engine = e.get("engine")
        self.ci_cache = e.get("ciCache")
        self.source = e.get("source")

    def key(self):
        return (self.range, tuple(self.per_build), tuple(self.churn), self.builder, self.engine, self.ci_cache)

    def options(self):
        """The `simulate` options that state them (besides `--git`)."""
        out = []
        for p in self.churn:
            out += ["--churn", p]
        for a in self.per_build:
            out += ["--per-build-arg", a]
        for flag, v in (("--builder", self.builder), ("--engine", self.engine), ("--ci-cache", self.ci_cache)):
            if v:
                out += [flag, v]
        return out

    def words(self):
        """The assumptions in words, for the report."""
        if not self.stated:
            return "lint stated no assumptions (no JSON `evidence`)"
        parts = [f"`--git {self.range}`"]
        if self.per_build_why:
            parts.append("per-build " + ", ".join(f"{n} ({'by name' if o == 'name' else r.split(' passes')[0] if o == 'ci' else o})"
                                                   for n, o, r in self.per_build_why))
        if self.churn:
            parts.append("churn " + ", ".join(self.churn))
        return "; ".join(parts)


def window_commits(rng, commits):
    """How many commits of `window` a range covers: `HEAD~N..HEAD` is N (plus its base), `HEAD` all."""
    m = re.fullmatch(r"HEAD~(\d+)\.\.HEAD", rng)
    return int(m.group(1)) if m else None


def simulate(binary, cwd, dockerfile, context, rng, assumptions):
    cmd = [binary, "simulate", dockerfile, "--context", context, "--git", rng, "-f", "json"] + assumptions.options()
    env = {k: v for k, v in os.environ.items() if k != "CI"}
    r = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, env=env)
    if r.returncode != 0:
        raise RuntimeError(f"simulate failed: {(r.stderr or r.stdout).strip()[-300:]}")
    return json.loads(r.stdout)


def step_text(s):
    return " ".join(s.get("text", "").split())


def quoted_matches(quoted, text):
    """Whether a step's text (the simulator's, whitespace collapsed, at most 72 characters) is
    the step a message quotes (its first line, shortened to 60 characters with "...")."""
    want = " ".join(quoted.split())
    t = " ".join(text.split())
    if want.endswith("..."):
        return t.startswith(want[:-3].rstrip())
    return t == want or t.startswith(want + " ")


def find_identity(build, text, lines=(), fallback=None):
    """The identity of the step of `build` the quoted `text` names (on one of `lines` when
    several steps match, else one that was built)."""
    found = [s for s in build["steps"] if quoted_matches(text, s.get("text", ""))]
    if found:
        return next((s for s in found if s["line"] in lines),
                    next((s for s in found if s.get("status") != "not-built"), found[0]))["identity"]
    if fallback:
        return fallback(build)
    return None


def _stage_steps(build):
    """stage name (the identity's prefix) -> its steps in build order, and the stages in order."""
    stages, order = {}, []
    for st in build["steps"]:
        name = st["identity"].rpartition(":")[0]
        if name not in stages:
            stages[name] = []
            order.append(name)
        stages[name].append(st)
    return stages, order


def aligned_identity(ref, build, identity):
    """The identity in `build` of the step `identity` of `ref` (the last build), or None when
    that build's file has no such step. Identities are ordinals (`stage:RUN#n`) that an
    inserted RUN shifts: the steps of the two stages (matched by name, else by position) are
    aligned on their texts as a diff would (difflib; stages by position only when the last
    build has no stage of that name); a replaced step pairs with a step of the
    same instruction in the same replaced block, in order."""
    import difflib
    if ref is build:
        return identity
    rs, rorder = _stage_steps(ref)
    bs, border = _stage_steps(build)
    name = identity.rpartition(":")[0]
    if name not in rs:
        return None
    # By position only a stage that no stage of the last build names (a stage added above).
    pos = rorder.index(name)
    other = name if name in bs else (border[pos] if pos < len(border) and border[pos] not in rs else None)
    if other is None:
        return None
    a, b = rs[name], bs[other]
    ta, tb = [step_text(x) for x in a], [step_text(x) for x in b]
    i = next(k for k, x in enumerate(a) if x["identity"] == identity)
    for tag, i1, i2, j1, j2 in difflib.SequenceMatcher(None, ta, tb, autojunk=False).get_opcodes():
        if not (i1 <= i < i2):
            continue
        if tag == "equal":
            return b[j1 + i - i1]["identity"]
        if tag == "replace":
            kind = a[i]["instruction"]
            mine = [k for k in range(i1, i2) if a[k]["instruction"] == kind]
            theirs = [k for k in range(j1, j2) if b[k]["instruction"] == kind]
            pos = mine.index(i)
            if len(theirs) == len(mine):
                return b[theirs[pos]]["identity"]
            # Unequal counts: the most similar step of that instruction.
            best = max(theirs, key=lambda k: difflib.SequenceMatcher(None, ta[i], tb[k]).ratio(), default=None)
            return None if best is None else b[best]["identity"]
        return None
    return None


def count(report, identity, original=None):
    """(re-runs, commits, counted commits) of the step `identity` of the last build over the
    non-baseline builds, found in each build by alignment (`aligned_identity`), builds that
    failed without any step not counted (as the evidence does). `original`: in a history
    rewritten with a fix, the identity (in the last build) of the step the fix replaces; a
    build whose own file the fix does not apply to has no fixed step and runs the original
    one, so that step's re-run is counted there, as the evidence counts it."""
    misses = commits = counted = 0
    last = report["builds"][-1]
    for b in report["builds"]:
        if b.get("baseline"):
            continue
        commits += 1
        if b.get("errors") and not b["steps"]:
            continue
        counted += 1
        ident = aligned_identity(last, b, identity)
        if ident is None and original is not None:
            ident = aligned_identity(last, b, original)
        st = next((s for s in b["steps"] if s["identity"] == ident and s["status"] != "not-built"), None) if ident else None
        if st and st["status"] == "miss":
            misses += 1
    return misses, commits, counted


def scaled(misses, commits, counted):
    return round(misses * commits / counted) if counted else 0


class Replayer:
    """The replays of one Dockerfile's findings (one scratch clone per repository)."""

    def __init__(self, binary, work, dockerfile, context, scratch_root, missing=()):
        self.binary, self.work, self.dockerfile, self.context = binary, work, dockerfile, context
        self.missing = list(missing)
        self.scratch = os.path.join(scratch_root, os.path.basename(work))
        self.rng, self.commits = window(work)
        self.head_text = open(os.path.join(work, dockerfile), encoding="utf-8", errors="surrogateescape").read()
        self.lints = {}
        self._asis = {}

    def ensure_scratch(self):
        if getattr(self, "_ready", False):
            return
        self._ready = True
        if not os.path.isdir(os.path.join(self.scratch, ".git")):
            os.makedirs(os.path.dirname(self.scratch), exist_ok=True)
            subprocess.run(["git", "clone", "-q", "--shared", "--no-checkout", self.work, self.scratch], check=True, capture_output=True)
        head = git(self.work, "rev-parse", "HEAD").strip()
        # Large files a snapshot of the mirror lacks are left out of the work tree, as in the pinned clone.
        sparse = os.path.join(self.scratch, ".git", "info", "sparse-checkout")
        if self.missing:
            git(self.scratch, "config", "core.sparseCheckout", "true")
            git(self.scratch, "config", "core.sparseCheckoutCone", "false")
            os.makedirs(os.path.dirname(sparse), exist_ok=True)
            with open(sparse, "w") as f:
                f.write("/*\n" + "".join("!/" + re.sub(r"([*?\[\\])", r"\\\1", p) + "\n" for p in self.missing))
        git(self.scratch, "checkout", "-q", "--force", "--detach", head)

    def lint_version(self, text):
        """The raw DC findings of a version of the Dockerfile (in the scratch work tree, HEAD's context)."""
        if text in self.lints:
            return self.lints[text]
        path = os.path.join(self.scratch, self.dockerfile)
        with open(path, "w", encoding="utf-8", errors="surrogateescape") as f:
            f.write(text)
        env = {k: v for k, v in os.environ.items() if k != "CI"}
        r = subprocess.run([self.binary, "-f", "json", "--evidence", "false", "--context", self.context, self.dockerfile],
                           cwd=self.scratch, capture_output=True, text=True, env=env)
        try:
            found = [d for d in json.loads(r.stdout).get("diagnostics", []) if d["code"].startswith("DC")]
        except Exception:
            found = []
        self.lints[text] = found
        return found

    def asis(self, a):
        """The history as it is, replayed with the assumptions `a`."""
        if a.key() not in self._asis:
            self._asis[a.key()] = simulate(self.binary, self.work, self.dockerfile, self.context, a.range, a)
        return self._asis[a.key()]

    def replay(self, d):
        """{quoted, replayed, equal, note} for finding `d` (a lint JSON diagnostic)."""
        q = parse_quote(d["message"])
        if q is None:
            return None
        a = Assumptions(d.get("evidence"))
        out = {"quoted": q, "replayed": None, "equal": False, "note": "", "assumptions": a.words()}
        asis = self.asis(a)
        last = asis["builds"][-1]
        # The quoted step's line: where the message names it ("`RUN x` (line 88)"), else the
        # finding's own lines.
        lines = [int(n) for n in re.findall("`" + re.escape(q["step"]) + r"` \(line (\d+)\)", d["message"])]
        lines += [d["line"]] + [r["line"] for r in d.get("related", [])]
        ident = find_identity(last, q["step"], lines)
        if ident is None:
            out["note"] = "the quoted step is not in the last build"
            return out
        m, n, k = count(asis, ident)
        replayed = {"n": n, "asis": scaled(m, n, k), "fixed": None}
        if q["fixed"] is not None:
            fixed = self.fixed_report(d, a)
            if isinstance(fixed, str):
                out["note"] = fixed
                out["replayed"] = replayed
                return out
            flast = fixed["builds"][-1]
            target = q["fetch"] or q["step"]
            # A RUN split whose install part is not the original's first words (a composer
            # install run twice): the new RUN the message names, found by its line in the fixed file.
            flines = []
            part = re.search(r"run `([^`]+)` in a RUN of its own", d["message"])
            if part and not q["fetch"] and getattr(self, "head_fixed", None):
                want = "RUN " + " ".join(part.group(1).split())
                flines = [i + 1 for i, l in enumerate(self.head_fixed.split("\n")) if " ".join(l.split()).endswith(want)]
                if flines:
                    target = want[:57] + "..." if len(want) > 60 else want
            fid = find_identity(flast, target, flines, fallback=lambda b: self.split_part(b, q["step"]))
            if fid is None:
                out["note"] = "the quoted step is not in the fixed file"
                out["replayed"] = replayed
                return out
            fm, fn, fk = count(fixed, fid, find_identity(flast, q["step"], ()))
            replayed["fixed"] = scaled(fm, fn, fk)
        out["replayed"] = replayed
        out["equal"] = (q["n"] == replayed["n"] and q["asis"] == replayed["asis"]
                        and (q["fixed"] is None or q["fixed"] == replayed["fixed"]))
        return out

    @staticmethod
    def split_part(build, original):
        """A RUN split at `&&`: the new step whose text begins the original's (its first part)."""
        want = " ".join(original.split())
        for s in build["steps"]:
            t = step_text(s)
            if s["instruction"] == "RUN" and t != want and len(t) > 6 and want.startswith(t):
                return s["identity"]
        return None

    def fixed_report(self, d, a):
        """The simulate report of the history rewritten with this finding's fix alone, or why not."""
        self.ensure_scratch()
        code, line = d["code"], d["line"]
        anchor = line_text(self.head_text, line)
        fix = d.get("fix")
        ignore_extra = None
        if fix and fix.get("edits"):
            title = fix["title"]
            if "pays only together" in d["message"]:
                return "a pair of fixes (not replayed alone by design)"
            head_fixed = apply_edits(self.head_text, fix["edits"])
            self.head_fixed = head_fixed
            cache = {}
            # Which of the findings on the same text it is (`COPY . /app` in two stages).
            occurrence = sum(1 for f in self.lint_version(self.head_text) if f["code"] == code and f.get("fix")
                             and f["fix"]["title"] == title and f["line"] < line and line_text(self.head_text, f["line"]) == anchor)

            def fixed_text(blob):
                if blob in cache:
                    return cache[blob]
                own = git(self.scratch, "cat-file", "blob", blob)
                if own == self.head_text:
                    cache[blob] = head_fixed
                    return head_fixed
                same = sorted((f for f in self.lint_version(own) if f["code"] == code and f.get("fix")
                               and f["fix"]["title"] == title and f["fix"].get("edits")
                               and line_text(own, f["line"]) == anchor), key=lambda f: f["line"])
                match = same[occurrence] if occurrence < len(same) else None
                cache[blob] = apply_edits(own, match["fix"]["edits"]) if match else None
                return cache[blob]
        elif code == "DC1004":
            # The patterns lint's evidence appended (its JSON `evidence`), else read from the message.
            rel = self.dockerfile_in_context()
            ignore_extra = (d.get("evidence") or {}).get("ignoreAppended") or dc1004_paths(d["message"], rel)
            if not ignore_extra:
                return "nothing to exclude"
            fixed_text = lambda blob: None
        else:
            return "no fix to replay"
        n = window_commits(a.range, self.commits)
        commits = self.commits if n is None else window(self.work, n)[1]
        try:
            head = rewrite(self.scratch, commits, self.dockerfile, self.context, fixed_text, ignore_extra)
        finally:
            git(self.scratch, "checkout", "-q", "--force", "--", self.dockerfile, check=False)
        git(self.scratch, "update-ref", "refs/heads/replay", head)
        rng = "replay~%d..replay" % (len(commits) - 1) if n is not None and len(commits) == n + 1 else "replay"
        return simulate(self.binary, self.scratch, self.dockerfile, self.context, rng, a)

    def dockerfile_in_context(self):
        ctx = "" if self.context in (".", "") else self.context.rstrip("/") + "/"
        if not self.dockerfile.startswith(ctx):
            return None
        return self.dockerfile[len(ctx):]


def explain(x):
    """Why a row of the report reads as it does: the assumptions replayed (from lint's JSON),
    and for a row that differs, which numbers differ and what is known of why."""
    parts = []
    if x.get("note"):
        parts.append(x["note"])
    q, r = x["quoted"], x.get("replayed")
    if r is not None and not x["equal"]:
        for label, k in (("commits", "n"), ("as is", "asis"), ("with the fix", "fixed")):
            if k == "fixed" and q["fixed"] is None:
                continue
            if q[k] != r[k]:
                parts.append(f"{label}: quoted {q[k]}, replayed {r[k] if r[k] is not None else '-'}")
    elif r is None and not x.get("note"):
        parts.append("nothing replayed")
    if x.get("assumptions"):
        parts.append("replayed with " + x["assumptions"])
    if not x["equal"] and not x.get("note"):
        parts.append("no cause found by the script: the two replays disagree with the same stated assumptions")
    return "; ".join(parts)


def self_test(check):
    """Synthetic checks of the replay helpers (git needed, no binary)."""
    import tempfile
    m = ("`COPY . .` comes before the dependency install; saves about 6 min of rebuild time per 100 commits: in the last 100 "
         "commits `RUN npm ci` re-ran 92 times, would re-run once; re-runs caused by ...")
    check("a quote is read", parse_quote(m), {"n": 100, "step": "RUN npm ci", "asis": 92, "fixed": 1, "fetch": None})
    m2 = ("saves about 3 min of rebuild time per 100 commits: in the last 40 commits `RUN go build -o /app .` re-ran 40 times, "
          "downloading the dependencies each time; `RUN go mod download` would download them 2 times")
    check("a pre-fetch quote is read", parse_quote(m2),
          {"n": 40, "step": "RUN go build -o /app .", "asis": 40, "fixed": 2, "fetch": "RUN go mod download"})
    check("a quote without history is none", parse_quote("`RUN x` re-runs after 77 of 100 edits"), None)
    ev = {"source": "history", "commits": 100, "range": "HEAD~100..HEAD", "churn": [".git/HEAD"],
          "perBuildArgs": [{"name": "BUILDTIME", "origin": "name", "reason": "its name says it holds a date"},
                           {"name": "REVISION", "origin": "ci", "reason": ".github/workflows/d.yml:9 passes a per-build value"}],
          "builder": "buildkit", "engine": "docker-20.10", "ciCache": "local", "step": "RUN x", "reruns": 3}
    a = Assumptions(ev)
    check("the assumptions are lint's", a.options(), ["--churn", ".git/HEAD", "--per-build-arg", "BUILDTIME", "--per-build-arg",
                                                     "REVISION", "--builder", "buildkit", "--engine", "docker-20.10",
                                                     "--ci-cache", "local"])
    check("the assumptions in words", a.words(), "`--git HEAD~100..HEAD`; per-build BUILDTIME (by name), REVISION "
          "(.github/workflows/d.yml:9); churn .git/HEAD")
    check("no statement, no assumption", Assumptions(None).options(), [])
    check("a window's commits", (window_commits("HEAD~40..HEAD", []), window_commits("HEAD", [])), (40, None))
    row = {"quoted": {"n": 100, "asis": 100, "fixed": 14}, "replayed": {"n": 100, "asis": 99, "fixed": 14},
           "equal": False, "note": "", "assumptions": "`--git HEAD`"}
    check("a differing row says what differs", explain(row), "as is: quoted 100, replayed 99; replayed with `--git HEAD`; "
          "no cause found by the script: the two replays disagree with the same stated assumptions")
    row = dict(row, replayed={"n": 100, "asis": 100, "fixed": 14}, equal=True)
    check("an equal row says what was replayed", explain(row), "replayed with `--git HEAD`")
    df = "FROM node:22\nWORKDIR /app\nCOPY . .\nRUN npm ci\n"
    edits = [{"line": 3, "column": 1, "endLine": 4, "endColumn": 1, "replacement": "COPY package.json ./\n"},
             {"line": 5, "column": 1, "endLine": 5, "endColumn": 1, "replacement": "COPY . .\n"}]
    check("edits are applied by position", apply_edits(df, edits),
          "FROM node:22\nWORKDIR /app\nCOPY package.json ./\nRUN npm ci\nCOPY . .\n")
    check("columns count code points", apply_edits("# é\nRUN a\n", [{"line": 2, "column": 5, "endLine": 2, "endColumn": 6,
                                                                      "replacement": "b"}]), "# é\nRUN b\n")
    check("a shortened quote names its step", quoted_matches("RUN apt-get update && apt-get install -y --no-install-rec...",
                                                            "RUN apt-get update && apt-get install -y --no-install-recommends curl"), True)
    check("a continued first line names its step", quoted_matches("RUN a && ...", "RUN a && b"), True)
    check("another step is not named", quoted_matches("RUN a", "RUN ab"), False)
    check("a line is compared without continuations", line_text("RUN a \\\n  b\n", 1), "RUN a")
    def st(ident, text, status="miss"):
        return {"identity": ident, "text": text, "instruction": text.split()[0], "status": status}
    old_b = {"steps": [st("b:FROM", "FROM rust"), st("b:COPY#1", "COPY . /app"), st("b:RUN#1", "RUN cargo build --release")]}
    new_b = {"steps": [st("b:FROM", "FROM rust"), st("b:RUN#1", "RUN apt-get install -y gcc"), st("b:COPY#1", "COPY . /app"),
                       st("b:RUN#2", "RUN cargo build --release")]}
    check("a step is found past an inserted RUN", aligned_identity(new_b, old_b, "b:RUN#2"), "b:RUN#1")
    check("an inserted step is in no older build", aligned_identity(new_b, old_b, "b:RUN#1"), None)
    edited = {"steps": [st("b:FROM", "FROM rust"), st("b:COPY#1", "COPY . /app"), st("b:RUN#1", "RUN cargo build")]}
    check("an edited step maps by its place", aligned_identity(new_b, edited, "b:RUN#2"), "b:RUN#1")
    staged = {"steps": [st("web:FROM", "FROM node"), st("web:RUN#1", "RUN pnpm install"), st("b:FROM", "FROM rust"),
                        st("b:COPY#1", "COPY . /app"), st("b:RUN#1", "RUN cargo build --release")]}
    check("a stage added above matches no older stage", aligned_identity(staged, old_b, "web:RUN#1"), None)
    check("a stage added above", aligned_identity(staged, old_b, "b:RUN#1"), "b:RUN#1")
    check("a step is counted by alignment", count({"builds": [{"baseline": True, "steps": []}, old_b, new_b]}, "b:RUN#2"), (2, 2, 2))
    fixed_new = {"steps": [st("b:FROM", "FROM rust"), st("b:COPY#1", "COPY Cargo.toml /app/"), st("b:RUN#1", "RUN cargo fetch", "hit"),
                           st("b:COPY#2", "COPY . /app"), st("b:RUN#2", "RUN cargo build --release")]}
    hist = {"builds": [{"baseline": True, "steps": []}, old_b, fixed_new]}
    check("a build the fix does not apply to has no fixed step", count(hist, "b:RUN#1"), (0, 2, 2))
    check("...and runs the original step there", count(hist, "b:RUN#1", "b:RUN#2"), (1, 2, 2))
    lets_in = ("`COPY . .` copies the whole context and the .dockerignore lets in files that change without a source edit: "
               "every commit and fetch rewrites .git; node_modules changes with every local install; docker/Dockerfile is "
               "copied too, so every edit of the Dockerfile re-runs this COPY; each such change re-runs this COPY")
    check("DC1004's paths from its reasons", dc1004_paths(lets_in, "docker/Dockerfile"), [".git", "node_modules", "docker/Dockerfile"])
    only = ("`COPY . /app` copies the whole context and the .dockerignore lets in files that change without a source edit: "
            "Dockerfile is copied too, so every edit of the Dockerfile re-runs this COPY; each such change re-runs this COPY")
    check("DC1004's Dockerfile as its only reason", dc1004_paths(only, "Dockerfile"), ["Dockerfile"])
    none = "`COPY . .` copies the whole context and there is no .dockerignore: ...; add a .dockerignore, but keep .git: `RUN make` may read it"
    check("DC1004 keeps .git when the build reads it", dc1004_paths(none, "Dockerfile"), ["Dockerfile"])
    # A rewritten history: each commit's own Dockerfile, fixed where the fix applies; its ignore file extended.
    d = tempfile.mkdtemp(prefix="replay-selftest-")
    try:
        env = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@t", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@t"}
        git(d, "init", "-q")
        def commit(files, msg):
            for p, t in files.items():
                os.makedirs(os.path.dirname(os.path.join(d, p)) or d, exist_ok=True)
                open(os.path.join(d, p), "w").write(t)
            git(d, "add", "-A")
            git(d, "-c", "commit.gpgsign=false", "commit", "-qm", msg, env=env)
        commit({"Dockerfile": "FROM a\nCOPY . .\n", "app.py": "0\n"}, "one")
        commit({"app.py": "1\n"}, "two")
        commit({"Dockerfile": "FROM b\nCOPY . .\n", ".dockerignore": "*.md\n"}, "three")
        rng, commits = window(d, 100)
        check("a short history is replayed whole", (rng, len(commits)), ("HEAD", 3))
        head = rewrite(d, commits, "Dockerfile", ".", lambda blob: git(d, "cat-file", "blob", blob).replace("FROM a", "FROM z")
                       if "FROM a" in git(d, "cat-file", "blob", blob) else None, ignore_extra=[".git"])
        revs = git(d, "rev-list", "--first-parent", head).split()[::-1]
        check("the rewrite keeps every commit", len(revs), 3)
        check("a version the fix applies to is fixed", git(d, "show", revs[1] + ":Dockerfile"), "FROM z\nCOPY . .\n")
        check("a version it does not apply to keeps its text", git(d, "show", revs[2] + ":Dockerfile"), "FROM b\nCOPY . .\n")
        check("the other files are the commit's", git(d, "show", revs[1] + ":app.py"), "1\n")
        check("a new ignore file holds the advice", git(d, "show", revs[0] + ":.dockerignore"), "\n.git")
        check("an ignore file keeps its own patterns", git(d, "show", revs[2] + ":.dockerignore"), "*.md\n\n.git")
    finally:
        shutil.rmtree(d, ignore_errors=True)
