import Foundation
import TestSupport
import Portfolio
@testable import RuleEngine

/// The repository root, found from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

let asOf = ContractDate(iso: "2026-11-24")!

func defaultPack() throws -> RulePack {
    try RulePack.load(directory: repoRoot.appendingPathComponent("rules").path)
}

/// A throwaway rule pack written to a temporary directory.
func pack(_ files: [String: String]) throws -> RulePack {
    let dir = try Scratch.directory("pack")
    for (name, text) in files {
        try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
    }
    return try RulePack.load(directory: dir.path)
}

func contract(_ id: String, value: Double?, risk: Int? = nil, complexity: Int? = nil,
              end: String? = nil, member: String? = nil, audit: String? = nil) -> Contract {
    Contract(id: id, title: "Contract \(id)", valueTotal: value, endDate: end.flatMap { ContractDate(iso: $0) },
             risk: risk, complexity: complexity, memberSuggested: member, auditPlanned: audit)
}
