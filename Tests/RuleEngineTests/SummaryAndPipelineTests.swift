import Foundation
import TestSupport
import Testing
import Portfolio
@testable import RuleEngine

/// The lean path (summaries for ranking) decides exactly what the full path decides, the
/// read-only view of a contract stays read-only and private to it when views are reused, and
/// the worker pipeline gives the same results and the same first error whatever --jobs is.
@Suite struct SummaryAndPipelineTests {
    /// A pack whose factors exercise the top-three selection: ties on size broken by name,
    /// negative and zero points, integer and float points, a repeated name, non-ASCII names.
    static let trickyPack: [String: String] = ["a.lua": """
        function tier(c)
          because("looked at " .. c.id)
          if (c.risk or 0) >= 4 then return "Gold" end
          return (c.value_total or 0) > 1000000 and "Silver" or "Bronze"
        end
        function score(c)
          local v = (c.value_total or 0) / 100000
          local total = 0
          total = total + factor("zeta", 5, "five")
          total = total + factor("alpha", -5, "minus five")
          total = total + factor("niño", v, "value")
          total = total + factor("ähnlich", 5.04)
          total = total + factor("nothing", 0, "no points")
          total = total + factor("zeta", (c.risk or 1) * 1.25)
          if c.member_suggested then total = total + factor("Élan", 25, c.member_suggested) end
          return total
        end
        """]

    static func portfolio(count: Int, seed: UInt64 = 3) throws -> String {
        let dir = try Scratch.directory("pipeline")
        let path = dir.appendingPathComponent("portfolio.csv").path
        let writer = try CanonicalCSVWriter(path: path, extraColumns: SyntheticPortfolio.extraColumns)
        try SyntheticPortfolio(seed: seed, asOf: asOf).write(count: count, to: writer)
        try writer.commit()
        return path
    }

    /// "name points, ..." as the outputs show an evaluation's top factors.
    static func topText(_ e: Evaluation) -> String {
        e.topFactors.prefix(3).map { "\($0.name) \(String(points: $0.points))" }.joined(separator: ", ")
    }

    @Test(arguments: [false, true])
    func summariesDecideWhatEvaluationsDecide(defaultRules: Bool) throws {
        let p = defaultRules ? try defaultPack() : try pack(Self.trickyPack)
        let reader = try PortfolioReader.open(path: repoRoot.appendingPathComponent("samples/portfolio.csv").path)
        let contracts = try reader.readAll()
        let full = try RuleEvaluator(pack: p, asOf: asOf, extraColumns: reader.extraColumns)
        let lean = try RuleEvaluator(pack: p, asOf: asOf, extraColumns: reader.extraColumns)
        var summaries = EvaluationSummaries()
        for c in contracts { try lean.summarize(c, into: &summaries) }
        #expect(summaries.count == contracts.count)
        for (i, c) in contracts.enumerated() {
            let e = try full.evaluate(c)
            #expect(summaries.id(i) == e.contractID)
            #expect(summaries.title(i) == e.title)
            #expect(summaries.tier(i) == e.tier)
            #expect(summaries.score(i) == e.score)
            #expect(summaries.topFactors(i) == Self.topText(e), "\(c.id)")
        }
        if !defaultRules {
            // ties on size go by name (alpha before zeta), the zero factor never shows
            #expect(summaries.topFactors(0).contains("alpha -5, zeta 5") || summaries.topFactors(0).hasPrefix("niño"))
            #expect(!(0..<summaries.count).contains { summaries.topFactors($0).contains("nothing") })
        }
    }

    @Test func longNamesAreCutAsTheFullTrailCutsThem() throws {
        let p = try pack(["a.lua": """
            function tier(c) return "Bronze" end
            function score(c) return factor(string.rep("long name ", 10), 3) + factor("short", 2) end
            """])
        let limits = RuleLimits(maxStringBytes: 16)
        let e = try RuleEvaluator(pack: p, asOf: asOf, limits: limits)
        let full = try e.evaluate(contract("N", value: 1))
        var s = EvaluationSummaries()
        try e.summarize(contract("N", value: 1), into: &s)
        #expect(full.factors[0].name.hasPrefix("long name long n") && full.factors[0].name.count < 100)
        #expect(s.topFactors(0) == Self.topText(full))
    }

    @Test func pointsAreWrittenAsStringPointsWritesThem() {
        var values: [Double] = [89.75, 32, -20, 0.04, -0.04, -0.06, 1234567.25, 0.05, -7.95, 0, -0.0, 1e15, -3.25]
        var state: UInt64 = 9
        for _ in 0..<2000 {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            values.append(Double(Int64(bitPattern: state >> 1) % 2_000_000 - 1_000_000) / 1000)
        }
        for value in values {
            var bytes: [UInt8] = []
            PointsFormat.append(value, to: &bytes)
            #expect(String(decoding: bytes, as: UTF8.self) == String(points: value), "\(value)")
        }
    }

