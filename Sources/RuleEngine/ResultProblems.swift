import Foundation
import LuaHost
import Portfolio

/// The rule errors for results `tier` and `score` must not give, said at the line that gave
/// them, with what to do about it.
enum ResultProblems {
    static let tierNames = "\"Gold\", \"Silver\" or \"Bronze\""

    static func badTier(_ value: LuaValueView, pack: RulePack, contract: Contract) -> RuleError {
        let source = EntryPointSource("tier", in: pack)
        var literal: LuaExpression.Literal?
        var hint = "tier(c) must return \(tierNames)"
        if let bytes = value.stringBytes {
            let text = String(decoding: bytes.prefix(64), as: UTF8.self)
            if bytes.count <= 64 { literal = .string(text) }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            if let tier = Tier.allCases.first(where: { $0.rawValue.lowercased() == trimmed.lowercased() }) {
                hint = trimmed == tier.rawValue
                    ? "tier names have no spaces around them: return \"\(tier.rawValue)\""
                    : "tier names are case-sensitive: \(tierNames)"
            } else if let nearest = NearestNames.closest(to: text, among: Tier.allCases.map(\.rawValue), count: 1).first {
                hint = "did you mean \"\(nearest)\"? tier(c) must return \(tierNames)"
            }
        } else if value.isNil {
            literal = .nil_
            hint = "every path through tier(c) must end in return \(tierNames)"
        }
        return RuleError(kind: .badReturn, location: source?.location(ofReturning: literal),
                         message: "tier(c) returned \(ValueQuote.describe(value))",
                         contractID: contract.id, contractTitle: contract.title, entryPoint: .tier, hint: hint)
    }

    static func badScore(_ value: LuaValueView, pack: RulePack, contract: Contract) -> RuleError {
        let source = EntryPointSource("score", in: pack)
        var literal: LuaExpression.Literal?
        let hint: String
        if let d = value.doubleValue {
            hint = d.isNaN ? "NaN (not a number) comes from 0/0 or from arithmetic on NaN: check the divisions and math.log of 0"
                : "an infinite score comes from a division by zero or a huge power: check the divisions"
        } else if value.isNil {
            literal = .nil_
            hint = "every path through score(c) must end in return <a number>"
        } else if value.stringBytes != nil {
            hint = "score(c) must return a number: tonumber(text) turns text into one"
        } else {
            hint = "score(c) must return a finite number"
        }
        return RuleError(kind: .badReturn, location: source?.location(ofReturning: literal),
                         message: "score(c) returned \(ValueQuote.phrase(value)); expected a finite number",
                         contractID: contract.id, contractTitle: contract.title, entryPoint: .score, hint: hint)
    }

    /// Nil when `score` equals the sum of the factors `score(c)` recorded (or it recorded none).
    static func disagreement(score: Double, factors: [(name: String, points: Double)], pack: RulePack,
                             contract: Contract) -> RuleError? {
        guard !factors.isEmpty else { return nil }
        let sum = factors.reduce(0) { $0 + $1.points }
        guard abs(score - sum) > 1e-9 * max(1, abs(score)) else { return nil }
        var (shownScore, shownSum) = (String(points: score), String(points: sum))
        if shownScore == shownSum { (shownScore, shownSum) = (LuaValue.format(score), LuaValue.format(sum)) }
        var listed = factors.map { "\($0.name) \(String(points: $0.points))" }.joined(separator: " + ")
        if listed.count > 300 { listed = String(listed.prefix(300)) + "…" }
        return RuleError(kind: .badReturn, location: EntryPointSource("score", in: pack)?.location(ofReturning: nil),
                         message: "score(c) returned \(shownScore) but its factors add up to \(shownSum): a factor was recorded but not added?",
                         contractID: contract.id, contractTitle: contract.title, entryPoint: .score,
                         hint: "the factors recorded: \(listed) = \(shownSum)")
    }
}
