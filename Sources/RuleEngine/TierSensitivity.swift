import Portfolio

/// What would change a contract's tier: the rules run again on the contract with one field
/// changed at a time — risk and complexity over every level 1 to 5, the whole-life value
/// searched by bisection — never by reading thresholds out of the rules. Each change found
/// is the nearest one that gives another tier, with the rule line that decided it.
public struct TierSensitivity: Sendable, Equatable {
    public enum Field: String, Sendable {
        case risk, complexity
        case value = "whole-life value"
    }

    /// One change that moves the contract to `tier`.
    public struct Change: Sendable, Equatable {
        public var field: Field
        public var tier: Tier
        /// For risk and complexity, the nearest level that gives `tier`.
        public var level: Int?
        /// For the value: the boundary, and whether the tier holds at or above it (`true`)
        /// or below it (`false`).
        public var amount: Double?
        public var atLeast: Bool
        /// The reason the tier rule gave for the new tier, and its line.
        public var reason: String?
        public var location: RuleLocation?
    }

    /// The field was blank: what the changes assume is that it were recorded.
    public var unassessed: Set<Field>
    public var changes: [Change]
    /// Changes the rules could not be run on (a rule error), in words.
    public var failures: [String]

    /// The value searched goes no higher than this (£100bn), and to the penny.
    static let valueCeiling = 1e11

    /// Runs the search with `tierOf`, which evaluates a changed copy of the contract.
    public static func search(_ contract: Contract, tier current: Tier,
                              tierOf: (Contract) throws(RuleError) -> Evaluation) -> TierSensitivity {
        var out = TierSensitivity(unassessed: [], changes: [], failures: [])
        var tried: [String: Evaluation?] = [:]
        func evaluate(_ c: Contract, _ what: String) -> Evaluation? {
            if let done = tried[what] { return done }
            do throws(RuleError) {
                let e = try tierOf(c)
                tried[what] = e
                return e
            } catch {
                out.failures.append("with \(what) the rules stop: \(error.description)")
                tried[what] = .some(nil)
                return nil
            }
        }
        func decision(_ e: Evaluation) -> Reason? { e.reasons.last { $0.entryPoint == .tier } }

        for field in [Field.risk, .complexity] {
            let level = field == .risk ? contract.risk : contract.complexity
            if level == nil { out.unassessed.insert(field) }
            // Each other tier at the nearest level that gives it (ties: the lower level).
            var nearest: [Tier: (distance: Int, level: Int, evaluation: Evaluation)] = [:]
            for candidate in 1...5 where candidate != level {
                var c = contract
                if field == .risk { c.risk = candidate } else { c.complexity = candidate }
                guard let e = evaluate(c, "\(field.rawValue) \(candidate)"), e.tier != current else { continue }
                let distance = abs(candidate - (level ?? 3))
                if nearest[e.tier].map({ distance < $0.distance }) ?? true { nearest[e.tier] = (distance, candidate, e) }
            }
            for tier in Tier.allCases {
                guard let found = nearest[tier] else { continue }
                let why = decision(found.evaluation)
                out.changes.append(Change(field: field, tier: tier, level: found.level, amount: nil, atLeast: false,
                                          reason: why?.text, location: why?.location))
            }
        }

        if contract.valueTotal == nil { out.unassessed.insert(.value) }
        let value = contract.valueTotal ?? 0
        func at(_ amount: Double) -> Evaluation? {
            var c = contract
            c.valueTotal = amount
            return evaluate(c, "a whole-life value of \(amount)")
        }
        // Upwards: double until the tier changes, then bisect to the penny.
        var low = max(value, 0), high = max(value * 2, 1)
        var above: Evaluation?
        while high <= valueCeiling {
            guard let e = at(high) else { break }
            if e.tier != current { above = e; break }
            low = high
            high *= 2
        }
        if above != nil {
            while high - low > 0.01 {
                let mid = ((low + high) / 2 * 100).rounded(.down) / 100
                guard mid > low, mid < high, let e = at(mid) else { break }
                if e.tier != current { high = mid; above = e } else { low = mid }
            }
            let why = decision(above!)
            out.changes.append(Change(field: .value, tier: above!.tier, level: nil, amount: high, atLeast: true,
                                      reason: why?.text, location: why?.location))
        }
        // Downwards, from a recorded positive value: try nothing first, then bisect.
        if value > 0, let zero = at(0), zero.tier != current {
            var below = zero
            var low = 0.0, high = value
            while high - low > 0.01 {
                let mid = ((low + high) / 2 * 100).rounded(.down) / 100
                guard mid > low, mid < high, let e = at(mid) else { break }
                if e.tier != current { low = mid; below = e } else { high = mid }
            }
            let why = decision(below)
            out.changes.append(Change(field: .value, tier: below.tier, level: nil, amount: high, atLeast: false,
                                      reason: why?.text, location: why?.location))
        }
        return out
    }
}

extension PreparedPack {
    /// What would change `contract`'s tier (see `TierSensitivity`), run on one of the pack's
    /// states with the register's extra columns.
    public func tierSensitivity(of contract: Contract, tier: Tier, extraColumns: [String]) throws(RuleError) -> TierSensitivity {
        let evaluator = try borrow(1, extraColumns: extraColumns)[0]
        defer { giveBack([evaluator]) }
        return TierSensitivity.search(contract, tier: tier) { (c: Contract) throws(RuleError) -> Evaluation in
            try evaluator.evaluate(c)
        }
    }
}
