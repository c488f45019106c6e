/// `cmrg check`'s probing is bounded: a settings table of 20,000 numbers would otherwise make
/// 36 × (3 + 2 × 20,000) probe contracts. At most `maxProbes` run; the values probed are the
/// three fixed ones and an even spread of the thresholds, and a warning says it was cut.
extension PackCheck {
    static let maxProbes = 20_000
    /// Probe contracts per value_total probed (risk × complexity levels).
    static let probesPerValue = 36

    /// `values` (the fixed three first, then both sides of each threshold) cut to the budget.
    static func budgeted(_ values: [Double?]) -> [Double?] {
        let most = maxProbes / probesPerValue
        guard values.count > most else { return values }
        let fixed = Array(values.prefix(3))
        let rest = Array(values.dropFirst(3))
        let keep = most - fixed.count
        // Pairs (n - 1, n) stay together: every kept threshold is probed on both sides.
        let pairs = rest.count / 2, keptPairs = keep / 2
        return fixed + (0..<keptPairs).flatMap { k -> [Double?] in
            let pair = k * pairs / keptPairs
            return [rest[2 * pair], rest[2 * pair + 1]]
        }
    }

    /// The warning when the probing was cut, at the pack's first file.
    static func probingCut(settings: [String: String], ran: Int, pack: RulePack) -> CheckFinding? {
        let numbers = Set(settings.values.compactMap(Double.init).filter { $0 > 0 && $0.isFinite }).count
        let wanted = probesPerValue * (3 + 2 * numbers)
        guard wanted > ran else { return nil }
        return CheckFinding(severity: .warning, location: RuleLocation(file: pack.files.first?.path ?? pack.directory, line: 1),
                            message: "the probing was cut: settings hold \(numbers) numbers, which would make \(wanted) probe "
                                + "contracts; \(ran) were run (at most \(maxProbes)), so some thresholds were not probed")
    }
}
