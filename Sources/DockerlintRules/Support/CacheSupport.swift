// Shared knowledge of the cache rules (DC): what a COPY writes, which files change often,
// and text edits that move whole instructions while keeping every untouched byte
// (comments, line endings, formatting) as it was.

import DockerlintAnalysis
import DockerlintCore
import DockerlintModel
import DockerlintShell
import DockerlintSupport
import DockerlintSyntax
import Foundation

// MARK: - Paths

/// Image paths: one owner, the analysis module.
typealias CachePaths = ImagePath

// MARK: - Knowledge of the cache rules

enum CacheKnowledge {
    /// Extensions of files that are source code or content (edited often).
    static let sourceExtensions: Set<String> = [
        "py", "js", "mjs", "cjs", "ts", "tsx", "jsx", "go", "rs", "java", "kt", "scala", "rb", "php", "c", "h", "cc", "cpp",
        "hpp", "cs", "fs", "swift", "ex", "exs", "erl", "clj", "html", "css", "scss", "vue", "svelte", "sh", "pl", "lua", "r",
        "sql", "md", "ipynb", "dart", "zig", "hs", "ml", "elm",
    ]
}

// MARK: - What a COPY writes

/// A COPY or ADD from the build context, with where its files land.
final class CopyWrite {
    let instruction: ModelInstruction
    var copy: CopyCommand
    /// Sources as the builder sees them (variables expanded).
    var sources: [String]
    /// Absolute destination (no trailing slash).
    var destination: String
    /// True when the destination is a directory (trailing slash, `.`, several sources, a directory source).
    var destinationIsDirectory: Bool
    /// Absolute paths written: directories for directory sources.
    var written: [String]
    /// Sources that are directories or globs (whole trees).
    var treeSources: [String]
    /// The context-relative source of each written path (for directory sources, the directory).
    var writtenSources: [String]

    init(instruction: ModelInstruction, copy: CopyCommand, sources: [String], destination: String, destinationIsDirectory: Bool,
         written: [String], treeSources: [String], writtenSources: [String]) {
        self.instruction = instruction; self.copy = copy; self.sources = sources; self.destination = destination
        self.destinationIsDirectory = destinationIsDirectory; self.written = written; self.treeSources = treeSources
        self.writtenSources = writtenSources
    }

    /// `of(_:files:)` for the file's context, computed once per instruction.
    static func of(_ mi: ModelInstruction, _ context: LintContext) -> CopyWrite? {
        let analysis = context.analysis
        let key = mi.syntax.range.start.offset
        if let cached = analysis.copyWrites[key] { return cached }
        let made = of(mi, files: context.buildContext?.files)
        analysis.copyWrites[key] = .some(made)
        return made
    }

    /// A COPY/ADD from the context (no `--from`, no URL, no git, no heredoc); nil otherwise.
    static func of(_ mi: ModelInstruction, files: ProjectFiles?) -> CopyWrite? {
        guard let cmd = mi.typed?.command else { return nil }
        let copy: CopyCommand
        switch cmd {
        case .copy(let c): copy = c
        case .add(let c): copy = c
        default: return nil
        }
        guard copy.from == nil, copy.inlineSources.isEmpty, !copy.sources.isEmpty else { return nil }
        let srcs = mi.resolved?.sources ?? copy.sources.map(\.value)
        if srcs.contains(where: { $0.containsBytes("://") || $0.hasPrefix("git@") }) { return nil }
        let destRaw = mi.resolved?.destination ?? copy.destination.value
        let wd = mi.workingDirectory.isEmpty ? "/" : mi.workingDirectory
        let dest = CachePaths.absolute(destRaw, workdir: wd)
        func isTree(_ s: String) -> Bool {
            if s == "." || s == "./" || s.hasSuffix("/") || s.containsBytes("*") || s.containsBytes("?") || s.containsBytes("[") { return true }
            if let isDir = files?.isDirectory(s) { return isDir }
            return !CachePaths.basename(s).containsBytes(".")
        }
        let trees = srcs.filter(isTree)
        let destDir = destRaw.hasSuffix("/") || destRaw == "." || destRaw == "./" || srcs.count > 1 || !trees.isEmpty
        var written: [String] = []
        var writtenSources: [String] = []
        for s in srcs {
            if isTree(s) { written.append(dest) }
            else if destDir { written.append(dest == "/" ? "/" + CachePaths.basename(s) : dest + "/" + CachePaths.basename(s)) }
            else { written.append(dest) }
            writtenSources.append(s)
        }
        return CopyWrite(instruction: mi, copy: copy, sources: srcs, destination: dest, destinationIsDirectory: destDir,
                         written: written, treeSources: trees, writtenSources: writtenSources)
    }

