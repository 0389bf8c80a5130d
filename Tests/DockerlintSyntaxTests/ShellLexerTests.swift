import Testing
@testable import DockerlintSyntax
