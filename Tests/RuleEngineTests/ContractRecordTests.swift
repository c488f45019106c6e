import Foundation
import Testing
import Portfolio
@testable import RuleEngine

/// The record `c` the rules see is the contract schema (`CanonicalField`): every field, in its
/// kind's Lua type, under its column name; and the editor definitions in `rules/cmrg.d.lua`
/// describe exactly that record.
@Suite struct ContractRecordTests {
    /// How each kind reaches the rules: the LuaLS type in cmrg.d.lua, and `math.type(v) or
    /// type(v)` as a rule sees it.
    static func luaType(_ kind: FieldKind) -> (annotation: String, seen: String) {
        switch kind {
        case .text, .date: ("string", "string")
        case .money: ("number", "float")
        case .level: ("integer", "integer")
        }
    }

    /// A pack whose tier rule reports every schema field as `name=type:value`.
    static func reportingPack() throws -> RulePack {
        let names = CanonicalField.columns.map { "\"\($0)\"" }.joined(separator: ", ")
        let rules = """
            local fields = { \(names) }
            function tier(c)
              for _, name in ipairs(fields) do
                local v = c[name]
                because(name .. "=" .. (math.type(v) or type(v)) .. ":" .. tostring(v))
              end
              return "Bronze"
            end
            function score(c) return 0 end
            """
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("cmrg-record-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try rules.write(to: dir.appendingPathComponent("rules.lua"), atomically: true, encoding: .utf8)
        return try RulePack.load(directory: dir.path)
    }

    /// What the rules saw, by field name.
    static func seen(_ contract: Contract) throws -> [String: String] {
        let evaluator = try RuleEvaluator(pack: try reportingPack(), asOf: asOf)
        let reasons = try evaluator.evaluate(contract).reasons.map(\.text)
        #expect(reasons.count == CanonicalField.all.count)
        return Dictionary(uniqueKeysWithValues: reasons.map { reason in
            let parts = reason.split(separator: "=", maxSplits: 1).map(String.init)
            return (parts[0], parts[1])
        })
    }

    /// Every field set to a value no other field has, so a field put into the wrong slot of
    /// the record shows up under the wrong name.
    @Test func ruleSeesEveryFieldUnderItsNameWithItsType() throws {
        let contract = Contract(
            id: "C-017", title: "Waste PFI", supplier: "Shire Waste Ltd", directorate: "Environment",
            leadOfficer: "Head of Waste Services", category: "Waste", valueTotal: 180_000_000.5, valueAnnual: 7_200_000.25,
            startDate: ContractDate(iso: "2006-04-01"), endDate: ContractDate(iso: "2031-03-31"),
            maxEndDate: ContractDate(iso: "2036-03-31"), risk: 4, complexity: 5, strategicImportance: 3,
            memberSuggested: "Cllr A. Shah", auditPlanned: "2026/27",
            memberSuggestedOn: ContractDate(iso: "2026-10-06"), noticeStage: "contract", reviewGroup: "Waste contracts")
        let expected = [
            "id": "string:C-017", "title": "string:Waste PFI", "supplier": "string:Shire Waste Ltd",
            "directorate": "string:Environment", "lead_officer": "string:Head of Waste Services", "category": "string:Waste",
            "value_total": "float:180000000.5", "value_annual": "float:7200000.25",
            "start_date": "string:2006-04-01", "end_date": "string:2031-03-31", "max_end_date": "string:2036-03-31",
            "risk": "integer:4", "complexity": "integer:5", "strategic_importance": "integer:3",
            "member_suggested": "string:Cllr A. Shah", "audit_planned": "string:2026/27", "member_suggested_on": "string:2026-10-06", "notice_stage": "string:contract",
            "review_group": "string:Waste contracts",
        ]
        // This list is written out by hand on purpose: a new schema field must be added here.
        #expect(Set(expected.keys) == Set(CanonicalField.columns))
        let seen = try Self.seen(contract)
        #expect(seen == expected)
        for field in CanonicalField.all {
            #expect(seen[field.column]?.hasPrefix(Self.luaType(field.kind).seen + ":") == true, "\(field.column)")
        }
    }

    @Test func unknownFieldsAreNil() throws {
        let seen = try Self.seen(Contract(id: "C-1", title: "Only the required fields"))
        for field in CanonicalField.all where !field.isRequired {
            #expect(seen[field.column] == "nil:nil", "\(field.column)")
        }
        #expect(seen["id"] == "string:C-1")
        #expect(seen["title"] == "string:Only the required fields")
        #expect(RuleEvaluator.fieldNames == CanonicalField.columns)
    }

    /// `---@field name type` lines of the `Contract` class in rules/cmrg.d.lua.
    static func annotatedFields() throws -> [(name: String, type: String)] {
        let text = try String(contentsOf: repoRoot.appendingPathComponent("rules/cmrg.d.lua"), encoding: .utf8)
        var fields: [(String, String)] = []
        var inContract = false
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("---@class ") {
                inContract = line == "---@class Contract"
            } else if inContract, line.hasPrefix("---@field ") {
                // `---@field name type description`: the type ends at a space outside `<…>`.
                let rest = line.dropFirst("---@field ".count)
                let name = rest.prefix { $0 != " " }
                var depth = 0
                let type = rest.dropFirst(name.count).drop { $0 == " " }.prefix { ch in
                    if ch == "<" { depth += 1 } else if ch == ">" { depth -= 1 }
                    return ch != " " || depth > 0
                }
                fields.append((String(name), String(type)))
            } else if !line.hasPrefix("---") {
                inContract = false
            }
        }
        return fields
    }

    @Test func editorDefinitionsNameExactlyTheSchemaFields() throws {
        let annotated = try Self.annotatedFields()
        #expect(annotated.map(\.name) == CanonicalField.columns + ["extra"])
        for (name, type) in annotated {
            guard let field = CanonicalField(rawValue: name) else {
                #expect(name == "extra" && type == "table<string, string>")
                continue
            }
            #expect(type == Self.luaType(field.kind).annotation + (field.isRequired ? "" : "?"), "\(name)")
        }
    }
}
