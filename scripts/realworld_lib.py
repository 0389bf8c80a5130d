"""Shared helpers of scripts/cache-rules-realworld and scripts/realworld-churn.

- `.dockerignore` matching as moby/patternmatcher does it (CACHE-SEMANTICS §5: anchored at
  the context root, a pattern also matches every path below a matched directory, last match
  wins, `!` re-includes).
- The COPY/ADD sources of a Dockerfile (a light parse: continuation lines joined, flags and
  `--from` copies skipped, variables left as they are).
- First-parent history of a repository as the list of paths each commit changed, which is
  what a CI build per commit of the default branch sees.
"""
import fnmatch, os, re, subprocess


def _pattern_regex(p):
    """moby/patternmatcher's regexp for one cleaned pattern."""
    out = "^"
    i = 0
    n = len(p)
    if p == "**":
        return re.compile(r"^.*$")
    while i < n:
        c = p[i]
        if c == "*":
            if i + 1 < n and p[i + 1] == "*":
                i += 1
                # `**/` at start or after `/`: zero or more segments
                if i + 1 < n and p[i + 1] == "/":
                    i += 1
                    out += "(.*/)?"
                elif i + 1 == n:
                    out += ".*"
                else:
                    out += ".*"
            else:
                out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            j = p.find("]", i + 1)
            if j < 0:
                out += re.escape(c)
            else:
                cls = p[i + 1:j]
                if cls.startswith("!"):
                    cls = "^" + cls[1:]
                out += "[" + cls + "]"
                i = j
        elif c == "\\" and i + 1 < n:
            i += 1
            out += re.escape(p[i])
        else:
            out += re.escape(c)
        i += 1
    # a trailing `/**` (already `/.*`) must not match the directory itself: keep as is
    return re.compile(out + "$")


def parse_dockerignore(text):
    pats = []
    if text is None:
        return pats
    text = text.lstrip("\ufeff")
    for raw in text.splitlines():
        if raw.startswith("#"):
            continue
        line = raw.strip()
        if not line:
            continue
        excl = False
        if line.startswith("!"):
            excl = True
            line = line[1:].strip()
            if not line:
                continue
        line = os.path.normpath(line).replace(os.sep, "/")
        if line.startswith("/"):
            line = line[1:]
        if line in ("", "."):
            line = "."
        pats.append((excl, line, _pattern_regex(line)))
    return pats


def ignored(path, pats):
    """True when `path` (context-relative, slash-separated) is excluded."""
    if not pats:
        return False
    parts = path.split("/")
    parents = ["/".join(parts[:k]) for k in range(1, len(parts))]
    matched = False
    for excl, _, rx in pats:
        if excl and not matched:
            continue
        if not excl and matched:
            continue
        hit = rx.match(path) is not None or any(rx.match(q) for q in parents)
        if hit:
            matched = not excl
    return matched


COPY_RE = re.compile(r"^\s*(COPY|ADD)\s+(.*)$", re.I)


HEREDOC_RE = re.compile(r"<<(-?)[\"']?([A-Za-z_][A-Za-z0-9_]*)[\"']?")


def logical_lines(text):
    """(first line number, instruction text) with continuations joined, comments dropped;
    heredoc bodies (`RUN <<EOF ... EOF`) belong to their instruction."""
    out = []
    buf, start = "", None
    heredocs = []
    for i, line in enumerate(text.splitlines(), 1):
        s = line.rstrip()
        if heredocs:
            if (s.strip() if heredocs[0][0] else s) == heredocs[0][1]:
                heredocs.pop(0)
            else:
                out[-1] = (out[-1][0], out[-1][1] + " " + " ".join(s.split()))
            continue
        if start is None:
            if not s.strip() or s.lstrip().startswith("#"):
                continue
            start = i
        elif s.lstrip().startswith("#"):
            continue
        if s.endswith("\\"):
            buf += s[:-1] + " "
            continue
        buf += s
        out.append((start, " ".join(buf.split())))
        heredocs = [(m.group(1) == "-", m.group(2)) for m in HEREDOC_RE.finditer(buf)] if re.match(
            r"^\s*(RUN|COPY|ADD)\b", buf, re.I) else []
        buf, start = "", None
    if buf:
        out.append((start, " ".join(buf.split())))
    return out


def copy_sources(text):
    """[(line, [context sources])] for COPY/ADD from the build context."""
    res = []
    for ln, ins in logical_lines(text):
        m = COPY_RE.match(ins)
        if not m:
            continue
        rest = m.group(2).strip()
        words = rest.split()
        if any(w.startswith("--from") for w in words):
            continue
        while rest.startswith("--"):
            rest = rest.split(None, 1)[1] if len(rest.split(None, 1)) > 1 else ""
        if rest.startswith("["):
            try:
                import json
                arr = json.loads(rest)
                words = arr
            except Exception:
                continue
        words = [w for w in words if not w.startswith("--")]
        if len(words) < 2 or words[0].startswith("<<"):
            continue
        srcs = [w for w in words[:-1] if "://" not in w and not w.startswith("git@")]
        if srcs:
            res.append((ln, srcs))
    return res


def norm_source(s):
    s = s.strip()
    while s.startswith("./"):
        s = s[2:]
    s = s.lstrip("/")
    while s.endswith("/.") or s.endswith("/"):
        s = s[:-2] if s.endswith("/.") else s[:-1]
    if s in ("", "."):
        return "."
    return s


def under_source(path, src):
    """True when context path `path` is copied by source `src` (context-relative)."""
    src = norm_source(src)
    if src == "." or src == "*":
        return True
    if any(ch in src for ch in "*?["):
        # a wildcard matches a path or one of its parents (Go filepath.Match: `*` stays
        # within one path segment)
        rx = glob_regex(src)
        parts = path.split("/")
        return any(rx.match("/".join(parts[:k])) for k in range(1, len(parts) + 1))
    return path == src or path.startswith(src + "/")


def glob_regex(pattern):
    """A path glob: `*` and `?` stay within a segment, `**` crosses segments."""
    out, i = "", 0
    while i < len(pattern):
        c = pattern[i]
        if pattern.startswith("**", i):
            out += ".*"; i += 2; continue
        if c == "*":
            out += "[^/]*"
        elif c == "?":
            out += "[^/]"
        elif c == "[":
            j = pattern.find("]", i + 1)
            if j < 0:
                out += re.escape(c)
            else:
                out += "[" + pattern[i + 1:j].replace("!", "^", 1) + "]"
                i = j
        else:
            out += re.escape(c)
        i += 1
    return re.compile("^" + out + "$")


def first_parent_changes(repo, n, rev="HEAD"):
    """[(sha, subject, [paths])] for the last n first-parent commits of rev, newest first.
    Renames count as both paths."""
    out = subprocess.run(
        ["git", "-C", repo, "log", "--first-parent", "--diff-merges=first-parent", "-n", str(n),
         "--name-only", "--no-renames", "--format=%x00%H%x09%s", rev],
        capture_output=True, text=True, check=True).stdout
    commits = []
    for chunk in out.split("\x00")[1:]:
        lines = chunk.strip("\n").split("\n")
        sha, _, subj = lines[0].partition("\t")
        paths = [p for p in lines[1:] if p.strip()]
        commits.append((sha, subj, paths))
    return commits


def rel_to_context(path, context):
    """Repository path -> context-relative path, or None when outside the context."""
    context = norm_source(context)
    if context == ".":
        return path
    if path == context:
        return ""
    if path.startswith(context + "/"):
        return path[len(context) + 1:]
    return None