    @Test func writesIntoTheViewDoNotReachTheNextContract() throws {
        let p = try pack(["a.lua": """
            function tier(c)
              if c.id == "A" then
                local wrote = pcall(rawset, c, "risk", 5) or pcall(rawset, c.extra, "note", "from A")
                  or pcall(function() c.risk = 5 end) or pcall(function() c.extra.note = "from A" end)
                if wrote then error("a write got through") end
              end
              return "Bronze"
            end
            function score(c)
              local n = 0
              for _ in pairs(c) do n = n + 1 end
              return (c.risk or 0) * 100 + (c.extra.note and 10 or 0) + n
            end
            """])
        let e = try RuleEvaluator(pack: p, asOf: asOf, extraColumns: ["note"])
        var a = contract("A", value: 1)
        a.extras = [nil]
        var b = contract("B", value: 1)
        b.extras = [nil]
        // Every write is refused (pairs lists id, title, value_total, extra) ...
        #expect(try e.evaluate(a).score == 4)
        // ... and B, evaluated next on the same state with the same view, sees nothing of A's tries.
        #expect(try e.evaluate(b).score == 4)
        var summaries = EvaluationSummaries()
        try e.summarize(a, into: &summaries)
        try e.summarize(b, into: &summaries)
        #expect(summaries.score(0) == 4 && summaries.score(1) == 4)
    }

    @Test func pairsListsTheFieldsOfTheContractBeingEvaluated() throws {
        let p = try pack(["a.lua": """
            function tier(c) return "Bronze" end
            function score(c)
              local keys = {}
              for k in pairs(c) do keys[#keys + 1] = k end
              for k in pairs(c) do keys[#keys + 1] = k end -- twice: an order kept from the first must be this contract's
              factor(table.concat(keys, " "), 1)
              return #keys
            end
            """])
        let e = try RuleEvaluator(pack: p, asOf: asOf)
        let a = contract("A", value: 1, risk: 3)
        let b = Contract(id: "B", title: "Only a supplier", supplier: "Acme")
        #expect(try e.evaluate(a).factors[0].name == "extra id risk title value_total extra id risk title value_total")
        #expect(try e.evaluate(b).factors[0].name == "extra id supplier title extra id supplier title")
        var s = EvaluationSummaries()
        try e.summarize(a, into: &s)
        try e.summarize(b, into: &s)
        #expect(s.topFactors(1) == "extra id supplier title extra id supplier title 1")
    }

