import Foundation
import TestSupport
import Testing
import Portfolio
@testable import RuleEngine

/// The dry run of a rule change, through the RuleEngine API on hand-made packs.
@Suite struct PackDiffTests {
    /// Eight contracts around the Gold value threshold (default pack: £10m).
    static let contracts: [Contract] = [
        contract("A", value: 180_000_000, risk: 2, complexity: 3), // Gold on value alone
        contract("B", value: 12_000_000, risk: 4, complexity: 3),  // Gold: high value and risk
        contract("C", value: 8_000_000, risk: 4, complexity: 2),   // Silver (high risk) -> Gold at £5m
        contract("D", value: 6_000_000, risk: 2, complexity: 5),   // Silver (high complexity) -> Gold
        contract("E", value: 7_000_000, risk: 2, complexity: 2),   // Bronze -> Silver (high value)
        contract("F", value: 400_000),                             // Silver: medium risk and complexity
        contract("G", value: 90_000, risk: 1, complexity: 1),      // Bronze
        contract("H", value: 3_000_000, risk: 1, complexity: 1),   // Bronze (medium value only)
    ]

    static func editedDefaultPack(_ edit: (String) -> String) throws -> RulePack {
        let base = try defaultPack()
        var files: [String: String] = [:]
        for file in base.files { files[RuleChanges.fileName(file.path)] = file.text }
        let edited = edit(files["settings.lua"]!)
        try #require(edited != files["settings.lua"]!, "the edit must change settings.lua")
        files["settings.lua"] = edited
        return try pack(files)
    }

    static func diff(_ new: RulePack, top: Int = 3, batches: Int = 1) throws -> PackDiff {
        let base = try PreparedPack(try defaultPack(), asOf: asOf), after = try PreparedPack(new, asOf: asOf)
        var differ = PackDiffer()
        try PreparedPack.evaluate(ContractList(contracts), base: base, new: after, jobs: 1,
                                  batchSize: (contracts.count + batches - 1) / batches, into: &differ)
        return differ.finish(top: top, movementLimit: 5, ruleChanges: RuleChanges(base: base, new: after))
    }

    @Test func loweringTheGoldThresholdMovesExactlyTheContractsBetweenTheOldAndNewValue() throws {
        let new = try Self.editedDefaultPack { $0.replacingOccurrences(of: "gold_value   = 10000000", with: "gold_value   =  5000000") }
        let d = try Self.diff(new, batches: 3)
        #expect(d.contractCount == 8)
        #expect(d.count(from: .gold, to: .gold) == 2)
        #expect(d.count(from: .silver, to: .gold) == 2)
        #expect(d.count(from: .silver, to: .silver) == 1)
        #expect(d.count(from: .bronze, to: .silver) == 1)
        #expect(d.count(from: .bronze, to: .bronze) == 2)
        #expect(d.transitions.flatMap { $0 }.reduce(0, +) == 8)
        #expect(d.tierChanges.map(\.id).sorted() == ["C", "D", "E"])
        let c = try #require(d.tierChanges.first { $0.id == "C" })
        #expect(c.reasonsBefore.map(\.text) == ["Silver: high risk"])
        #expect(c.reasonsAfter.map(\.text) == ["Gold: high value and risk"])
        #expect(c.reasonsAfter.first?.location?.file == "\(new.directory)/tiering.lua")
        #expect(d.scoreChangeCount == 0 && d.rankChangeCount == 0 && d.movements.isEmpty)
        #expect(d.decisionsChanged)
        #expect(d.ruleChanges == RuleChanges(
            files: [.init(name: "settings.lua", status: .changed)],
            settings: [.init(path: "settings.tier.gold_value", before: "10000000", after: "5000000")]))
    }

    @Test func aWeightChangeMovesRanksAndNamesTheFactor() throws {
        let new = try Self.editedDefaultPack { $0.replacingOccurrences(of: "complexity = 5,   --", with: "complexity = 15,  --") }
        let d = try Self.diff(new, top: 3)
        #expect(d.tierChanges.isEmpty)
        // Complexity points go from 5 to 15 per level above 1: G and H (complexity 1) keep
        // their scores; D (complexity 5) gains 40 and goes from 4th to 1st.
        #expect(d.scoreChangeCount == 6)
        #expect(d.movements.map(\.id) == ["D", "C", "B", "A", "F"])
        let top = try #require(d.movements.first)
        #expect(top.before.rank == 4 && top.after.rank == 1 && top.rankDelta == 3)
        #expect(top.factorChanges == [.init(name: "complexity", before: 20, after: 60)])
        #expect(abs(top.scoreDelta - 40) < 1e-9)
        #expect(d.entering.map(\.id) == ["D"])
        #expect(d.leaving.map(\.id) == ["C"])
        #expect(d.rankChangeCount == 3)
        #expect(d.decisionsChanged)
    }

    @Test func identicalPacksChangeNothing() throws {
        let d = try Self.diff(try defaultPack())
        #expect(!d.decisionsChanged)
        #expect(d.tierChanges.isEmpty && d.movements.isEmpty && d.entering.isEmpty && d.leaving.isEmpty)
        #expect(d.ruleChanges == RuleChanges(files: [], settings: []))
        #expect(d.count(from: .gold, to: .gold) + d.count(from: .silver, to: .silver) + d.count(from: .bronze, to: .bronze) == 8)
    }

    @Test func aBrokenNewPackFailsWithItsOwnFileAndLine() throws {
        let base = try defaultPack()
        var files: [String: String] = [:]
        for file in base.files { files[RuleChanges.fileName(file.path)] = file.text }
        files["tiering.lua"] = files["tiering.lua"]!.replacingOccurrences(of: "  local t = settings.tier\n", with: "  local t = settings.teir\n")
        let new = try pack(files)
        var differ = PackDiffer()
        #expect {
            try PreparedPack.evaluate(ContractList(Self.contracts), base: try PreparedPack(base, asOf: asOf),
                                      new: try PreparedPack(new, asOf: asOf), jobs: 1, into: &differ)
        } throws: { error in
            (error as! RuleError).description
                == "\(new.directory)/tiering.lua:14: settings.teir does not exist (did you mean tier?) (contract A \"Contract A\", in tier)"
        }
    }
}

