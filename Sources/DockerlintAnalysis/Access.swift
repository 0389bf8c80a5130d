// What a step reads or writes, as sets that can be "everything".

/// Absolute image paths (each a file or a whole tree), or every path.
public struct PathSet: Sendable, Equatable {
    public var all: Bool
    public var paths: [String]

    public init(all: Bool = false, paths: [String] = []) {
        self.all = all
        self.paths = paths
    }

    public static let everything = PathSet(all: true)

    public var isEmpty: Bool { !all && paths.isEmpty }

    public mutating func insert(_ p: String) { if !all, !paths.contains(p) { paths.append(p) } }
    public mutating func formUnion(_ o: PathSet) {
        if o.all { all = true }
        for p in o.paths { insert(p) }
    }

    /// True when the set holds `p` or a tree that overlaps it.
    public func touches(_ p: String) -> Bool { all || paths.contains { ImagePath.overlap($0, p) } }

    /// The paths of `self` that overlap `o` (all of them when either is everything).
    public func overlaps(_ o: PathSet) -> [String] {
        if all && o.all { return ["/"] }
        if all { return o.paths }
        if o.all { return paths }
        return paths.filter { p in o.paths.contains { ImagePath.overlap(p, $0) } }
    }
}

/// Environment variable names, or every name.
public struct NameSet: Sendable, Equatable {
    public var all: Bool
    public var names: Set<String>

    public init(all: Bool = false, names: Set<String> = []) {
        self.all = all
        self.names = names
    }

    public static let everything = NameSet(all: true)
    public var isEmpty: Bool { !all && names.isEmpty }
    public func contains(_ n: String) -> Bool { all || names.contains(n) }
    public mutating func formUnion(_ o: NameSet) {
        if o.all { all = true }
        names.formUnion(o.names)
    }
    public func intersection(_ o: NameSet) -> Set<String> {
        if all && o.all { return ["*"] }
        if all { return o.names }
        if o.all { return names }
        return names.intersection(o.names)
    }
}

/// The state a step reads or writes: files of the image, environment variables, the
/// working directory, the user, the SHELL, the VCS metadata of the source tree.
public struct Access: Sendable, Equatable {
    public var paths = PathSet()
    public var env = NameSet()
    public var workdir = false
    public var user = false
    public var shell = false

    public init() {}

    public mutating func formUnion(_ o: Access) {
        paths.formUnion(o.paths)
        env.formUnion(o.env)
        workdir = workdir || o.workdir
        user = user || o.user
        shell = shell || o.shell
    }
}