    @Test func viewStaysReadOnlyFromContractToContract() throws {
        let p = try pack(["a.lua": """
            function tier(c) return "Bronze" end
            function score(c)
              if c.id == "B" then c.extra.note = "x" end
              if c.id == "C" then c.value_total = 0 end
              return 1
            end
            """])
        let e = try RuleEvaluator(pack: p, asOf: asOf, extraColumns: ["note"])
        var contracts = ["A", "B", "C"].map { contract($0, value: 1) }
        for i in contracts.indices { contracts[i].extras = ["n"] }
        #expect(try e.evaluate(contracts[0]).score == 1)
        for c in contracts[1...] {
            #expect {
                var summaries = EvaluationSummaries()
                try e.summarize(c, into: &summaries)
            } throws: { error in
                let f = error as! RuleError
                return f.kind == .runtime && f.message.contains("read-only") && f.contractID == c.id
            }
        }
    }

    @Test func badFactorAndBecauseArgumentsAreRuleErrorsOnBothPaths() throws {
        let cases: [(String, String)] = [
            ("factor(1, 2)", "factor(name, points, text): name must be a string"),
            ("factor('x', 0/0)", "factor('x', points, text): points must be a finite number, got number"),
            ("factor('x', 'many')", "factor('x', points, text): points must be a finite number, got string"),
            ("factor('x')", "factor(name, points, text): name must be a string"), // as before: too few arguments
            ("because()", "because(text): text is missing"),
            ("because(nil)", "because(text): text is missing"),
        ]
        for (call, message) in cases {
            let p = try pack(["a.lua": "function tier(c) return 'Gold' end\nfunction score(c)\n  \(call)\n  return 1\nend\n"])
            let e = try RuleEvaluator(pack: p, asOf: asOf)
            func check(_ error: any Error) -> Bool {
                let f = error as! RuleError
                return f.kind == .runtime && f.message == message && f.location?.line == 3
                    && f.location?.file.hasSuffix("a.lua") == true && f.entryPoint == .score && f.contractID == "C-1"
            }
            #expect(performing: { _ = try e.evaluate(contract("C-1", value: 1)) }, throws: check)
            #expect(performing: {
                var s = EvaluationSummaries()
                try e.summarize(contract("C-1", value: 1), into: &s)
            }, throws: check)
        }
    }

    @Test func factorsAndReasonsKeepTheirRuleLines() throws {
        let e = try RuleEvaluator(pack: try pack(Self.trickyPack), asOf: asOf)
        let r = try e.evaluate(contract("L", value: 2_000_000, member: "Cllr K. Evans"))
        #expect(r.reasons.map(\.text) == ["looked at L"])
        #expect(r.reasons[0].location?.line == 2 && r.reasons[0].entryPoint == .tier)
        #expect(r.factors.map(\.name) == ["zeta", "alpha", "niño", "ähnlich", "nothing", "zeta", "Élan"])
        #expect(r.factors.map { $0.location?.line ?? 0 } == [9, 10, 11, 12, 13, 14, 15])
        #expect(r.factors.allSatisfy { $0.entryPoint == .score })
        #expect(r.factors[3].text == "" && r.factors[6].text == "Cllr K. Evans")
    }

    @Test func pipelineGivesTheSameResultsWhateverTheJobs() throws {
        let path = try Self.portfolio(count: 5000)
        let p = try defaultPack()
        func full(_ jobs: Int) throws -> EvaluatedPortfolio {
            try PreparedPack(p, asOf: asOf).evaluateAll(try PortfolioReader.open(path: path), jobs: jobs,
                                            keepContracts: true, batchSize: 1500)
        }
        func lean(_ jobs: Int) throws -> PortfolioSummary {
            try PreparedPack(p, asOf: asOf).summarize(try PortfolioReader.open(path: path), jobs: jobs, batchSize: 1500)
        }
        let one = try full(1), three = try full(3)
        #expect(one.evaluations.count == 5000)
        #expect(one.evaluations == three.evaluations)
        #expect(three.contracts.map(\.id) == one.evaluations.map(\.contractID))
        let leanOne = try lean(1), leanThree = try lean(3)
        #expect(leanOne.count == 5000 && leanThree.count == 5000)
        func flat(_ s: PortfolioSummary) -> [String] {
            s.chunks.flatMap { c in (0..<c.count).map { "\(c.id($0))|\(c.tier($0))|\(c.score($0))|\(c.topFactors($0))" } }
        }
        #expect(flat(leanOne) == flat(leanThree))
        #expect(flat(leanOne) == one.evaluations.map { "\($0.contractID)|\($0.tier)|\($0.score)|\(Self.topText($0))" })
    }

    @Test func firstRuleErrorInInputOrderWinsWhateverTheJobs() throws {
        let path = try Self.portfolio(count: 4000)
        let ids = try PortfolioReader.open(path: path).readAll().map(\.id)
        // Contracts 3100 and 900 fail; 900 comes first in the file, whichever worker gets it.
        let p = try pack(["a.lua": """
            function tier(c) return "Bronze" end
            function score(c)
              if c.id == "\(ids[3100])" or c.id == "\(ids[900])" then error("bad contract") end
              return 1
            end
            """])
        for jobs in [1, 2, 4] {
            #expect {
                _ = try PreparedPack(p, asOf: asOf).summarize(try PortfolioReader.open(path: path), jobs: jobs)
            } throws: { error in
                (error as? RuleError)?.contractID == ids[900]
            }
        }
    }

    @Test func ruleErrorBeforeADataErrorWinsWhateverTheJobs() throws {
        let path = try Self.portfolio(count: 3000)
        var lines = try String(contentsOfFile: path, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines[2500] = "broken,row" // a data error far after the rule error
        try lines.joined(separator: "\n").write(toFile: path, atomically: true, encoding: .utf8)
        let first = try PortfolioReader.open(path: path).nextBatch(max: 1)[0].id
        let p = try pack(["a.lua": """
            function tier(c) return "Bronze" end
            function score(c) if c.id == "\(first)" then error("bad contract") end return 1 end
            """])
        for jobs in [1, 2] {
            #expect {
                _ = try PreparedPack(p, asOf: asOf).summarize(try PortfolioReader.open(path: path), jobs: jobs, batchSize: 500)
            } throws: { error in
                (error as? RuleError)?.contractID == first
            }
        }
        // Without the rule error, the data error is what stops the run.
        #expect(throws: PortfolioError.self) {
            _ = try PreparedPack(try defaultPack(), asOf: asOf).summarize(try PortfolioReader.open(path: path),
                                              jobs: 2, batchSize: 500)
        }
    }
}
