import Foundation
import Testing

/// Each way a rule could carry state from one contract to the next (issue 19, cause 4) or
/// depend on the run (cause 5), through `cmrg evaluate`: the rule is stopped with the same
/// message whatever the order of the contracts and the number of workers, or, where it is
/// harmless, gives the same results.
@Suite struct SandboxSealTests {
    static let rows = [
        "C-001,Schools PFI,,,Head of Education,,180000000,,2005-04-01,2031-03-31,,2,3,,,",
        "C-017,Waste Transfer Stations,,,Head of Waste Services,,12000000,,2019-10-01,2027-09-30,,4,3,,,",
        "C-030,Youth Services,,,Head of Youth Services,,400000,,2024-02-01,2027-01-31,,,,,Cllr A. Shah,",
        "C-041,Grounds Maintenance,,,Head of Street Scene,,90000,,2025-04-01,2029-03-31,,1,1,,,2026/27",
    ]

    /// A hostile addition to the default pack, the line and message it is stopped with, and
    /// whether the message names a contract (false: refused while the pack loads).
    struct Hole: Sendable, CustomStringConvertible {
        var name: String
        var rule: String
        var line: Int
        var message: String
        var perContract = true
        var description: String { name }
    }

    static let keep = "local s = score\n"

    static let holes: [Hole] = [
        Hole(name: "upvalue of a metamethod",
             rule: "local seen = {}\nlocal counter = setmetatable({}, {__call = function(self, id) seen[#seen + 1] = id return #seen end})\n"
                + keep + "function score(c) return s(c) + counter(c.id) end\n",
             line: 2, message: "attempt to change '1' of a read-only table"),
        Hole(name: "__index function handed the table behind a view",
             rule: "local memo = setmetatable({}, {__index = function(t, k) rawset(t, k, 1) return 1 end})\n"
                + keep + "function score(c) return s(c) + memo.hits end\n",
             line: 1, message: "attempt to change 'hits' of a read-only table"),
        Hole(name: "table reachable only through a metatable",
             rule: "local obj = setmetatable({}, {__index = {hits = {}}})\n"
                + keep + "function score(c) local h = obj.hits h[#h + 1] = c.id return s(c) + #h end\n",
             line: 3, message: "attempt to change '1' of a read-only table"),
        Hole(name: "table used only as a key",
             rule: "local lookup = {[{n = 0}] = true}\n"
                + keep + "function score(c) for k in pairs(lookup) do k.n = k.n + 1 end return s(c) end\n",
             line: 3, message: "a table with table keys has no fixed order to visit (keep such values in a list and use ipairs)"),
        Hole(name: "gmatch iterator made while loading",
             rule: "local words = (\"a b c d e f\"):gmatch(\"%a\")\n"
                + keep + "function score(c) return s(c) + #(words() or \"\") end\n",
             line: 3,
             message: "'words' holds a gmatch iterator made while loading: it would carry its position from one contract to the next (make the iterator inside the function that uses it)",
             perContract: false),
        Hole(name: "pairs iterator made while loading",
             rule: "local nextw = pairs(settings.weights)\n"
                + keep + "function score(c) return s(c) + (nextw() and 1 or 0) end\n",
             line: 3,
             message: "'nextw' holds a pairs iterator made while loading: it would carry its position from one contract to the next (make the iterator inside the function that uses it)",
             perContract: false),
        Hole(name: "file-level local reassigned by a function",
             rule: keep + "local count = 0\nfunction score(c)\n  count = count + 1\n  return s(c) + count\nend\n",
             line: 4,
             message: "this function assigns 'count', a local it keeps from loading: the value would carry over from one contract to the next (make it local to the function, or a global, which every call starts without)",
             perContract: false),
        Hole(name: "__mode added to a metatable after setmetatable",
             rule: keep + "function score(c)\n  local mt = {}\n  local weak = setmetatable({}, mt)\n  mt.__mode = 'k'\n  return s(c)\nend\n",
             line: 5, message: "'__mode' metamethods are not allowed in rules"),
        Hole(name: "__close added with rawset",
             rule: keep + "function score(c)\n  local mt = {}\n  local t = setmetatable({}, mt)\n  rawset(mt, '__close', print)\n  return s(c)\nend\n",
             line: 5, message: "'__close' metamethods are not allowed in rules"),
        Hole(name: "a chunk that poses as a rule file",
             rule: keep + "function score(c) return s(c) + load('return 1', '@rules/settings.lua')() end\n",
             line: 2, message: "bad argument #2 to 'load' (chunk names that start with '@' or '=' are reserved for rule files)"),
    ]

    /// The register in input order and reversed, each with the contract a failing rule meets first.
    static func registers() throws -> [(path: String, first: String)] {
        let header = EvaluateCommandTests.header
        let dir = try CLI.temporaryDirectory()
        var out: [(String, String)] = []
        for (name, rows) in [("in-order.csv", rows), ("reversed.csv", Array(rows.reversed()))] {
            let file = dir.appendingPathComponent(name)
            try (header + rows.map { $0 + "\n" }.joined()).write(to: file, atomically: true, encoding: .utf8)
            let fields = rows[0].split(separator: ",", omittingEmptySubsequences: false)
            out.append((file.path, "contract \(fields[0]) \"\(fields[1])\""))
        }
        return out
    }

    @Test(arguments: holes)
    func holeIsClosedWhateverTheOrderAndJobs(hole: Hole) throws {
        let pack = try CLI.rulePack(adding: ["zz.lua": hole.rule])
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let registers = try Self.registers()
        defer { try? FileManager.default.removeItem(atPath: (registers[0].path as NSString).deletingLastPathComponent) }
        for (register, first) in registers {
            for jobs in ["1", "2"] {
                let r = try CLI.run(["evaluate", "--rules", pack.path, "--portfolio", register, "--as-of", "2026-11-25",
                                     "--jobs", jobs])
                let context = hole.perContract ? " (\(first), in score)" : ""
                #expect(r.status == 2)
                #expect(r.stderr == "cmrg: \(pack.path)/zz.lua:\(hole.line): \(hole.message)\(context)\n",
                        "\(hole.name), \(register), --jobs \(jobs)")
                #expect(r.stdout.isEmpty)
            }
        }
    }

    /// `next` follows the order of `pairs`: a rule that takes the first key of a table gets the
    /// same one in every run, every order and with every number of workers.
    @Test func nextIsTheSameInEveryRun() throws {
        let pack = try CLI.rulePack(adding: ["zz.lua": Self.keep + """
            function score(c)
              local first = next(settings.weights)
              return s(c) + factor("first key", 100 + #first, first)
            end
            """])
        defer { try? FileManager.default.removeItem(at: pack.deletingLastPathComponent()) }
        let registers = try Self.registers()
        defer { try? FileManager.default.removeItem(atPath: (registers[0].path as NSString).deletingLastPathComponent) }
        var outputs: Set<String> = []
        for (register, _) in registers {
            for jobs in ["1", "2"] {
                let r = try CLI.run(["evaluate", "--rules", pack.path, "--portfolio", register, "--as-of", "2026-11-25",
                                     "--jobs", jobs, "--format", "csv"])
                #expect(r.status == 0, "\(r.stderr)")
                outputs.insert(r.stdout)
            }
        }
        #expect(outputs.count == 1)
        // "audit" is the first key of settings.weights in pairs order: 105 points on every contract
        #expect(outputs.first?.components(separatedBy: "first key 105").count == Self.rows.count + 1)
    }
}
