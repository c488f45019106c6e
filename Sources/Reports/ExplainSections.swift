import History
import Planner
import Portfolio
import RuleEngine
import UseCases

extension ExplainRenderer {
    /// `cmrg explain`: the explanation, then where the contract stands in the forward plan,
    /// its review history, and what single change would give it another tier.
    public static func render(_ o: ContractExplanation.Outcome) -> String {
        let e = o.explanation
        var out = render(contract: e.contract, evaluation: e.evaluation, rank: e.rank, of: e.count,
                         extraColumns: e.extraColumns, asOf: e.asOf.iso, definesFlags: e.definesFlags)
        out += "\nForward plan:\n" + standing(o.standing).map { "  " + $0 + "\n" }.joined()
        out += "\nReview history (\(shown(o.historySource))):\n"
        if o.reviews.isEmpty { out += "  never reviewed\n" }
        for r in o.reviews { out += review(r).map { "  " + $0 + "\n" }.joined() }
        out += "\nWhat would change its tier (the rules run again with one field changed):\n"
        out += sensitivity(o.sensitivity, tier: e.evaluation.tier).map { "  " + $0 + "\n" }.joined()
        return out
    }

    static func standing(_ s: ContractExplanation.Standing) -> [String] {
        switch s {
        case .planned(let members, let seats):
            let lead = members[0]
            var lines = ["planned at the \(lead.meeting) meeting (\(seats.used) of \(seats.capacity) seats): \(lead.mainReason)"
                         + (lead.reviewBy.map { lead.lateReviewBy != nil ? "; review-by was \($0)" : "; review by \($0)" } ?? "")]
            if members.count > 1 {
                lines.append("reviewed together with " + members.dropFirst().map(\.contractID).joined(separator: ", ")
                             + " (group \"\(shown(lead.group ?? ""))\", one seat)")
            }
            lines += lead.reasons.map { "- " + shown($0) }
            return lines
        case .notPlanned(let n):
            return ["not planned: " + shown(n.reason)]
        case .notSelected(let why):
            return [shown(why)]
        case .noPlan:
            return ["no forward plan: the rule pack defines no settings.plan"]
        }
    }

    /// "2026-06-30  Red    led by Head of Culture and Leisure; follow-up by 2026-09-30", then
    /// the areas, themes and notes.
    static func review(_ r: Review) -> [String] {
        var lines = ["\(r.meetingDate)  \(r.outcome.rawValue.padding(toLength: 5, withPad: " ", startingAt: 0))  led by \(shown(r.leadOfficer))"
                     + (r.followUpDate.map { "; follow-up by \($0)" } ?? "")]
        if !r.areas.isEmpty { lines.append("    NAO areas: " + r.areas.map(\.rawValue).joined(separator: ", ")) }
        if !r.themes.isEmpty { lines.append("    findings: " + r.themes.map(shown).joined(separator: ", ")) }
        if !r.notes.isEmpty { lines.append("    notes: " + shown(r.notes.replacingAll("\n", with: " "))) }
        return lines
    }

    static func sensitivity(_ s: TierSensitivity, tier: Tier) -> [String] {
        var lines = s.changes.map { change -> String in
            let what: String
            switch change.field {
            case .risk, .complexity:
                what = "\(change.field.rawValue) were \(change.level!)"
                    + (s.unassessed.contains(change.field) ? " (not assessed now)" : "")
            case .value:
                let amount = money(change.amount!)
                what = s.unassessed.contains(.value)
                    ? "a whole-life value of \(change.atLeast ? "at least" : "under") \(amount) were recorded"
                    : "whole-life value were \(change.atLeast ? "at least" : "under") \(amount)"
            }
            return "- \(change.tier.rawValue) if \(what)" + place(change.location)
        }
        if lines.isEmpty {
            lines.append("no change of whole-life value, risk or complexity on its own moves it from \(tier.rawValue)")
        }
        return lines + s.failures.map { "- " + shown($0) }
    }
}
