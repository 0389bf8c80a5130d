import Testing
@testable import DockerlintShell

func outline(_ s: String) -> String {
    let r = ShellParser.parse(s)
    #expect(r.errors.isEmpty, "errors for \(s): \(r.errors)")
    return r.outline
}

@Suite struct QuickParserTests {
    @Test func smoke() {
        let cases = [
            "apt-get update && apt-get install -y curl",
            "a | b |& c; d & e || f",
            "echo \"hello $USER ${HOME:-/root} $(date +%s)\" 'x' \\$y",
            "if [ -f x ]; then echo a; elif true; then :; else echo b; fi",
            "for i in 1 2 3; do echo $i; done",
            "case $x in a|b) echo ab;; *) echo other;; esac",
            "f() { echo hi; }; f",
            "cat <<EOF > /etc/x\nline $A\nEOF\necho done",
            "A=1 B=$(pwd) cmd >out 2>&1 &>log <<<word",
            "( cd /tmp && make ) && `echo hi`",
            "[[ -n $x && $y == z ]] && ((i++))",
            "echo $((1 + 2)) arr=(1 2)",
            "x=(a b c); ! true",
        ]
        for c in cases { print(c.debugDescription, "=>", outline(c)) }
    }
}
