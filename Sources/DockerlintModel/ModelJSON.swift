import DockerlintSupport
import DockerlintSyntax

/// `dockerlint parse --format json` (schema: reports/schemas/parse-output.schema.json).
extension DockerfileModel {
    public func json() -> String {
        var w = JSONWriter()
        // Each history of definitions is written once, under `scopes`; an instruction's
        // scope refers to one and says how many of its definitions it sees.
        var table = ScopeTable()
        for m in metaArgs { table.add(m.scope) }
        for s in stages {
            table.add(s.from.scope)
            for m in s.onbuildTriggers { table.add(m.scope) }
            for m in s.instructions { table.add(m.scope) }
        }
        w.beginObject()
        w.key("directives"); w.beginArray()
        for d in dockerfile.directives { w.beginObject(); w.field("name", d.name); w.field("value", d.value); w.key("range"); w.range(d.range); w.endObject() }
        w.endArray()
        w.field("escapeToken", String(UnicodeScalar(dockerfile.escapeToken)))
        w.key("instructions"); w.beginArray()
        for i in dockerfile.instructions { w.instruction(i) }
        w.endArray()
        w.key("metaArgs"); w.beginArray()
        for m in metaArgs { w.modelInstruction(m, withScope: false) }
        w.endArray()
        w.key("globalScope"); w.beginArray()
        for v in globalScope { w.variable(v) }
        w.endArray()
        w.key("scopes"); w.beginArray()
        for h in table.order {
            w.beginObject()
            w.key("base"); w.scopeReference(h.base, table)
            w.key("definitions"); w.beginArray(); for v in h.entries { w.variable(v) }; w.endArray()
            w.endObject()
        }
        w.endArray()
        w.key("stages"); w.beginArray()
        for s in stages { w.stage(s, table) }
        w.endArray()
        w.key("target")
        switch targetStage() {
        case .success(let t):
            w.beginObject()
            w.field("stage", t)
            w.key("buildkitStages"); w.beginArray(); for i in (try? reachableStages().get()) ?? [] { w.int(i) }; w.endArray()
            w.key("classicStages"); w.beginArray(); for i in (try? classicStages().get()) ?? [] { w.int(i) }; w.endArray()
            w.endObject()
        case .failure: w.null()
        }
        w.key("errors"); w.beginArray()
        for e in errors { w.beginObject(); w.field("message", e.message); w.key("range"); w.range(e.range); w.endObject() }
        w.endArray()
        w.endObject()
        return w.output
    }
}

/// The histories of definitions the scopes of a model use, numbered in the order written
/// (a history's base before it).
struct ScopeTable {
    var ids: [ObjectIdentifier: Int] = [:]
    var order: [ScopeHistory] = []

    mutating func add(_ scope: VariableScope) {
        guard let h = scope.history, ids[ObjectIdentifier(h)] == nil else { return }
        if let b = h.base { add(b) }
        ids[ObjectIdentifier(h)] = order.count
        order.append(h)
    }
}

extension JSONWriter {
    /// `{"scope": N, "length": K}`: the variables of `scopes[N]`'s base, then its first K
    /// definitions (a name defined again keeps its place and takes the new value); `null`
    /// for an empty scope.
    mutating func scopeReference(_ scope: VariableScope?, _ table: ScopeTable) {
        // Every scope of the model is in the table (`DockerfileModel.json` adds them all).
        guard let scope, let h = scope.history, let id = table.ids[ObjectIdentifier(h)] else { null(); return }
        beginObject(); field("scope", id); field("length", scope.length); endObject()
    }

    mutating func variable(_ v: ScopedVariable) {
        beginObject()
        field("name", v.name); field("value", v.value)
        field("origin", v.origin.rawValue); field("valueSource", v.valueSource.rawValue)
        key("stage"); if let s = v.stageIndex { int(s) } else { null() }
        key("range"); if let r = v.range { range(r) } else { null() }
        endObject()
    }

    mutating func strings(_ k: String, _ a: [String]) { key(k); beginArray(); for s in a { string(s) }; endArray() }