/// `--base git:REV`: the rules directory as committed, read with git.
@Suite struct GitRulePackTests {
    static func repository() throws -> URL {
        let dir = try Scratch.directory("git")
        try FileManager.default.copyItem(at: repoRoot.appendingPathComponent("rules"), to: dir.appendingPathComponent("rules"))
        try git(["init", "-q"], in: dir)
        try git(["add", "rules"], in: dir)
        try git(["-c", "user.name=Test", "-c", "user.email=test@example.org", "commit", "-qm", "adopted rules"], in: dir)
        return dir
    }

    static func git(_ arguments: [String], in dir: URL) throws {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["git", "-C", dir.path] + arguments
        try p.run()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0)
    }

    @Test func readsTheCommittedFilesNotTheWorkingCopy() throws {
        let repo = try Self.repository()
        let settings = repo.appendingPathComponent("rules/settings.lua")
        let edited = try String(contentsOf: settings, encoding: .utf8).replacingOccurrences(of: "gold_value   = 10000000", with: "gold_value   =  5000000")
        try edited.write(to: settings, atomically: true, encoding: .utf8)
        let committed = try RulePack.load(gitRevision: "HEAD", directory: repo.appendingPathComponent("rules").path)
        let working = try RulePack.load(directory: repo.appendingPathComponent("rules").path)
        #expect(committed.directory == "HEAD:rules")
        #expect(committed.files.map(\.path) == ["HEAD:rules/flags.lua", "HEAD:rules/priority.lua", "HEAD:rules/settings.lua", "HEAD:rules/tiering.lua"])
        #expect(committed.files.map(\.text) == (try defaultPack()).files.map(\.text))
        #expect(RuleChanges(base: try PreparedPack(committed, asOf: asOf), new: try PreparedPack(working, asOf: asOf)).settings
            == [.init(path: "settings.tier.gold_value", before: "10000000", after: "5000000")])
    }

    @Test func unknownRevisionAndNoRepositoryAreNamed() throws {
        let repo = try Self.repository()
        let rules = repo.appendingPathComponent("rules").path
        #expect {
            _ = try RulePack.load(gitRevision: "no-such-branch", directory: rules)
        } throws: { error in
            (error as! GitPackError).description == "--base git:no-such-branch: unknown git revision 'no-such-branch' in \(repo.resolvingSymlinksInPath().path)"
        }
        let elsewhere = try Scratch.directory("nogit")
        #expect {
            _ = try RulePack.load(gitRevision: "HEAD", directory: elsewhere.path)
        } throws: { error in
            (error as! GitPackError).description == "--base git:HEAD: '\(elsewhere.path)' is not inside a git repository"
        }
    }
}
