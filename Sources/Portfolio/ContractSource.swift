/// What a format-specific loader hands the reader: one row at a time, valid or not.
enum SourceRow {
    case contract(Contract)
    /// Every problem found in one input row (or release).
    case invalid([InputIssue])
}

/// A format-specific loader. The reader adds what is common: batches, duplicate ids,
/// the error policy.
protocol ContractSource: AnyObject {
    var format: PortfolioFormat { get }
    var extraColumns: [String] { get }
    /// 1-based column of the id in the input (0 when the format has no columns).
    var idColumn: Int { get }
    /// Fields that could not be mapped (not errors).
    var notices: [InputIssue] { get }
    func next() throws(PortfolioError) -> SourceRow?
}

/// Checks every loader applies once a contract's fields are parsed.
enum ContractChecks {
    /// end_date before start_date, and max_end_date before end_date, are issues.
    static func dateOrder(_ c: Contract, file: String, line: Int, endColumn: Int, maxEndColumn: Int) -> [InputIssue] {
        var issues: [InputIssue] = []
        if let s = c.startDate, let e = c.endDate, e < s {
            issues.append(InputIssue(file, line, endColumn, "end_date \(e) is before start_date \(s)"))
        }
        if let e = c.endDate, let m = c.maxEndDate, m < e {
            issues.append(InputIssue(file, line, maxEndColumn, "max_end_date \(m) is before end_date \(e)"))
        }
        return issues
    }
}