    mutating func flagValue(_ k: String, _ f: FlagValue?) { field(k, f?.value) }

    mutating func stage(_ s: Stage, _ table: ScopeTable) {
        beginObject()
        field("index", s.index); field("name", s.name); field("displayName", s.displayName)
        field("baseName", s.baseName)
        key("base"); beginObject()
        switch s.base {
        case .scratch: field("kind", "scratch")
        case .image(let i): field("kind", "image"); field("image", i)
        case .stage(let j): field("kind", "stage"); field("stage", j)
        }
        endObject()
        field("platform", s.platform)
        key("range"); range(s.from.syntax.range)
        key("dependencies"); beginArray()
        for d in s.dependencies {
            beginObject()
            field("kind", d.kind.rawValue); field("reference", d.reference)
            key("stage"); if let j = d.stage { int(j) } else { null() }
            field("image", d.image)
            key("range"); range(d.range)
            endObject()
        }
        endArray()
        key("from"); modelInstruction(s.from, withScope: false)
        key("onbuildTriggers"); beginArray(); for m in s.onbuildTriggers { modelInstruction(m, withScope: true, table) }; endArray()
        key("instructions"); beginArray(); for m in s.instructions { modelInstruction(m, withScope: true, table) }; endArray()
        endObject()
    }

    mutating func modelInstruction(_ m: ModelInstruction, withScope: Bool, _ table: ScopeTable = ScopeTable()) {
        beginObject()
        field("instruction", m.syntax.kind == .unknown ? m.syntax.keyword.uppercased() : m.syntax.kind.keyword)
        field("line", m.syntax.startLine)
        key("range"); range(m.syntax.range)
        field("valid", m.typed != nil)
        field("onbuildTrigger", m.isOnbuildTrigger)
        field("workingDirectory", m.workingDirectory)
        field("user", m.user)
        key("command"); if let t = m.typed { typedCommand(t.command) } else { null() }
        key("resolved"); if let r = m.resolved { resolved(r) } else { null() }
        strings("matchedVariables", m.matchedVariables)
        strings("unmatchedVariables", m.unmatchedVariables)
        if withScope { key("scope"); scopeReference(m.scope, table) }
        endObject()
    }

    mutating func mount(_ m: RunMount) {
        beginObject()
        field("type", m.type.rawValue); field("from", m.from); field("source", m.source); field("target", m.target)
        field("readOnly", m.readOnly); field("id", m.id); field("sharing", m.sharing?.rawValue)
        field("required", m.required); field("sizeLimit", Int(m.sizeLimit)); field("env", m.env)
        key("mode"); if let v = m.mode { int(Int(v)) } else { null() }
        key("uid"); if let v = m.uid { int(Int(v)) } else { null() }
        key("gid"); if let v = m.gid { int(Int(v)) } else { null() }
        endObject()
    }

    mutating func commandLine(_ c: CommandLineValue) {
        strings("arguments", c.arguments)
        field("execForm", c.isExecForm)
        key("files"); beginArray()
        for f in c.files { beginObject(); field("name", f.name); field("data", f.data); field("chomp", f.chomp); endObject() }
        endArray()
    }

