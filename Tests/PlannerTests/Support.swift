import Foundation
import TestSupport
import Planner
import Portfolio
import RuleEngine

/// The repository root, found from this file's path.
let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func day(_ iso: String) -> ContractDate { ContractDate(iso: iso)! }

/// Plans in the hand-built cases start on 1 January 2027.
let start = day("2027-01-01")

/// Meetings every six weeks from 12 January 2027.
let sixWeekly = ["2027-01-12", "2027-02-23", "2027-04-06", "2027-05-18", "2027-06-29"]

/// A policy for hand-built cases; each test changes only what it is about.
func policy(meetings: [String] = sixWeekly, capacity: Int = 2, perOfficer: Int = 2,
            cooldown: [Tier: Int] = [.gold: 6, .silver: 12, .bronze: 24],
            recur: [Tier: Int] = [:], audit: PlanPolicy.AuditHandling = .deferReview,
            memberOverrides: Bool = true) -> PlanPolicy {
    PlanPolicy(calendar: .dates(meetings.map { PlanPolicy.Meeting(date: day($0), capacity: capacity) }),
               capacity: capacity, horizonMonths: 12,
               reviewByMonths: [.gold: 12, .silver: 9, .bronze: 6], cooldownMonths: cooldown,
               memberOverridesCooldown: memberOverrides, maxReviewsPerOfficer: perOfficer, audit: audit,
               auditYear: "2026/27", recurEveryMonths: recur, minScore: 60, bronzeMinScore: 75)
}

func candidate(_ id: String, _ tier: Tier = .silver, score: Double, officer: String? = nil, end: String? = nil,
               maxEnd: String? = nil, member: String? = nil, audit: String? = nil) -> PlanCandidate {
    PlanCandidate(contractID: id, title: "Contract \(id)", tier: tier, score: score, leadOfficer: officer,
                  endDate: end.map(day), maxEndDate: maxEnd.map(day), memberSuggested: member, auditPlanned: audit)
}

/// "date id" per placement, in plan order: the shape of a plan at a glance.
func seats(_ plan: ForwardPlan) -> [String] {
    plan.placements.map { "\($0.meeting) \($0.contractID)" }
}

/// "id: reason" per contract not planned, in plan order.
func leftOut(_ plan: ForwardPlan) -> [String] {
    plan.notPlanned.map { "\($0.contractID): \($0.reason)" }
}

func temporaryDirectory() throws -> URL {
    let dir = try Scratch.directory("planner")
    return dir
}
