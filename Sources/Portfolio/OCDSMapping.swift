import Foundation

/// Maps one OCDS 1.1 release (as parsed by JSONSerialization) to a canonical contract.
/// Where a value lives differs by portal, so each field is looked for in order:
/// - id: `ocid`; title: `tender.title`, else the first `awards[].title` / `contracts[].title`
/// - supplier: names in `awards[].suppliers`, else parties with role `supplier` ("; "-joined)
/// - category: `tender.classification` "id description" (CPV)
/// - value_total: `contracts[].value`, else `awards[].value`, else `tender.value`, else the sum of
///   `tender.lots[].value` (an amount of 0 counts as not published)
/// - start/end: `contracts[].period`, else `awards[].contractPeriod`, else
///   `tender.contractPeriod`, else the lots' periods (earliest start, latest end); an end
///   from `durationInDays` counts from the start date, else from the award date (with a notice)
/// - notice_stage: "contract" with a contract, "award" with an award, else "tender"
/// - buyer, notice facts and `tender.description` (text as published, never repaired) go to extras; risk, complexity, lead officer, max_end_date,
///   member and audit fields are never in a notice and stay blank.
/// What could not be mapped becomes a notice, not an error.
enum OCDSMapping {
    static let extraColumns = ["buyer", "release_id", "release_date", "release_tag", "procurement_method",
                               "main_procurement_category", "tender_status", "sme_suitable", "vcse_suitable",
                               "value_source", "period_source", "description"]

    struct Result {
        var row: SourceRow
        var notices: [InputIssue]
    }

    static func map(_ release: [String: Any], file: String, line: Int) -> Result {
        let at = SourceLocation(file: file, line: line)
        guard let ocid = string(release["ocid"]) else {
            return Result(row: .invalid([InputIssue(location: at, message: "release has no ocid")]), notices: [])
        }
        var notices: [InputIssue] = []
        func notice(_ text: String, _ kind: String) { notices.append(InputIssue(location: at, message: "\(ocid): \(text)", kind: kind)) }

        let tender = release["tender"] as? [String: Any] ?? [:]
        let awards = (release["awards"] as? [[String: Any]] ?? []).filter { award in
            !["cancelled", "unsuccessful"].contains(string(award["status"]) ?? "")
        }
        let contracts = (release["contracts"] as? [[String: Any]] ?? []).filter { contract in
            !["cancelled"].contains(string(contract["status"]) ?? "")
        }
        let lots = tender["lots"] as? [[String: Any]] ?? []
        let parties = release["parties"] as? [[String: Any]] ?? []

        let title = string(tender["title"]) ?? awards.lazy.compactMap { string($0["title"]) }.first
            ?? contracts.lazy.compactMap { string($0["title"]) }.first
        guard let title else {
            return Result(row: .invalid([InputIssue(location: at, message: "\(ocid): no tender, award or contract title (every contract needs one)")]),
                          notices: notices)
        }
        var c = Contract(id: ocid, title: title, extras: [String?](repeating: nil, count: extraColumns.count), origin: at)

        // Supplier.
        var suppliers: [String] = []
        for award in awards {
            for supplier in award["suppliers"] as? [[String: Any]] ?? [] {
                if let name = string(supplier["name"]), !suppliers.contains(name) { suppliers.append(name) }
            }
        }
        if suppliers.isEmpty {
            for party in parties where (party["roles"] as? [String] ?? []).contains("supplier") {
                if let name = string(party["name"]), !suppliers.contains(name) { suppliers.append(name) }
            }
        }
        c.supplier = suppliers.isEmpty ? nil : suppliers.joined(separator: "; ")
        if c.supplier == nil {
            notice((awards.isEmpty ? "no award yet; " : "award names no supplier; ") + leftBlank(.supplier),
                   awards.isEmpty ? "supplier left blank: no award yet" : "supplier left blank: the award names none")
        }

        // Category.
        if let classification = tender["classification"] as? [String: Any], let code = string(classification["id"]) {
            c.category = [code, string(classification["description"])].compactMap { $0 }.joined(separator: " ")
        } else {
            notice("no tender.classification; " + leftBlank(.category), "category left blank: no classification")
        }

        // Value.
        var valueSource: String?
        var zeroAward = false
        for (source, values) in [("contracts", contracts.map { $0["value"] }), ("awards", awards.map { $0["value"] }),
                                 ("tender", [tender["value"]]), ("lots", lots.map { $0["value"] })] {
            let amounts = values.compactMap { $0 as? [String: Any] }.compactMap { value -> Double? in
                guard let amount = number(value["amount"]) else { return nil }
                if let currency = string(value["currency"]), currency != "GBP" {
                    notice("\(source) value is in \(currency), not GBP; not used", "value in \(currency), not GBP: not used")
                    return nil
                }
                return amount
            }
            let total = amounts.reduce(0, +)
            if !amounts.isEmpty, total == 0, source == "awards" || source == "contracts" { zeroAward = true }
            if !amounts.isEmpty, total > 0 {
                c.valueTotal = total
                valueSource = source
                break
            }
        }
        if zeroAward {
            notice(c.valueTotal == nil
                ? "award value is 0 (not published) and there is no tender value; " + leftBlank(.valueTotal)
                : "award value is 0 (not published); \(CanonicalField.valueTotal.column) taken from \(valueSource!).value",
                c.valueTotal == nil ? "value left blank: award value 0 and no tender value" : "award value 0: value taken from the tender or lots")
        } else if c.valueTotal == nil {
            notice("no value in awards, tender or lots; " + leftBlank(.valueTotal), "value left blank: none published")
        }

        // Contract period.
        var periodSource: String?
        for (source, periods) in [("contracts", contracts.map { $0["period"] }), ("awards", awards.map { $0["contractPeriod"] }),
                                  ("tender", [tender["contractPeriod"]]), ("lots", lots.map { $0["contractPeriod"] })] {
            let awardDate = awards.compactMap { string($0["date"]).flatMap(date) }.min()
            let found = periods.compactMap { $0 as? [String: Any] }.map { period($0, awardDate: awardDate) }
            let starts = found.compactMap(\.start), ends = found.compactMap(\.end)
            for f in found where f.fromDuration != nil {
                notice("end_date from \(source) durationInDays, counted from the \(f.fromDuration!)", "end date counted from a duration")
            }
            if !starts.isEmpty || !ends.isEmpty {
                c.startDate = starts.min()
                c.endDate = ends.max()
                periodSource = source
                break
            }
        }
        switch (c.startDate, c.endDate) {
        case (nil, nil): notice("no contract period; \(CanonicalField.startDate.column) and " + leftBlank(.endDate),
                                "start and end dates left blank: no contract period")
        case (nil, _): notice("no contract start date in \(periodSource!); " + leftBlank(.startDate), "start date left blank")
        case (_, nil): notice("no contract end date in \(periodSource!); " + leftBlank(.endDate), "end date left blank")
        default: break
        }

        c.noticeStage = !contracts.isEmpty ? "contract" : !awards.isEmpty ? "award" : "tender"

        // Extras, in `extraColumns` order.
        let buyer = (release["buyer"] as? [String: Any]).flatMap { string($0["name"]) }
            ?? parties.first { ($0["roles"] as? [String] ?? []).contains("buyer") }.flatMap { string($0["name"]) }
        let suitability = tender["suitability"] as? [String: Any]
        c.extras = [
            buyer,
            string(release["id"]),
            string(release["date"]),
            (release["tag"] as? [String])?.joined(separator: " "),
            string(tender["procurementMethod"]),
            string(tender["mainProcurementCategory"]),
            string(tender["status"]),
            flag(suitability?["sme"]),
            flag(suitability?["vcse"]),
            valueSource,
            periodSource,
            string(tender["description"]),
        ]

        let issues = ContractChecks.dateOrder(c, file: file, line: line, endColumn: 0, maxEndColumn: 0)
            .map { InputIssue(location: $0.location, message: "\(ocid): \($0.message)") }
        return Result(row: issues.isEmpty ? .contract(c) : .invalid(issues), notices: notices)
    }