    /// True when the copy brings the whole context or a directory tree (edited often).
    var copiesTree: Bool { !treeSources.isEmpty }

    /// True when the copied files are likely edited often: trees and source-code files.
    var changesOften: Bool {
        if copiesTree { return true }
        return sources.contains { s in
            let b = CachePaths.basename(s)
            guard let dot = b.lastIndex(of: ".") else { return false }
            return CacheKnowledge.sourceExtensions.contains(String(b[b.index(after: dot)...]).lowercased())
        }
    }

    /// The context path a file at absolute `path` comes from, when this copy writes it.
    func contextPath(of path: String) -> String? {
        for (w, s) in zip(written, writtenSources) {
            let tree = treeSources.contains(s)
            if tree, !s.contains("*"), !s.contains("?"), CachePaths.within(path, w) {
                let rest = path == w ? "" : String(path.dropFirst(w == "/" ? 1 : w.count + 1))
                var base = s
                while base.hasSuffix("/") { base.removeLast() }
                if base == "." || base.isEmpty { return rest }
                return rest.isEmpty ? base : base + "/" + rest
            }
            if !tree, path == w { return s }
        }
        return nil
    }
}

// MARK: - Editing whole instructions

public struct InstructionLines: Sendable, Equatable {
    /// First and last line (1-based) of the instruction, comment lines directly above included.
    public var first: Int
    public var last: Int

    /// The lines of `i` (heredoc bodies included) and the comments right above it.
    public static func of(_ i: Instruction, _ file: Dockerfile, withComments: Bool = true) -> InstructionLines {
        let src = file.source
        var last = i.range.end.line
        if last > i.startLine, i.range.end.offset == src.lineStarts[last - 1] { last -= 1 }
        for h in i.heredocs { last = max(last, h.terminatorRange.end.line) }
        var first = i.startLine
        if withComments {
            while first > 1 {
                let t = src.lineText(first - 1).trimmingCharacters(in: .whitespaces)
                guard t.hasPrefix("#"), !isDirectiveLine(first - 1, file) else { break }
                first -= 1
            }
        }
        return InstructionLines(first: first, last: last)
    }

    static func isDirectiveLine(_ line: Int, _ file: Dockerfile) -> Bool {
        file.directives.contains { $0.range.start.line == line }
    }
}

enum LineEdits {
    /// Offset where line `line` starts (the end of the file after the last line).
    static func start(of line: Int, _ src: SourceText) -> Int {
        line <= src.lineCount ? src.lineStarts[line - 1] : src.bytes.count
    }

    /// The line ending the file uses (`\r\n` when its first line ends so).
    static func newline(_ src: SourceText) -> String {
        if let i = src.bytes.firstIndex(of: 0x0A), i > 0, src.bytes[i - 1] == 0x0D { return "\r\n" }
        return "\n"
    }

    /// The text of lines `first...last` with their line ending (one is added when the last
    /// line of the file has none).
    static func text(_ first: Int, _ last: Int, _ src: SourceText) -> String {
        let s = start(of: first, src)
        let e = start(of: last + 1, src)
        var t = src.text(s, e)
        if last >= src.lineCount, !t.hasSuffix("\n") { t += newline(src) }
        return t
    }

