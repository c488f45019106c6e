import Testing
import Foundation

@Suite struct CheckCommandTests {
    @Test func defaultPackLoads() throws {
        let r = try CLI.run(["check"])
        #expect(r.status == 0)
        #expect(r.stdout == "rules: 4 rule files loaded; tier(c), score(c) and flags(c) defined; no problems found\n")
    }

    @Test func syntaxErrorNamesFileAndLine() throws {
        let rules = try CLI.rulePack(editing: ["tiering.lua": { $0.replacingOccurrences(of: "return \"Silver\"\n", with: "return \"Silver\" +\n") }])
        let r = try CLI.run(["check", "--rules", rules.path])
        #expect(r.status == 2)
        #expect(r.stderr.hasPrefix("cmrg: \(rules.path)/tiering.lua:"))
        #expect(r.stderr.contains("unexpected symbol") || r.stderr.contains("expected"))
    }

    @Test func missingScoreIsARuleError() throws {
        let rules = try CLI.rulePack()
        try FileManager.default.removeItem(at: rules.appendingPathComponent("priority.lua"))
        let r = try CLI.run(["check", "--rules", rules.path])
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: the rule pack in '\(rules.path)' does not define a function score(c)\n")
    }

    @Test func forbiddenCallAtLoadIsARuleError() throws {
        let rules = try CLI.rulePack(adding: ["zz-evil.lua": "os.execute('touch /tmp/cmrg-pwned')\n"])
        let r = try CLI.run(["check", "--rules", rules.path])
        #expect(r.status == 2)
        #expect(r.stderr == "cmrg: \(rules.path)/zz-evil.lua:1: attempt to index a nil value (global 'os')\n")
        #expect(!FileManager.default.fileExists(atPath: "/tmp/cmrg-pwned"))
    }

    @Test func missingDirectoryIsAnIOError() throws {
        let r = try CLI.run(["check", "--rules", "/nonexistent/rules"])
        #expect(r.status == 4)
        #expect(r.stderr == "cmrg: rule pack directory '/nonexistent/rules' does not exist\n")
    }

    @Test func unknownOptionIsAUsageError() throws {
        let r = try CLI.run(["check", "--bogus"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("Unknown option '--bogus'"))
    }
}