    mutating func typedCommand(_ c: TypedCommand) {
        beginObject()
        switch c {
        case .from(let f):
            field("kind", "from"); field("image", f.image.value); field("stageName", f.stageName); flagValue("platform", f.platform)
        case .run(let r):
            field("kind", "run"); commandLine(r.commandLine)
            key("mounts"); beginArray(); for m in r.mounts { mount(m) }; endArray()
            field("network", r.network.rawValue); field("security", r.security.rawValue)
            key("devices"); beginArray(); for d in r.devices { beginObject(); field("name", d.name); field("required", d.required); endObject() }; endArray()
        case .copy(let cp), .add(let cp):
            field("kind", cp.isAdd ? "add" : "copy")
            strings("sources", cp.sources.map(\.value))
            key("inlineSources"); beginArray()
            for s in cp.inlineSources { beginObject(); field("path", s.path); field("data", s.data); field("expand", s.expand); endObject() }
            endArray()
            field("destination", cp.destination.value)
            flagValue("from", cp.from); flagValue("chown", cp.chown); flagValue("chmod", cp.chmod)
            field("link", cp.link); field("parents", cp.parents); strings("excludes", cp.excludes.map(\.value))
            key("keepGitDir"); if let b = cp.keepGitDir { bool(b) } else { null() }
            flagValue("checksum", cp.checksum)
            key("unpack"); if let b = cp.unpack { bool(b) } else { null() }
        case .env(let kv), .label(let kv):
            if case .env = c { field("kind", "env") } else { field("kind", "label") }
            key("pairs"); beginArray()
            for p in kv.pairs { beginObject(); field("key", p.key.value); field("value", p.value.value); field("legacy", !p.hasEquals); endObject() }
            endArray()
        case .arg(let a):
            field("kind", "arg")
            key("args"); beginArray()
            for d in a.definitions { beginObject(); field("key", d.key); field("default", d.defaultValue); endObject() }
            endArray()
        case .cmd(let cl): field("kind", "cmd"); commandLine(cl)
        case .entrypoint(let cl): field("kind", "entrypoint"); commandLine(cl)
        case .shell(let s): field("kind", "shell"); strings("shell", s.shell)
        case .healthcheck(let h):
            field("kind", "healthcheck"); strings("test", h.test)
            field("interval", Int(h.interval)); field("timeout", Int(h.timeout)); field("startPeriod", Int(h.startPeriod))
            field("startInterval", Int(h.startInterval)); field("retries", h.retries)
        case .expose(let e): field("kind", "expose"); strings("ports", e.ports.map(\.value))
        case .user(let v): field("kind", "user"); field("value", v.value.value)
        case .workdir(let v): field("kind", "workdir"); field("value", v.value.value)
        case .stopsignal(let v): field("kind", "stopsignal"); field("value", v.value.value)
        case .maintainer(let v): field("kind", "maintainer"); field("value", v.value.value)
        case .volume(let v): field("kind", "volume"); strings("volumes", v.volumes.map(\.value))
        case .onbuild(let o):
            field("kind", "onbuild"); field("expression", o.expression)
            key("trigger"); if let t = o.trigger { typedCommand(t.command) } else { null() }
            key("triggerErrors"); beginArray()
            for e in o.triggerErrors { beginObject(); field("message", e.message); key("range"); range(e.range); endObject() }
            endArray()
        }
        endObject()
    }

    mutating func resolved(_ r: ResolvedValues) {
        beginObject()
        if let v = r.baseName { field("baseName", v) }
        if let v = r.platform { field("platform", v) }
        if let v = r.sources { strings("sources", v) }
        if let v = r.inlineSources {
            key("inlineSources"); beginArray()
            for s in v { beginObject(); field("path", s.path); field("data", s.data); field("expand", s.expand); endObject() }
            endArray()
        }
        if let v = r.destination { field("destination", v) }
        if let v = r.absoluteDestination { field("absoluteDestination", v) }
        if let v = r.chown { field("chown", v) }
        if let v = r.chmod { field("chmod", v) }
        if let v = r.checksum { field("checksum", v) }
        if let v = r.workdir { field("workdir", v) }
        if let v = r.user { field("user", v) }
        if let v = r.pairs {
            key("pairs"); beginArray(); for p in v { beginObject(); field("key", p.key); field("value", p.value); endObject() }; endArray()
        }
        if let v = r.ports { strings("ports", v) }
        if let v = r.exposedPorts {
            key("exposedPorts"); beginArray()
            for p in v { beginObject(); field("raw", p.raw); field("start", p.start); field("end", p.end); field("proto", p.proto); endObject() }
            endArray()
        }
        if let v = r.volumes { strings("volumes", v) }
        if let v = r.stopSignal { field("stopSignal", v) }
        if let v = r.mounts { key("mounts"); beginArray(); for m in v { mount(m) }; endArray() }
        if let v = r.args {
            key("args"); beginArray()
            for a in v { beginObject(); field("key", a.key); field("value", a.value); field("source", a.source.rawValue); endObject() }
            endArray()
        }
        endObject()
    }
}