    /// Deletes lines `first...last` entirely.
    static func delete(_ first: Int, _ last: Int, _ src: SourceText) -> TextEdit {
        let s = start(of: first, src), e = start(of: last + 1, src)
        if last >= src.lineCount, s > 0, !src.text(s, e).hasSuffix("\n") {
            // The last line has no line ending: remove the one before it instead.
            var b = s
            if b > 0, src.bytes[b - 1] == 0x0A { b -= 1 }
            if b > 0, src.bytes[b - 1] == 0x0D { b -= 1 }
            return TextEdit(range: src.range(b, e), replacement: "")
        }
        return TextEdit(range: src.range(s, e), replacement: "")
    }

    /// Inserts `text` (whole lines, each ending with a line break) after line `line`.
    static func insert(_ text: String, after line: Int, _ src: SourceText) -> TextEdit {
        let at = start(of: line + 1, src)
        if line >= src.lineCount, at > 0, src.bytes[at - 1] != 0x0A {
            // After a last line with no line ending: add one first, drop the final one.
            let nl = newline(src)
            var t = text
            if t.hasSuffix(nl) { t.removeLast(nl.count) } else if t.hasSuffix("\n") { t.removeLast() }
            return TextEdit(range: src.range(at, at), replacement: nl + t)
        }
        return TextEdit(range: src.range(at, at), replacement: text)
    }

    /// Moves lines `first...last` to after line `after` (which is after `last`).
    static func move(_ first: Int, _ last: Int, after: Int, _ src: SourceText) -> [TextEdit] {
        [delete(first, last, src), insert(text(first, last, src), after: after, src)]
    }
}

extension ModelInstruction {
    /// The instruction as written on one line, shortened, for messages: `RUN pip install flask`.
    var shortText: String {
        let t = syntax.original.firstLineWithoutCarriageReturns
        // ASCII (a byte is a character; `.whitespaces` there are space and tab): the same
        // words, trimming and cut on bytes.
        if t.utf8.allSatisfy({ $0 < 0x80 }) {
            var out: [UInt8] = []
            out.reserveCapacity(t.utf8.count)
            for word in t.utf8.split(separator: 0x20) {
                if !out.isEmpty { out.append(0x20) }
                out.append(contentsOf: word)
            }
            if out.last == UInt8(ascii: "\\") {
                out.removeLast()
                var s = 0, e = out.count
                while s < e, out[s] == 0x20 || out[s] == 0x09 { s += 1 }
                while e > s, out[e - 1] == 0x20 || out[e - 1] == 0x09 { e -= 1 }
                out = Array(out[s..<e]) + Array(" ...".utf8)
            }
            if out.count > 60 { out = Array(out.prefix(57)) + Array("...".utf8) }
            return String(decoding: out, as: UTF8.self)
        }
        return characterShortText
    }

    /// `shortText` on characters (any text).
    var characterShortText: String {
        var t = syntax.original.firstLineWithoutCarriageReturns
        if t.isPlainASCII { return OneLine.shortened(t, limit: 60) }
        t = t.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
        if t.hasSuffix("\\") { t = String(t.dropLast()).trimmingCharacters(in: .whitespaces) + " ..." }
        return t.count > 60 ? String(t.prefix(57)) + "..." : t
    }

    /// The range of the keyword: where cache findings point.
    var keywordRange: SourceRange { syntax.keywordRange }
}

/// The instructions of a stage in order, with their model (stage index given).
extension LintContext {
    func stageInstructions(_ i: ModelInstruction) -> [ModelInstruction] {
        guard let s = stage(of: i) else { return [] }
        return s.instructions
    }

    /// True when the file uses BuildKit-only syntax (a `# syntax` directive or any `--mount`).
    var usesBuildKit: Bool {
        if dockerfile.directive("syntax") != nil { return true }
        return model.stages.contains { s in s.instructions.contains { i in i.syntax.flags.contains { $0.name == "mount" } } }
    }
}

/// The message tail cache findings carry: which step re-runs and why; the history evidence
/// (`CacheEvidence`) replaces `{evidence}` when it can.
enum CacheMessage {
    static func step(_ mi: ModelInstruction) -> String { "`\(mi.shortText)` (line \(mi.syntax.startLine))" }
}
