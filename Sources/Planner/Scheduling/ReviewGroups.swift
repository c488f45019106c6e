import Portfolio
import RuleEngine

/// Grouped reviews: selected contracts sharing a `review_group` are reviewed together at one
/// meeting and take one seat. The group goes in at its highest-priority contract's rank, at
/// a meeting inside every member's window; each member keeps its own lead officer (co-leads).
enum ReviewGroups {
    /// The jobs with each group's members folded into its first (highest-priority) job, in
    /// rank order. A group whose members share no meeting is reviewed contract by contract.
    static func combine(_ jobs: [Job], meetings: [PlanPolicy.Meeting]) -> [Job] {
        var groups: [String: [Int]] = [:]
        for (i, job) in jobs.enumerated() {
            guard let key = key(job.candidate.reviewGroup) else { continue }
            groups[key, default: []].append(i)
        }
        var out: [Job] = []
        var folded: Set<Int> = []
        for (i, job) in jobs.enumerated() where !folded.contains(i) {
            guard let key = key(job.candidate.reviewGroup), let members = groups[key], members.count > 1 else {
                out.append(job)
                continue
            }
            var lead = job
            lead.group = job.candidate.reviewGroup!.trimmingWhitespace()
            lead.members = members.dropFirst().map { jobs[$0] }
            lead.release = lead.everyone.map(\.release).max()!
            lead.deadline = lead.everyone.compactMap(\.deadline).min()
            guard !lead.window(meetings).isEmpty else {
                out.append(job) // no meeting suits them all: each is planned on its own
                continue
            }
            let ids = lead.everyone.map(\.candidate.contractID)
            lead.reasons.append(together(ids, except: ids[0], group: lead.group!))
            lead.notes.append(together(ids, except: ids[0], group: lead.group!))
            for (k, index) in members.dropFirst().enumerated() {
                let note = together(ids, except: jobs[index].candidate.contractID, group: lead.group!)
                lead.members[k].reasons.insert(note, at: 0)
                lead.members[k].notes.append(note)
                folded.insert(index)
            }
            out.append(lead)
        }
        return out
    }

    static func key(_ group: String?) -> String? {
        guard let g = group?.trimmingWhitespace().lowercased(), !g.isEmpty else { return nil }
        return g
    }

    /// "reviewed with C-006 (group "Microsoft and Oracle licences", one seat)".
    static func together(_ ids: [String], except id: String, group: String) -> String {
        "reviewed with \(ids.filter { $0 != id }.joined(separator: ", ")) (group \"\(group)\", one seat)"
    }
}
