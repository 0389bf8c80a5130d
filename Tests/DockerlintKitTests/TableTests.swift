@testable import DockerlintKit
import Testing

@Suite struct TableTests {
    @Test func terminalColumnsPadToTheirWidthAndNeverCut() {
        var t = Table([.right("LINE", 4), .left("STATUS", 7, gap: "  "), .right("EST", 6), .left("REASON", gap: "  ")])
        t.add(["7", "miss", "12 s", "COPY source changed"], styles: [1: "33"])
        t.add(["12", "hit", "-", ""])
        t.add(["123456", "not-built", "-", "x"])
        #expect(t.text() == """
            LINE  STATUS    EST  REASON
               7  miss     12 s  COPY source changed
              12  hit         -  \n123456  not-built     -  x

            """)
        // Colour wraps the padded cell of the styled column only, and never the header.
        #expect(t.text(color: true).split(separator: "\n")[1] == "   7  \u{1B}[33mmiss   \u{1B}[0m  12 s  COPY source changed")
        #expect(!t.text(color: true).split(separator: "\n")[0].contains("\u{1B}"))
    }

    @Test func rowsWithFewerCellsEndWithTheirTrailingText() {
        var t = Table([.left("COMMIT", 8), .right("RE-RUN", 7)])
        t.add(["abc"], trailing: "  error: no Dockerfile")
        #expect(t.text(header: false, indent: "> ") == "> abc       error: no Dockerfile\n")
    }

    @Test func markdownHasTheAlignmentRowAndSingleSpacedEmptyCells() {
        var t = Table([.left(""), .right("now"), .center("1"), .left("why")])
        t.add(["a", "2", "■", "x \\| y"])
        #expect(t.markdown() == """
            | | now | 1 | why |
            |---|---:|:-:|---|
            | a | 2 | ■ | x \\| y |

            """)
    }

    @Test func clipKeepsShortTextAndEndsLongTextWithAnEllipsis() {
        #expect(Table.clip("abcdef", 6) == "abcdef")
        #expect(Table.clip("abcdefg", 6) == "abcde…")
    }
}
