import DockerlintSupport

// The line table and positions are DockerlintSupport's (one owner for the parser, the rules,
// the reporters and ignore files); these names keep them at hand for everything that reads
// Dockerfiles through this module.
public typealias SourceText = DockerlintSupport.SourceText
public typealias SourcePosition = DockerlintSupport.SourcePosition
public typealias SourceRange = DockerlintSupport.SourceRange