    /// The notice's wording for a field the release does not give.
    static func leftBlank(_ field: CanonicalField) -> String { "\(field.column) left blank" }

    /// Start and end dates of an OCDS period; the end from `durationInDays` when only that is
    /// given, counted from the start date, else from the award date (`fromDuration` says which).
    static func period(_ p: [String: Any], awardDate: ContractDate? = nil)
        -> (start: ContractDate?, end: ContractDate?, fromDuration: String?) {
        let start = string(p["startDate"]).flatMap(date)
        var end = string(p["endDate"]).flatMap(date)
        var from: String?
        if end == nil, let days = number(p["durationInDays"]), days >= 1 {
            if let start {
                end = start.adding(days: Int(min(days, 4_000_000)) - 1)
                from = "start date \(start)"
            } else if let awardDate {
                end = awardDate.adding(days: Int(min(days, 4_000_000)) - 1)
                from = "award date \(awardDate)"
            }
        }
        return (start, end, from)
    }

    /// The calendar date of an ISO 8601 date-time as published ("2025-04-23T23:59:59+01:00" is 23 April).
    static func date(_ text: String) -> ContractDate? {
        ContractDate(iso: text.prefix(10))
    }

    /// Seconds since 1970 of an ISO 8601 date-time, for ordering releases of one ocid.
    static func instant(_ text: String) -> Int? {
        guard let day = date(text) else { return nil }
        let u = Array(text.utf8)
        var seconds = day.dayNumber * 86_400
        guard u.count >= 19, u[10] == UInt8(ascii: "T") else { return seconds }
        func two(_ i: Int) -> Int? {
            guard i + 1 < u.count, let a = FieldParsing.digitByte(u[i]), let b = FieldParsing.digitByte(u[i + 1]) else { return nil }
            return a * 10 + b
        }
        guard let h = two(11), let m = two(14), let s = two(17) else { return seconds }
        seconds += h * 3600 + m * 60 + s
        var i = 19
        if i < u.count, u[i] == UInt8(ascii: ".") {
            i += 1
            while i < u.count, FieldParsing.digitByte(u[i]) != nil { i += 1 }
        }
        if i < u.count, u[i] == UInt8(ascii: "+") || u[i] == UInt8(ascii: "-"), let oh = two(i + 1), let om = two(i + 4) {
            let offset = oh * 3600 + om * 60
            seconds += u[i] == UInt8(ascii: "+") ? -offset : offset
        }
        return seconds
    }

    static func string(_ value: Any?) -> String? {
        guard let text = value as? String else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    static func number(_ value: Any?) -> Double? {
        if let n = value as? NSNumber { return n.doubleValue }
        if let text = value as? String { return Double(text) }
        return nil
    }

    static func flag(_ value: Any?) -> String? {
        guard let b = value as? Bool else { return nil }
        return b ? "yes" : "no"
    }
}

extension FieldParsing {
    @inline(__always)
    static func digitByte(_ b: UInt8) -> Int? { digit(b) }
}
